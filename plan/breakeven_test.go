package plan

import (
	"context"
	"errors"
	"strings"
	"testing"

	"csplan/results"
)

// A break-even runs from Go on an example: the option is found by name or
// as the only one, inputs are labelled in words with their unit, and the
// distribution is written as the scenario writes it.
func TestBreakevenOfAnExample(t *testing.T) {
	s, set := load(t, "../scenarios/examples/cut-csms.yaml", 64)
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
