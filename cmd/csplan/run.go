package main

import (
	"errors"
	"fmt"

	"csplan/internal/files"
	"csplan/internal/progress"
	"csplan/plan"
	"csplan/report"
	"csplan/results"
	"csplan/scenarios"
	"csplan/shard"
	"csplan/sim"

	"github.com/spf13/cobra"
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
	shard     string
	sensitive string // --sensitivity METRIC
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
when it is a terminal.

With --shard I/N, run simulates only shard I of N of the trials (whole
blocks of 32; a trial's numbers never depend on its shard) and writes
DIR/part.csplan; csplan merge turns the N parts into the results and report
the unsharded run would have written, byte for byte.`,
		Example: `  csplan run scenarios/examples/acme-company.yaml -o out
  csplan run my-company.yaml -o out --trials 50000 -j 2
  csplan run scenarios/examples/w2-b-annual.yaml -o out --mode expected
  csplan run my-company.yaml -o parts/part-3 --trials 1000000 --shard 3/8`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			return runScenario(c, a[0], o)
		},
	}
	o.addFlags(c)
	addPDFFlag(c, &o.pdf)
	c.Flags().StringVar(&o.precision, "precision", "", "run trials in doubling rounds until the 95% interval of the metric's mean and of each difference is within this share of the mean (e.g. 0.5%), up to --trials")
	c.Flags().StringVar(&o.metric, "precision-metric", results.ARREnd, "the metric --precision watches")
	c.Flags().StringVar(&o.sensitive, "sensitivity", "", "also measure which uncertain inputs move this metric most (as csplan sensitivity does) and add the section to the report")
	o.addShardFlag(c, "trials")
	return c
}

// addShardFlag registers --shard for run and sweep, which split work by what.
func (o *runOptions) addShardFlag(c *cobra.Command, what string) {
	c.Flags().StringVar(&o.shard, "shard", "", "simulate only shard I/N of the "+what+" (I from 0) and write a part for csplan merge into -o DIR")
}

func (o *runOptions) shardSpec() (shard.Spec, error) {
	spec, err := shard.ParseSpec(o.shard)
	if err != nil {
		return spec, usageError{fmt.Errorf("--shard: %w", err)}
	}
	return spec, nil
}

// addFlags registers the flags run, sweep and sensitivity share.
func (o *runOptions) addFlags(c *cobra.Command) {
	addOutputFlag(c, &o.out)
	f := c.Flags()
	f.IntVar(&o.trials, "trials", 0, "number of trials (overrides the scenario)")
	f.Uint64Var(&o.seed, "seed", 0, "random seed (overrides the scenario)")
	f.IntVarP(&o.workers, "jobs", "j", 0, "parallel workers (default: all cores)")
	f.StringVar(&o.mode, "mode", "", "monte-carlo or expected (overrides the scenario)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no progress bar")
	f.StringVar(&o.sampling, "sampling", "", "random or lhs (Latin hypercube; overrides the scenario)")
}

// check rejects flag values before any work is done.
func (o *runOptions) check(c *cobra.Command) error {
	if err := needOutput(c, o.out); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		err  error
	}{
		{"trials", plan.CheckTrials(o.trials)},
		{"jobs", plan.CheckWorkers(o.workers)},
		{"seed", plan.CheckSeed(o.seed)},
	} {
		if c.Flags().Changed(f.name) && f.err != nil {
			return usageError{flagError(f.err)}
		}
	}
	if _, err := plan.ParseMode(o.mode); o.mode != "" && err != nil {
		return usageError{err}
	}
	if _, err := plan.ParseSampling(o.sampling); o.sampling != "" && err != nil {
		return usageError{err}
	}
	return nil
}

// flagError is err with the setting that plan refused named by its flag:
// --trials, -j for workers.
func flagError(err error) error {
	var se *plan.SettingError
	if !errors.As(err, &se) {
		return err
	}
	flag := "--" + se.Setting
	if se.Setting == "workers" {
		flag = "-j"
	}
	return fmt.Errorf("%s %s", flag, se.Problem)
}

// settings applies the flags, checked, to the scenario's run settings.
func (o *runOptions) settings(c *cobra.Command, set sim.Settings) plan.Settings {
	if c.Flags().Changed("trials") {
		set.Trials = o.trials
	}
	if c.Flags().Changed("seed") {
		set.Seed = o.seed
	}
	set.Workers = o.workers
	if o.mode != "" {
		set.Mode, _ = plan.ParseMode(o.mode)
	}
	if o.sampling != "" {
		set.LHS, _ = plan.ParseSampling(o.sampling)
	}
	return plan.Settings{Settings: set, Version: csplanVersion()}
}

// load reads the scenario, applies the flags to its settings and opens the
// output directory (the caller discards it unless it commits).
func (o *runOptions) load(c *cobra.Command, path string) (*scenarios.Scenario, plan.Settings, *files.Dir, error) {
	var read []string
	s, err := loadScenario(path, &read)
	if err != nil {
		return nil, plan.Settings{}, nil, err
	}
	dir, err := files.NewDir(o.out, read...)
	if err != nil {
		return nil, plan.Settings{}, nil, err
	}
	return s, o.settings(c, s.Settings), dir, nil
}

// runFlags checks the flags only run has, and reads its shard and its
// precision.
func (o *runOptions) runFlags(c *cobra.Command) (spec shard.Spec, precision float64, err error) {
	if o.shard != "" {
		if spec, err = o.shardSpec(); err != nil {
			return spec, 0, err
		}
		if o.precision != "" {
			return spec, 0, usageError{fmt.Errorf("--shard runs a fixed number of trials; it cannot be combined with --precision")}
		}
	}
	if o.precision != "" {
		if precision, err = plan.ParseShare(o.precision); err != nil {
			return spec, 0, usageError{fmt.Errorf("--precision: %w", err)}
		}
	}
	if o.precision != "" || c.Flags().Changed("precision-metric") {
		if err := plan.CheckMetric(o.metric); err != nil {
			return spec, 0, usageError{fmt.Errorf("--precision-metric: %w", err)}
		}
	}
	if o.sensitive != "" {
		if err := plan.CheckMetric(o.sensitive); err != nil {
			return spec, 0, usageError{fmt.Errorf("--sensitivity: %w", err)}
		}
		if o.shard != "" {
			return spec, 0, usageError{fmt.Errorf("--sensitivity cannot be combined with --shard; run csplan sensitivity on its own")}
		}
	}
	return spec, precision, nil
}

func runScenario(c *cobra.Command, path string, o runOptions) error {
	if err := o.check(c); err != nil {
		return err
	}
	spec, precision, err := o.runFlags(c)
	if err != nil {
		return err
	}
	s, set, dir, err := o.load(c, path)
	if err != nil {
		return err
	}
	defer dir.Discard()
	if o.shard != "" {
		return runShard(c, s, set, spec, dir, o)
	}
	res, err := simulate(c, o.quiet || set.Mode == sim.Expected, set, func(set plan.Settings) (*results.Results, error) {
		if o.precision != "" {
			return plan.RunToPrecision(c.Context(), s, set, o.metric, precision)
		}
		return plan.Run(c.Context(), s, set)
	})
	if err != nil {
		return err
	}
	if o.sensitive != "" {
		if set.Mode == sim.Expected {
			return usageError{fmt.Errorf("--sensitivity needs Monte Carlo trials; drop --mode expected")}
		}
		if res.Sensitivity, err = simulate(c, o.quiet, set, func(set plan.Settings) (*results.Sensitivity, error) {
			return plan.Sensitivity(c.Context(), s, set, o.sensitive)
		}); err != nil {
			return err
		}
	}
	return writeRun(c, dir, res, o.pdf, o.out)
}

// simulate runs a job with a progress bar on standard error, unless
// quiet, and clears the bar when the job ends.
func simulate[T any](c *cobra.Command, quiet bool, set plan.Settings, job func(plan.Settings) (T, error)) (T, error) {
	bar, done := progress.Bar(c.ErrOrStderr(), quiet)
	defer done()
	set.Progress = bar
	return job(set)
}

// writeRun writes results.json and the report of res into dir and prints
// the summary: the end of run and of merge.
func writeRun(c *cobra.Command, dir *files.Dir, res *results.Results, pdf bool, out string) error {
	data, err := results.Marshal(res)
	if err != nil {
		return err
	}
	return writeReport(c, dir, data, res, pdf, func() error {
		if err := report.Text(c.OutOrStdout(), res); err != nil {
			return err
		}
		return saying(c.OutOrStdout(), "\nwrote %s\n", out)()
	})
}

// writeReport writes data as results.json and the report of res into dir:
// the end of run, merge and report.
func writeReport(c *cobra.Command, dir *files.Dir, data []byte, res *results.Results, pdf bool, say func() error) error {
	return finish(c, dir, func() error {
		if err := dir.Write("results.json", data); err != nil {
			return err
		}
		return report.Write(c.Context(), dir.Temp(), res, report.Options{PDF: pdf})
	}, say)
}

// runShard simulates one shard's trials and writes its part.
func runShard(c *cobra.Command, s *scenarios.Scenario, set plan.Settings, spec shard.Spec, dir *files.Dir, o runOptions) error {
	f, err := simulate(c, o.quiet, set, func(set plan.Settings) (*shard.File, error) {
		return plan.RunShard(c.Context(), s, set, spec)
	})
	if errors.Is(err, plan.ErrExpectedShard) {
		return usageError{fmt.Errorf("--shard: %w", err)}
	}
	if err != nil {
		return err
	}
	what := fmt.Sprintf("trials %d to %d of %d", f.Part.First, f.Part.End-1, set.Trials)
	if f.Part.First == f.Part.End {
		what = fmt.Sprintf("no trials (%d shards for %d blocks of %d trials)", spec.N, (set.Trials+sim.BlockSize-1)/sim.BlockSize, sim.BlockSize)
	}
	return writePart(c, dir, f, s.Name+": shard "+spec.String()+", "+what, o.out)
}

// writePart writes a shard's part into dir and says what it holds: the
// end of run --shard and sweep --shard.
func writePart(c *cobra.Command, dir *files.Dir, f *shard.File, what, out string) error {
	data, err := shard.Encode(f)
	if err != nil {
		return err
	}
	return finish(c, dir, func() error { return dir.Write(shard.FileName, data) },
		saying(c.OutOrStdout(), "%s\nwrote %s (merge the parts with csplan merge)\n", what, out))
}
