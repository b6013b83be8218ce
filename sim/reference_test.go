package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// Reference cases from ../shared/reference/README.md (white paper "The Rise
// of Customer Success as a Profit Center" and Fader & Hardie 2007).

func fixed(v float64) Assumption { return Fixed("x", v) }

// book of n accounts at the given ACV on term-month contracts that start in
// month 1 (first renewal at 1 + term), with churn and an upsell motion.
func simpleModel(n int, acv float64, term int, churn Churn, up Movement, horizon int) Model {
	return Model{Horizon: horizon, Segments: []Segment{{
		Name: "book", Count: n, ACV: dist.Const(acv), TermMonths: term,
		Renewal: AtMonth, FirstRenewalMonth: 1 + term,
		PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
		Churn: churn, Upsell: up, Contraction: Movement{Probability: fixed(0)}, Digital: true,
	}}}
}

func run(t *testing.T, m Model, s Settings) *results.Results {
	t.Helper()
	r, err := Run(context.Background(), []Option{{Name: "Baseline", Model: m}}, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func within(t *testing.T, what string, have, want, tol float64) {
	t.Helper()
	if math.Abs(have-want) > tol {
		t.Errorf("%s = %.4f, want %.4f ± %.4f (off by %.4f)", what, have, want, tol, have-want)
	}
}

func TestW1AnnualUpsell(t *testing.T) {
	m := simpleModel(1, 100000, 12, Churn{Rate: fixed(0), RateMonths: 12},
		Movement{Cadence: AtRenewal, Probability: fixed(1), Size: dist.Const(0.06)}, 36)
	r := run(t, m, Settings{Mode: Expected})
	within(t, "W1 revenue", r.Options[0].Metrics["revenue_total"].Mean, 318360.00, 0.01)
	// Monte Carlo has no randomness here: every draw is certain.
	r = run(t, m, Settings{Trials: 10, Seed: 1})
	within(t, "W1 revenue (Monte Carlo)", r.Options[0].Metrics["revenue_total"].Mean, 318360.00, 0.01)
}

func w2(monthly bool) Model {
	if monthly {
		return simpleModel(70, 36000, 1, Churn{Timing: Hazard, Rate: fixed(0.02), RateMonths: 1},
			Movement{Cadence: Monthly, Probability: fixed(1), Size: dist.Const(0.04)}, 36)
	}
	return simpleModel(70, 36000, 12, Churn{Rate: fixed(0.02), RateMonths: 12},
		Movement{Cadence: AtRenewal, Probability: fixed(1), Size: dist.Const(0.04)}, 36)
}

func TestW2Expected(t *testing.T) {
	a := simpleModel(70, 36000, 12, Churn{Rate: fixed(0), RateMonths: 12}, Movement{Probability: fixed(0)}, 36)
	for _, c := range []struct {
		name string
		m    Model
		net  NetRate
		want float64
	}{
		{"a no upsell no churn", a, Multiplicative, 7560000.00},
		{"b annual, additive (paper)", w2(false), Additive, 7712208.00},
		{"c monthly, additive (paper)", w2(true), Additive, 10918817.11},
		{"b annual, multiplicative", w2(false), Multiplicative, 7706080.97},
		{"c monthly, multiplicative", w2(true), Multiplicative, 10752372.83},
	} {
		r := run(t, c.m, Settings{Mode: Expected, NetRate: c.net})
		within(t, "W2 "+c.name, r.Options[0].Metrics["revenue_total"].Mean, c.want, 0.01)
	}
}

// The Monte Carlo mean of the account-level model must agree with its
// expectation within 3 standard errors.
func TestW2MonteCarloAgreesWithExpected(t *testing.T) {
	for _, monthly := range []bool{false, true} {
		m := w2(monthly)
		e := run(t, m, Settings{Mode: Expected}).Options[0].Metrics
		mc := run(t, m, Settings{Trials: 2000, Seed: 7}).Options[0].Metrics
		for _, name := range []string{"revenue_total", "arr_end", "logos_end"} {
			within(t, name, mc[name].Mean, e[name].Mean, 3*mc[name].SE)
		}
	}
}

// F1: given α = 0.704, β = 1.182 the engine reproduces the sBG survival
// curve: exactly in expected mode, within 3 standard errors by simulation.
func TestF1SurvivalCurve(t *testing.T) {
	const alpha, beta = 0.704, 1.182
	m := simpleModel(1000, 12000, 12, Churn{SBG: &SBG{Alpha: fixed(alpha), Beta: fixed(beta)}, RateMonths: 12},
		Movement{Probability: fixed(0)}, 13*12)
	want := make([]float64, 13)
	s := 1.0
	want[0] = 1000
	for year := 1; year <= 12; year++ {
		s *= (beta + float64(year) - 1) / (alpha + beta + float64(year) - 1)
		want[year] = 1000 * s
	}
	// Projected survivors for years 8..12 published with the fit.
	for year, pub := range map[int]float64{8: 220.1, 9: 204.4, 10: 191.2, 11: 179.9, 12: 170.0} {
		within(t, "published survivors", want[year], pub, 0.1) // α, β are published to 3 decimals
	}
	e := run(t, m, Settings{Mode: Expected}).Options[0].Series["logos"]
	mc := run(t, m, Settings{Trials: 400, Seed: 3}).Options[0]
	for year := 1; year <= 12; year++ {
		// Survivors at the start of year+1 are the logos after the renewal
		// in month 12·year + 1.
		mo := 12*year + 1
		within(t, "expected survivors", e[mo].Mean, want[year], 1e-6)
		// Survivors of 1,000 accounts with per-account θ: the trial sd is
		// known only from the simulation, so use the observed sd.
		p := want[year] / 1000
		se := math.Sqrt(1000*p*(1-p)) / math.Sqrt(400)
		within(t, "simulated survivors", mc.Series["logos"][mo].Mean, want[year], 3*se)
	}
}
