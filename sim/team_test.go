package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// W3 (white paper): 40 h × 52 weeks × 70 % = 1,456 productive hours; the
// enterprise meeting table needs 72 h per account per year (20 accounts per
// CSM), the mid-market one 20.75 h (70 accounts per CSM).
func TestW3AccountsPerCSM(t *testing.T) {
	team := Team{HoursPerYear: 40 * 52}
	ent := Segment{Meetings: []Meeting{{"monthly", 12, 1, 1}, {"ebr", 4, 2, 4}, {"workshop", 2, 3, 3}, {"ad hoc", 6, 1, 1}}}
	mid := Segment{Meetings: []Meeting{{"monthly", 12, 0.5, 0.25}, {"ebr", 2, 1, 2}, {"workshop", 1, 1.5, 2}, {"ad hoc", 3, 0.5, 0.25}}}
	within(t, "productive hours", team.ProductiveHours(0.7), 1456, 1e-9)
	within(t, "enterprise hours", ent.HoursPerAccount(), 72, 1e-9)
	within(t, "mid-market hours", mid.HoursPerAccount(), 20.75, 1e-9)
	if n := math.Floor(team.AccountsPerCSM(&ent, 0.7)); n != 20 {
		t.Errorf("enterprise accounts per CSM %v, want 20", n)
	}
	if n := math.Floor(team.AccountsPerCSM(&mid, 0.7)); n != 70 {
		t.Errorf("mid-market accounts per CSM %v, want 70", n)
	}
}

// teamModel is a served book of 200 accounts needing 72 h a year each
// (1,200 h a month) with churn and upsell, and a team of csms CSMs (each
// 121.3 productive hours a month, so 10 CSMs cover everyone).
func teamModel(csms int) Model {
	acv, _ := dist.NewLogNormalMedianP90(60000, 150000)
	size, _ := dist.NewUniform(0.05, 0.2)
	m := Model{Horizon: 36, Segments: []Segment{{
		Name: "ent", Count: 200, ACV: acv, TermMonths: 12, Renewal: Spread,
		PriceIncrease: fixed(0.04), OnboardingSuccess: fixed(0.9), OnboardingMonths: 2,
		Churn:       Churn{Rate: fixed(0.12), RateMonths: 12},
		Upsell:      Movement{Cadence: Quarterly, Probability: fixed(0.1), Size: size},
		Contraction: Movement{Probability: fixed(0)},
		Meetings:    []Meeting{{"monthly", 12, 1, 1}, {"ebr", 4, 2, 4}, {"workshop", 2, 3, 3}, {"ad hoc", 6, 1, 1}},
		Acquisition: Acquisition{PerMonth: fixed(3), Growth: fixed(0)},
	}}, Team: Team{CSMs: csms, HoursPerYear: 2080, Productivity: fixed(0.7), LoadedCost: fixed(150000),
		HiringCost: fixed(20000), RampMonths: 3, Attrition: fixed(0), HiringLagMonths: 3},
		Response: Response{Churn: Curve{X: []float64{0, 0.5, 1}, Y: []float64{2, 1.4, 1}},
			Upsell: Curve{X: []float64{0, 1}, Y: []float64{0.3, 1}}, Onboarding: Curve{X: []float64{0, 1}, Y: []float64{0.85, 1}}}}
	return m
}

// With spare hours every account is fully covered: the book is exactly
// what it is without a team model (to the last bit in Monte Carlo; expected
// mode splits served groups into ACV deciles, which only reorders sums).
func TestSpareHoursEqualNoTeam(t *testing.T) {
	with := teamModel(40)
	without := teamModel(0)
	without.Team = Team{}
	for _, s := range []Settings{{Trials: 64, Seed: 3}, {Mode: Expected}} {
		a, b := run(t, with, s).Options[0], run(t, without, s).Options[0]
		for _, name := range []string{"arr_end", "revenue_total", "nrr_12m", "grr_12m", "logos_end"} {
			x, y := a.Metrics[name], b.Metrics[name]
			if s.Mode == Expected && math.Abs(x.Mean-y.Mean) <= 1e-12*math.Abs(y.Mean) {
				continue
			}
			if x != y {
				t.Errorf("%v %s: with spare team %+v, without %+v", s.Mode, name, a.Metrics[name], b.Metrics[name])
			}
		}
		if c := a.Metrics["coverage_mean"].Mean; c != 1 {
			t.Errorf("coverage with spare hours %v, want 1", c)
		}
	}
}

