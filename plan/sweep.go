package plan

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"csplan/results"
	"csplan/scenarios"
	"csplan/shard"
	"csplan/sim"
)

// An Axis is an input a sweep varies, and its values.
type Axis struct {
	Path   string   // a path as an option's set names it: team.csms
	Range  string   // the values as written: FROM..TO[:STEP] or V1,V2,...
	Values []string // the values of Range, each as a scenario file writes it
}

// NewAxis reads the range of the input at path: FROM..TO[:STEP] (finite
// numbers, STEP 1 by default) or values separated by commas (5%,8%,12% or
// priority,even), at most maxSweepPoints values, none twice. A value in
// YAML's flow style ([{from: 2027-04, csms: 9}]) is one value: commas
// inside its brackets or braces do not split it. The path may name the
// step of a headcount plan from a month, team.plan[2027-03].csms
// (Scenario.Override).
func NewAxis(path, rng string) (Axis, error) {
	vals, err := scenarios.ParseRange(rng)
	if err != nil {
		return Axis{}, err
	}
	return Axis{Path: path, Range: rng, Values: vals}, nil
}

// ParseAxes reads the one or two axes of a sweep, written PATH=RANGE
// (team.csms=4..16), as NewAxis reads the range, each path once: the
// first problem is a SettingError of the setting axis.
func ParseAxes(specs ...string) ([]Axis, error) {
	if len(specs) == 0 || len(specs) > 2 {
		return nil, &SettingError{Setting: "axis", Problem: fmt.Sprintf("is needed once or twice, PATH=RANGE for each input a sweep varies; got %d", len(specs))}
	}
	var axes []Axis
	for _, s := range specs {
		p, r, ok := strings.Cut(s, "=")
		if !ok {
			return nil, &SettingError{Setting: "axis", Item: strconv.Quote(s), Err: errors.New("expected PATH=RANGE")}
		}
		ax, err := NewAxis(p, r)
		if err != nil {
			return nil, &SettingError{Setting: "axis", Item: p, Err: err}
		}
		if slices.ContainsFunc(axes, func(a Axis) bool { return a.Path == p }) {
			return nil, &SettingError{Setting: "axis", Item: p,
				Problem: "is given twice; a sweep varies each input once (one {axis} for each of up to two inputs)"}
		}
		for _, a := range axes {
			outer, inner := a.Path, p
			if inside(outer, inner) {
				outer, inner = inner, outer
			}
			if inside(inner, outer) {
				return nil, &SettingError{Setting: "axis", Item: inner,
					Problem: fmt.Sprintf("lies inside %s, which another {axis} sets whole, %s included: one would silently replace the other; sweep one of them", outer, inner)}
			}
		}
		axes = append(axes, ax)
	}
	return axes, checkGridSize(axes)
}

// inside reports whether the path p (team.csms, team.plan[2027-04].csms)
// lies inside the path outer (team, team.plan).
func inside(p, outer string) bool {
	return strings.HasPrefix(p, outer+".") || strings.HasPrefix(p, outer+"[")
}

// maxGridPoints bounds the points of a grid of two axes (one axis has at
// most scenarios.MaxRangePoints).
const maxGridPoints = 10_000

// checkGridSize refuses axes whose grid has more than maxGridPoints
// points, before it is built.
func checkGridSize(axes []Axis) error {
	n, sizes := 1, make([]string, len(axes))
	for i, a := range axes {
		n *= len(a.Values)
		sizes[i] = thousands(len(a.Values))
	}
	if n <= maxGridPoints {
		return nil
	}
	return &SettingError{Setting: "axis", Problem: fmt.Sprintf("gives a grid of %s = %s points, more than %s; give fewer values to one input or both (a larger STEP, a narrower range or a shorter list)",
		strings.Join(sizes, " × "), thousands(n), thousands(maxGridPoints))}
}

