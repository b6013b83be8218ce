package sim

// Review 2: defects a hostile review found in the rules added on
// 2026-12-07 (coverage memory, uncertain response curves, cadence hours,
// hand-offs, load-driven attrition, break-even), each with the test that
// failed while it was there. All are fixed; the break-even's search bounds
// for a Gordon DCF are tested in package plan, which knows the scenario's
// rules (TestBreakevenSearchStaysValid).

import (
	"context"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// review2Short is one served segment (600 accounts, 72 h a year each) and
// a team of csms CSMs at 1,200 productive hours a year each, short of the
// hours the book needs, with the default load curve for attrition.
func review2Short(csms int, attrition float64) Model {
	return Model{Horizon: 24, Segments: []Segment{{Name: "book", Count: 600, ACV: dist.Const(12000), TermMonths: 12,
		Renewal: Spread, PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
		Churn:    Churn{Rate: fixed(0.2), RateMonths: 12},
		Meetings: []Meeting{{"monthly", 12, 3, 3}}}},
		Team: Team{CSMs: csms, HoursPerYear: 1200, Productivity: fixed(1), LoadedCost: fixed(60000),
			HiringCost: fixed(0), Attrition: fixed(attrition), HiringLagMonths: 3, RampMonths: 3},
		Economics: Economics{GrossMarginExCS: fixed(0.8)},
		Response: Response{Churn: Curve{X: []float64{0, 1}, Y: []float64{2, 1}}, MemoryMonths: 12,
			Attrition: Curve{X: []float64{1, 1.5}, Y: []float64{1, 2}}},
	}
}

// TestReview2ServedReuseIgnoresLoadAttrition: served-book reuse
// (reuse.go, simulateServed) keys a run by the team's planned hours, the
// served segments' inputs, the assignment and the response curves, and
// keeps any run whose team was not "overloaded". A team with attrition 0
// is never marked overloaded (teamPath.month sets overloaded only when
// rate > 0), so its run is kept even though its load was above 1. An
// option with attrition above 0 whose base-rate path happens to have no
// departures in a trial has the same planned hours and the same segment
// keys (no departures: no hand-off key), so it is handed the attrition-0
// book, although load-driven attrition would have taken CSMs from it
// (the same uniforms against twice the rate). A sweep over team.attrition
// that includes 0% meets this. Results of an option must not depend on
// which other options ran beside it. Fixed: a run whose team's load may
// raise its attrition (w.loadAttrition) is neither kept nor looked up.
func TestReview2ServedReuseIgnoresLoadAttrition(t *testing.T) {
	zero, some := review2Short(20, 0), review2Short(20, 0.1)
	s := Settings{Trials: 200, Seed: 3}
	both, err := Run(context.Background(), []Option{{Name: "Baseline", Model: zero}, {Name: "attrition", Model: some}}, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	alone, err := Run(context.Background(), []Option{{Name: "attrition", Model: some}}, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{results.ARREnd, results.CSCostTotal} {
		a, b := both.Options[1].Metrics[k].Mean, alone.Options[0].Metrics[k].Mean
		if a != b {
			t.Errorf("%s of the option with 10%% attrition: %.2f run beside an attrition-0 option, %.2f run alone", k, a, b)
		}
	}
}

// TestReview2BreakevenCapsHandoffUpsellAtOne: searchRange treats any input
// whose distribution lies within [0, 1] as a share and never searches it
// above 1. team.handoff.upsell is a multiplier, not a share: its default
// pert(0.5, 0.8, 1.0) lies in [0, 1], but the scenario rules accept values
// above 1 (team.handoff.upsell: 3 validates, and the engine reads it as
// upsell raised by a new CSM), so the search should run to 1.0 plus the
// width (1.5) as for any other multiplier; capped at 1, a break-even above
// 1 is reported "nowhere searched". Fixed: the bounds come from the
// scenario's kinds (plan passes them); without them only 0 bounds an input
// whose distribution is not negative.
func TestReview2BreakevenCapsHandoffUpsellAtOne(t *testing.T) {
	d, err := dist.NewPERT(0.5, 0.8, 1.0)
	if err != nil {
		t.Fatal(err)
	}
	m := review2Short(20, 0.1)
	m.Team.Handoff = Handoff{Months: 3, Churn: fixed(1.2), Upsell: Assumption{"team.handoff.upsell", d}}
	_, hi := searchRange(&m, &m.Team.Handoff.Upsell, nil)
	if hi <= 1 {
		t.Errorf("the hand-off upsell multiplier is searched up to %.3g only; as a multiplier it can exceed 1 (its 99th percentile plus its width is about %.3g)",
			hi, d.Quantile(0.99)+(d.Quantile(0.99)-d.Quantile(0.01)))
	}
}

// TestReview2BreakevenOneTrialClaimsNoError: with one trial the paired
// mean difference has no standard error (the standard deviation of one
// value is undefined), but pairedDiffs reports SE 0 and root then gives
// the break-even "± 0": csplan breakeven --trials 1 prints "below 13.4%
// (± 0.0 pp)", an exact answer from one trial, with no warning (csplan run
// warns below 100 trials). Fixed: Breakeven refuses fewer than 2 trials.
func TestReview2BreakevenOneTrialClaimsNoError(t *testing.T) {
	y, _ := dist.NewUniform(1, 3)
	base, opt := cutAll(10, y), cutAll(0, y)
	be, err := Breakeven(context.Background(), base, opt, Settings{Trials: 1, Seed: 4}, results.GrossProfitTotal, 5, nil, nil)
	if err != nil {
		return // refused: fine
	}
	for _, in := range be.Inputs {
		if in.Found && in.SE == 0 {
			t.Errorf("%s: break-even %.4g ± 0 from a single trial; its Monte Carlo error is unknown, not 0", in.Name, in.Value)
		}
	}
}
