package main

import (
	"csplan/plan"
	"csplan/results"
	"csplan/scenarios"
	"csplan/sim"

	"github.com/spf13/cobra"
)

func breakevenCommand() *cobra.Command {
	var o runOptions
	var option, metric string
	c := &cobra.Command{
		Use:   "breakeven SCENARIO.yaml -o DIR [--option NAME] [--metric NAME]",
		Short: "Find what would have to be true for an option to pay",
		Long: `breakeven compares an option with the baseline on a metric (gross profit
over the horizon by default), trial by trial on the same random numbers, and
for the uncertain inputs that move the difference most finds the value of
each at which the mean difference crosses zero, with its Monte Carlo error:
"the cut pays off only if churn at no coverage rises less than x1.42, against
x1.5 to x2.4 assumed". Every other input is drawn as assumed. It writes
DIR/breakeven.json, breakeven.md, breakeven.csv and breakeven.png and .svg
(the mean difference against each input, the zero line and the assumed range).
run --breakeven adds the same section to the main report.`,
		Example: `  csplan breakeven scenarios/examples/cut-csms.yaml -o be
  csplan breakeven my-company.yaml --option "Cut 3 CSMs" --metric arr_end --trials 1000 -o be`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			return o.simulateScenario(c, a[:1], plan.CheckBreakeven(metric, o.mode), func(s *scenarios.Scenario, set *plan.Settings) (simulation, error) {
				set.Mode = sim.MonteCarlo // as Breakeven runs, whatever the mode
				return func(set plan.Settings) (out plan.Output, err error) {
					out.Breakeven, err = plan.Breakeven(c.Context(), s, set, option, metric)
					return out, err
				}, nil
			})
		},
	}
	c.Flags().StringVar(&option, "option", "", "the option to compare with the baseline (default: the scenario's only option)")
	c.Flags().StringVar(&metric, "metric", results.GrossProfitTotal, "the metric the option must beat the baseline on (see results.json metrics)")
	o.addFlags(c)
	return c
}
