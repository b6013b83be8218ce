package sim

// Review tests: each demonstrates a suspected defect and fails while the
// defect is present. Run with: go test ./sim -run Review -v

import (
	"math"
	"testing"

	"csplan/sim/dist"
)

// reviewRun runs n Monte Carlo trials of m on one worker and returns, per
// series and month, the mean and standard error over the trials.
func reviewRun(m *Model, seed uint64, n int, sync bool) (mean, se [numSeries][]float64) {
	h := m.Horizon
	w := newWorker(seed, h, checks{lockstep: sync})
	var series, sum, sq [numSeries][]float64
	for i := range series {
		series[i], sum[i], sq[i] = make([]float64, h+1), make([]float64, h+1), make([]float64, h+1)
		mean[i], se[i] = make([]float64, h+1), make([]float64, h+1)
	}
	for t := 0; t < n; t++ {
		var metrics [numMetrics]float64
		w.runTrial(m, uint64(t))
		w.summarise(&series, &metrics)
		for i := range series {
			for mo, v := range series[i] {
				sum[i][mo] += v
				sq[i][mo] += v * v
			}
		}
	}
	fn := float64(n)
	for i := range series {
		for mo := range series[i] {
			mu := sum[i][mo] / fn
			mean[i][mo] = mu
			se[i][mo] = math.Sqrt(math.Max(sq[i][mo]/fn-mu*mu, 0) / (fn - 1))
		}
	}
	return
}

// reviewExpected returns the expected-mode series of m.
func reviewExpected(m *Model) (series [numSeries][]float64) {
	w := newWorker(1, m.Horizon, checks{})
	for i := range series {
		series[i] = make([]float64, m.Horizon+1)
	}
	var metrics [numMetrics]float64
	w.expectedTrial(m, Multiplicative)
	w.summarise(&series, &metrics)
	return
}

// reviewServed is one served segment with a CS team that has a given share
// of the hours its opening book needs (no ramp, attrition or hiring).
func reviewServed(seg Segment, hoursShare float64, assign Assignment) Model {
	seg.Digital = false
	seg.Meetings = []Meeting{{"monthly", 12, 3, 3}} // 72 h a year, 6 h a month
	need := float64(seg.Count) * 72
	// CSMs work 1,200 h a year at productivity 1.
	csms := int(math.Round(hoursShare * need / 1200))
	return Model{Horizon: 36, Segments: []Segment{seg},
		Team: Team{CSMs: csms, HoursPerYear: 1200, Productivity: fixed(1), LoadedCost: fixed(0),
			HiringCost: fixed(0), Attrition: fixed(0), Assignment: assign},
		Response: Response{Churn: Curve{X: []float64{0, 1}, Y: []float64{2, 1}}}}
}

// 1. The synchronous engine must draw exactly what the independent one
// draws when coverage stays full (sync.go's header; README: "a trial in
// which coverage stays full gives the same numbers either way"). For an sBG
// segment whose churn response at full coverage is not 1 (a valid scenario:
// coverage_response.churn: [[0, 2], [1, 0.8]]) the independent engine draws
// θ straight away (trial.go:307), while liveMonth first draws the inversion
// uniform (sync.go:281-283) and only then θ, so every sBG account's churn
// stream is shifted. A trial then gives different books depending on
// whether the team happened to be short in some month, and common random
// numbers between a "cut" option (synchronous) and the baseline
// (independent) are lost for every sBG account.
func TestReviewSyncSBGDrawsWhenFullCoverageMultiplierIsNotOne(t *testing.T) {
	seg := Segment{Name: "ent", Count: 200, ACV: dist.Const(12000), TermMonths: 12, Renewal: Spread,
		PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
		Churn:       Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}},
		Upsell:      Movement{Probability: fixed(0)},
		Contraction: Movement{Probability: fixed(0)}}
	m := reviewServed(seg, 10, Even) // ten times the hours needed: never short
	m.Response.Churn = Curve{X: []float64{0, 1}, Y: []float64{2, 0.8}}
	ind, _ := reviewRun(&m, 8, 20, false)
	syn, _ := reviewRun(&m, 8, 20, true)
	for mo := 0; mo <= m.Horizon; mo++ {
		if a, b := ind[sLogos][mo], syn[sLogos][mo]; a != b {
			t.Fatalf("full coverage, 20 trials: mean logos in month %d are %.2f independent, %.2f synchronous; the engines must draw the same numbers", mo, a, b)
		}
	}
}

