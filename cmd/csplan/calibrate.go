package main

import (
	"cmp"
	"fmt"

	"csplan/internal/files"
	"csplan/plan"
	"csplan/report"
	"csplan/report/history"
	"csplan/scenarios/calibrate"

	"github.com/spf13/cobra"
)

type calibrateOptions struct {
	out, charts, dups, term  string
	periods, horizon, trials int
	force                    bool
	columns                  []string
}

func calibrateCommand() *cobra.Command {
	var o calibrateOptions
	c := &cobra.Command{
		Use:   "calibrate HISTORY.csv -o SCENARIO.yaml",
		Short: "Fit a scenario to a revenue history (or a cohort survival table)",
		Long: `calibrate reads a history of account revenue by month (account_id, month,
mrr; optional segment, nps) and fits, per segment: churn by tenure
(Kaplan-Meier; the shifted-beta-geometric model by maximum likelihood with
standard errors from the observed information; a constant rate; the better
of the two by AIC), the contract term (monthly, or 12-month renewals, from
when accounts leave), the frequency and size of expansions and
contractions, new accounts a month and their ACV (lognormal). It prints the
fits and a Pareto of accounts by MRR with suggested touch tiers, and writes
a commented scenario (every fitted number with its standard error; the
uncertainty carried as distributions) that csplan validates and runs, and
charts: retention actual against fitted per segment, and the Pareto.
It also reads a cohort survival table (period,survivors) and fits it.
The opening book is exact: the accounts paying in the history's last month
go to SCENARIO-accounts.csv beside the scenario (MRR, next renewal,
tenure, segment), which the scenario reads; the fitted ACV is for new
accounts. SCENARIO.yaml and SCENARIO-accounts.csv must not exist yet
(--force replaces them) and must not be the history.
See docs/history.md.`,
		Example: `  csplan calibrate history.csv -o calibrated.yaml
  csplan calibrate history.csv -o calibrated.yaml --charts charts --term 12
  csplan calibrate fader-hardie-regular.csv --periods 7 -o f1.yaml`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error { return o.run(c, a[0]) },
	}
	c.Flags().StringVarP(&o.out, "output", "o", "", "write the calibrated scenario YAML here")
	c.Flags().BoolVar(&o.force, "force", false, "replace SCENARIO.yaml if it exists (never the history)")
	c.Flags().StringVar(&o.charts, "charts", "", "directory for the charts (default: beside the scenario, NAME-charts)")
	c.Flags().StringVar(&o.dups, "duplicates", "error", "two rows of one account and month: error, sum them, or identical (drop a row that repeats the other's MRR)")
	c.Flags().StringVar(&o.term, "term", "auto", "contract term in months: auto (detect from when accounts leave), or 1 to 60")
	c.Flags().IntVar(&o.periods, "periods", 0, "cohort table: fit only periods 1..N (0: all)")
	c.Flags().IntVar(&o.horizon, "horizon", 36, "horizon of the written scenario, months")
	trialsFlag(c.Flags(), &o.trials, 2000, "trials of the written scenario")
	addColumnsFlag(c, &o.columns)
	return c
}

// options checks the flags and makes them the options of plan.Calibrate.
func (o calibrateOptions) options() (plan.CalibrateOptions, error) {
	opt := plan.CalibrateOptions{Periods: o.periods, Scenario: calibrate.ScenarioOptions{Horizon: o.horizon, Trials: o.trials}, Name: o.out}
	if err := opt.Parse(o.term, o.dups); err != nil {
		return opt, fmt.Errorf("calibrate: %w", err)
	}
	var err error
	if opt.Read.Columns, err = plan.ParseColumns(o.columns); err != nil {
		return opt, fmt.Errorf("calibrate: %w", err)
	}
	return opt, nil
}

func (o calibrateOptions) run(c *cobra.Command, path string) error {
	opt, err := o.options()
	if err != nil {
		return err
	}
	if o.out != "" {
		if err := files.CheckFile(o.out, o.force, path); err != nil {
			return err
		}
		if err := files.CheckCompanion(plan.AccountsFile(o.out), o.force, path, o.out); err != nil {
			return err
		}
	}
	cal, err := plan.Calibrate(c.Context(), path, opt)
	if err != nil {
		return err
	}
	history.WriteCalibration(c.OutOrStdout(), cal.Calibration, cal.History != nil)
	if o.out == "" {
		fmt.Fprintln(c.ErrOrStderr(), "no scenario written: give -o SCENARIO.yaml")
		return nil
	}
	charts := cmp.Or(o.charts, plan.ChartsDir(o.out))
	say := saying(c.ErrOrStderr(), "wrote %s and the charts in %s\n", o.out, charts)
	var writes []func() error
	if cal.Accounts != nil { // the opening book, which the scenario reads
		say = saying(c.ErrOrStderr(), "wrote %s, its opening book %s and the charts in %s\n", o.out, cal.AccountsFile, charts)
		writes = append(writes, func() error {
			if err := files.CheckCompanion(cal.AccountsFile, o.force, path, o.out); err != nil {
				return err
			}
			return files.WriteFile(cal.AccountsFile, cal.Accounts, o.force, path)
		})
	}
	writes = append(writes, func() error { return files.WriteFile(o.out, cal.Scenario, o.force, path) })
	return finish(c, charts, []string{path, o.out, cal.AccountsFile}, func(dir *files.Dir) error {
		return history.CalibrationCharts(cal.Calibration, path, cal.History != nil, func(ch report.Chart) error { return writeChart(dir, ch) })
	}, say, writes...)
}
