package report

import (
	"testing"

	"csplan/results"
)

// A difference that is exactly zero in many trials puts its mass at the top
// edge of the histogram's last bin, where interpolation spreads it below
// zero: the interval and the verdict must follow the exact shares instead.
func TestCertaintyWithTiesAtZero(t *testing.T) {
	// 55 % of trials lower, 45 % exactly equal: the 95th percentile is 0.
	ties := results.Diff{MeanDiff: -22, PWorse: 0.55, HigherIsBetter: true,
		Histogram: &results.Histogram{Edges: []float64{-100, -50, 0}, Counts: []int{30, 70}}}
	c := compare(ties, true)
	if c.hi != 0 || c.verdict != "no clear difference" {
		t.Errorf("ties at zero: interval %g to %g, verdict %q; want p95 0 and no clear difference", c.lo, c.hi, c.verdict)
	}
	// The same histogram with 99 % of trials strictly lower is a clear
	// difference, and its interval stays below zero.
	clear := ties
	clear.PWorse = 0.99
	if c := compare(clear, true); c.hi >= 0 || c.verdict != "lower" {
		t.Errorf("99 %% lower: interval %g to %g, verdict %q; want below zero and lower", c.lo, c.hi, c.verdict)
	}
	// And on the other side.
	up := results.Diff{MeanDiff: 22, PBetter: 0.6, HigherIsBetter: true,
		Histogram: &results.Histogram{Edges: []float64{0, 50, 100}, Counts: []int{70, 30}}}
	if c := compare(up, true); c.lo != 0 || c.verdict != "no clear difference" {
		t.Errorf("ties at zero above: interval %g to %g, verdict %q; want p5 0 and no clear difference", c.lo, c.hi, c.verdict)
	}
}

// A share just short of the 95 % that makes a difference clear never
// rounds up to it.
func TestShareShortOfClearKeepsADecimal(t *testing.T) {
	for p, want := range map[float64]string{0.946: "94.6", 0.9499: "94.9", 0.95: "95", 0.953: "95", 0.944: "94", 0.5: "50", 0.05: "5"} {
		if got := percentOf(p); got != want {
			t.Errorf("percentOf(%g) = %s, want %s", p, got, want)
		}
	}
	if got := shareShort(0.946); got != "94.6 %" {
		t.Errorf("shareShort(0.946) = %q", got)
	}
}

// The split is exact both ways: 96 % of trials strictly lower is clear,
// and its interval ends below zero, whatever side of zero the bin that
// holds it interpolates to; exactly 95 % is clear too, and says 95 %.
func TestCertaintyFollowsTheShares(t *testing.T) {
	d := results.Diff{MeanDiff: -5, PWorse: 0.96, PBetter: 0.04, HigherIsBetter: true,
		Histogram: &results.Histogram{Edges: []float64{-10, 20, 50}, Counts: []int{96, 4}}}
	if c := compare(d, true); c.verdict != "lower" || c.hi >= 0 {
		t.Errorf("96 %% lower: interval %g to %g, verdict %q; want below zero and lower", c.lo, c.hi, c.verdict)
	}
	d.PWorse, d.PBetter = 0.95, 0.05
	d.Histogram = &results.Histogram{Edges: []float64{-10, 20, 50}, Counts: []int{95, 5}}
	c := compare(d, true)
	if c.verdict != "lower" || c.hi > 0 || percentOf(c.lower) != "95" {
		t.Errorf("95 %% lower: interval %g to %g, verdict %q, share %s; want lower in 95", c.lo, c.hi, c.verdict, percentOf(c.lower))
	}
	// Quantiles over the split bin: with 30 of 100 trials below zero in
	// [-10, 20) and 70 above in [20, 50], the 10th percentile is at −6.67
	// (a third of the way into the ten units below zero).
	d = results.Diff{MeanDiff: 1, PWorse: 0.3, PBetter: 0.7, HigherIsBetter: true,
		Histogram: &results.Histogram{Edges: []float64{-10, 20, 50}, Counts: []int{30, 70}}}
	if v, _ := diffQuantile(d, 0.1); v > -6.66 || v < -6.67 {
		t.Errorf("10th percentile %g, want −6.67", v)
	}
}

// A valuation by ARR multiple splits into its ARR at the baseline's
// multiple and the multiple's own change: 100 at 5 × to 90 at 4.5 × is
// −$50 of ARR and −$45 of multiple.
func TestMultipleSplit(t *testing.T) {
	opt := func(arr, v float64) results.Option {
		return results.Option{Metrics: map[string]results.Summary{results.ARREnd: {Mean: arr}, results.Valuation: {Mean: v}}}
	}
	r := &results.Results{Currency: "USD", Options: []results.Option{opt(100, 500), opt(90, 405)}}
	want := " (of its −$95, −$50 is $10 less ARR at the baseline's multiple of 5.00 × and −$45 a multiple 0.50 × lower, since the multiple rises with NRR and growth)"
	if got := multipleSplit(r, r.Options[1]); got != want {
		t.Errorf("split %q,\nwant %q", got, want)
	}
}
