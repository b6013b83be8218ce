package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// cutAll is a book served by a team with hours to spare, and the option of
// no CSM at all: CS cost saved against the churn the uncovered accounts
// add, which depends on the uncertain churn multiplier at no coverage.
func cutAll(csms int, y dist.Dist) Model {
	m := Model{Horizon: 24, Segments: []Segment{{Name: "book", Count: 500, ACV: dist.Const(12000), TermMonths: 12,
		Renewal: Spread, PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
		Churn:    Churn{Rate: fixed(0.2), RateMonths: 12},
		Meetings: []Meeting{{"monthly", 12, 1, 0}}}},
		Team: Team{CSMs: csms, HoursPerYear: 1200, Productivity: fixed(1), LoadedCost: fixed(60000),
			HiringCost: fixed(0), Attrition: fixed(0)},
		Economics: Economics{GrossMarginExCS: fixed(0.8)},
		Response: Response{Churn: Curve{X: []float64{0, 1}, Y: []float64{2, 1}},
			Uncertain: []UncertainPoint{{Curve: ChurnResponse, Y: Assumption{"coverage_response.churn[0]", y}}}},
	}
	return m
}

// The break-even of the multiplier is where the expected path's gross
// profit difference is zero (found by bisection in expected mode, where it
// is exact): the Monte Carlo break-even must lie within 4 of its standard
// errors of it, and the cut pays only below it.
func TestBreakevenMatchesExpectedRoot(t *testing.T) {
	y, _ := dist.NewUniform(1, 3)
	base, opt := cutAll(10, y), cutAll(0, y)
	diff := func(v float64) float64 {
		b, o := cutAll(10, dist.Const(v)), cutAll(0, dist.Const(v))
		r, err := Run(context.Background(), []Option{{Name: "Baseline", Model: b}, {Name: "cut", Model: o}}, Settings{Trials: 1, Mode: Expected}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r.Options[1].Metrics[results.GrossProfitTotal].Mean - r.Options[0].Metrics[results.GrossProfitTotal].Mean
	}
	lo, hi := 1.0, 3.0
	if diff(lo) <= 0 || diff(hi) >= 0 {
		t.Fatalf("the case does not cross zero: %.0f at %g, %.0f at %g", diff(lo), lo, diff(hi), hi)
	}
	for range 50 {
		mid := (lo + hi) / 2
		if diff(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	want := (lo + hi) / 2
	be, err := Breakeven(context.Background(), base, opt, Settings{Trials: 400, Seed: 4}, results.GrossProfitTotal, 5, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(be.Inputs) != 1 {
		t.Fatalf("%d inputs, want the one uncertain multiplier", len(be.Inputs))
	}
	in := be.Inputs[0]
	if !in.Found || math.Abs(in.Value-want) > 4*in.SE || in.SE <= 0 {
		t.Fatalf("break-even %v ± %v (found %v), want %v within 4 standard errors", in.Value, in.SE, in.Found, want)
	}
	if in.Pays != "below" {
		t.Errorf("the cut pays %s the break-even; it pays only below it (less churn harm)", in.Pays)
	}
	if in.SearchLow != 1 {
		t.Errorf("search from %v; a churn multiplier at no coverage cannot be below the next point's 1", in.SearchLow)
	}
	for i := 1; i < len(in.Curve); i++ {
		if in.Curve[i].Value <= in.Curve[i-1].Value {
			t.Fatalf("the curve is not in increasing order of value: %v", in.Curve)
		}
	}
}

// An input the option changes has no break-even of its own, and without
// shared uncertain inputs there is nothing to find.
func TestBreakevenSharedInputsOnly(t *testing.T) {
	y, _ := dist.NewUniform(1, 3)
	other, _ := dist.NewUniform(1.5, 2.5)
	_, err := Breakeven(context.Background(), cutAll(10, y), cutAll(0, other), Settings{Trials: 64, Seed: 1}, results.GrossProfitTotal, 5, nil, nil)
	if err == nil {
		t.Fatal("no error when the option changes the only uncertain input")
	}
}
