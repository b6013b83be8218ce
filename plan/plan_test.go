package plan

import (
	"bytes"
	"context"
	"testing"

	"csplan/results"
	"csplan/scenarios"
	"csplan/shard"
	"csplan/sim"
)

// load reads a scenario of the repository and its settings, with trials
// unless 0.
func load(t *testing.T, path string, trials int) (*scenarios.Scenario, Settings) {
	t.Helper()
	s, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	set := Settings{Settings: s.Settings, Version: "test"}
	if trials > 0 {
		set.Trials = trials
	}
	return s, set
}

// A sweep runs from Go, without the command line, and finds the headcount
// optimum known by construction (testdata/sweep/optimum.yaml explains why
// it is 10).
func TestSweepFindsKnownOptimum(t *testing.T) {
	s, set := load(t, "../testdata/sweep/optimum.yaml", 0)
	ax, err := NewAxis("team.csms", "6..14")
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGrid(s, ax)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := Sweep(context.Background(), g, set, results.GrossProfitTotal)
	if err != nil {
		t.Fatal(err)
	}
	if len(sw.Points) != 9 || sw.Points[sw.Best].Values[0] != "10" || sw.Points[sw.Best].Numbers[0] != 10 {
		t.Errorf("%d points, best %v", len(sw.Points), sw.Points[sw.Best])
	}
}

// The parts of a run and of a two-input sweep, each shard run on its own,
// merge into what the unsharded job returns, to the last bit.
func TestMergeIsTheUnshardedJob(t *testing.T) {
	ctx := context.Background()
	s, set := load(t, "../scenarios/examples/cut-csms.yaml", 96)
	full, err := Run(ctx, s, set)
	if err != nil {
		t.Fatal(err)
	}
	var parts []*shard.File
	for i := range 3 {
		f, err := RunShard(ctx, s, set, shard.Spec{I: i, N: 3})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, f)
	}
	m, err := Merge(ctx, parts)
	if err != nil || m.Results == nil || m.Sweep != nil {
		t.Fatalf("merge of a run: %+v, %v", m, err)
	}
	same(t, "run", must(results.Marshal(full)), must(results.Marshal(m.Results)))

	set.Trials = 32
	a, _ := NewAxis("team.pools.mid-market.csms", "3..5")
	b, _ := NewAxis("segments.enterprise.price_increase", "3%,7%")
	g, err := NewGrid(s, a, b)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := Sweep(ctx, g, set, results.Valuation)
	if err != nil {
		t.Fatal(err)
	}
	parts = nil
	for _, i := range []int{2, 0, 3, 1} { // 4 shards of 6 points, out of order
		f, err := SweepShard(ctx, g, set, results.Valuation, shard.Spec{I: i, N: 4})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, f)
	}
	if m, err = Merge(ctx, parts); err != nil || m.Sweep == nil {
		t.Fatalf("merge of a sweep: %+v, %v", m, err)
	}
	same(t, "sweep", must(results.MarshalSweep(sw)), must(results.MarshalSweep(m.Sweep)))
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func same(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if len(want) == 0 || !bytes.Equal(want, got) {
		t.Errorf("the merged %s differs from the unsharded one", what)
	}
}

// A run in expected mode has no trials to shard.
func TestExpectedModeHasNoShards(t *testing.T) {
	s, set := load(t, "../scenarios/examples/cut-csms.yaml", 10)
	set.Mode = sim.Expected
	if _, err := RunShard(context.Background(), s, set, shard.Spec{I: 0, N: 2}); err != ErrExpectedShard {
		t.Errorf("RunShard in expected mode: %v", err)
	}
}
