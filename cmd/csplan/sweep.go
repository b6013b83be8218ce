package main

import (
	"fmt"
	"slices"
	"strings"

	"csplan/internal/files"
	"csplan/plan"
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

func runSweep(c *cobra.Command, path string, o sweepOptions) error {
	if err := plan.CheckMetric(o.metric); err != nil {
		return usageError{err}
	}
	axes, err := parseAxes(o.sets)
	if err != nil {
		return err
	}
	var read []string // the files the scenario and the points read
	s, err := loadScenario(path, &read)
	if err != nil {
		return err
	}
	set := o.settings(c, s.Settings)
	g, err := plan.NewGrid(s, axes...)
	if err != nil {
		return err
	}
	var spec shard.Spec
	if o.shard != "" {
		if spec, err = o.shardSpec(); err != nil {
			return err
		}
	}
	if err := g.CheckWork(set, spec); err != nil {
		return err
	}
	dir, err := files.NewDir(o.out, read...)
	if err != nil {
		return err
	}
	defer dir.Discard()
	if o.shard != "" {
		return sweepShard(c, s.Name, g, set, spec, dir, o)
	}
	sw, err := simulate(c, o.quiet || set.Mode == sim.Expected, set, func(set plan.Settings) (*results.Sweep, error) {
		return plan.Sweep(c.Context(), g, set, o.metric)
	})
	if err != nil {
		return err
	}
	return writeSweep(c, dir, sw, o.out)
}

// sweepShard runs one shard's points of the sweep of the scenario name
// and writes its part.
func sweepShard(c *cobra.Command, name string, g *plan.Grid, set plan.Settings, spec shard.Spec, dir *files.Dir, o sweepOptions) error {
	f, err := simulate(c, o.quiet || set.Mode == sim.Expected, set, func(set plan.Settings) (*shard.File, error) {
		return plan.SweepShard(c.Context(), g, set, o.metric, spec)
	})
	if err != nil {
		return err
	}
	first, end := g.Shard(spec)
	what := fmt.Sprintf("sweep points %d to %d of %d", first, end-1, g.Len())
	if first == end {
		what = fmt.Sprintf("no sweep points (%d shards for %d points)", spec.N, g.Len())
	}
	return writePart(c, dir, f, name+": shard "+spec.String()+", "+what, o.out)
}

// parseAxes reads the --set flags, PATH=RANGE each, none twice.
func parseAxes(sets []string) ([]plan.Axis, error) {
	var axes []plan.Axis
	for _, s := range sets {
		p, r, ok := strings.Cut(s, "=")
		if !ok {
			return nil, usageError{fmt.Errorf("--set %q: expected PATH=RANGE", s)}
		}
		ax, err := plan.NewAxis(p, r)
		if err != nil {
			return nil, usageError{fmt.Errorf("--set %s: %w", p, err)}
		}
		if slices.ContainsFunc(axes, func(a plan.Axis) bool { return a.Path == p }) {
			return nil, usageError{fmt.Errorf("--set %s is given twice; a sweep varies each input once (one --set for each of up to two inputs)", p)}
		}
		axes = append(axes, ax)
	}
	return axes, nil
}

// writeSweep writes sweep.json and the report of the sweep (sweep.csv
// and the chart) into dir and prints the best point: the end of sweep and
// of merge.
func writeSweep(c *cobra.Command, dir *files.Dir, sw *results.Sweep, out string) error {
	data, err := results.MarshalSweep(sw)
	if err != nil {
		return err
	}
	return finish(c, dir, func() error {
		if err := dir.Write("sweep.json", data); err != nil {
			return err
		}
		return report.WriteSweep(dir.Temp(), sw)
	}, func() error {
		report.SweepText(c.OutOrStdout(), sw)
		return saying(c.OutOrStdout(), "wrote %s\n", out)()
	})
}
