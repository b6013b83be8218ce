package plan

import (
	"context"
	"fmt"

	"csplan/results"
	"csplan/shard"
	"csplan/sim"
)

// Merge puts the parts of a sharded run (RunShard) or sweep (SweepShard)
// together into what the unsharded job returns, to the last bit: the
// run's results, or the sweep with its best point (Output.Results or
// Output.Sweep). The parts must be
// every shard of one job, once each, as shard.Check makes sure.
func Merge(ctx context.Context, parts []*shard.File) (Output, error) {
	if len(parts) == 0 {
		return Output{}, fmt.Errorf("no parts to merge")
	}
	switch parts[0].Kind {
	case shard.KindSweep:
		sw, err := mergeSweep(parts)
		return Output{Sweep: sw}, err
	case shard.KindOptimize:
		o, err := mergeOptimize(ctx, parts)
		return Output{Optimize: o}, err
	}
	res, err := mergeRun(ctx, parts)
	return Output{Results: res}, err
}

// mergeRun merges the trials of a run's parts (sim.Merge) and describes
// the results as the parts do.
func mergeRun(ctx context.Context, parts []*shard.File) (*results.Results, error) {
	trials := make([]*sim.Part, len(parts))
	for i, f := range parts {
		trials[i] = f.Part
	}
	res, err := sim.Merge(ctx, trials)
	if err != nil {
		return nil, fmt.Errorf("cannot merge: %w", err)
	}
	if d := parts[0].Results; len(d.Options) != len(res.Options) {
		return nil, fmt.Errorf("cannot merge: the parts describe %d options and hold %d", len(d.Options), len(res.Options))
	}
	describe(res, parts[0].Results)
	return res, nil
}

// mergeSweep puts a sweep's points back in their places and marks the
// best.
func mergeSweep(parts []*shard.File) (*results.Sweep, error) {
	sw := *parts[0].Sweep
	sw.Points = make([]results.SweepPoint, parts[0].Total)
	for _, f := range parts {
		pts, err := f.SweepPoints()
		if err != nil {
			return nil, err
		}
		copy(sw.Points[f.First:], pts)
	}
	for i, p := range sw.Points {
		if p.Values == nil {
			return nil, fmt.Errorf("cannot merge: sweep point %d is in no part", i)
		}
	}
	markBest(&sw)
	return &sw, nil
}
