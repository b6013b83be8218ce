package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// Upsell that CSMs work on is paid by their salaries (CS cost): CUC is
// charged on it only with UpsellCostOnTop; upsell in a segment no team
// serves is charged either way. The difference in contribution is CUC ×
// 12 × the served segment's upsell MRR, exactly in expected mode, and in
// each Monte Carlo trial (so in the mean).
func TestUpsellCostInSalaries(t *testing.T) {
	model := func(onTop bool) Model {
		m := teamModel(40)                     // hours to spare: every account covered
		m.Segments[0].PriceIncrease = fixed(0) // its expansion is its upsell
		m.Segments = append(m.Segments, Segment{Name: "digital", Count: 300, ACV: dist.Const(6000), TermMonths: 12, Renewal: Spread,
			PriceIncrease: fixed(0.03), OnboardingSuccess: fixed(1), Churn: Churn{Rate: fixed(0.1), RateMonths: 12},
			Upsell: Movement{Cadence: Quarterly, Probability: fixed(0.1), Size: dist.Const(0.1)}, Digital: true})
		m.Economics = Economics{GrossMarginExCS: fixed(0.8), UpsellCostRatio: fixed(0.28), ExpansionCostRatio: fixed(0.13), UpsellCostOnTop: onTop}
		return m
	}
	// The served segment's upsell MRR alone: the same model with no
	// digital segment.
	servedUpsell := func(s Settings) float64 {
		m := model(false)
		m.Segments = m.Segments[:1]
		r, err := Run(context.Background(), []Option{{Name: "Baseline", Model: m}}, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for _, p := range r.Options[0].Series[results.SeriesExpansionMRR] {
			sum += p.Mean
		}
		return sum
	}
	for _, s := range []Settings{{Trials: 1, Mode: Expected}, {Trials: 32, Seed: 2}} {
		r, err := Run(context.Background(), []Option{{Name: "Baseline", Model: model(false)}, {Name: "on top", Model: model(true)}}, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := -r.Options[1].VsBaseline[results.ContributionTotal].MeanDiff
		want := 12 * 0.28 * servedUpsell(s)
		if want <= 0 || math.Abs(got-want) > 1e-6*want {
			t.Errorf("%v: on top costs %.2f more contribution, want %.2f (CUC × 12 × the served segment's upsell)", s.Mode, got, want)
		}
	}
}
