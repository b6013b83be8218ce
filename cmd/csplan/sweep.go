package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"csplan/report"
	"csplan/results"
	"csplan/shard"
	"csplan/sim"

	"github.com/spf13/cobra"
)

type sweepOptions struct {
	runOptions
	sets   []string
	metric string
}

func sweepCommand() *cobra.Command {
	var o sweepOptions
	c := &cobra.Command{
		Use:   "sweep SCENARIO.yaml --set PATH=RANGE [--set PATH=RANGE] -o DIR",
		Short: "Run a scenario over a range of one or two inputs",
		Long: `sweep runs the baseline of a scenario at every point of a grid of one or two
inputs, all points on the same random numbers, and writes DIR/sweep.json,
DIR/sweep.csv and a chart of the chosen metric (valuation at the horizon by
default) against the input (a heat map for two inputs), marking the best
point.

With --shard I/N, sweep runs only shard I of N of the grid's points and
writes DIR/part.csplan for csplan merge.

A range is FROM..TO[:STEP] (numbers, STEP 1 by default) or a list of values
separated by commas (5%,8%,12% or monthly,quarterly).`,
		Example: `  csplan sweep scenarios/examples/cut-csms.yaml --set team.csms=4..16 -o sweep
  csplan sweep my-company.yaml --set team.csms=6..14:2 --set segments.enterprise.upsell.probability=10%,20%,30% -o sweep`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			if err := o.check(c); err != nil {
				return err
			}
			if len(o.sets) == 0 || len(o.sets) > 2 {
				return usageError{fmt.Errorf("sweep: give one or two --set PATH=RANGE")}
			}
			return runSweep(c, a[0], o)
		},
	}
	f := c.Flags()
	f.StringArrayVar(&o.sets, "set", nil, "an input and its range, PATH=FROM..TO[:STEP] or PATH=V1,V2,...")
	f.StringVar(&o.metric, "metric", results.Valuation, "the metric to optimise (see results.json metrics)")
	o.addFlags(c)
	o.addShardFlag(c, "grid points")
	return c
}

// maxSweepPoints bounds the values of one --set range.
const maxSweepPoints = 1000

// parseRange expands FROM..TO[:STEP] or a comma list into values as written.
// The numbers of a range must be finite, and the count of its points is
// checked as a float before anything is made of it, so that a range of
// 1e300 points, or one whose span overflows, is refused rather than
// allocated.
func parseRange(s string) ([]string, error) {
	if from, rest, ok := strings.Cut(s, ".."); ok {
		to, step := rest, "1"
		if t, st, ok := strings.Cut(rest, ":"); ok {
			to, step = t, st
		}
		a, ok1 := finite(from)
		b, ok2 := finite(to)
		d, ok3 := finite(step)
		if !ok1 || !ok2 || !ok3 || d <= 0 || b < a {
			return nil, fmt.Errorf("range %q: expected FROM..TO[:STEP] with finite numbers, FROM ≤ TO and STEP > 0", s)
		}
		span := (b - a) / d // +Inf when b − a overflows
		if !(span < maxSweepPoints) {
			return nil, fmt.Errorf("range %q has more than %s points; give a larger STEP or a narrower range (at most %s points)",
				s, report.Count(maxSweepPoints), report.Count(maxSweepPoints))
		}
		n := int(math.Floor(span+1e-9)) + 1
		out := make([]string, n)
		for i := range out {
			out[i] = strconv.FormatFloat(a+float64(i)*d, 'f', -1, 64)
			if i > 0 && out[i] == out[i-1] {
				return nil, fmt.Errorf("range %q: the step %s is too small for numbers this large: points %d and %d would both be %s; give a larger STEP",
					s, step, i, i+1, out[i])
			}
		}
		return out, nil
	}
	vals := strings.Split(s, ",")
	for i := range vals {
		vals[i] = strings.TrimSpace(vals[i])
		if vals[i] == "" {
			return nil, fmt.Errorf("list %q has an empty value", s)
		}
		if slices.Contains(vals[:i], vals[i]) {
			return nil, fmt.Errorf("list %q has %s twice", s, vals[i])
		}
	}
	return vals, nil
}

// finite reads a number of a range, refusing NaN and infinities.
func finite(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}

// number reads a value as written for an axis: 8% → 0.08, 100k → 100000;
// values that are not numbers (monthly) get their position.
func number(v string, i int) float64 {
	mult := 1.0
	t := strings.TrimSpace(v)
	switch {
	case strings.HasSuffix(t, "%"):
		t, mult = strings.TrimSuffix(t, "%"), 0.01
	case strings.HasSuffix(t, "k"), strings.HasSuffix(t, "K"):
		t, mult = t[:len(t)-1], 1e3
	case strings.HasSuffix(t, "M"):
		t, mult = t[:len(t)-1], 1e6
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return float64(i)
	}
	return x * mult
}

