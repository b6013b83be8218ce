package main

import (
	"csplan/plan"
	"csplan/results"
	"csplan/scenarios"
	"csplan/sim"

	"github.com/spf13/cobra"
)

func sensitivityCommand() *cobra.Command {
	var o runOptions
	var metric string
	c := &cobra.Command{
		Use:   "sensitivity SCENARIO.yaml -o DIR [--metric NAME]",
		Short: "Find which uncertain inputs move a metric most (tornado)",
		Long: `sensitivity sets each uncertain input (one given as a distribution) to its
10th and then its 90th percentile, with every other uncertain input at its
median, all on the same random numbers, and reports the metric at both ends
(a tornado chart, sorted by swing), with each input's rank correlation with
the metric and its share of the variance over a full Monte Carlo run. It
writes DIR/sensitivity.json, sensitivity.csv, sensitivity.md and tornado.png
and .svg.`,
		Example: `  csplan sensitivity scenarios/examples/acme-company.yaml -o sens
  csplan sensitivity my-company.yaml --metric arr_end --trials 2000 -o sens`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			return o.simulateScenario(c, a[:1], plan.CheckMetric(metric), func(s *scenarios.Scenario, set *plan.Settings) (simulation, error) {
				set.Mode = sim.MonteCarlo // as Sensitivity runs, whatever the mode
				return func(set plan.Settings) (out plan.Output, err error) {
					out.Sensitivity, err = plan.Sensitivity(c.Context(), s, set, metric)
					return out, err
				}, nil
			})
		},
	}
	c.Flags().StringVar(&metric, "metric", results.Valuation, "the metric to explain (see results.json metrics)")
	o.addFlags(c)
	return c
}
