package sim

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"csplan/internal/summary"
	"csplan/results"
)

// Part is the mergeable result of one shard of a Monte Carlo run: the
// trials [First, End) of Trials. It holds the per-trial metrics (so
// quantiles and paired differences are exact after a merge), exact sums of
// the monthly series and integer quantile sketches, so that Merge of the
// parts of a run gives the same results, bit for bit, as Run. Its fields
// are exported for encoding; their meaning is internal to this package.
type Part struct {
	Info        RunInfo
	MetricNames []string // MetricNames when the part was made, for a sanity check
	First, End  int
	Metrics     [][numMetrics][]float64
	SegCLV      [][][]float64
	Sums        [][numSeries][]summary.Sum
	Sketches    [][numSeries][]summary.Sketch
}

// ShardRange is the trials [first, end) of shard i of n: whole blocks of
// BlockSize trials, as evenly spread as blocks allow. A trial's draws do
// not depend on its shard, and neither do the sums of its block.
func ShardRange(trials, i, n int) (first, end int) {
	blocks := (trials + BlockSize - 1) / BlockSize
	b0, b1 := i*blocks/n, (i+1)*blocks/n
	return min(b0*BlockSize, trials), min(b1*BlockSize, trials)
}

// RunShard simulates shard i of n of the run Run(ctx, opts, s) would do
// and returns its part. A shard may hold no trials when there are fewer
// blocks than shards.
func RunShard(ctx context.Context, opts []Option, s Settings, i, n int, progress func(done, total int)) (*Part, error) {
	if n < 1 || i < 0 || i >= n {
		return nil, fmt.Errorf("shard %d/%d: expected 0 ≤ i < n", i, n)
	}
	if s.Mode == Expected {
		return nil, fmt.Errorf("expected mode runs no trials to shard")
	}
	first, end := ShardRange(s.Trials, i, n)
	agg, err := simulate(ctx, opts, s, first, end, progress)
	if err != nil {
		return nil, err
	}
	return &Part{Info: agg.info, MetricNames: MetricNames[:], First: first, End: end,
		Metrics: agg.metrics, SegCLV: agg.segCLV, Sums: agg.sums, Sketches: agg.sketches}, nil
}

// RunTrials simulates trials [first, end) of the run Run(ctx, opts, s)
// would do (of s.Trials) and returns their part: what a caller that adds
// trials as it learns (an optimizer's rounds) runs, on the same random
// numbers as any other range or option list. Its parts merge when they
// cover the trials exactly once.
func RunTrials(ctx context.Context, opts []Option, s Settings, first, end int, progress func(done, total int)) (*Part, error) {
	switch {
	case s.Mode == Expected:
		return nil, fmt.Errorf("expected mode runs no trials")
	case first < 0 || end > s.Trials || first > end:
		return nil, fmt.Errorf("trials %d to %d: expected 0 ≤ first ≤ end ≤ %d", first, end, s.Trials)
	}
	agg, err := simulate(ctx, opts, s, first, end, progress)
	if err != nil {
		return nil, err
	}
	return &Part{Info: agg.info, MetricNames: MetricNames[:], First: first, End: end,
		Metrics: agg.metrics, SegCLV: agg.segCLV, Sums: agg.sums, Sketches: agg.sketches}, nil
}