// thousands writes a whole number with thousands separators: 1,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// number reads a value as written for an axis: 8% → 0.08, 100k → 100000;
// values that are not numbers (monthly) get their position i.
func number(v string, i int) float64 {
	x, _ := readNumber(v, i)
	return x
}

// readNumber is number, and whether v is a number.
func readNumber(v string, i int) (float64, bool) {
	x, ok := scenarios.ReadNumber(v)
	if !ok {
		return float64(i), false
	}
	return x, true
}

// A Grid is a sweep's points, built: for every combination of its axes'
// values (the first axis varying slowest), the baseline of a scenario
// with those values set.
type Grid struct {
	s      *scenarios.Scenario
	axes   []Axis
	points [][]string // the values of each point, one per axis
	opts   []sim.Option
}

// NewGrid builds every point of the grid of axes (one or two) over the
// baseline of s; the options of s are left out. Every point is built
// whichever shard will run it, so a value the scenario refuses fails every
// shard, and s.Digest covers every file the values name.
func NewGrid(s *scenarios.Scenario, axes ...Axis) (*Grid, error) {
	if len(axes) == 0 || len(axes) > 2 {
		return nil, errors.New("a sweep varies one or two inputs")
	}
	if err := checkGridSize(axes); err != nil {
		return nil, err
	}
	g := &Grid{s: s, axes: axes, points: [][]string{nil}}
	for _, ax := range axes {
		var next [][]string
		for _, pt := range g.points {
			for _, v := range ax.Values {
				next = append(next, append(slices.Clip(pt), v))
			}
		}
		g.points = next
	}
	for _, pt := range g.points {
		over := map[string]string{}
		var label []string
		for j, ax := range axes {
			over[ax.Path] = pt[j]
			label = append(label, ax.Path+"="+pt[j])
		}
		m, err := s.Override(over)
		if err != nil {
			return nil, err
		}
		g.opts = append(g.opts, sim.Option{Name: strings.Join(label, ", "), Model: m})
	}
	return g, nil
}

// Len is the number of points of g.
func (g *Grid) Len() int { return len(g.points) }

// Shard is the points [first, end) that shard spec runs: each shard an
// equal share of the points, each point with all its trials; the zero
// Spec runs them all.
func (g *Grid) Shard(spec shard.Spec) (first, end int) { return shardRange(len(g.points), spec) }

// shardRange is the points [first, end) of total that shard spec runs.
func shardRange(total int, spec shard.Spec) (first, end int) {
	if spec.N == 0 {
		return 0, total
	}
	return spec.I * total / spec.N, (spec.I + 1) * total / spec.N
}

// CheckWork refuses the points of shard spec (Shard) when they ask for
// more account-months than a run may (scenarios.CheckRunWork). Sweep and
// SweepShard check it first too; a caller may check it before anything
// else is done.
func (g *Grid) CheckWork(set Settings, spec shard.Spec) error {
	first, end := g.Shard(spec)
	return checkWork(g.opts[first:end], set, 1)
}

// Sweep runs every point of g, all on the same random numbers, and returns
// each point's metrics with the best point by metric marked: the highest
// mean, or the lowest for a cost (results.HigherIsBetter).
func Sweep(ctx context.Context, g *Grid, set Settings, metric string) (*results.Sweep, error) {
	sw, err := g.run(ctx, set, metric, 0, g.Len())
	if err != nil {
		return nil, err
	}
	markBest(sw)
	return sw, nil
}

// SweepShard runs the points of shard spec of g (Grid.Shard; each point's
// numbers depend only on its own trials) and returns its part, for Merge.
func SweepShard(ctx context.Context, g *Grid, set Settings, metric string, spec shard.Spec) (*shard.File, error) {
	first, end := g.Shard(spec)
	sw, err := g.run(ctx, set, metric, first, end)
	if err != nil {
		return nil, err
	}
	var ranges []string
	for _, ax := range g.axes {
		ranges = append(ranges, ax.Path+"="+ax.Range)
	}
	f := &shard.File{Kind: shard.KindSweep, Shard: spec, Sweep: sw, First: first, Total: g.Len(),
		Fingerprint: fingerprint(shard.KindSweep, g.s, set, spec, metric, strings.Join(ranges, "\x00"))}
	if f.Points, err = json.Marshal(sw.Points); err != nil {
		return nil, err
	}
	sw.Points = nil
	return f, nil
}

