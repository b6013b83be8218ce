package plan

import (
	"context"
	"errors"
	"strings"
	"testing"

	"csplan/results"
	"csplan/shard"
	"csplan/sim"
)

// A SettingError reads in plan's words, and in a command line's flags
// through Named.
func TestSettingErrorNamed(t *testing.T) {
	flag := func(s string) string { return "--" + strings.ReplaceAll(s, " ", "-") }
	for _, tc := range []struct {
		err        *SettingError
		plain, cli string
	}{
		{&SettingError{Setting: "trials", Problem: "must be between 1 and 10, got 0"}, "trials must be between 1 and 10, got 0", "--trials must be between 1 and 10, got 0"},
		{&SettingError{Setting: "shard", Problem: "cannot be combined with {precision}"}, "shard cannot be combined with precision", "--shard cannot be combined with --precision"},
		{&SettingError{Setting: "precision metric", Err: errors.New("bad")}, "precision metric: bad", "--precision-metric: bad"},
		{&SettingError{Setting: "axis", Item: "team.csms", Err: errors.New("bad")}, "axis team.csms: bad", "--axis team.csms: bad"},
		{&SettingError{Setting: "mode", Value: "x", Choices: []string{"a", "b"}}, `unknown mode "x" (use one of: a, b)`, `unknown --mode "x" (use one of: a, b)`},
	} {
		if got := tc.err.Error(); got != tc.plain {
			t.Errorf("Error() = %q, want %q", got, tc.plain)
		}
		if got := tc.err.Named(flag); got != tc.cli {
			t.Errorf("Named = %q, want %q", got, tc.cli)
		}
	}
}

// The readers of settings written as text name what they refuse.
func TestParsers(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"OneOf", OneOf("format", "csv", "text", "csv"), ""},
		{"OneOf", OneOf("format", "xml", "text", "csv"), `unknown format "xml" (use one of: text, csv)`},
		{"CheckMetric", CheckMetric("profit"), `unknown metric "profit" (use one of: arr_end`},
		{"CheckPeriod", CheckPeriod("week"), `unknown period "week" (use one of: month, quarter, year)`},
		{"CheckPeriod", CheckPeriod("year"), ""},
		{"ParseTerm", second(ParseTerm("61")), `term "61": expected auto, or a number of months from 1 to 60`},
		{"ParseDuplicates", second(ParseDuplicates("keep")), `unknown duplicates "keep" (use one of: error, sum, identical)`},
		{"ParsePrecision", second(ParsePrecision("lots")), `precision: expected a share such as 0.5% or 0.005, found "lots"`},
		{"ParseShard", second(ParseShard("3/3")), "shard: expected I/N with 0 ≤ I < N"},
		{"ParseAxes", second(ParseAxes("team.csms")), `axis "team.csms": expected PATH=RANGE`},
		{"ParseAxes", second(ParseAxes("team.csms=1..0")), `axis team.csms: range "1..0": expected FROM..TO[:STEP]`},
		{"ParseAxes", second(ParseAxes()), "axis is needed once or twice, PATH=RANGE for each input a sweep varies; got 0"},
		{"ParseAxes", second(ParseAxes("a=1", "b=2", "c=3")), "axis is needed once or twice, PATH=RANGE for each input a sweep varies; got 3"},
		{"ParseAxes", second(ParseAxes("team.csms=1..2", "team.csms=3")), "axis team.csms is given twice; a sweep varies each input once (one axis for each of up to two inputs)"},
	} {
		var se *SettingError
		if got := errText(tc.err); !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		} else if tc.err != nil && !errors.As(tc.err, &se) {
			t.Errorf("%s: %T is no SettingError", tc.name, tc.err)
		}
	}
	if n, err := ParseTerm("12"); n != 12 || err != nil {
		t.Errorf("ParseTerm(12) = %d, %v", n, err)
	}
	if n, err := ParseTerm("auto"); n != 0 || err != nil {
		t.Errorf("ParseTerm(auto) = %d, %v", n, err)
	}
	if o, err := ParseDuplicates("sum"); o.Duplicates != "sum" || err != nil {
		t.Errorf("ParseDuplicates(sum) = %v, %v", o, err)
	}
	if p, err := ParsePrecision(""); p != 0 || err != nil {
		t.Errorf("ParsePrecision() = %v, %v", p, err)
	}
	if s, err := ParseShard("1/4"); s != (shard.Spec{I: 1, N: 4}) || err != nil {
		t.Errorf("ParseShard(1/4) = %v, %v", s, err)
	}
	if axes, err := ParseAxes("team.csms=1..3", "segments.smb.price_increase=3%,5%"); err != nil || len(axes) != 2 || len(axes[0].Values) != 3 {
		t.Errorf("ParseAxes: %+v, %v", axes, err)
	}
	if got := ChartsDir("out/company.yaml"); got != "out/company-charts" {
		t.Errorf("ChartsDir = %q", got)
	}
}

func second[T any](_ T, err error) error { return err }

