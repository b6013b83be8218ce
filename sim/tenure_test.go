package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// A book that has survived churns less (Fader and Hardie 2007): under sBG
// an account that has survived t − 1 periods stays through period t with
// probability r(t) = (β + t − 1)/(α + β + t − 1). 1,000 accounts of the F1
// fit (α 0.704, β 1.182) that have been customers for five years all renew
// in month 1 and 13, their fifth and sixth renewals (they renewed in months
// 13, 25, 37 and 49 of their lives, and month 1 of the run is their 61st):
// the customers at month 24 are 1,000·r(5)·r(6), exact in
// expected mode, the Monte Carlo mean within 4 standard errors, and far
// above a book taken as new (1,000·r(1)·r(2)).
func TestTenuredBookChurnsLess(t *testing.T) {
	const n, alpha, beta = 1000, 0.704, 1.182
	r := func(t float64) float64 { return (beta + t - 1) / (alpha + beta + t - 1) }
	book := func(tenure int) Model {
		m := Model{Horizon: 24, Segments: []Segment{{Name: "book", Count: n, ACV: dist.Const(12000), TermMonths: 12,
			Renewal: AtMonth, FirstRenewalMonth: 1, TenureMonths: tenure, PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
			Churn: Churn{SBG: &SBG{Alpha: fixed(alpha), Beta: fixed(beta)}}}}}
		return m
	}
	for _, c := range []struct {
		tenure int
		want   float64
	}{{60, n * r(5) * r(6)}, {0, n * r(1) * r(2)}} {
		opts := []Option{{Name: "Baseline", Model: book(c.tenure)}}
		exp, err := Run(context.Background(), opts, Settings{Trials: 1, Mode: Expected}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := exp.Options[0].Metrics[results.LogosEnd].Mean; math.Abs(got-c.want) > 1e-9 {
			t.Errorf("tenure %d months, expected mode: %.6f customers, want %.6f", c.tenure, got, c.want)
		}
		const trials = 200
		mc, err := Run(context.Background(), opts, Settings{Trials: trials, Seed: 6}, nil)
		if err != nil {
			t.Fatal(err)
		}
		p := c.want / n
		se := math.Sqrt(n*p*(1-p)) / math.Sqrt(trials)
		if got := mc.Options[0].Metrics[results.LogosEnd].Mean; math.Abs(got-c.want) > 4*se {
			t.Errorf("tenure %d months, Monte Carlo: %.2f customers, want %.2f ± %.2f (4 standard errors)", c.tenure, got, c.want, 4*se)
		}
	}
}