func runSweep(c *cobra.Command, path string, o sweepOptions) error {
	if !slices.Contains(sim.MetricNames[:], o.metric) {
		return usageError{fmt.Errorf("unknown metric %q (use one of: %s)", o.metric, strings.Join(sim.MetricNames[:], ", "))}
	}
	var params []string
	var ranges [][]string
	for _, s := range o.sets {
		p, r, ok := strings.Cut(s, "=")
		if !ok {
			return usageError{fmt.Errorf("--set %q: expected PATH=RANGE", s)}
		}
		vals, err := parseRange(r)
		if err != nil {
			return usageError{fmt.Errorf("--set %s: %w", p, err)}
		}
		if slices.Contains(params, p) {
			return usageError{fmt.Errorf("--set %s is given twice; a sweep varies each input once (one --set for each of up to two inputs)", p)}
		}
		params, ranges = append(params, p), append(ranges, vals)
	}
	var read []string // the files the scenario and the points read
	s, err := loadScenario(path, &read)
	if err != nil {
		return err
	}
	set := o.settings(c, s.Settings)

	// The grid, first parameter varying slowest.
	var points [][]string
	if len(ranges) == 1 {
		for _, v := range ranges[0] {
			points = append(points, []string{v})
		}
	} else {
		for _, a := range ranges[0] {
			for _, b := range ranges[1] {
				points = append(points, []string{a, b})
			}
		}
	}
	sw := &results.Sweep{Scenario: s.Name, Currency: s.Currency, Seed: set.Seed, Trials: set.Trials, Mode: set.Mode.String(),
		Metric: o.metric, Parameters: params, Version: csplanVersion()}
	if set.Mode == sim.Expected {
		sw.Trials = 1
	}
	// Every point is built, in every shard, so a bad value fails them all
	// and the digest covers every file the points read; a shard then runs
	// its share of the points (each point's numbers depend only on its own
	// trials).
	opts := make([]sim.Option, 0, len(points))
	for _, pt := range points {
		over := map[string]string{}
		var label []string
		for j, p := range params {
			over[p] = pt[j]
			label = append(label, p+"="+pt[j])
		}
		m, err := s.Override(over)
		if err != nil {
			return err
		}
		opts = append(opts, sim.Option{Name: strings.Join(label, ", "), Model: m})
	}
	first, end := 0, len(points)
	var spec shard.Spec
	if o.shard != "" {
		if spec, err = o.shardSpec(); err != nil {
			return err
		}
		first, end = spec.I*len(points)/spec.N, (spec.I+1)*len(points)/spec.N
	}
	opts = opts[first:end]
	models := make([]sim.Model, len(opts))
	for i := range opts {
		models[i] = opts[i].Model
	}
	if err := checkWork(models, set, 1); err != nil {
		return err
	}
	dir, err := newOutputDir(o.out, read...)
	if err != nil {
		return err
	}
	defer dir.discard()
	var res *results.Results
	if len(opts) > 0 {
		progress, finish := progressReporter(c, o.quiet || set.Mode == sim.Expected)
		res, err = sim.Run(c.Context(), opts, set, progress)
		finish()
		if err != nil {
			return err
		}
	}
	var pts []results.SweepPoint
	for i, pt := range points[first:end] {
		sp := results.SweepPoint{Values: pt, Metrics: res.Options[i].Metrics}
		for j, v := range pt {
			sp.Numbers = append(sp.Numbers, number(v, slices.Index(ranges[j], v)))
		}
		pts = append(pts, sp)
	}
	if o.shard != "" {
		fp := shard.Fingerprint(shard.KindSweep, s.Digest(), csplanVersion(), strconv.Itoa(spec.N), strconv.Itoa(set.Trials),
			strconv.FormatUint(set.Seed, 10), set.Mode.String(), set.NetRate.String(), strconv.FormatBool(set.LHS),
			o.metric, strings.Join(o.sets, "\x00"))
		f := &shard.File{Kind: shard.KindSweep, Fingerprint: fp, Shard: spec, Sweep: sw, First: first, Total: len(points)}
		if f.Points, err = json.Marshal(pts); err != nil {
			return err
		}
		if err := writePart(c, dir, f); err != nil {
			return err
		}
		what := fmt.Sprintf("sweep points %d to %d of %d", first, end-1, len(points))
		if first == end {
			what = fmt.Sprintf("no sweep points (%d shards for %d points)", spec.N, len(points))
		}
		fmt.Fprintf(c.OutOrStdout(), "%s: shard %s, %s\nwrote %s (merge the parts with csplan merge)\n", s.Name, spec, what, o.out)
		return nil
	}
	sw.Points = pts
	return writeSweep(c, dir, sw, o.out)
}

// writeSweep marks the best point, writes sweep.json and the report of
// the sweep (sweep.csv and the chart) into dir, commits it and prints the best point: the end of sweep
// and of merge alike.
func writeSweep(c *cobra.Command, dir *outputDir, sw *results.Sweep, out string) error {
	higher := results.HigherIsBetter(sw.Metric)
	sw.Best = 0
	for i, sp := range sw.Points {
		best := sw.Points[sw.Best].Metrics[sw.Metric].Mean
		if v := sp.Metrics[sw.Metric].Mean; (higher && v > best) || (!higher && v < best) {
			sw.Best = i
		}
	}
	data, err := results.MarshalSweep(sw)
	if err != nil {
		return err
	}
	if err := os.WriteFile(dir.path("sweep.json"), data, 0o644); err != nil {
		return err
	}
	if err := report.WriteSweep(dir.tmp, sw); err != nil {
		return err
	}
	if err := c.Context().Err(); err != nil {
		return err
	}
	if err := dir.commit(); err != nil {
		return err
	}
	best := sw.Points[sw.Best]
	fmt.Fprintf(c.OutOrStdout(), "%s: best %s at %s (mean %s over %s a point)\nwrote %s\n",
		sw.Scenario, sw.Metric, strings.Join(best.Values, ", "), report.FormatMetric(sw.Metric, best.Metrics[sw.Metric].Mean, sw.Currency),
		report.Plural(sw.Trials, "trial"), out)
	return nil
}
