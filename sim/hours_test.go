package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// Each upsell or contraction opportunity and each renewal takes the CSM
// hours the touch model gives it, as often as the cadence brings it.
func TestOpportunityHours(t *testing.T) {
	seg := func(up, co Cadence, term int) Segment {
		return Segment{TermMonths: term, Meetings: []Meeting{{"monthly", 10, 1, 0}},
			Upsell:           Movement{Cadence: up, Probability: fixed(0.1), Size: dist.Const(0.1)},
			Contraction:      Movement{Cadence: co, Probability: fixed(0.05), Size: dist.Const(0.1)},
			OpportunityHours: OpportunityHours{Upsell: fixed(1), Contraction: fixed(0.5), Renewal: fixed(4)}}
	}
	for _, c := range []struct {
		s    Segment
		want float64
	}{
		{seg(Monthly, Annually, 12), 10 + 12 + 0.5 + 4},
		{seg(Quarterly, AtRenewal, 12), 10 + 4 + 0.5 + 4},
		{seg(AtRenewal, Quarterly, 24), 10 + 0.5 + 2 + 2},
		{seg(Monthly, Monthly, 1), 10 + 12 + 6 + 48},
	} {
		if got := c.s.HoursPerAccount(); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("upsell %v, contraction %v, term %d: %v hours a year, want %v", c.s.Upsell.Cadence, c.s.Contraction.Cadence, c.s.TermMonths, got, c.want)
		}
	}
	off := seg(Monthly, Monthly, 12)
	off.Upsell.Probability, off.Contraction.Probability = fixed(0), fixed(0)
	if got, want := off.HoursPerAccount(), 10.0+4; got != want {
		t.Errorf("motions that never happen take %v hours a year, want %v (the meetings and renewals)", got, want)
	}
}

// Under a team short of hours, a monthly motion that takes hours lowers
// every account's coverage against the annual one, and without those hours
// it does not.
func TestCadenceCostsCoverage(t *testing.T) {
	book := func(c Cadence, perOpp float64) Model {
		return Model{Horizon: 24, Segments: []Segment{{Name: "mm", Count: 400, ACV: dist.Const(36000), TermMonths: 12,
			Renewal: Spread, PriceIncrease: fixed(0), OnboardingSuccess: fixed(1), Churn: Churn{Rate: fixed(0.1), RateMonths: 12},
			Upsell:   Movement{Cadence: c, Probability: fixed(0.03), Size: dist.Const(0.1)},
			Meetings: []Meeting{{"monthly", 12, 1, 0}}, OpportunityHours: OpportunityHours{Upsell: fixed(perOpp)}}},
			Team: Team{CSMs: 4, HoursPerYear: 1200, Productivity: fixed(1), LoadedCost: fixed(0), HiringCost: fixed(0), Attrition: fixed(0),
				Assignment: Even},
			Response: Response{Churn: Curve{X: []float64{0, 1}, Y: []float64{2, 1}}}}
	}
	// Coverage in month 1: 400 accounts need 12 h a year each plus the
	// motion's hours; 4 CSMs give 4,800 h, shared evenly.
	coverage := func(m Model) float64 {
		r, err := Run(context.Background(), []Option{{Name: "Baseline", Model: m}}, Settings{Trials: 1, Mode: Expected}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r.Options[0].Series[results.SeriesCoverage][0].Mean // month 1
	}
	for _, c := range []struct {
		cadence Cadence
		want    float64
	}{{Annually, 4800 / (400 * 13.0)}, {Monthly, 4800 / (400 * 24.0)}} {
		if got := coverage(book(c.cadence, 1)); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%v motion taking an hour each time: coverage %v in month 1, want %v", c.cadence, got, c.want)
		}
	}
	if a, m := coverage(book(Annually, 0)), coverage(book(Monthly, 0)); a != m {
		t.Errorf("without hours per opportunity the cadence changes coverage: %v against %v", a, m)
	}
}

