// Package plan runs csplan's jobs on a loaded scenario, one function per
// job: Run (whole, to a precision, or one shard of its trials), Sweep (a
// grid of one or two inputs, whole or one shard of its points),
// Sensitivity, and Merge, which puts the parts of a sharded run or sweep
// back together. Each takes a scenario (from scenarios.Load) and Settings
// and returns results values. For a company's history it reads the
// history and costs, and computes the KPIs and the calibration. It reads
// its inputs under csplan's rules for inputs, writes no file and prints
// nothing: package report renders the values, and cmd/csplan writes and
// prints them.
package plan

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strconv"

	"csplan/results"
	"csplan/scenarios"
	"csplan/shard"
	"csplan/sim"
)

// Settings are how a job runs.
type Settings struct {
	// Settings are the engine's: the scenario's (Scenario.Settings), with
	// any overrides of trials, seed, workers, mode or sampling.
	sim.Settings
	// Version is the csplan version that the results record. Parts merge
	// only with parts of the same version.
	Version string
	// Progress, when not nil, is called as trials finish, with how many
	// are done of how many.
	Progress func(done, total int)
}

// Run simulates the baseline and every option of s on the same random
// numbers.
func Run(ctx context.Context, s *scenarios.Scenario, set Settings) (*results.Results, error) {
	return run(s, set, func(opts []sim.Option) (*results.Results, error) {
		return sim.Run(ctx, opts, set.Settings, set.Progress)
	})
}

// RunToPrecision is Run in rounds of doubling trials, until the 95 %
// interval of metric's mean, and of every option's mean difference from
// the baseline, is within precision of the baseline mean (a share, such
// as 0.005), or set.Trials is reached; the results keep the rounds.
func RunToPrecision(ctx context.Context, s *scenarios.Scenario, set Settings, metric string, precision float64) (*results.Results, error) {
	return run(s, set, func(opts []sim.Option) (*results.Results, error) {
		return sim.RunToPrecision(ctx, opts, set.Settings, metric, precision, set.Progress)
	})
}

// run checks the work of a run of s, simulates it and describes the
// results.
func run(s *scenarios.Scenario, set Settings, simulate func([]sim.Option) (*results.Results, error)) (*results.Results, error) {
	opts := options(s)
	if err := checkWork(opts, set, 1); err != nil {
		return nil, err
	}
	res, err := simulate(opts)
	if err != nil {
		return nil, err
	}
	describe(res, describeRun(s, set.Version))
	return res, nil
}

// ErrExpectedShard is the error of a shard of a run in expected mode.
var ErrExpectedShard = errors.New("expected mode computes one deterministic path; there are no trials to shard")

// RunShard simulates shard spec of the trials of s (whole blocks of
// sim.BlockSize trials; a trial's numbers do not depend on its shard) and
// returns its part, for Merge.
func RunShard(ctx context.Context, s *scenarios.Scenario, set Settings, spec shard.Spec) (*shard.File, error) {
	opts := options(s)
	if err := checkWork(opts, set, spec.N); err != nil {
		return nil, err
	}
	if set.Mode == sim.Expected {
		return nil, ErrExpectedShard
	}
	part, err := sim.RunShard(ctx, opts, set.Settings, spec.I, spec.N, set.Progress)
	if err != nil {
		return nil, err
	}
	return &shard.File{Kind: shard.KindRun, Shard: spec, Results: describeRun(s, set.Version), Part: part,
		Fingerprint: fingerprint(shard.KindRun, s, set, spec)}, nil
}

// options are the baseline and the options of s, to simulate.
func options(s *scenarios.Scenario) []sim.Option {
	opts := make([]sim.Option, len(s.Options))
	for i, op := range s.Options {
		opts[i] = sim.Option{Name: op.Name, Description: op.Description, Model: op.Model}
	}
	return opts
}

// checkWork refuses a job that asks for more account-months than
// scenarios.CheckRunWork allows: every option's model over the trials
// this process runs (a shard's share of them, when the trials are split
// into shards).
func checkWork(opts []sim.Option, set Settings, shards int) error {
	models := make([]sim.Model, len(opts))
	for i := range opts {
		models[i] = opts[i].Model
	}
	trials := set.Trials
	if set.Mode == sim.Expected {
		trials = 1
	}
	if shards > 1 {
		trials = (trials + shards - 1) / shards
	}
	return scenarios.CheckRunWork(models, trials)
}

// describeRun is everything results.json says about a run of s besides
// its numbers: what a shard carries to the merge.
func describeRun(s *scenarios.Scenario, version string) *results.Results {
	file := filepath.Base(s.Path)
	var compared []string
	for _, p := range s.Compared { // the rerun line names every file
		file += " " + filepath.Base(p)
		compared = append(compared, filepath.Base(p))
	}
	d := &results.Results{Scenario: s.Name, File: file, Compared: compared, Question: s.Question, Currency: s.Currency,
		Start: s.Start.Format("2006-01"), Version: version, Assumptions: s.Assumptions()}
	if s.FiscalYear > 1 {
		d.FiscalYearStart = s.FiscalYear
	}
	for _, o := range s.Options {
		clv := map[string]float64{}
		for i := range o.Model.Segments {
			seg := &o.Model.Segments[i]
			if v := sim.TextbookCLV(seg, &o.Model.Economics); !math.IsInf(v, 0) && !math.IsNaN(v) {
				clv[seg.Name] = v
			}
		}
		d.Options = append(d.Options, results.Option{Name: o.Name, Changes: o.Changes(), TextbookCLV: clv})
	}
	return d
}

// describe copies the description d into the simulated results res.
func describe(res, d *results.Results) {
	res.Scenario, res.File, res.Compared, res.Question, res.Currency, res.Start = d.Scenario, d.File, d.Compared, d.Question, d.Currency, d.Start
	res.FiscalYearStart = d.FiscalYearStart
	res.Version, res.Assumptions = d.Version, d.Assumptions
	for i := range res.Options {
		res.Options[i].Changes, res.Options[i].TextbookCLV = d.Options[i].Changes, d.Options[i].TextbookCLV
	}
}

// fingerprint names what must agree for the parts of a run or sweep
// (kind) of s to merge: the scenario's content and the files it reads, the
// version, the shard count, the settings, and what the job adds (extra).
func fingerprint(kind string, s *scenarios.Scenario, set Settings, spec shard.Spec, extra ...string) string {
	return shard.Fingerprint(append([]string{kind, s.Digest(), set.Version, strconv.Itoa(spec.N), strconv.Itoa(set.Trials),
		strconv.FormatUint(set.Seed, 10), set.Mode.String(), set.NetRate.String(), strconv.FormatBool(set.LHS)}, extra...)...)
}

// Load reads the scenario at paths[0] and adds the baseline and options of
// every other scenario file in paths to its options (Scenario.Absorb), so
// that one run compares scenarios on the same random numbers; read is told
// of every file read.
func Load(paths []string, read func(file string)) (*scenarios.Scenario, error) {
	s, err := scenarios.LoadTracked(paths[0], read)
	if err != nil {
		return nil, err
	}
	for _, p := range paths[1:] {
		o, err := scenarios.LoadTracked(p, read)
		if err != nil {
			return nil, err
		}
		if err := s.Absorb(o); err != nil {
			return nil, err
		}
	}
	return s, nil
}
