package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// A price increase comes once a year, whatever the term: a 5 % increase on
// monthly contracts raises ARR by 5 % a year (NRR 105 % with no churn), not
// 5 % a month; every 6 months on 3-month terms when asked. Exact in
// expected mode; in Monte Carlo, with no churn, every trial is exact too,
// through the segment calendars and booked event by event alike.
func TestPriceIncreaseOnceAYear(t *testing.T) {
	for _, c := range []struct {
		term, every int
		want        float64 // ARR growth over 24 months
	}{{1, 0, 1.05 * 1.05}, {12, 0, 1.05 * 1.05}, {3, 6, math.Pow(1.05, 4)}, {24, 0, 1.05}} {
		m := Model{Horizon: 24, Segments: []Segment{{Name: "book", Count: 120, ACV: dist.Const(12000), TermMonths: c.term,
			Renewal: Spread, PriceIncrease: fixed(0.05), PriceEveryMonths: c.every, OnboardingSuccess: fixed(1),
			Churn: Churn{Rate: fixed(0), RateMonths: 12}}}}
		if c.term == 1 {
			m.Segments[0].Churn.Timing = Hazard
		}
		opts := []Option{{Name: "Baseline", Model: m}}
		for _, s := range []Settings{{Trials: 1, Mode: Expected}, {Trials: 4, Seed: 1}, {Trials: 4, Seed: 1, check: checks{pathBooking: true}}} {
			r, err := Run(context.Background(), opts, s, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := r.Options[0].Metrics[results.ARREnd].Mean / (120 * 12000)
			if math.Abs(got-c.want) > 1e-12 {
				t.Errorf("term %d, every %d (%v, path booking %v): ARR grew ×%.6f, want ×%.6f", c.term, c.every, s.Mode, s.check.pathBooking, got, c.want)
			}
			if c.term == 1 {
				if nrr := r.Options[0].Metrics[results.NRR12m].Mean; math.Abs(nrr-1.05) > 1e-12 {
					t.Errorf("monthly contracts (%v): NRR %.6f over the last 12 months, want 1.05", s.Mode, nrr)
				}
			}
		}
	}
}
