package plan

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"csplan/results"
	"csplan/scenarios"
	"csplan/shard"
	"csplan/sim"
)

// A Job is a run of a scenario as Do does it: whole (Run), to a precision
// (RunToPrecision) or one shard of its trials (RunShard), and with the
// sensitivity of a metric (Sensitivity) or without.
type Job struct {
	// Precision, above 0, runs to this precision (a share, such as 0.005)
	// of the mean of PrecisionMetric, results.ARREnd when empty.
	Precision       float64
	PrecisionMetric string
	// Sensitivity, when not empty, is the metric whose sensitivity to the
	// uncertain inputs the results also hold.
	Sensitivity string
	// Shard, when its N is above 0, is the shard of the trials to run.
	Shard shard.Spec
	// Breakeven adds to the results what would have to be true for the
	// option BreakevenOption (empty: the only one) to beat the baseline on
	// BreakevenMetric (results.GrossProfitTotal when empty): Breakeven.
	// Either, given without Breakeven, is refused.
	Breakeven       bool
	BreakevenOption string
	BreakevenMetric string
}

// Check refuses a job whose settings do not combine, or name no metric:
// the first problem, by its setting (SettingError), before anything is
// read. Do checks it too, and what depends on the settings: the mode,
// and the scenario (CheckScenario).
func (j Job) Check() error {
	if j.Shard.N > 0 && j.Precision > 0 {
		return &SettingError{Setting: "shard", Problem: "runs a fixed number of trials; it cannot be combined with {precision}"}
	}
	if j.PrecisionMetric != "" {
		if err := CheckMetric(j.PrecisionMetric); err != nil {
			return &SettingError{Setting: "precision metric", Err: err}
		}
	}
	if j.Sensitivity != "" {
		if err := CheckMetric(j.Sensitivity); err != nil {
			return &SettingError{Setting: "sensitivity", Err: err}
		}
		if j.Shard.N > 0 {
			return &SettingError{Setting: "sensitivity", Problem: "cannot be combined with {shard}; run csplan sensitivity on its own"}
		}
	}
	if j.BreakevenMetric != "" {
		if err := CheckMetric(j.BreakevenMetric); err != nil {
			return &SettingError{Setting: "breakeven metric", Err: err}
		}
	}
	if !j.Breakeven && j.BreakevenOption != "" {
		return &SettingError{Setting: "breakeven option", Problem: "picks the option of {breakeven}, which is not asked for; add {breakeven}, or leave it out"}
	}
	if !j.Breakeven && j.BreakevenMetric != "" {
		return &SettingError{Setting: "breakeven metric", Problem: "picks the metric of {breakeven}, which is not asked for; add {breakeven}, or leave it out"}
	}
	if j.Breakeven {
		if j.Shard.N > 0 {
			return &SettingError{Setting: "breakeven", Problem: "cannot be combined with {shard}; run csplan breakeven on its own"}
		}
	}
	return nil
}

// ParsePrecision reads Job.Precision, a share (ParseShare): 0 for none
// when s is empty.
func ParsePrecision(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := ParseShare(s)
	if err != nil {
		return 0, &SettingError{Setting: "precision", Err: err}
	}
	return v, nil
}

// ParseShard reads Job.Shard, or the shard of a sweep, written I/N
// (shard.ParseSpec): the zero Spec, all the work, when s is empty.
func ParseShard(s string) (shard.Spec, error) {
	if s == "" {
		return shard.Spec{}, nil
	}
	spec, err := shard.ParseSpec(s)
	if err != nil {
		return spec, &SettingError{Setting: "shard", Err: err}
	}
	return spec, nil
}

// ParseJob reads a job written as text, as a command line gives it: the
// precision (ParsePrecision; empty for none), the metric it watches, the
// metric of the sensitivity (empty for none) and the shard (ParseShard;
// empty for all the trials), and checks it (Job.Check). The first problem
// is a SettingError.
func ParseJob(precision, precisionMetric, sensitivity, shard string) (Job, error) {
	return Job{}.Parse(precision, precisionMetric, sensitivity, shard)
}

// Parse is ParseJob onto j: j with the job written as text, checked, its
// other settings (a break-even) kept.
func (j Job) Parse(precision, precisionMetric, sensitivity, shard string) (Job, error) {
	spec, shardErr := ParseShard(shard)
	p, precisionErr := ParsePrecision(precision)
	j.Precision, j.PrecisionMetric, j.Sensitivity, j.Shard = p, precisionMetric, sensitivity, spec
	return j, cmp.Or(shardErr, precisionErr, j.Check())
}

// CheckScenario refuses a job that scenario s cannot run, before any
// trial: a break-even of an option s does not have, or, when s has
// several, of no option named.
func (j Job) CheckScenario(s *scenarios.Scenario) error {
	if !j.Breakeven {
		return nil
	}
	_, err := optionIndex(s, j.BreakevenOption)
	return breakevenSetting(err)
}

