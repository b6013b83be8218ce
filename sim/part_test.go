package sim

import (
	"context"
	"math"
	"strings"
	"testing"

	"csplan/results"
)

func shardOptions() []Option {
	m := acmeLike()
	alt := acmeLike()
	alt.Segments[0].Upsell.Cadence = Monthly
	short := withTeam(27) // a team short of hours: the served book runs month by month
	short.Horizon = m.Horizon
	return []Option{{Name: "Baseline", Model: m}, {Name: "monthly", Model: alt}, {Name: "short team", Model: short}}
}

func runParts(t *testing.T, opts []Option, s Settings, n int) []*Part {
	t.Helper()
	var parts []*Part
	for i := range n {
		p, err := RunShard(context.Background(), opts, s, i, n, nil)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	return parts
}

// Shards merge to the bytes of the unsharded run, whatever the number of
// shards (7 shards of 5 blocks leave some empty) and the order of the parts.
func TestMergeEqualsRun(t *testing.T) {
	opts := shardOptions()
	for _, s := range []Settings{{Trials: 150, Seed: 7}, {Trials: 100, Seed: 3, LHS: true, Workers: 1}} {
		want, err := Run(context.Background(), opts, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, _ := results.Marshal(want)
		for _, n := range []int{1, 3, 7} {
			parts := runParts(t, opts, s, n)
			for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
				parts[i], parts[j] = parts[j], parts[i]
			}
			got, err := Merge(context.Background(), parts)
			if err != nil {
				t.Fatal(err)
			}
			gotJSON, _ := results.Marshal(got)
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("%d shards (lhs %v): merged results differ from the unsharded run", n, s.LHS)
			}
		}
	}
}

func TestMergeRejects(t *testing.T) {
	opts := shardOptions()
	s := Settings{Trials: 100, Seed: 1}
	parts := runParts(t, opts, s, 3)
	other := runParts(t, opts, Settings{Trials: 100, Seed: 2}, 3)
	bad := *parts[1]
	bad.Metrics = append([][numMetrics][]float64(nil), bad.Metrics...)
	bad.Metrics[0][2] = bad.Metrics[0][2][:3]
	cases := []struct {
		name  string
		parts []*Part
		want  string
	}{
		{"missing", []*Part{parts[0], parts[2]}, "trials 32 to 63 are in no part"},
		{"missing last", parts[:2], "trials 64 to 99 are in no part"},
		{"duplicate", []*Part{parts[0], parts[1], parts[1], parts[2]}, "more than one part"},
		{"other run", []*Part{parts[0], other[1], parts[2]}, "different runs"},
		{"malformed", []*Part{parts[0], &bad, parts[2]}, "metric nrr_12m: 3 trials, the part 32"},
		{"none", nil, "no parts"},
	}
	for _, c := range cases {
		_, err := Merge(context.Background(), c.parts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestShardRange(t *testing.T) {
	for _, c := range []struct{ trials, n int }{{1000, 7}, {100, 7}, {31, 3}, {64, 2}} {
		next := 0
		for i := range c.n {
			first, end := ShardRange(c.trials, i, c.n)
			if first != next || end < first || (end%BlockSize != 0 && end != c.trials) {
				t.Fatalf("%d trials, shard %d/%d: [%d, %d) after %d", c.trials, i, c.n, first, end, next)
			}
			next = end
		}
		if next != c.trials {
			t.Fatalf("%d trials in %d shards end at %d", c.trials, c.n, next)
		}
	}
}

// Trials run in ranges that do not start at a block's first trial (an
// optimizer's rounds: 0 to 250, 250 to 500, ...) are the trials of one
// run, every metric bit for bit, and every trial of the range is run.
func TestRunTrialsAnyRange(t *testing.T) {
	opts := []Option{{Name: "a", Model: withTeam(27)}}
	s := Settings{Trials: 100, Seed: 3}
	whole, err := RunTrials(context.Background(), opts, s, 0, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	var cat [numMetrics][]float64
	for _, r := range [][2]int{{0, 7}, {7, 40}, {40, 41}, {41, 100}} {
		p, err := RunTrials(context.Background(), opts, s, r[0], r[1], nil)
		if err != nil {
			t.Fatal(err)
		}
		for m := range cat {
			cat[m] = append(cat[m], p.Metrics[0][m]...)
		}
	}
	for m := range cat {
		for i, v := range whole.Metrics[0][m] {
			if w := cat[m][i]; v != w && !(math.IsNaN(v) && math.IsNaN(w)) {
				t.Fatalf("%s, trial %d: %v in one range, %v in four", MetricNames[m], i, v, w)
			}
		}
	}
	if whole.Metrics[0][mARREnd][99] == 0 {
		t.Fatal("the last trial did not run")
	}
}
