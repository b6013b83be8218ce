package main

import (
	"cmp"
	"fmt"
	"io"
	"sync"

	"csplan/internal/files"
	"csplan/internal/progress"
	"csplan/plan"
	"csplan/report"
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

// overrides are the settings the flags replace in the scenario's, checked.
func (o *runOptions) overrides(c *cobra.Command) (plan.Overrides, error) {
	if err := needOutput(c, o.out); err != nil {
		return plan.Overrides{}, err
	}
	ov := plan.Overrides{Mode: o.mode, Sampling: o.sampling}
	if c.Flags().Changed("trials") {
		ov.Trials = &o.trials
	}
	if c.Flags().Changed("seed") {
		ov.Seed = &o.seed
	}
	if c.Flags().Changed("jobs") {
		ov.Workers = &o.workers
	}
	return ov, ov.Check()
}

// job reads the flags that only run has.
func (o *runOptions) job() (plan.Job, error) {
	spec, shardErr := plan.ParseShard(o.shard)
	precision, precisionErr := plan.ParsePrecision(o.precision)
	job := plan.Job{Precision: precision, PrecisionMetric: o.metric, Sensitivity: o.sensitive, Shard: spec}
	return job, cmp.Or(shardErr, precisionErr, job.Check())
}

func runScenario(c *cobra.Command, path string, o runOptions) error {
	job, err := o.job()
	return o.simulateScenario(c, path, err, func(s *scenarios.Scenario, _ *plan.Settings) (simulation, error) {
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
func (o *runOptions) simulateScenario(c *cobra.Command, path string, checked error, prepare func(*scenarios.Scenario, *plan.Settings) (simulation, error)) error {
	ov, err := o.overrides(c)
	if err = cmp.Or(err, checked); err != nil {
		return err
	}
	var read []string
	s, err := scenarios.LoadTracked(path, func(file string) { read = append(read, file) })
	if err != nil {
		return err
	}
	set := plan.Settings{Settings: ov.Apply(s.Settings), Version: csplanVersion()}
	do, err := prepare(s, &set)
	if err != nil {
		return err
	}
	dir, err := files.NewDir(o.out, read...)
	if err != nil {
		return err
	}
	defer dir.Discard()
	out, err := simulate(c, o.quiet || set.Mode == sim.Expected, set, do)
	if err != nil {
		return err
	}
	return write(c, dir, out, o.pdf, o.out)
}

// simulate runs a job with a progress bar on standard error, unless
// quiet: a new bar for each new total (a round of --precision, the
// sensitivity after a run), the last cleared when the job ends.
func simulate[T any](c *cobra.Command, quiet bool, set plan.Settings, job func(plan.Settings) (T, error)) (T, error) {
	var mu sync.Mutex
	var bar func(done, total int)
	end, shown := func() {}, 0
	defer func() { end() }()
	set.Progress = func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != shown {
			end()
			bar, end = progress.Bar(c.ErrOrStderr(), quiet)
			shown = total
		}
		if bar != nil {
			bar(done, total)
		}
	}
	return job(set)
}

// write writes the file of what a job returned (results.json,
// sweep.json, sensitivity.json or a part) into dir with its report, and
// prints what it holds: the end of run, sweep, sensitivity and merge.
func write(c *cobra.Command, dir *files.Dir, out plan.Output, pdf bool, path string) error {
	name, data, err := out.File()
	if err != nil {
		return err
	}
	return finish(c, dir, func() error {
		if err := dir.Write(name, data); err != nil {
			return err
		}
		return render(c, dir, out, pdf)
	}, func() error { return tell(c.OutOrStdout(), out, path) })
}

// render writes the report of out into dir: of a run, the charts, the
// documents and the CSV files (as report does); of a sweep or a
// sensitivity, its CSV file and chart; none of a part.
func render(c *cobra.Command, dir *files.Dir, out plan.Output, pdf bool) error {
	switch {
	case out.Results != nil:
		return report.Write(c.Context(), dir.Temp(), out.Results, report.Options{PDF: pdf})
	case out.Sweep != nil:
		return report.WriteSweep(dir.Temp(), out.Sweep)
	case out.Sensitivity != nil:
		return report.WriteSensitivity(dir.Temp(), out.Sensitivity)
	}
	return nil
}

// tell prints a summary of out (a run's, a sweep's best point, the inputs
// by swing, what a part holds) and that path was written.
func tell(w io.Writer, out plan.Output, path string) error {
	switch {
	case out.Part != nil:
		fmt.Fprintf(w, "%s\nwrote %s (merge the parts with csplan merge)\n", plan.DescribePart(out.Part), path)
	case out.Sweep != nil:
		report.SweepText(w, out.Sweep)
		fmt.Fprintf(w, "wrote %s\n", path)
	case out.Sensitivity != nil:
		report.SensitivityText(w, out.Sensitivity)
		fmt.Fprintf(w, "wrote %s\n", path)
	default:
		if err := report.Text(w, out.Results); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nwrote %s\n", path)
	}
	return nil
}
