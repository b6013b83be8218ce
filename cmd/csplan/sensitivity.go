package main

import (
	"encoding/json"

	"csplan/plan"
	"csplan/report"
	"csplan/results"

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
			if err := o.check(c); err != nil {
				return err
			}
			if err := plan.CheckMetric(metric); err != nil {
				return usageError{err}
			}
			s, set, dir, err := o.load(c, a[0])
			if err != nil {
				return err
			}
			defer dir.Discard()
			sens, err := simulate(c, o.quiet, set, func(set plan.Settings) (*results.Sensitivity, error) {
				return plan.Sensitivity(c.Context(), s, set, metric)
			})
			if err != nil {
				return err
			}
			data, err := json.MarshalIndent(sens, "", "  ")
			if err != nil {
				return err
			}
			return finish(c, dir, func() error {
				if err := dir.Write("sensitivity.json", append(data, '\n')); err != nil {
					return err
				}
				return report.WriteSensitivity(dir.Temp(), sens)
			}, func() error {
				report.SensitivityText(c.OutOrStdout(), sens)
				return saying(c.OutOrStdout(), "wrote %s\n", o.out)()
			})
		},
	}
	c.Flags().StringVar(&metric, "metric", results.Valuation, "the metric to explain (see results.json metrics)")
	o.addFlags(c)
	return c
}
