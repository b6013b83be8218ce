package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// A failed onboarding on an annual contract: by default the account pays
// the term it signed and does not renew (it churns at its first renewal);
// with OnboardingStopNow it stops when onboarding ends. Ten new logos a
// month for 24 months, $1,000 of MRR each, no other churn, 80 % onboarding
// success over 2 months: the expected revenue and customers follow in
// closed form, and the Monte Carlo mean within 4 standard errors.
func TestFailedOnboardingPaysItsTerm(t *testing.T) {
	const h, perMonth, mrr, success = 24, 10, 1000.0, 0.8
	book := func(stopNow bool) Model {
		return Model{Horizon: h, Segments: []Segment{{Name: "new", Count: 0, ACV: dist.Const(12 * mrr), TermMonths: 12,
			Renewal: Spread, PriceIncrease: fixed(0), OnboardingSuccess: fixed(success), OnboardingMonths: 2, OnboardingStopNow: stopNow,
			Churn:       Churn{Rate: fixed(0), RateMonths: 12},
			Acquisition: Acquisition{PerMonth: fixed(perMonth), Arrivals: Deterministic}}}}
	}
	for _, stopNow := range []bool{false, true} {
		// A logo joining in month j pays from j; a failed one churns in
		// j + 12 (its renewal) or j + 2 (onboarding's end).
		failAt := func(j int) int {
			if stopNow {
				return j + 2
			}
			return j + 12
		}
		revenue, logos := 0.0, 0.0
		for j := 1; j <= h; j++ {
			paid := float64(min(h, failAt(j)-1) - j + 1)
			revenue += perMonth * mrr * (success*float64(h-j+1) + (1-success)*paid)
			logos += perMonth * success
			if failAt(j) > h {
				logos += perMonth * (1 - success)
			}
		}
		opts := []Option{{Name: "Baseline", Model: book(stopNow)}}
		exp, err := Run(context.Background(), opts, Settings{Trials: 1, Mode: Expected}, nil)
		if err != nil {
			t.Fatal(err)
		}
		m := exp.Options[0].Metrics
		if got := m[results.RevenueTotal].Mean; math.Abs(got-revenue) > 0.01 {
			t.Errorf("stop now %v, expected mode: revenue %.2f, want %.2f", stopNow, got, revenue)
		}
		if got := m[results.LogosEnd].Mean; math.Abs(got-logos) > 1e-9 {
			t.Errorf("stop now %v, expected mode: %v customers, want %v", stopNow, got, logos)
		}
		const trials = 300
		mc, err := Run(context.Background(), opts, Settings{Trials: trials, Seed: 4}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Customers at the horizon: a binomial number of the failures that
		// churned by then stays away.
		churnable := 0
		for j := 1; j <= h; j++ {
			if failAt(j) <= h {
				churnable += perMonth
			}
		}
		se := math.Sqrt(float64(churnable)*success*(1-success)) / math.Sqrt(trials)
		if got := mc.Options[0].Metrics[results.LogosEnd].Mean; math.Abs(got-logos) > 4*se {
			t.Errorf("stop now %v, Monte Carlo: %.2f customers, want %.2f ± %.2f (4 standard errors)", stopNow, got, logos, 4*se)
		}
	}
}
