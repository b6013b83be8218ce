package main

import (
	"bytes"
	"cmp"
	"fmt"

	"csplan/internal/files"
	"csplan/plan"
	"csplan/report"
	"csplan/report/history"
	"csplan/results"

	"github.com/spf13/cobra"
)

type backtestOptions struct {
	until, out, dups, term string
	rolling, trials        int
	workers                int
	seed                   uint64
	columns                []string
}

func backtestCommand() *cobra.Command {
	var o backtestOptions
	c := &cobra.Command{
		Use:   "backtest HISTORY.csv --until YYYY-MM",
		Short: "Fit the history up to a month, forecast the rest, and compare",
		Long: `backtest calibrates a scenario on the history up to --until (as calibrate
does, with the book of that month exactly), runs it over the months the
history has after it, and sets each month's ARR and customers, of the book
and of each segment, beside the forecast's median and 50 % and 90 %
intervals. It prints how often the actual fell inside each interval
(nominally half and nine in ten of the months) and the median's error
(MAPE). --rolling N cuts again every N months after --until and
summarises the coverage over every cut and by months ahead. With -o DIR it
writes backtest.json, backtest.csv and the charts: the forecast fan with
the actuals, and with --rolling the coverage by months ahead.
See docs/history.md.`,
		Example: `  csplan backtest history.csv --until 2025-06
  csplan backtest history.csv --until 2024-12 --rolling 3 -o backtest-out`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error { return o.run(c, a[0]) },
	}
	f := c.Flags()
	f.StringVar(&o.until, "until", "", "the last month to fit, YYYY-MM (required)")
	f.IntVar(&o.rolling, "rolling", 0, "also cut every N months after --until (0: one cut)")
	trialsFlag(f, &o.trials, 500, "trials of each forecast")
	f.Uint64Var(&o.seed, "seed", 1, "random seed")
	f.IntVarP(&o.workers, "jobs", "j", 0, "parallel workers (default: all cores)")
	f.StringVarP(&o.out, "output", "o", "", "also write backtest.json, backtest.csv and the charts into this directory")
	f.StringVar(&o.dups, "duplicates", "error", "two rows of one account and month: error, sum them, or identical (drop a row that repeats the other's MRR)")
	f.StringVar(&o.term, "term", "auto", "contract term in months: auto (detect from when accounts leave), or 1 to 60")
	addColumnsFlag(c, &o.columns)
	return c
}

func (o backtestOptions) run(c *cobra.Command, path string) error {
	if o.until == "" {
		return usageError{fmt.Errorf("backtest: --until YYYY-MM is required (the last month to fit)")}
	}
	opt := plan.BacktestOptions{Until: o.until, Every: o.rolling, Trials: o.trials, Seed: o.seed, Workers: o.workers, Version: csplanVersion()}
	var err, colErr error
	opt.Read, err = plan.ParseDuplicates(o.dups)
	opt.Read.Columns, colErr = plan.ParseColumns(o.columns)
	term, termErr := plan.ParseTerm(o.term)
	opt.Fit.Term = term
	if err := cmp.Or(err, colErr, termErr); err != nil {
		return fmt.Errorf("backtest: %w", err)
	}
	b, err := plan.Backtest(c.Context(), path, opt)
	if err != nil {
		return err
	}
	if err := history.WriteBacktest(c.OutOrStdout(), b); err != nil || o.out == "" {
		return err
	}
	return finish(c, o.out, []string{path}, func(dir *files.Dir) error {
		data, err := results.MarshalBacktest(b)
		if err != nil {
			return err
		}
		var csv bytes.Buffer
		if err := history.BacktestCSV(&csv, b); err != nil {
			return err
		}
		if err := cmp.Or(dir.Write("backtest.json", data), dir.Write("backtest.csv", csv.Bytes())); err != nil {
			return err
		}
		return history.BacktestCharts(b, func(ch report.Chart) error { return writeChart(dir, ch) })
	}, saying(c.ErrOrStderr(), "wrote %s\n", o.out))
}
