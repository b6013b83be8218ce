package main

import (
	"cmp"

	"csplan/internal/files"
	"csplan/internal/progress"
	"csplan/plan"
	"csplan/report"
	"csplan/report/output"
	"csplan/results"
	"csplan/scenarios"
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
	sensitive string   // --sensitivity METRIC
	job       plan.Job // its break-even, set by flags
}

func runCommand() *cobra.Command {
	var o runOptions
	c := &cobra.Command{
		Use:   "run SCENARIO.yaml [OTHER.yaml ...] -o DIR",
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
the unsharded run would have written, byte for byte.

With more than one scenario file, run compares them in one run: the first
file's baseline is the baseline, and every other file's baseline and
options are options named after their scenario, simulated on the same
random numbers (a draw is named by account and purpose, not by file), so
their differences are paired trial by trial. The trials, seed and other
settings are the first file's; the files need the same start and horizon.`,
		Example: `  csplan run scenarios/examples/acme-company.yaml -o out
  csplan run my-company.yaml -o out --trials 50000 -j 2
  csplan run scenarios/examples/w2-b-annual.yaml -o out --mode expected
  csplan run my-company.yaml -o parts/part-3 --trials 1000000 --shard 3/8
  csplan run plan-2027.yaml plan-2027-cut.yaml -o compare`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			return runScenario(c, a, o)
		},
	}
	o.addFlags(c)
	addPDFFlag(c, &o.pdf)
	c.Flags().StringVar(&o.precision, "precision", "", "run trials in doubling rounds until the 95% interval of the metric's mean and of each difference is within this share of the mean (e.g. 0.5%), up to --trials")
	c.Flags().StringVar(&o.metric, "precision-metric", results.ARREnd, "the metric --precision watches")
	c.Flags().StringVar(&o.sensitive, "sensitivity", "", "also measure which uncertain inputs move this metric most (as csplan sensitivity does) and add the section to the report")
	c.Flags().BoolVar(&o.job.Breakeven, "breakeven", false, "also find what would have to be true for an option to pay (as csplan breakeven does) and add the section to the report")
	c.Flags().StringVar(&o.job.BreakevenOption, "breakeven-option", "", "the option of --breakeven (default: the scenario's only option)")
	c.Flags().StringVar(&o.job.BreakevenMetric, "breakeven-metric", results.GrossProfitTotal, "the metric of --breakeven")
	o.addShardFlag(c, "trials")
	return c
}

// addShardFlag registers --shard for run and sweep, which split work by what.
func (o *runOptions) addShardFlag(c *cobra.Command, what string) {
	c.Flags().StringVar(&o.shard, "shard", "", "simulate only shard I/N of the "+what+" (I from 0) and write a part for csplan merge into -o DIR")
}

// addFlags registers the flags run, sweep and sensitivity share.
func (o *runOptions) addFlags(c *cobra.Command) {
	addOutputFlag(c, &o.out)
	f := c.Flags()
	trialsFlag(f, &o.trials, 0, "number of trials (overrides the scenario)")
	f.Uint64Var(&o.seed, "seed", 0, "random seed (overrides the scenario)")
	f.IntVarP(&o.workers, "jobs", "j", 0, "parallel workers (default: all cores)")
	f.StringVar(&o.mode, "mode", "", "monte-carlo or expected (overrides the scenario)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no progress bar")
	f.StringVar(&o.sampling, "sampling", "", "random or lhs (Latin hypercube; overrides the scenario)")
}

// overrides are the settings the flags replace in the scenario's, checked.
func (o *runOptions) overrides(c *cobra.Command) (plan.Overrides, error) {
	if err := needOutput(c, o.out); err != nil {
		return plan.Overrides{}, err
	}
	ov := plan.Overrides{Mode: o.mode, Sampling: o.sampling,
		Trials: changed(c, "trials", &o.trials), Seed: changed(c, "seed", &o.seed), Workers: changed(c, "jobs", &o.workers)}
	return ov, ov.Check()
}

// changed is v, the value of the flag name, when the flag was given; nil
// when it was left out, so that the scenario's setting stays.
func changed[T any](c *cobra.Command, name string, v *T) *T {
	if !c.Flags().Changed(name) {
		return nil
	}
	return v
}

func runScenario(c *cobra.Command, paths []string, o runOptions) error {
	if !o.job.Breakeven && !c.Flags().Changed("breakeven-metric") {
		o.job.BreakevenMetric = "" // the default, for --breakeven only
	}
	job, err := o.job.Parse(o.precision, o.metric, o.sensitive, o.shard)
	return o.simulateScenario(c, paths, err, func(s *scenarios.Scenario, _ *plan.Settings) (simulation, error) {
		if err := job.CheckScenario(s); err != nil {
			return nil, err
		}
		return func(set plan.Settings) (plan.Output, error) { return job.Do(c.Context(), s, set) }, nil
	})
}

// A simulation is what run, sweep and sensitivity simulate once the
// scenario is loaded.
type simulation func(plan.Settings) (plan.Output, error)

// simulateScenario is run, sweep and sensitivity: it refuses bad flags,
// the shared ones and then the command's own (checked, their error), loads
// the scenario with the flags' settings, has prepare make the simulation
// (prepare may change the settings, and read files: a sweep's points),
// opens the output directory, which may hold none of the files read,
// simulates with progress and writes what the simulation returns.
func (o *runOptions) simulateScenario(c *cobra.Command, paths []string, checked error, prepare func(*scenarios.Scenario, *plan.Settings) (simulation, error)) error {
	ov, err := o.overrides(c)
	if err = cmp.Or(err, checked); err != nil {
		return err
	}
	var read []string
	s, err := plan.Load(paths, func(file string) { read = append(read, file) })
	if err != nil {
		return err
	}
	set := plan.Settings{Settings: ov.Apply(s.Settings), Version: csplanVersion()}
	do, err := prepare(s, &set)
	if err != nil {
		return err
	}
	var out plan.Output
	return finish(c, o.out, read, func(dir *files.Dir) (err error) {
		if out, err = simulate(c, o.quiet || set.Mode == sim.Expected, set, do); err != nil {
			return err
		}
		return output.Write(c.Context(), dir, out, report.Options{PDF: o.pdf})
	}, func() error { return output.Tell(c.OutOrStdout(), out, o.out) })
}

// simulate runs a job with a progress bar on standard error, unless
// quiet: a new bar for each new total (a round of --precision, the
// sensitivity after a run), the last cleared when the job ends.
func simulate[T any](c *cobra.Command, quiet bool, set plan.Settings, job func(plan.Settings) (T, error)) (T, error) {
	bar, end := progress.Bars(c.ErrOrStderr(), quiet)
	defer end()
	set.Progress = bar
	return job(set)
}
