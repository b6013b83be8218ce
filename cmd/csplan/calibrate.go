package main

import (
	"bufio"
	"fmt"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"

	"csplan/internal/files"
	"csplan/report"
	"csplan/report/history"
	"csplan/scenarios"
	"csplan/scenarios/calibrate"

	"github.com/spf13/cobra"
)

func calibrateCommand() *cobra.Command {
	var out, charts, dups, term string
	var periods, horizon, trials int
	var force bool
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
SCENARIO.yaml must not exist yet (--force replaces it) and must not be
the history.
See docs/history.md.`,
		Example: `  csplan calibrate history.csv -o calibrated.yaml
  csplan calibrate history.csv -o calibrated.yaml --charts charts --term 12
  csplan calibrate fader-hardie-regular.csv --periods 7 -o f1.yaml`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			opt := calibrate.Options{}
			switch term {
			case "auto":
			case "1", "12":
				opt.Term = map[string]int{"1": 1, "12": 12}[term]
			default:
				return usageError{fmt.Errorf("calibrate: unknown --term %q (use one of: auto, 1, 12)", term)}
			}
			if dups != "error" && dups != "sum" {
				return usageError{fmt.Errorf("calibrate: unknown --duplicates %q (use one of: error, sum)", dups)}
			}
			if lo, hi := scenarioBounds("horizon_months", 1, 240); horizon < lo || horizon > hi {
				return usageError{fmt.Errorf("calibrate: --horizon %d is out of range: a scenario runs from %d to %d months", horizon, lo, hi)}
			}
			if lo, hi := scenarioBounds("trials", 1, 10_000_000); trials < lo || trials > hi {
				return usageError{fmt.Errorf("calibrate: --trials %d is out of range: a scenario runs from %d to %s trials", trials, lo, calibrate.FormatAmount(float64(hi)))}
			}
			if periods < 0 {
				return usageError{fmt.Errorf("calibrate: --periods %d is negative: give the number of periods to fit, or 0 for all", periods)}
			}
			if out != "" {
				if err := files.CheckFile(out, force, a[0]); err != nil {
					return err
				}
			}
			f, err := openCSV(c.Context(), historyInput, a[0])
			if err != nil {
				return err
			}
			defer f.Close()
			br := bufio.NewReaderSize(f, 1<<16)
			var cal *calibrate.Calibration
			var h *calibrate.History
			if calibrate.IsCohortTable(calibrate.ReadHeader(br)) {
				co, err := calibrate.ReadCohort(br, a[0])
				if err != nil {
					return err
				}
				cal = calibrate.CalibrateCohort(co, periods)
			} else {
				h, err = calibrate.ReadHistory(br, a[0], calibrate.ReadOptions{Duplicates: calibrate.Duplicates(dups)})
				if err != nil {
					return err
				}
				if cal, err = calibrate.Calibrate(h, opt); err != nil {
					return err
				}
			}
			// The scenario is checked before anything is printed, so a
			// failure leaves no partial output.
			y := calibrate.Scenario(cal, calibrate.ScenarioOptions{Horizon: horizon, Trials: trials})
			name := out
			if name == "" {
				name = "calibrated.yaml"
			}
			if _, err := scenarios.Parse(name, y, nil); err != nil {
				return fmt.Errorf("the calibrated scenario does not validate (a csplan bug; please report it):\n%w", err)
			}
			history.WriteCalibration(c.OutOrStdout(), cal, h != nil)
			if out == "" {
				fmt.Fprintln(c.ErrOrStderr(), "no scenario written: give -o SCENARIO.yaml")
				return nil
			}
			if charts == "" {
				charts = strings.TrimSuffix(out, filepath.Ext(out)) + "-charts"
			}
			dir, err := files.NewDir(charts, a[0], out)
			if err != nil {
				return err
			}
			defer dir.Discard()
			if err := history.CalibrationCharts(cal, a[0], h != nil, func(ch report.Chart) error { return writeChart(dir, ch) }); err != nil {
				return err
			}
			if err := c.Context().Err(); err != nil {
				return err
			}
			if err := files.WriteFile(out, y, force, a[0]); err != nil {
				return err
			}
			if err := dir.Commit(); err != nil {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "wrote %s and the charts in %s\n", out, charts)
			return nil
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "write the calibrated scenario YAML here")
	c.Flags().BoolVar(&force, "force", false, "replace SCENARIO.yaml if it exists (never the history)")
	c.Flags().StringVar(&charts, "charts", "", "directory for the charts (default: beside the scenario, NAME-charts)")
	c.Flags().StringVar(&dups, "duplicates", "error", "two rows of one account and month: error, or sum them")
	c.Flags().StringVar(&term, "term", "auto", "contract term in months: auto (detect), 1 or 12")
	c.Flags().IntVar(&periods, "periods", 0, "cohort table: fit only periods 1..N (0: all)")
	c.Flags().IntVar(&horizon, "horizon", 36, "horizon of the written scenario, months")
	c.Flags().IntVar(&trials, "trials", 2000, "trials of the written scenario")
	return c
}

// scenarioBounds are the bounds the scenario validator puts on a
// whole-number field of the file (by its YAML name), read from the
// format's struct tags so the flags accept what the scenario does; lo and
// hi are the fallback.
func scenarioBounds(field string, lo, hi int) (int, int) {
	t := reflect.TypeFor[scenarios.File]()
	for i := range t.NumField() {
		f := t.Field(i)
		if strings.Split(f.Tag.Get("yaml"), ",")[0] != field {
			continue
		}
		if v, err := strconv.Atoi(f.Tag.Get("min")); err == nil {
			lo = v
		}
		if v, err := strconv.Atoi(f.Tag.Get("max")); err == nil {
			hi = v
		}
	}
	return lo, hi
}