// SweepMetric is the metric a sweep optimises unless asked for another:
// gross profit over the horizon, which pays for the CSMs a sweep of
// headcount adds (a valuation by ARR multiple does not see their cost).
const SweepMetric = results.GrossProfitTotal

// Do runs the sweep of g (Sweep) into Output.Sweep, or, when spec.N is
// above 0, the points of shard spec (SweepShard) into Output.Part. An
// empty metric is SweepMetric.
func (g *Grid) Do(ctx context.Context, set Settings, metric string, spec shard.Spec) (out Output, err error) {
	metric = cmp.Or(metric, SweepMetric)
	if err := CheckMetric(metric); err != nil {
		return out, err
	}
	if spec.N > 0 {
		out.Part, err = SweepShard(ctx, g, set, metric, spec)
	} else {
		out.Sweep, err = Sweep(ctx, g, set, metric)
	}
	return out, err
}

// run simulates the points [first, end) of g, with their neighbours on
// the grid (neighbours) so that each point carries its paired comparison
// with them (Beats) whichever shard runs it, and returns the sweep with
// the points [first, end).
func (g *Grid) run(ctx context.Context, set Settings, metric string, first, end int) (*results.Sweep, error) {
	sw := &results.Sweep{Scenario: g.s.Name, Currency: g.s.Currency, Seed: set.Seed, Trials: set.Trials, Mode: set.Mode.String(),
		Metric: metric, Version: set.Version}
	for _, ax := range g.axes {
		sw.Parameters = append(sw.Parameters, ax.Path)
		today, _ := g.s.Value(ax.Path)
		label, _ := g.s.InputLabel(ax.Path, today)
		sw.Labels = append(sw.Labels, label)
		sw.Today = append(sw.Today, today)
		x, _ := readNumber(today, 0)
		sw.TodayNumbers = append(sw.TodayNumbers, x)
	}
	if set.Mode == sim.Expected {
		sw.Trials = 1
	}
	if err := checkWork(g.opts[first:end], set, 1); err != nil {
		return nil, err
	}
	run := g.withNeighbours(first, end) // the indices of the points to simulate
	opts := make([]sim.Option, len(run))
	for k, i := range run {
		opts[k] = g.opts[i]
	}
	res, trials, err := simulateTrials(ctx, opts, set, metric)
	if err != nil {
		return nil, err
	}
	higher := results.HigherIsBetter(metric)
	for i := first; i < end; i++ {
		k := slices.Index(run, i)
		pt := g.points[i]
		sp := results.SweepPoint{Values: pt, Metrics: res.Options[k].Metrics}
		for j, v := range pt {
			sp.Numbers = append(sp.Numbers, number(v, slices.Index(g.axes[j].Values, v)))
		}
		for _, n := range g.neighbours(i) {
			share, diff := paired(trials[k], trials[slices.Index(run, n)], higher)
			sp.Beats = append(sp.Beats, results.SweepBeat{Values: g.points[n], Share: share, MeanDiff: diff})
		}
		sw.Points = append(sw.Points, sp)
	}
	return sw, nil
}

