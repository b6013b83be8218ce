package plan

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"csplan/results"
)

// A break-even runs from Go on an example: the option is found by name or
// as the only one, inputs are labelled in words with their unit, and the
// distribution is written as the scenario writes it.
func TestBreakevenOfAnExample(t *testing.T) {
	s, set := load(t, "../scenarios/examples/cut-csms.yaml", 16)
	be, err := Breakeven(context.Background(), s, set, "", results.GrossProfitTotal)
	if err != nil {
		t.Fatal(err)
	}
	if be.Option != "Cut 3 CSMs in April" || be.Scenario != s.Name || be.Currency != s.Currency || len(be.Inputs) == 0 || len(be.Inputs) > BreakevenInputs {
		t.Fatalf("option %q, scenario %q, currency %q, %d inputs", be.Option, be.Scenario, be.Currency, len(be.Inputs))
	}
	labels := map[string]results.BreakevenInput{}
	for _, in := range be.Inputs {
		labels[in.Name] = in
	}
	if in, ok := labels["coverage_response.churn[0]"]; !ok || in.Label != "churn multiplier at no coverage" || in.Unit != "x" {
		t.Errorf("the churn multiplier at no coverage: %+v (present %v)", in, ok)
	}
	if in, ok := labels["segments.mid-market.churn.annual"]; ok && (in.Unit != "%" || !strings.Contains(in.Dist, "%")) {
		t.Errorf("mid-market churn: unit %q, dist %q; want a share written as the scenario writes it", in.Unit, in.Dist)
	}
}

func TestBreakevenOption(t *testing.T) {
	s, set := load(t, "../scenarios/examples/acme-company.yaml", 32)
	_, err := Breakeven(context.Background(), s, set, "", results.GrossProfitTotal)
	var se *SettingError
	if !errors.As(err, &se) || se.Setting != "option" || !strings.Contains(err.Error(), "Cut") {
		t.Errorf("no option named among several: %v", err)
	}
	_, err = Breakeven(context.Background(), s, set, "Hire 40", results.GrossProfitTotal)
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "Hire 40") {
		t.Errorf("an unknown option: %v", err)
	}
	_, err = Breakeven(context.Background(), s, set, s.Options[1].Name, "profit")
	if !errors.As(err, &se) || se.Setting != "metric" {
		t.Errorf("an unknown metric: %v", err)
	}
}

// With every input as assumed, a break-even's mean difference is the run's
// paired mean difference, to the last bit of the mean: the same trials,
// the same models (a copy of a model shares nothing it could change, its
// pools' teams included).
func TestBreakevenAsAssumedIsTheRun(t *testing.T) {
	s, set := load(t, "../scenarios/examples/cut-csms.yaml", 16)
	be, err := Breakeven(context.Background(), s, set, "", results.GrossProfitTotal)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), s, set)
	if err != nil {
		t.Fatal(err)
	}
	if want := res.Options[1].VsBaseline[results.GrossProfitTotal].MeanDiff; math.Abs(be.MeanDiff-want) > 1e-9*math.Abs(want) {
		t.Errorf("break-even as assumed %v, the run %v", be.MeanDiff, want)
	}
}

// The search stays where the scenario validates: a Gordon DCF's discount
// rate above every terminal growth (below it the terminal value has a
// pole, which would pass for a break-even), a hand-off's multipliers on
// the side of harm, a share at most 1, and at least two trials for a Monte
// Carlo error.
func TestBreakevenSearchStaysValid(t *testing.T) {
	s, set := load(t, "testdata/breakeven/gordon.yaml", 0)
	be, err := Breakeven(context.Background(), s, set, "", results.Valuation)
	if err != nil {
		t.Fatal(err)
	}
	searched := false
	for _, in := range be.Inputs {
		if in.Name == "economics.discount_rate" {
			searched = true
			if in.SearchLow <= 0.05 || (in.Found && in.Value <= 0.05) {
				t.Errorf("discount rate searched from %v, break-even %v (found %v): at or below the terminal growth of 5%%", in.SearchLow, in.Value, in.Found)
			}
		}
	}
	if !searched {
		t.Error("the discount rate was not searched")
	}
	bounds := inputBounds(s)
	if lo, hi, open := bounds("team.handoff.upsell"); lo != 0 || hi != 1 || open {
		t.Errorf("a hand-off's upsell multiplier may be searched from %v to %v (open %v); want 0 to 1", lo, hi, open)
	}
	if lo, hi, _ := bounds("team.handoff.churn"); lo != 1 || !math.IsInf(hi, 1) {
		t.Errorf("a hand-off's churn multiplier may be searched from %v to %v; want 1 up", lo, hi)
	}
	if lo, hi, _ := bounds("segments.mm.churn.annual"); lo != 0 || hi != 1 {
		t.Errorf("a churn rate may be searched from %v to %v; want 0 to 1", lo, hi)
	}
	set.Trials = 1
	var se *SettingError
	if _, err := Breakeven(context.Background(), s, set, "", results.Valuation); !errors.As(err, &se) || se.Setting != "trials" {
		t.Errorf("one trial: %v", err)
	}
}
