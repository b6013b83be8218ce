package main

import (
	"cmp"

	"csplan/plan"
	"csplan/scenarios"

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
DIR/sweep.csv and a chart of the chosen metric (gross profit over the horizon
by default) against the input (a heat map for two inputs), marking the best
point and today's value, with a warning when the best is at the grid's edge.

With --shard I/N, sweep runs only shard I of N of the grid's points and
writes DIR/part.csplan for csplan merge.

A range is FROM..TO[:STEP] (numbers, STEP 1 by default) or values separated by
commas (5%,8%,12% or monthly,quarterly; [...] or {...} in YAML is one value).
PATH may name a plan step from a month: team.plan[2027-04].csms.`,
		Example: `  csplan sweep scenarios/examples/cut-csms.yaml --set team.csms=4..16 -o sweep
  csplan sweep my-company.yaml --set team.csms=6..14:2 --set segments.enterprise.upsell.probability=10%,20%,30% -o sweep
  csplan sweep my-company.yaml --set 'team.plan[2027-04].csms=5..9' -o sweep`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error { return runSweep(c, a[0], o) },
	}
	f := c.Flags()
	f.StringArrayVar(&o.sets, "set", nil, "an input and its range, PATH=FROM..TO[:STEP] or PATH=V1,V2,... (a value may be [...] or {...} YAML)")
	f.StringVar(&o.metric, "metric", plan.SweepMetric, "the metric to optimise (see results.json metrics; valuation ignores CS cost)")
	o.addFlags(c)
	o.addShardFlag(c, "grid points")
	return c
}

func runSweep(c *cobra.Command, path string, o sweepOptions) error {
	axes, err := plan.ParseAxes(o.sets...)
	spec, shardErr := plan.ParseShard(o.shard)
	return o.simulateScenario(c, []string{path}, cmp.Or(plan.CheckMetric(o.metric), err, shardErr), func(s *scenarios.Scenario, set *plan.Settings) (simulation, error) {
		g, err := plan.NewGrid(s, axes...) // reads the files the points name
		if err != nil {
			return nil, err
		}
		return func(set plan.Settings) (plan.Output, error) { return g.Do(c.Context(), set, o.metric, spec) }, g.CheckWork(*set, spec)
	})
}