// simulateTrials runs opts and returns their results and, for each, the
// metric in every trial (one value, the path's, in expected mode). A
// run's one part merged gives the results Run would, bit for bit.
func simulateTrials(ctx context.Context, opts []sim.Option, set Settings, metric string) (*results.Results, [][]float64, error) {
	if len(opts) == 0 {
		return &results.Results{}, nil, nil
	}
	trials := make([][]float64, len(opts))
	if set.Mode == sim.Expected {
		res, err := sim.Run(ctx, opts, set.Settings, set.Progress)
		if err != nil {
			return nil, nil, err
		}
		for k := range opts {
			trials[k] = []float64{res.Options[k].Metrics[metric].Mean}
		}
		return res, trials, nil
	}
	part, err := sim.RunShard(ctx, opts, set.Settings, 0, 1, set.Progress)
	if err != nil {
		return nil, nil, err
	}
	res, err := sim.Merge(ctx, []*sim.Part{part})
	if err != nil {
		return nil, nil, err
	}
	m := slices.Index(part.MetricNames, metric)
	for k := range opts {
		trials[k] = part.Metrics[k][m]
	}
	return res, trials, nil
}

// paired compares a and b, the metric of two points in the same trials:
// the share of trials in which a is better (higher, or lower when lower is
// better, and not a tie: results.Tie) and the mean of a − b.
func paired(a, b []float64, higher bool) (share, meanDiff float64) {
	better := 0
	for t := range a {
		d := results.Difference(a[t], b[t])
		if (higher && d > 0) || (!higher && d < 0) {
			better++
		}
		meanDiff += d
	}
	if len(a) == 0 {
		return 0, 0
	}
	return float64(better) / float64(len(a)), meanDiff / float64(len(a))
}

// neighbours are the points one value up or down one axis from point i,
// in index order (the first axis varies slowest).
func (g *Grid) neighbours(i int) []int {
	stride := 1
	var out []int
	for j := len(g.axes) - 1; j >= 0; j-- {
		n := len(g.axes[j].Values)
		at := (i / stride) % n
		if at > 0 {
			out = append(out, i-stride)
		}
		if at < n-1 {
			out = append(out, i+stride)
		}
		stride *= n
	}
	slices.Sort(out)
	return out
}

// withNeighbours are the points [first, end) and their neighbours, in
// order.
func (g *Grid) withNeighbours(first, end int) []int {
	var run []int
	for i := first; i < end; i++ {
		run = append(run, i)
		run = append(run, g.neighbours(i)...)
	}
	slices.Sort(run)
	return slices.Compact(run)
}

// markBest marks the point with the best mean of the sweep's metric: the
// highest, or the lowest where lower is better; the first of equals. It
// notes each numeric parameter whose best value is the first or the last
// of the grid (Edges), where the optimum may lie outside it.
func markBest(sw *results.Sweep) {
	higher := results.HigherIsBetter(sw.Metric)
	sw.Best = 0
	for i, sp := range sw.Points {
		best := sw.Points[sw.Best].Metrics[sw.Metric].Mean
		if v := sp.Metrics[sw.Metric].Mean; (higher && v > best) || (!higher && v < best) {
			sw.Best = i
		}
	}
	sw.Edges = nil
	for j, param := range sw.Parameters {
		var vals []string // the parameter's values in grid order
		numeric := true
		for _, sp := range sw.Points {
			if !slices.Contains(vals, sp.Values[j]) {
				vals = append(vals, sp.Values[j])
				_, ok := readNumber(sp.Values[j], 0)
				numeric = numeric && ok
			}
		}
		best := sw.Points[sw.Best].Values[j]
		switch {
		case len(vals) < 2 || !numeric:
		case best == vals[0]:
			sw.Edges = append(sw.Edges, results.SweepEdge{Parameter: param, Value: best, Extend: extendWay(vals, true)})
		case best == vals[len(vals)-1]:
			sw.Edges = append(sw.Edges, results.SweepEdge{Parameter: param, Value: best, Extend: extendWay(vals, false)})
		}
	}
}

// extendWay is where to extend a range of values to go past its first
// (or last) value: below or above, as the values run up or down.
func extendWay(vals []string, first bool) string {
	a, _ := readNumber(vals[0], 0)
	b, _ := readNumber(vals[len(vals)-1], 0)
	if (a <= b) == first {
		return "below"
	}
	return "above"
}