// Merge combines the parts of one run, in any order, into the results Run
// would have given. The parts must come from the same run and cover its
// trials exactly once. It stops, with ctx's error, when ctx is cancelled.
func Merge(ctx context.Context, parts []*Part) (*results.Results, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("no parts to merge")
	}
	ps := slices.Clone(parts)
	sort.SliceStable(ps, func(i, j int) bool {
		return ps[i].First < ps[j].First || (ps[i].First == ps[j].First && ps[i].End < ps[j].End)
	})
	in := ps[0].Info
	next := 0
	for _, p := range ps {
		if err := p.check(in); err != nil {
			return nil, err
		}
		switch {
		case p.First > next:
			return nil, fmt.Errorf("trials %d to %d are in no part", next, p.First-1)
		case p.First < next:
			return nil, fmt.Errorf("trials %d to %d are in more than one part", p.First, min(next, p.End)-1)
		}
		next = p.End
	}
	if next != in.Trials {
		return nil, fmt.Errorf("trials %d to %d are in no part", next, in.Trials-1)
	}
	a := &aggregate{info: in, first: 0, end: in.Trials}
	a.metrics = make([][numMetrics][]float64, len(in.Names))
	a.segCLV = make([][][]float64, len(in.Names))
	for k := range a.metrics {
		for i := range numMetrics {
			for _, p := range ps {
				a.metrics[k][i] = append(a.metrics[k][i], p.Metrics[k][i]...)
			}
		}
		for j := range 2 * len(in.Segments[k]) {
			var v []float64
			for _, p := range ps {
				v = append(v, p.SegCLV[k][j]...)
			}
			a.segCLV[k] = append(a.segCLV[k], v)
		}
	}
	sh := a.newShare()
	a.sums, a.sketches = sh.sums, sh.sketches
	for _, p := range ps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a.merge(&share{sums: p.Sums, sketches: p.Sketches})
	}
	if err := a.checkFinite(); err != nil {
		return nil, err
	}
	return a.results(), nil
}

// check reports a part that does not belong to the run described by in, or
// whose arrays do not have the shape its header promises (a part read from
// a file is checked before it is trusted).
func (p *Part) check(in RunInfo) error {
	pi := p.Info
	switch {
	case !slices.Equal(p.MetricNames, MetricNames[:]):
		return fmt.Errorf("the part was made by a csplan with other metrics")
	case pi.Seed != in.Seed || pi.Trials != in.Trials || pi.Horizon != in.Horizon || pi.LHS != in.LHS ||
		!slices.Equal(pi.Names, in.Names) || !slices.Equal(pi.Descs, in.Descs) ||
		!slices.EqualFunc(pi.Segments, in.Segments, slices.Equal):
		return fmt.Errorf("the parts come from different runs")
	case in.Trials < 1 || in.Horizon < 1 || len(in.Names) == 0 || len(in.Descs) != len(in.Names) || len(in.Segments) != len(in.Names):
		return fmt.Errorf("the part's header is malformed")
	case p.First < 0 || p.End < p.First || p.End > in.Trials:
		return fmt.Errorf("the part's trials %d to %d are outside the run's %d", p.First, p.End-1, in.Trials)
	case len(p.Metrics) != len(in.Names) || len(p.SegCLV) != len(in.Names) ||
		len(p.Sums) != len(in.Names) || len(p.Sketches) != len(in.Names):
		return fmt.Errorf("the part holds %d options, its header %d", len(p.Metrics), len(in.Names))
	}
	n := p.End - p.First
	for k := range in.Names {
		for i := range numMetrics {
			if len(p.Metrics[k][i]) != n {
				return fmt.Errorf("option %d, metric %s: %d trials, the part %d", k, MetricNames[i], len(p.Metrics[k][i]), n)
			}
		}
		if len(p.SegCLV[k]) != 2*len(in.Segments[k]) {
			return fmt.Errorf("option %d: CLV and gross profit of %d segments, the header %d", k, len(p.SegCLV[k])/2, len(in.Segments[k]))
		}
		for j, v := range p.SegCLV[k] {
			if len(v) != n {
				return fmt.Errorf("option %d, segment %d: %d trials, the part %d", k, j, len(v), n)
			}
		}
		for i := range numSeries {
			if len(p.Sums[k][i]) != 2*(in.Horizon+1) || len(p.Sketches[k][i]) != in.Horizon+1 {
				return fmt.Errorf("option %d, series %s: wrong number of months", k, SeriesNames[i])
			}
			for mo := range p.Sketches[k][i] {
				if err := p.Sketches[k][i][mo].Check(); err != nil {
					return fmt.Errorf("option %d, series %s, month %d: %w", k, SeriesNames[i], mo, err)
				}
			}
		}
	}
	return nil
}
