package plan

import (
	"context"
	"math"
	"slices"
	"testing"

	"csplan/results"
	"csplan/shard"
	"csplan/sim"
)

// paired counts the trials in which the first point is strictly better,
// trial by trial (not by comparing means), in the metric's direction.
func TestPaired(t *testing.T) {
	a := []float64{5, 1, 3, 3}
	b := []float64{4, 2, 1, 3} // a wins trials 0 and 2, loses 1, ties 3
	if share, diff := paired(a, b, true); share != 0.5 || diff != 0.5 {
		t.Errorf("higher is better: share %v, mean diff %v; want 0.5, 0.5", share, diff)
	}
	if share, _ := paired(a, b, false); share != 0.25 {
		t.Errorf("lower is better: share %v, want 0.25", share)
	}
	// Same means, yet a beats b in 3 trials of 4: the share is paired.
	if share, diff := paired([]float64{1, 1, 1, -3}, []float64{0, 0, 0, 0}, true); share != 0.75 || diff != 0 {
		t.Errorf("paired share %v, mean diff %v; want 0.75, 0", share, diff)
	}
}

// A point's neighbours are one value up or down one axis.
func TestNeighbours(t *testing.T) {
	one := &Grid{axes: []Axis{{Values: []string{"1", "2", "3"}}}}
	two := &Grid{axes: []Axis{{Values: []string{"1", "2", "3"}}, {Values: []string{"a", "b"}}}} // point = x*2 + y
	for _, tc := range []struct {
		g    *Grid
		i    int
		want []int
	}{
		{one, 0, []int{1}}, {one, 1, []int{0, 2}}, {one, 2, []int{1}},
		{two, 0, []int{1, 2}}, {two, 3, []int{1, 2, 5}}, {two, 5, []int{3, 4}},
	} {
		if got := tc.g.neighbours(tc.i); !slices.Equal(got, tc.want) {
			t.Errorf("%d axes, point %d: %v, want %v", len(tc.g.axes), tc.i, got, tc.want)
		}
	}
	if got := two.withNeighbours(2, 4); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("withNeighbours(2, 4) = %v", got)
	}
}

// A best point at the first or last value of a numeric parameter is an
// edge, with the way to extend the range; inside the grid, or for words,
// it is none.
func TestMarkBestEdges(t *testing.T) {
	sweep := func(metric string, means []float64, values ...string) *results.Sweep {
		sw := &results.Sweep{Metric: metric, Parameters: []string{"team.csms"}}
		for i, m := range means {
			sw.Points = append(sw.Points, results.SweepPoint{Values: []string{values[i]}, Metrics: map[string]results.Summary{metric: {Mean: m}}})
		}
		return sw
	}
	for _, tc := range []struct {
		sw   *results.Sweep
		want []results.SweepEdge
	}{
		{sweep(results.GrossProfitTotal, []float64{1, 2, 3}, "4", "6", "8"), []results.SweepEdge{{Parameter: "team.csms", Value: "8", Extend: "above"}}},
		{sweep(results.GrossProfitTotal, []float64{3, 2, 1}, "4", "6", "8"), []results.SweepEdge{{Parameter: "team.csms", Value: "4", Extend: "below"}}},
		{sweep(results.GrossProfitTotal, []float64{3, 2, 1}, "8", "6", "4"), []results.SweepEdge{{Parameter: "team.csms", Value: "8", Extend: "above"}}},
		{sweep(results.CSCostTotal, []float64{3, 2, 1}, "4", "6", "8"), []results.SweepEdge{{Parameter: "team.csms", Value: "8", Extend: "above"}}},
		{sweep(results.GrossProfitTotal, []float64{1, 3, 2}, "4", "6", "8"), nil},
		{sweep(results.GrossProfitTotal, []float64{1, 2}, "even", "priority"), nil},
		{sweep(results.GrossProfitTotal, []float64{1}, "4"), nil},
	} {
		markBest(tc.sw)
		if !slices.Equal(tc.sw.Edges, tc.want) {
			t.Errorf("%s %v: edges %v, want %v", tc.sw.Metric, tc.sw.Points, tc.sw.Edges, tc.want)
		}
	}
}

// A sweep carries today's value of its input, each point its paired
// comparison with its neighbours over the same trials, and an edge when
// the grid stops at the best point; its metric is gross profit unless
// asked.
func TestSweepBeatsTodayAndEdge(t *testing.T) {
	s, set := load(t, "../testdata/sweep/optimum.yaml", 0)
	axes, err := ParseAxes("team.csms=6..10")
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGrid(s, axes...)
	if err != nil {
		t.Fatal(err)
	}
	out, err := g.Do(context.Background(), set, "", shard.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	sw := out.Sweep
	if sw.Metric != results.GrossProfitTotal || SweepMetric != results.GrossProfitTotal {
		t.Errorf("default metric %s", sw.Metric)
	}
	if !slices.Equal(sw.Today, []string{"10"}) || !slices.Equal(sw.TodayNumbers, []float64{10}) {
		t.Errorf("today %v %v, want 10", sw.Today, sw.TodayNumbers)
	}
	best := sw.Points[sw.Best]
	if best.Values[0] != "10" || !slices.Equal(sw.Edges, []results.SweepEdge{{Parameter: "team.csms", Value: "10", Extend: "above"}}) {
		t.Errorf("best %v, edges %v; want 10 at the upper edge", best.Values, sw.Edges)
	}
	// The best has one neighbour, 9; the share is that of the paired
	// trials, and both ways it leaves the ties out.
	if len(best.Beats) != 1 || best.Beats[0].Values[0] != "9" {
		t.Fatalf("beats of the best: %+v", best.Beats)
	}
	nine := sw.Points[sw.Best-1]
	back := nine.Beats[slices.IndexFunc(nine.Beats, func(b results.SweepBeat) bool { return b.Values[0] == "10" })]
	if b := best.Beats[0]; b.Share < 0.5 || b.Share+back.Share > 1 || math.Abs(b.MeanDiff+back.MeanDiff) > 1e-6*math.Abs(b.MeanDiff) {
		t.Errorf("10 beats 9 in %v of trials (9 beats 10 in %v), mean diffs %v and %v", b.Share, back.Share, b.MeanDiff, back.MeanDiff)
	}
	if d := best.Metrics[sw.Metric].Mean - nine.Metrics[sw.Metric].Mean; math.Abs(d-best.Beats[0].MeanDiff) > 1e-6*math.Abs(d) {
		t.Errorf("paired mean diff %v, difference of means %v", best.Beats[0].MeanDiff, d)
	}
	// In expected mode one path decides: a share of 0 or 1.
	set.Mode = sim.Expected
	out, err = g.Do(context.Background(), set, "", shard.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	if b := out.Sweep.Points[out.Sweep.Best].Beats[0]; b.Share != 1 {
		t.Errorf("expected mode: the best beats 9 in a share %v of its one path", b.Share)
	}
}