// Overrides check what they set, and set only that.
func TestOverrides(t *testing.T) {
	zero, big, seed := 0, 20_000_000, uint64(1<<63)
	for _, tc := range []struct {
		o    Overrides
		want string
	}{
		{Overrides{}, ""},
		{Overrides{Trials: &zero}, "trials must be between"},
		{Overrides{Trials: &big}, "trials must be between"},
		{Overrides{Workers: &zero}, "workers must be at least 1"},
		{Overrides{Seed: &seed}, "seed must be from 0"},
		{Overrides{Mode: "exact"}, `unknown mode "exact"`},
		{Overrides{Sampling: "sobol"}, `unknown sampling "sobol"`},
		{Overrides{Trials: &zero, Mode: "exact"}, "trials must be between"}, // the first
	} {
		if got := errText(tc.o.Check()); !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("%+v: %q, want %q", tc.o, got, tc.want)
		}
	}
	trials, workers, s := 100, 2, uint64(7)
	base := sim.Settings{Trials: 5, Seed: 1}
	got := Overrides{Trials: &trials, Workers: &workers, Seed: &s, Mode: "expected", Sampling: "lhs"}.Apply(base)
	if got.Trials != 100 || got.Workers != 2 || got.Seed != 7 || got.Mode != sim.Expected || !got.LHS {
		t.Errorf("Apply: %+v", got)
	}
	if got := (Overrides{}).Apply(base); got != base {
		t.Errorf("empty Apply: %+v", got)
	}
}

// A job refuses settings that do not combine, before it runs.
func TestJobCheck(t *testing.T) {
	for _, tc := range []struct {
		job  Job
		mode sim.Mode
		want string
	}{
		{Job{Shard: shard.Spec{I: 0, N: 2}, Precision: 0.01}, sim.MonteCarlo, "shard runs a fixed number of trials; it cannot be combined with precision"},
		{Job{PrecisionMetric: "foo"}, sim.MonteCarlo, `precision metric: unknown metric "foo"`},
		{Job{Sensitivity: "profit"}, sim.MonteCarlo, `sensitivity: unknown metric "profit"`},
		{Job{Sensitivity: results.Valuation, Shard: shard.Spec{I: 0, N: 2}}, sim.MonteCarlo, "sensitivity cannot be combined with shard"},
		{Job{Shard: shard.Spec{I: 0, N: 2}}, sim.Expected, "shard: " + ErrExpectedShard.Error()},
		{Job{Sensitivity: results.Valuation}, sim.Expected, "sensitivity needs Monte Carlo trials; drop mode expected"},
	} {
		s, set := load(t, "../scenarios/examples/cut-csms.yaml", 10)
		set.Mode = tc.mode
		_, err := tc.job.Do(context.Background(), s, set)
		var se *SettingError
		if got := errText(err); !strings.HasPrefix(got, tc.want) || !errors.As(err, &se) {
			t.Errorf("%+v: %q, want %q", tc.job, got, tc.want)
		}
	}
	if err := (Job{Shard: shard.Spec{I: 0, N: 2}}).Check(); err != nil {
		t.Errorf("Check of a shard: %v", err)
	}
}

// Do runs what its job asks: a run with its sensitivity, and a shard whose
// part says what it holds; each output saved as its file.
func TestJobDo(t *testing.T) {
	ctx := context.Background()
	s, set := load(t, "../scenarios/examples/cut-csms.yaml", 64)
	out, err := Job{Sensitivity: results.ARREnd}.Do(ctx, s, set)
	if err != nil || out.Results == nil || out.Results.Sensitivity == nil || out.Part != nil {
		t.Fatalf("run with sensitivity: %+v, %v", out, err)
	}
	if name, data, err := out.File(); name != "results.json" || len(data) == 0 || err != nil {
		t.Errorf("File: %s, %d bytes, %v", name, len(data), err)
	}
	out, err = Job{Shard: shard.Spec{I: 1, N: 2}}.Do(ctx, s, set)
	if err != nil || out.Part == nil || out.Results != nil {
		t.Fatalf("shard: %+v, %v", out, err)
	}
	if got, want := DescribePart(out.Part), s.Name+": shard 1/2, trials 32 to 63 of 64"; got != want {
		t.Errorf("DescribePart = %q, want %q", got, want)
	}
	if name, _, err := out.File(); name != shard.FileName || err != nil {
		t.Errorf("File of a part: %s, %v", name, err)
	}
	out, err = Job{Shard: shard.Spec{I: 0, N: 3}}.Do(ctx, s, set)
	if err != nil || DescribePart(out.Part) != s.Name+": shard 0/3, no trials (3 shards for 2 blocks of 32 trials)" {
		t.Errorf("empty shard: %q, %v", DescribePart(out.Part), err)
	}
}

// Grid.Do runs a sweep whole or one shard of its points.
func TestGridDo(t *testing.T) {
	ctx := context.Background()
	s, set := load(t, "../scenarios/examples/cut-csms.yaml", 32)
	axes, err := ParseAxes("team.pools.mid-market.csms=3..5")
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGrid(s, axes...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Do(ctx, set, "profit", shard.Spec{}); errText(err) == "" {
		t.Error("Grid.Do took an unknown metric")
	}
	out, err := g.Do(ctx, set, results.Valuation, shard.Spec{})
	if err != nil || out.Sweep == nil || len(out.Sweep.Points) != 3 {
		t.Fatalf("sweep: %+v, %v", out, err)
	}
	if name, _, err := out.File(); name != "sweep.json" || err != nil {
		t.Errorf("File of a sweep: %s, %v", name, err)
	}
	out, err = g.Do(ctx, set, results.Valuation, shard.Spec{I: 1, N: 2})
	if err != nil || out.Part == nil {
		t.Fatalf("sweep shard: %+v, %v", out, err)
	}
	if got, want := DescribePart(out.Part), s.Name+": shard 1/2, sweep points 1 to 2 of 3"; got != want {
		t.Errorf("DescribePart = %q, want %q", got, want)
	}
	out, err = g.Do(ctx, set, results.Valuation, shard.Spec{I: 0, N: 4})
	if err != nil || DescribePart(out.Part) != s.Name+": shard 0/4, no sweep points (4 shards for 3 points)" {
		t.Errorf("empty sweep shard: %q, %v", DescribePart(out.Part), err)
	}
}