// 2. Expected mode must be the expectation of the account-level model
// (README "Expected mode"). For sBG churn under a coverage multiplier k the
// account model churns each account with min(1, k·θ) per period
// (trial.go:307-308, sync.go:287); expected.go:237 instead multiplies the
// population hazard α/(α+β+t−1) of the unmultiplied cohort by k. That
// ignores that a multiplier removes the risky accounts faster, so the
// survivors' hazard falls faster: with a team at half the hours it needs
// and churn ×1.5, expected mode loses far more accounts than the simulation.
func TestReviewExpectedSBGUnderCoverageMatchesSimulation(t *testing.T) {
	seg := Segment{Name: "ent", Count: 600, ACV: dist.Const(12000), TermMonths: 12, Renewal: Spread,
		PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
		Churn:       Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}},
		Upsell:      Movement{Probability: fixed(0)},
		Contraction: Movement{Probability: fixed(0)}}
	m := reviewServed(seg, 0.5, Even)
	mc, se := reviewRun(&m, 3, 300, false)
	e := reviewExpected(&m)
	h := m.Horizon
	if z := (mc[sLogos][h] - e[sLogos][h]) / se[sLogos][h]; math.Abs(z) > 4 {
		t.Errorf("logos at month %d: simulation %.1f ± %.1f, expected mode %.1f (%.0f standard errors apart)",
			h, mc[sLogos][h], se[sLogos][h], e[sLogos][h], z)
	}
}

// 3. Under priority assignment the synchronous engine treats accounts of
// equal MRR alike (sync.go:351-356: the bucket where hours run out shares
// them evenly). Expected mode instead sorts groups by MRR per account with a
// stable sort (expected.go:150) and gives the first groups in creation
// order full coverage and the rest none. With equal ACVs every renewal
// group ties, so the group that renews first (month 1) is fully covered in
// expected mode while every account gets half coverage in the simulation.
func TestReviewExpectedPriorityTiesShareEvenly(t *testing.T) {
	seg := Segment{Name: "ent", Count: 240, ACV: dist.Const(12000), TermMonths: 12, Renewal: Spread,
		PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
		Churn:       Churn{Rate: fixed(0.3), RateMonths: 12},
		Upsell:      Movement{Probability: fixed(0)},
		Contraction: Movement{Probability: fixed(0)}}
	m := reviewServed(seg, 0.5, Priority)
	mc, se := reviewRun(&m, 5, 400, false)
	e := reviewExpected(&m)
	// Month 1: the 20 accounts first renewing churn with 0.3 × 1.5 in the
	// simulation (coverage 1/2 each): 20 × 0.45 × $1,000 = $9,000.
	if z := (mc[sChurnedMRR][1] - e[sChurnedMRR][1]) / se[sChurnedMRR][1]; math.Abs(z) > 4 {
		t.Errorf("churned MRR in month 1: simulation %.0f ± %.0f, expected mode %.0f (%.0f standard errors apart)",
			mc[sChurnedMRR][1], se[sChurnedMRR][1], e[sChurnedMRR][1], z)
	}
}

// 4. Common random numbers for the team: attrition draws one uniform per
// employed CSM per month from a single team stream (team.go:69-76), so
// the draws a CSM gets depend on how many CSMs were drawn before it. An
// option that only adds one hire in month 2 changes which of the starting
// CSMs leave afterwards, so paired differences of cost and capacity carry
// attrition noise that has nothing to do with the option.
func TestReviewTeamAttritionCommonRandomNumbers(t *testing.T) {
	base := Team{CSMs: 10, HoursPerYear: 1200, HiringLagMonths: 2}
	more := base
	more.Plan = []Step{{Month: 2, CSMs: 11}}
	differ := 0
	for seed := uint64(1); seed <= 50; seed++ {
		a, b := newTeamPath(24), newTeamPath(24)
		a.simulate(&base, 1, 1, 0, 0.3, splitmix64(seed), true)
		na := a.cohorts[0].n // survivors of the starting team (cuts never touch it here)
		b.simulate(&more, 1, 1, 0, 0.3, splitmix64(seed), true)
		if b.cohorts[0].n != na {
			differ++
		}
	}
	if differ > 0 {
		t.Errorf("in %d of 50 trials the starting team's attrition differs between two plans that only differ by one later hire", differ)
	}
}