// The synchronous engine draws the same numbers as the independent one: at
// full coverage the two agree (up to float summation order).
func TestSynchronousEngineMatchesIndependent(t *testing.T) {
	m := teamModel(40)
	m.Segments[0].Churn = Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(2)}, RateMonths: 12}
	m.Segments[0].Contraction = Movement{Cadence: AtRenewal, Probability: fixed(0.1), Size: dist.Const(0.2)}
	ind := run(t, m, Settings{Trials: 32, Seed: 8})
	syn := run(t, m, Settings{Trials: 32, Seed: 8, check: checks{lockstep: true}})
	for _, name := range []string{"mrr", "logos", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr", "nrr", "grr"} {
		for i, p := range ind.Options[0].Series[name] {
			q := syn.Options[0].Series[name][i]
			if math.Abs(p.Mean-q.Mean) > 1e-9*math.Max(1, math.Abs(p.Mean)) {
				t.Fatalf("%s month %d: independent %v, synchronous %v", name, p.Month, p.Mean, q.Mean)
			}
		}
	}
}

// A team short of hours at first and spare later (27 CSMs for a book that
// needs 36 at the start and shrinks) runs in lockstep until it can no
// longer run short, then finishes the trial at once: the numbers are those
// of lockstep to the end, to rounding.
func TestFinishMatchesLockstep(t *testing.T) {
	m := withTeam(27)
	m.Segments[0].Contraction = Movement{Cadence: AtRenewal, Probability: fixed(0.1), Size: dist.Const(0.2)}
	m.Segments[1].Churn = Churn{Rate: fixed(0.2), RateMonths: 12}
	m.Segments[1].Acquisition = Acquisition{PerMonth: fixed(3), Growth: fixed(0)}
	m.Segments[1].OnboardingSuccess, m.Segments[1].OnboardingMonths = fixed(0.9), 2
	w := newWorker(3, m.Horizon, checks{})
	finished := 0
	for trial := range uint64(8) {
		w.runTrial(&m, trial)
		if w.ls.finishedAt > 0 {
			finished++
		}
	}
	if finished == 0 {
		t.Fatal("no trial finished early: the test does not test")
	}
	fast := run(t, m, Settings{Trials: 32, Seed: 3})
	slow := run(t, m, Settings{Trials: 32, Seed: 3, check: checks{lockstep: true}})
	for name, ps := range slow.Options[0].Series {
		for i, p := range ps {
			q := fast.Options[0].Series[name][i]
			if math.Abs(p.Mean-q.Mean) > 1e-9*math.Max(1, math.Abs(p.Mean)) {
				t.Fatalf("%s month %d: lockstep %v, finished early %v", name, p.Month, p.Mean, q.Mean)
			}
		}
	}
	for name, s := range slow.Options[0].Metrics {
		if q := fast.Options[0].Metrics[name]; math.Abs(s.Mean-q.Mean) > 1e-9*math.Max(1, math.Abs(s.Mean)) {
			t.Errorf("%s: lockstep %v, finished early %v", name, s.Mean, q.Mean)
		}
	}
}

// Fewer CSMs never lower expected churn, and cost less.
func TestFewerCSMsNeverLowerChurn(t *testing.T) {
	for _, assign := range []Assignment{Even, Priority} {
		prevChurn, prevCost := -1.0, math.Inf(1)
		for csms := 12; csms >= 0; csms-- {
			m := teamModel(csms)
			m.Team.Assignment = assign
			r := run(t, m, Settings{Mode: Expected}).Options[0]
			churned := 0.0
			for _, p := range r.Series["churned_mrr"] {
				churned += p.Mean
			}
			if churned < prevChurn-1e-6 {
				t.Errorf("%v: %d CSMs churn %.0f, less than with one more (%.0f)", assign, csms, churned, prevChurn)
			}
			cost := r.Metrics["cs_cost_total"].Mean
			if cost > prevCost {
				t.Errorf("%d CSMs cost %.0f, more than with one more", csms, cost)
			}
			prevChurn, prevCost = churned, cost
		}
	}
}

