package main

import (
	"csplan/plan"
	"csplan/scenarios"

	"github.com/spf13/cobra"
)

type optimizeOptions struct {
	runOptions
	flags                plan.OptimizeFlags
	finalists, survivors int
}

func optimizeCommand() *cobra.Command {
	var o optimizeOptions
	c := &cobra.Command{
		Use:   "optimize SCENARIO.yaml -o DIR",
		Short: "Find the best team plan under a budget and constraints",
		Long: `optimize finds the best plan among every combination of the values of its
decision variables (CSMs per pool, the month of a change, a touch model or an
upsell cadence per segment, any input with a range), for an objective (the
mean contribution over the horizon by default, or any metric's mean or
percentile), under a CS budget per fiscal year and constraints on metrics, on
their mean or with a probability (GRR at least 90 % in 80 % of trials).

The scenario's optimize section names all of it; the flags replace its parts.
Every plan is screened on its expected path; the best go on to Monte Carlo
rounds of successive halving on the same random numbers, each round twice the
trials of the one before, until the finalists run every trial. A constraint
counts as met only when it holds with the stated confidence given its Monte
Carlo error.

It writes DIR/optimize.json, DIR/optimize.csv (every plan screened), the
frontier chart (CS cost against the objective, feasible plans, the
finalists, today's plan and the best marked) and DIR/optimized-option.yaml,
the best plan as an option to paste into the scenario.

With --shard I/N, optimize screens every plan, runs every survivor of the
screen on shard I of N of the trials and writes DIR/part.csplan; csplan merge
replays the rounds on the merged trials and writes what the unsharded
optimize would have written, byte for byte.`,
		Example: `  csplan optimize scenarios/examples/acme-company.yaml -o opt
  csplan optimize my-company.yaml --var team.csms=6..16 --budget 2.4M -o opt
  csplan optimize my-company.yaml --var team.pools.enterprise.csms=0..20 --var team.pools.mid-market.csms=0..20 --constraint 'grr_12m>=90%@80%' -o opt`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error { return runOptimize(c, a[0], o) },
	}
	f := c.Flags()
	f.StringArrayVar(&o.flags.Vars, "var", nil, "a decision variable and its values, PATH=FROM..TO[:STEP] or PATH=V1,V2,... (replaces the scenario's variables)")
	f.StringVar(&o.flags.Objective, "objective", "", "the metric to optimise (default: the scenario's, or contribution_total)")
	f.StringVar(&o.flags.Goal, "goal", "", "maximize or minimize (default: the metric's better way)")
	f.StringVar(&o.flags.Statistic, "statistic", "", "mean, or a percentile of the trials such as p10")
	f.StringVar(&o.flags.Budget, "budget", "", "CS cost at most this in every fiscal year (2.5M)")
	f.StringArrayVar(&o.flags.Constraints, "constraint", nil, "METRIC>=BOUND or METRIC<=BOUND, with @PROBABILITY for a chance constraint (grr_12m>=90%@80%); replaces the scenario's")
	f.IntVar(&o.finalists, "finalists", 4, "plans that run every trial at the end (default: the scenario's, or 4)")
	f.IntVar(&o.survivors, "survivors", 16, "plans the expected-path screen passes to the Monte Carlo rounds (default: the scenario's, or 16)")
	f.StringVar(&o.flags.Confidence, "confidence", "", "the confidence a constraint must hold with (default 95%)")
	o.addFlags(c)
	o.addShardFlag(c, "trials (every shard screens every plan; merge replays the rounds)")
	return c
}

func runOptimize(c *cobra.Command, path string, o optimizeOptions) error {
	spec, shardErr := plan.ParseShard(o.shard)
	o.flags.Finalists, o.flags.Survivors = changed(c, "finalists", &o.finalists), changed(c, "survivors", &o.survivors)
	return o.simulateScenario(c, []string{path}, shardErr, func(s *scenarios.Scenario, set *plan.Settings) (simulation, error) {
		problem, err := o.flags.Problem(s)
		if err != nil {
			return nil, err
		}
		opt, err := plan.NewOptimizer(s, problem) // reads the files the values name
		if err != nil {
			return nil, err
		}
		return func(set plan.Settings) (plan.Output, error) { return opt.Do(c.Context(), set, spec) }, opt.CheckWork(*set)
	})
}
