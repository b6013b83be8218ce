package sim

import (
	"context"
	"testing"

	"csplan/sim/dist"
)

// A book whose ARR is moved most by churn (10 % ± 5 % a year over three
// renewals), less by the price increase (2 % to 3 %), and not at all by
// the cost to serve: the tornado must rank them so, with swings of the
// right sign and a variance share that follows.
func TestSensitivityRanksInputs(t *testing.T) {
	churn, _ := dist.NewBeta(0.10, 0.05)
	price, _ := dist.NewUniform(0.02, 0.03)
	cts, _ := dist.NewUniform(0.01, 0.2)
	m := simpleModel(300, 24000, 12, Churn{Rate: Assumption{"churn", churn}, RateMonths: 12}, Movement{Probability: fixed(0)}, 48)
	m.Segments[0].Renewal = Spread
	m.Segments[0].PriceIncrease = Assumption{"price", price}
	m.Economics = Economics{GrossMarginExCS: fixed(0.8), CostToServe: Assumption{"cost to serve", cts}, CAC: fixed(1),
		ExpansionCostRatio: fixed(0), UpsellCostRatio: fixed(0), DiscountRate: fixed(0.1)}
	s, err := Sensitivity(context.Background(), m, Settings{Trials: 300, Seed: 3}, "arr_end", nil)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, in := range s.Inputs {
		order = append(order, in.Name)
	}
	if len(order) != 3 || order[0] != "churn" || order[1] != "price" || order[2] != "cost to serve" {
		t.Fatalf("tornado order %v, want churn, price, cost to serve", order)
	}
	c, p, z := s.Inputs[0], s.Inputs[1], s.Inputs[2]
	if c.High >= c.Low || p.High <= p.Low {
		t.Errorf("more churn must lower ARR and a higher price raise it: %+v %+v", c, p)
	}
	if z.Swing != 0 {
		t.Errorf("cost to serve does not move ARR, swing %v", z.Swing)
	}
	if c.RankCorrelation > -0.8 || c.VarianceShare < 0.8 {
		t.Errorf("churn should dominate the variance: %+v", c)
	}
}
