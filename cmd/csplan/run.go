package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"csplan/report"
	"csplan/results"
	"csplan/scenarios"
	"csplan/sim"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

type runOptions struct {
	out       string
	trials    int
	seed      uint64
	workers   int
	mode      string
	quiet     bool
	pdf       bool
	sampling  string
	precision string
	metric    string
}

func runCommand() *cobra.Command {
	var o runOptions
	c := &cobra.Command{
		Use:   "run SCENARIO.yaml -o DIR",
		Short: "Simulate a scenario and write its results",
		Long: `run simulates the baseline and every option of a scenario on the same random
numbers and writes DIR/results.json with the report: charts (PNG and SVG,
PDF with --pdf), report.md, report.html, summary.csv, timeseries.csv and
results.xlsx. DIR is replaced only when the run
succeeds; an invalid scenario, an error or Ctrl-C leaves nothing partial.
A summary is printed on standard output; progress goes to standard error
when it is a terminal.`,
		Example: `  csplan run scenarios/examples/acme-company.yaml -o out
  csplan run my-company.yaml -o out --trials 50000 -j 2
  csplan run scenarios/examples/w2-b-annual.yaml -o out --mode expected`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			return runScenario(c, a[0], o)
		},
	}
	o.addFlags(c)
	c.Flags().BoolVar(&o.pdf, "pdf", false, "also write the charts as PDF")
	c.Flags().StringVar(&o.precision, "precision", "", "run trials in doubling rounds until the 95% interval of the metric's mean and of each difference is within this share of the mean (e.g. 0.5%), up to --trials")
	c.Flags().StringVar(&o.metric, "precision-metric", "arr_end", "the metric --precision watches")
	return c
}

// addFlags registers the flags run and sweep share.
func (o *runOptions) addFlags(c *cobra.Command) {
	f := c.Flags()
	f.StringVarP(&o.out, "output", "o", "", "output directory (required)")
	f.IntVar(&o.trials, "trials", 0, "number of trials (overrides the scenario)")
	f.Uint64Var(&o.seed, "seed", 0, "random seed (overrides the scenario)")
	f.IntVarP(&o.workers, "jobs", "j", 0, "parallel workers (default: all cores)")
	f.StringVar(&o.mode, "mode", "", "monte-carlo or expected (overrides the scenario)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no progress bar")
	f.StringVar(&o.sampling, "sampling", "", "random or lhs (Latin hypercube; overrides the scenario)")
}

// check rejects flag values before any work is done.
func (o *runOptions) check(c *cobra.Command) error {
	switch {
	case o.out == "":
		return usageError{fmt.Errorf("%s: -o DIR is required (the output directory)", c.Name())}
	case c.Flags().Changed("trials") && (o.trials < 1 || o.trials > 10_000_000):
		return usageError{fmt.Errorf("--trials must be between 1 and 10000000, got %d", o.trials)}
	case o.workers < 0:
		return usageError{fmt.Errorf("-j must be at least 1, got %d", o.workers)}
	case o.mode != "" && o.mode != "expected" && o.mode != "monte-carlo":
		return usageError{fmt.Errorf("unknown mode %q (use one of: expected, monte-carlo)", o.mode)}
	case o.sampling != "" && o.sampling != "random" && o.sampling != "lhs":
		return usageError{fmt.Errorf("unknown sampling %q (use one of: random, lhs)", o.sampling)}
	}
	return nil
}

// settings applies the flags to the scenario's run settings.
func (o *runOptions) settings(c *cobra.Command, set sim.Settings) sim.Settings {
	if c.Flags().Changed("trials") {
		set.Trials = o.trials
	}
	if c.Flags().Changed("seed") {
		set.Seed = o.seed
	}
	set.Workers = o.workers
	switch o.mode {
	case "expected":
		set.Mode = sim.Expected
	case "monte-carlo":
		set.Mode = sim.MonteCarlo
	}
	if o.sampling != "" {
		set.LHS = o.sampling == "lhs"
	}
	return set
}

// load reads the scenario, applies the flags to its settings and opens the
// output directory (the caller discards it unless it commits).
func (o *runOptions) load(c *cobra.Command, path string) (*scenarios.Scenario, sim.Settings, *outputDir, error) {
	s, err := scenarios.Load(path)
	if err != nil {
		return nil, sim.Settings{}, nil, err
	}
	dir, err := newOutputDir(o.out)
	if err != nil {
		return nil, sim.Settings{}, nil, err
	}
	return s, o.settings(c, s.Settings), dir, nil
}

func runScenario(c *cobra.Command, path string, o runOptions) error {
	if err := o.check(c); err != nil {
		return err
	}
	s, set, dir, err := o.load(c, path)
	if err != nil {
		return err
	}
	defer dir.discard()

	opts := make([]sim.Option, len(s.Options))
	for i, op := range s.Options {
		opts[i] = sim.Option{Name: op.Name, Description: op.Description, Model: op.Model}
	}
	progress, finish := progressReporter(c, o.quiet || set.Mode == sim.Expected)
	var res *results.Results
	if o.precision != "" {
		p, perr := parsePercent(o.precision)
		if perr != nil {
			finish()
			return usageError{fmt.Errorf("--precision: %w", perr)}
		}
		res, err = sim.RunToPrecision(c.Context(), opts, set, o.metric, p, progress)
	} else {
		res, err = sim.Run(c.Context(), opts, set, progress)
	}
	finish()
	if err != nil {
		return err
	}
	res.Scenario, res.Question, res.Currency = s.Name, s.Question, s.Currency
	res.Start = s.Start.Format("2006-01")
	res.Version = csplanVersion()
	res.Assumptions = s.Assumptions()
	for i := range res.Options {
		res.Options[i].Changes = s.Options[i].Changes()
	}
	data, err := results.Marshal(res)
	if err != nil {
		return err
	}
	if err := os.WriteFile(dir.path("results.json"), data, 0o644); err != nil {
		return err
	}
	if err := report.Write(dir.tmp, res, report.Options{PDF: o.pdf}); err != nil {
		return err
	}
	if err := c.Context().Err(); err != nil {
		return err
	}
	if err := dir.commit(); err != nil {
		return err
	}
	if err := report.Text(c.OutOrStdout(), res); err != nil {
		return err
	}
	fmt.Fprintf(c.OutOrStdout(), "\nwrote %s\n", o.out)
	return nil
}

// progressReporter returns a progress callback drawing a bar on standard
// error when it is a terminal (and the run lasts over a second), and a
// function that clears it.
func progressReporter(c *cobra.Command, quiet bool) (func(done, total int), func()) {
	f, ok := c.ErrOrStderr().(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	start := time.Now()
	report := func(done, total int) {
		if bar == nil {
			if time.Since(start) < time.Second {
				return
			}
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("simulating"),
				progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(),
				progressbar.OptionThrottle(100*time.Millisecond))
		}
		bar.Set(done)
	}
	var mu = make(chan struct{}, 1)
	return func(done, total int) {
			mu <- struct{}{}
			report(done, total)
			<-mu
		}, func() {
			if bar != nil {
				bar.Finish()
			}
		}
}

// parsePercent reads "0.5%" or "0.005".
func parsePercent(s string) (float64, error) {
	t := strings.TrimSpace(s)
	scale := 1.0
	if strings.HasSuffix(t, "%") {
		t, scale = strings.TrimSuffix(t, "%"), 0.01
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v <= 0 || v*scale >= 1 {
		return 0, fmt.Errorf("expected a share such as 0.5%% or 0.005, found %q", s)
	}
	return v * scale, nil
}