// A cut in a team with hours to spare hands the departed CSMs' accounts
// to others: halving the team in month 2 hands each account off with
// probability ½, and a hand-off doubles churn for 12 months, so the
// renewal in month 6 loses 20 % of the others and 40 % of those handed
// off: 700 of 1,000 stay, where the team that keeps its CSMs keeps 800.
func TestHandoffOfACutWithSlack(t *testing.T) {
	const n, trials = 1000, 300
	book := func(cut bool) Model {
		m := Model{Horizon: 8, Segments: []Segment{{Name: "book", Count: n, ACV: dist.Const(12000), TermMonths: 12,
			Renewal: AtMonth, FirstRenewalMonth: 6, PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
			Churn: Churn{Rate: fixed(0.2), RateMonths: 12}, Meetings: []Meeting{{"monthly", 12, 1, 0}}}},
			Team: Team{CSMs: 20, HoursPerYear: 1200, Productivity: fixed(1), LoadedCost: fixed(0), HiringCost: fixed(0),
				Attrition: fixed(0), Handoff: Handoff{Months: 12, Churn: fixed(2), Upsell: fixed(1)}}}
		if cut {
			m.Team.Plan = []Step{{Month: 2, CSMs: 10}} // 10 CSMs still serve 1,000 accounts' 12,000 h
		}
		return m
	}
	opts := []Option{{Name: "Baseline", Model: book(false)}, {Name: "cut", Model: book(true)}}
	exp, err := Run(context.Background(), opts, Settings{Trials: 1, Mode: Expected}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{800, 700} {
		if got := exp.Options[i].Metrics[results.LogosEnd].Mean; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s, expected mode: %.6f customers, want %v", opts[i].Name, got, want)
		}
	}
	mc, err := Run(context.Background(), opts, Settings{Trials: trials, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Each trial's survivors: a sum of n independent accounts, each
	// staying with probability ½·0.6 + ½·0.8 = 0.7.
	se := math.Sqrt(n*0.7*0.3) / math.Sqrt(trials)
	if got := mc.Options[1].Metrics[results.LogosEnd].Mean; math.Abs(got-700) > 4*se {
		t.Errorf("Monte Carlo: %.2f customers after the cut, want 700 ± %.2f (4 standard errors)", got, 4*se)
	}
	if got := mc.Options[0].Metrics[results.CoverageMean].Mean; got != 1 {
		t.Errorf("the baseline team should have hours to spare: coverage %v", got)
	}
}

// Load-driven attrition: a team with hours to spare is never overloaded,
// so its results do not depend on the load curve, bit for bit; a team
// short of hours loses more CSMs with it, so it has fewer hours (vacancies
// until the backfills arrive and ramp) and covers its accounts less.
func TestLoadRaisesAttrition(t *testing.T) {
	curve := Curve{X: []float64{1, 1.5}, Y: []float64{1, 3}}
	run := func(csms int, load bool, mode Mode) *results.Results {
		m := withTeam(csms)
		m.Team.Attrition = fixed(0.2)
		if load {
			m.Response.Attrition = curve
		}
		r, err := Run(context.Background(), []Option{{Name: "Baseline", Model: m}}, Settings{Trials: 64, Seed: 8, Mode: mode}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, _ := results.Marshal(run(80, false, MonteCarlo))
	b, _ := results.Marshal(run(80, true, MonteCarlo))
	if string(a) != string(b) {
		t.Error("a team with hours to spare gives other results with a load curve")
	}
	hours := func(r *results.Results) float64 {
		sum := 0.0
		for _, p := range r.Options[0].Series[results.SeriesHoursAvailable] {
			sum += p.Mean
		}
		return sum
	}
	for _, mode := range []Mode{Expected, MonteCarlo} {
		without, with := run(14, false, mode), run(14, true, mode)
		cw, cn := with.Options[0].Metrics[results.CoverageMean].Mean, without.Options[0].Metrics[results.CoverageMean].Mean
		if cn >= 0.9 {
			t.Fatalf("%v: the team should be short: coverage %v", mode, cn)
		}
		if hw, hn := hours(with), hours(without); !(hw < hn) || !(cw < cn) {
			t.Errorf("%v: with the load curve %.0f hours and coverage %.4f, without %.0f and %.4f", mode, hw, cw, hn, cn)
		}
	}
}

// Hours per opportunity may be uncertain: drawn once per trial (the
// coverage they leave varies between trials) and at their mean in
// expected mode.
func TestOpportunityHoursPerTrial(t *testing.T) {
	h, _ := dist.NewUniform(0.5, 1.5)
	m := Model{Horizon: 12, Segments: []Segment{{Name: "mm", Count: 400, ACV: dist.Const(36000), TermMonths: 12,
		Renewal: Spread, PriceIncrease: fixed(0), OnboardingSuccess: fixed(1), Churn: Churn{Rate: fixed(0.1), RateMonths: 12},
		Upsell:   Movement{Cadence: Monthly, Probability: fixed(0.03), Size: dist.Const(0.1)},
		Meetings: []Meeting{{"monthly", 12, 1, 0}}, OpportunityHours: OpportunityHours{Upsell: Assumption{"segments.mm.touch.per_opportunity.upsell", h}}}},
		Team: Team{CSMs: 4, HoursPerYear: 1200, Productivity: fixed(1), LoadedCost: fixed(0), HiringCost: fixed(0), Attrition: fixed(0),
			Assignment: Even}}
	opts := []Option{{Name: "Baseline", Model: m}}
	exp, err := Run(context.Background(), opts, Settings{Trials: 1, Mode: Expected}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// At the mean, an hour per monthly opportunity: 4,800 h for 400 × 24.
	if got := exp.Options[0].Series[results.SeriesCoverage][0].Mean; math.Abs(got-0.5) > 1e-12 {
		t.Errorf("expected mode: coverage %v in month 1, want 0.5", got)
	}
	mc, err := Run(context.Background(), opts, Settings{Trials: 50, Seed: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := mc.Options[0].Series[results.SeriesCoverage][0]
	// Coverage 4,800 / (400 × (12 + 12 h)): from 0.667 at h = 0.5 to 0.4.
	if first.P95-first.P5 < 0.1 {
		t.Errorf("month-1 coverage spans %v to %v over the trials: the hours are not drawn per trial", first.P5, first.P95)
	}
}
