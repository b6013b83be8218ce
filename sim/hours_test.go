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
			OpportunityHours: OpportunityHours{Upsell: 1, Contraction: 0.5, Renewal: 4}}
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
			Meetings: []Meeting{{"monthly", 12, 1, 0}}, OpportunityHours: OpportunityHours{Upsell: perOpp}}},
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
