package sim

import (
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// Churn by tenure (Churn.Tenure): an empirical hazard, one probability per
// period of tenure, the last holding after the table.

func byTenure(scale float64, periods ...float64) Churn {
	return Churn{Tenure: &TenureChurn{Periods: periods, Scale: fixed(scale)}}
}

// A table of one entry is the constant rate: both draw one exponential
// threshold first on the churn stream and churn at the first period whose
// accumulated hazard passes it, so every metric agrees to rounding, in the
// independent engine, the month-by-month engine with a team that runs
// short (coverage multipliers that move every month) and champion risk
// windows (the hazard is accumulated run by run).
func TestTableOfOneIsTheRate(t *testing.T) {
	cases := []struct {
		name string
		m    func() Model
		s    Settings
	}{
		{"independent", func() Model { return teamModel(0) }, Settings{Trials: 64, Seed: 2}},
		{"short team", func() Model { return teamModel(6) }, Settings{Trials: 64, Seed: 2}},
		{"champions", func() Model {
			m := simpleModel(500, 24000, 12, Churn{}, Movement{Probability: fixed(0)}, 36)
			m.Segments[0].Renewal = Spread
			m.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0), ReferralsPerYear: fixed(0), ReferralConversion: fixed(0),
				ChampionTurnover: fixed(0.3), ChampionChurnMult: fixed(3), ChampionRiskMonths: 12, ChampionMoveWin: fixed(0)}
			return m
		}, Settings{Trials: 64, Seed: 2}},
	}
	for _, c := range cases {
		rate, table := c.m(), c.m()
		if c.name == "independent" {
			rate.Team = Team{}
			table.Team = Team{}
		}
		rate.Segments[0].Churn = Churn{Rate: fixed(0.12), RateMonths: 12}
		table.Segments[0].Churn = byTenure(1, 0.12)
		a, b := run(t, rate, c.s).Options[0], run(t, table, c.s).Options[0]
		for _, name := range []string{results.ARREnd, results.LogosEnd, results.RevenueTotal, results.NRR12m} {
			x, y := a.Metrics[name].Mean, b.Metrics[name].Mean
			if math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(x)) {
				t.Errorf("%s %s: rate %v, table of one %v", c.name, name, x, y)
			}
		}
	}
}

// An opening book churns from its tenure on: 1,000 accounts renewing in
// months 1 and 13 under the table 30 %, 20 %, 10 %, 5 % keep 1,000 × 0.7 ×
// 0.8 at month 24 when new, and 1,000 × 0.8 × 0.9 when they have been
// customers for two years (at their second and third renewals); at four
// years (fourth and fifth) the last entry holds (0.95²). Exact in expected
// mode; the Monte Carlo mean within 4 binomial standard errors.
func TestTenureTableConditionsOnTenure(t *testing.T) {
	const n = 1000
	for _, c := range []struct {
		tenure int
		keep   float64
	}{{0, 0.7 * 0.8}, {24, 0.8 * 0.9}, {48, 0.95 * 0.95}} {
		m := Model{Horizon: 24, Segments: []Segment{{Name: "book", Count: n, ACV: dist.Const(12000), TermMonths: 12,
			Renewal: AtMonth, FirstRenewalMonth: 1, TenureMonths: c.tenure, PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
			Churn: byTenure(1, 0.3, 0.2, 0.1, 0.05)}}}
		want := n * c.keep
		within(t, "expected customers", run(t, m, Settings{Mode: Expected}).Options[0].Metrics[results.LogosEnd].Mean, want, 1e-9)
		const trials = 200
		se := math.Sqrt(n*c.keep*(1-c.keep)) / math.Sqrt(trials)
		within(t, "simulated customers", run(t, m, Settings{Trials: trials, Seed: 5}).Options[0].Metrics[results.LogosEnd].Mean, want, 4*se)
	}
}

// Monthly hazard with a lock-in (nobody leaves in months 1 to 3) and a
// per-trial scale, under a team that runs short: the coverage multiplier
// multiplies each month's table entry, in Monte Carlo as on the expected
// path (the mean's limit up to the coverage nonlinearity, small here), to
// 4 standard errors.
func TestTenureTableUnderCoverage(t *testing.T) {
	m := teamModel(5)
	s := &m.Segments[0]
	s.TermMonths, s.Renewal = 1, Spread
	s.Churn = byTenure(1, 0, 0, 0, 0.03, 0.025, 0.02, 0.015, 0.01)
	s.Churn.Timing = Hazard
	ex := run(t, m, Settings{Mode: Expected}).Options[0].Metrics[results.LogosEnd].Mean
	mc := run(t, m, Settings{Trials: 400, Seed: 3}).Options[0].Metrics[results.LogosEnd]
	within(t, "customers at the horizon, Monte Carlo against expected", mc.Mean, ex, 4*mc.SE)
	full := teamModel(40)
	full.Segments[0] = *s
	if f := run(t, full, Settings{Mode: Expected}).Options[0].Metrics[results.LogosEnd].Mean; f <= ex {
		t.Errorf("a short team keeps %v customers, a full one %v: the multiplier does not act", ex, f)
	}
}

// At full coverage the month-by-month engine draws what the independent
// one does for a by-tenure segment.
func TestSynchronousEngineMatchesIndependentByTenure(t *testing.T) {
	m := teamModel(40)
	m.Segments[0].Churn = byTenure(1, 0.2, 0.12, 0.08)
	ind := run(t, m, Settings{Trials: 32, Seed: 8})
	syn := run(t, m, Settings{Trials: 32, Seed: 8, check: checks{lockstep: true}})
	for _, name := range []string{results.SeriesMRR, results.SeriesLogos, results.SeriesChurnedMRR} {
		for i, p := range ind.Options[0].Series[name] {
			q := syn.Options[0].Series[name][i]
			if math.Abs(p.Mean-q.Mean) > 1e-9*math.Max(1, math.Abs(p.Mean)) {
				t.Fatalf("%s month %d: independent %v, synchronous %v", name, p.Month, p.Mean, q.Mean)
			}
		}
	}
}

// The textbook CLV of a table takes the constant churn with the same
// expected lifetime: [50 %, 10 %] lives 1 + 0.5/0.1 = 6 periods, so its
// undiscounted value is ARR × margin × 6; a table of one is the rate.
func TestTableLifetime(t *testing.T) {
	s := Segment{Churn: byTenure(1, 0.5, 0.1)}
	within(t, "lifetime of [50 %, 10 %]", tableLifetime(&s, 1), 6, 1e-12)
	within(t, "lifetime at scale 2", tableLifetime(&s, 2), 1, 1e-12) // 100 % in period 1
	s.Churn = byTenure(1, 0.25)
	within(t, "lifetime of [25 %]", tableLifetime(&s, 1), 4, 1e-12)
	s.Churn = byTenure(1, 0.2, 0)
	if l := tableLifetime(&s, 1); !math.IsInf(l, 1) {
		t.Errorf("a table ending in 0 lives %v periods, want +Inf", l)
	}
}