// breakevenSetting is err with the option or the metric of a break-even
// named as a job's settings, beside the run's.
func breakevenSetting(err error) error {
	var se *SettingError
	if errors.As(err, &se) && (se.Setting == "option" || se.Setting == "metric") {
		se.Setting = "breakeven " + se.Setting
	}
	return err
}

// checkMode refuses a job that needs Monte Carlo trials in expected mode.
func (j Job) checkMode(mode sim.Mode) error {
	switch {
	case mode != sim.Expected:
	case j.Shard.N > 0:
		return &SettingError{Setting: "shard", Err: ErrExpectedShard}
	case j.Sensitivity != "":
		return &SettingError{Setting: "sensitivity", Problem: "needs Monte Carlo trials; drop {mode} expected"}
	case j.Breakeven:
		return &SettingError{Setting: "breakeven", Problem: "needs Monte Carlo trials; drop {mode} expected"}
	}
	return nil
}

// Output is what a job returns (Job.Do, Grid.Do, Merge): one of the
// results of a run, a sweep or a sensitivity analysis, or the part of a
// shard of a run or a sweep.
type Output struct {
	Results     *results.Results     // a run's, with the sensitivity the job asked for
	Sweep       *results.Sweep       // a sweep's
	Sensitivity *results.Sensitivity // a sensitivity analysis on its own
	Breakeven   *results.Breakeven   // a break-even analysis on its own
	Optimize    *results.Optimize    // an optimization's answer
	Part        *shard.File          // for Merge; DescribePart says what it holds
}

// File is the file that o is saved as, and its bytes: results.json,
// sweep.json, sensitivity.json, or a shard's part (shard.FileName).
func (o Output) File() (name string, data []byte, err error) {
	switch {
	case o.Part != nil:
		data, err = shard.Encode(o.Part)
		return shard.FileName, data, err
	case o.Sweep != nil:
		data, err = results.MarshalSweep(o.Sweep)
		return "sweep.json", data, err
	case o.Sensitivity != nil:
		data, err = json.MarshalIndent(o.Sensitivity, "", "  ")
		return "sensitivity.json", append(data, '\n'), err
	case o.Breakeven != nil:
		data, err = json.MarshalIndent(o.Breakeven, "", "  ")
		return "breakeven.json", append(data, '\n'), err
	case o.Optimize != nil:
		data, err = json.MarshalIndent(o.Optimize, "", "  ")
		return "optimize.json", append(data, '\n'), err
	}
	data, err = results.Marshal(o.Results)
	return "results.json", data, err
}

// Do checks job and runs it on s. With a sensitivity or a break-even,
// set.Progress is called for the run and then for each analysis, each
// with its own totals.
func (j Job) Do(ctx context.Context, s *scenarios.Scenario, set Settings) (Output, error) {
	if err := j.Check(); err != nil {
		return Output{}, err
	}
	if err := j.checkMode(set.Mode); err != nil {
		return Output{}, err
	}
	if err := j.CheckScenario(s); err != nil {
		return Output{}, err
	}
	var out Output
	var err error
	switch {
	case j.Shard.N > 0:
		out.Part, err = RunShard(ctx, s, set, j.Shard)
		return out, err
	case j.Precision > 0:
		out.Results, err = RunToPrecision(ctx, s, set, cmp.Or(j.PrecisionMetric, results.ARREnd), j.Precision)
	default:
		out.Results, err = Run(ctx, s, set)
	}
	if err == nil && j.Sensitivity != "" {
		out.Results.Sensitivity, err = Sensitivity(ctx, s, set, j.Sensitivity)
	}
	if err == nil && j.Breakeven {
		out.Results.Breakeven, err = Breakeven(ctx, s, set, j.BreakevenOption, cmp.Or(j.BreakevenMetric, results.GrossProfitTotal))
		err = breakevenSetting(err)
	}
	return out, err
}

// DescribePart says what the part f of a run or a sweep holds: its
// scenario, its shard, and its trials or sweep points.
func DescribePart(f *shard.File) string {
	name, what := "", ""
	switch f.Kind {
	case shard.KindOptimize:
		name, what = describeSearch(f)
	case shard.KindSweep:
		first, end := shardRange(f.Total, f.Shard)
		name, what = f.Sweep.Scenario, fmt.Sprintf("sweep points %d to %d of %d", first, end-1, f.Total)
		if first == end {
			what = fmt.Sprintf("no sweep points (%d shards for %d points)", f.Shard.N, f.Total)
		}
	default:
		trials := f.Part.Info.Trials
		name, what = f.Results.Scenario, fmt.Sprintf("trials %d to %d of %d", f.Part.First, f.Part.End-1, trials)
		if f.Part.First == f.Part.End {
			what = fmt.Sprintf("no trials (%d shards for %d blocks of %d trials)", f.Shard.N, (trials+sim.BlockSize-1)/sim.BlockSize, sim.BlockSize)
		}
	}
	return name + ": shard " + f.Shard.String() + ", " + what
}