// A cut lowers coverage and ARR in Monte Carlo too, trial by trial on common
// random numbers, and saves cost.
func TestCutLowersARR(t *testing.T) {
	keep := teamModel(10)
	cut := teamModel(10)
	cut.Team.Plan = []Step{{Month: 4, CSMs: 6}}
	r, err := runOpts([]Option{{Name: "Baseline", Model: keep}, {Name: "cut", Model: cut}}, Settings{Trials: 200, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	d := r.Options[1].VsBaseline
	if d["arr_end"].CI95[1] >= 0 || d["arr_end"].PWorse < 0.9 {
		t.Errorf("cutting 4 of 10 CSMs should lower ARR: %+v", d["arr_end"])
	}
	if d["cs_cost_total"].CI95[1] >= 0 {
		t.Errorf("cutting CSMs should save cost: %+v", d["cs_cost_total"])
	}
	if c := r.Options[1].Metrics["coverage_mean"].Mean; c >= 1 || c < 0.5 {
		t.Errorf("coverage after the cut %v, want between 0.5 and 1", c)
	}
}

// The team's path: a cut takes effect in its month, hires ramp linearly,
// attrition at its expectation is backfilled after the lag.
func TestTeamPath(t *testing.T) {
	tm := Team{CSMs: 10, Plan: []Step{{Month: 3, CSMs: 8}, {Month: 6, CSMs: 12}}, HoursPerYear: 1200, RampMonths: 4, HiringLagMonths: 2}
	p := newTeamPath(8)
	p.simulate(&tm, 1, 120000, 10000, 0, 0, false)
	wantHeads := []float64{0, 10, 10, 8, 8, 8, 12, 12, 12}
	// New hires in month 6 work 1/4, 2/4, 3/4 of full hours.
	wantHours := []float64{0, 1000, 1000, 800, 800, 800, 800 + 4*25, 800 + 4*50, 800 + 4*75}
	for m := 1; m <= 8; m++ {
		within(t, "heads", p.heads[m], wantHeads[m], 1e-9)
		within(t, "hours", p.hours[m], wantHours[m], 1e-9)
	}
	within(t, "cost in the hiring month", p.cost[6], 12*10000+4*10000, 1e-9)

	at := Team{CSMs: 12, HoursPerYear: 1200, HiringLagMonths: 3}
	p = newTeamPath(12)
	p.simulate(&at, 1, 0, 0, 1-math.Pow(0.9, 12), 0, false) // 10 % leave each month
	within(t, "heads after a month of attrition", p.heads[1], 10.8, 1e-9)
	within(t, "heads when the first backfill arrives", p.heads[4], 12*math.Pow(0.9, 4)+1.2, 1e-9)
}

func runOpts(opts []Option, s Settings) (*results.Results, error) {
	return Run(context.Background(), opts, s, nil)
}

// Gross profit is revenue at the margin before CS, less cost to serve and
// the CS team.
func TestGrossProfit(t *testing.T) {
	m := teamModel(8)
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: fixed(0.05)}
	r := run(t, m, Settings{Mode: Expected}).Options[0].Metrics
	want := r["revenue_total"].Mean*0.75 - r["cs_cost_total"].Mean
	within(t, "gross profit", r["gross_profit_total"].Mean, want, 1e-6*want)
	within(t, "CS cost of 8 CSMs at $150k for 3 years", r["cs_cost_total"].Mean, 8*150000*3, 1e-6)
}

// Under priority assignment expected mode ranks a group by the MRR of its
// accounts that were not upsold, as the simulation ranks accounts: 200
// equal accounts and their equal new logos share a short team's hours, so
// the expected path is the Monte Carlo mean (it was far below when groups
// were ranked by their mean MRR, expected upsell included).
func TestExpectedPriorityMatchesMonteCarlo(t *testing.T) {
	m := Model{Horizon: 24, Segments: []Segment{{
		Name: "mm", Count: 200, ACV: dist.Const(12000), TermMonths: 1, Renewal: Spread,
		PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
		Churn:       Churn{Rate: fixed(0.02), RateMonths: 1},
		Upsell:      Movement{Cadence: Quarterly, Probability: fixed(0.05), Size: dist.Const(0.3)},
		Contraction: Movement{Probability: fixed(0)},
		Meetings:    []Meeting{{"monthly", 12, 1, 0}},
		Acquisition: Acquisition{PerMonth: fixed(4), Growth: fixed(0)},
	}}, Team: Team{CSMs: 1, HoursPerYear: 1200, Productivity: fixed(1), LoadedCost: fixed(120000), Assignment: Priority},
		Response: Response{Churn: Curve{X: []float64{0, 0.5, 1}, Y: []float64{2, 1.4, 1}},
			Upsell: Curve{X: []float64{0, 1}, Y: []float64{0.3, 1}}, Onboarding: Curve{X: []float64{0, 1}, Y: []float64{0.85, 1}}}}
	ex := run(t, m, Settings{Mode: Expected}).Options[0].Metrics["arr_end"].Mean
	mc := run(t, m, Settings{Trials: 1000, Seed: 3}).Options[0].Metrics["arr_end"]
	// 4 standard errors: the expected path is the mean's limit, up to the
	// coverage nonlinearity, which is small here.
	if math.Abs(ex-mc.Mean) > 4*mc.SE {
		t.Errorf("ARR at the horizon: expected mode %.0f, Monte Carlo %.0f ± %.0f", ex, mc.Mean, mc.SE)
	}
}
