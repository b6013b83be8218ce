package plan

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"csplan/scenarios"
	"csplan/scenarios/calibrate"
	"csplan/sim"
)

// A SettingError is a setting that a job does not take. Its message
// names settings as plan does (trials, workers, precision metric); a
// command line names them by its flags instead, with Named.
type SettingError struct {
	Setting string // trials, seed, workers, mode, precision, shard, axis, ...
	Item    string // which of the setting's values, when it takes several: an axis's path
	// What is wrong, one of three: Problem, a phrase after the setting's
	// name ("must be between 1 and 10000000, got 0") in which {name}
	// stands for the setting name; Err, the error of reading the value;
	// or Value, which is none of Choices.
	Problem string
	Err     error
	Value   string
	Choices []string
}

func (e *SettingError) Error() string { return e.Named(func(setting string) string { return setting }) }

func (e *SettingError) Unwrap() error { return e.Err }

// settingRef is a setting's name in a SettingError's Problem.
var settingRef = regexp.MustCompile(`\{[a-z -]+\}`)

// Named is the error's message with every setting called name(setting):
// "--trials must be between ..." for a command line's flags.
func (e *SettingError) Named(name func(setting string) string) string {
	setting := name(e.Setting)
	if e.Item != "" {
		setting += " " + e.Item
	}
	switch {
	case e.Choices != nil:
		return fmt.Sprintf("unknown %s %q (use one of: %s)", setting, e.Value, strings.Join(e.Choices, ", "))
	case e.Err != nil:
		return setting + ": " + e.Err.Error()
	}
	return setting + " " + settingRef.ReplaceAllStringFunc(e.Problem, func(ref string) string { return name(ref[1 : len(ref)-1]) })
}

// OneOf refuses a value of setting that is none of choices, naming them.
func OneOf(setting, value string, choices ...string) error {
	if !slices.Contains(choices, value) {
		return &SettingError{Setting: setting, Value: value, Choices: choices}
	}
	return nil
}

// CheckMetric says whether name is a metric of the results (arr_end,
// valuation, ...), and if not, which are.
func CheckMetric(name string) error {
	return OneOf("metric", name, sim.MetricNames[:]...)
}

// CheckTrials refuses a number of trials that a scenario file would
// refuse (scenarios.Bounds).
func CheckTrials(n int) error {
	if lo, hi := scenarios.Bounds("trials"); int64(n) < lo || int64(n) > hi {
		return &SettingError{Setting: "trials", Problem: fmt.Sprintf("must be between %d and %d, got %d", lo, hi, n)}
	}
	return nil
}

// CheckSeed refuses a seed that a scenario file cannot hold, so that the
// seed of any run can be written in its scenario.
func CheckSeed(seed uint64) error {
	if _, hi := scenarios.Bounds("seed"); seed > uint64(hi) {
		return &SettingError{Setting: "seed", Problem: fmt.Sprintf("must be from 0 to %d (2^63 − 1), as the scenario's seed, got %d", hi, seed)}
	}
	return nil
}

// CheckWorkers refuses a number of parallel workers given as less than 1.
// Settings.Workers left at 0 uses every core.
func CheckWorkers(n int) error {
	if n < 1 {
		return &SettingError{Setting: "workers", Problem: fmt.Sprintf("must be at least 1 (leave it out to use every core), got %d", n)}
	}
	return nil
}

// ParseMode reads a mode by its name: monte-carlo or expected.
func ParseMode(name string) (sim.Mode, error) {
	if err := OneOf("mode", name, "expected", "monte-carlo"); err != nil {
		return 0, err
	}
	if name == "expected" {
		return sim.Expected, nil
	}
	return sim.MonteCarlo, nil
}

// ParseSampling reads a sampling by its name: random, or lhs (Latin
// hypercube sampling, Settings.LHS).
func ParseSampling(name string) (lhs bool, err error) {
	return name == "lhs", OneOf("sampling", name, "random", "lhs")
}

// ParseShare reads a share, such as RunToPrecision's precision, written
// as a percentage (0.5%) or a fraction (0.005); it must be above 0 and
// below 1.
func ParseShare(s string) (float64, error) {
	t := strings.TrimSpace(s)
	scale := 1.0
	if strings.HasSuffix(t, "%") {
		t, scale = strings.TrimSuffix(t, "%"), 0.01
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || !(v > 0 && v*scale < 1) { // NaN too
		return 0, fmt.Errorf("expected a share such as 0.5%% or 0.005, found %q", s)
	}
	return v * scale, nil
}

// Overrides are settings that replace a scenario's (Scenario.Settings)
// for one job; a nil or empty field keeps the scenario's.
type Overrides struct {
	Trials   *int
	Seed     *uint64
	Workers  *int   // parallel workers; nil uses every core
	Mode     string // monte-carlo or expected
	Sampling string // random or lhs
}

// Check refuses overrides that a scenario file would refuse, or that name
// no mode or sampling: the first, by its setting (SettingError).
func (o Overrides) Check() error {
	var trials, workers, seed, mode, sampling error
	if o.Trials != nil {
		trials = CheckTrials(*o.Trials)
	}
	if o.Workers != nil {
		workers = CheckWorkers(*o.Workers)
	}
	if o.Seed != nil {
		seed = CheckSeed(*o.Seed)
	}
	if o.Mode != "" {
		_, mode = ParseMode(o.Mode)
	}
	if o.Sampling != "" {
		_, sampling = ParseSampling(o.Sampling)
	}
	return cmp.Or(trials, workers, seed, mode, sampling)
}

// Apply returns set with the overrides, which Check accepted, in place of
// its own settings.
func (o Overrides) Apply(set sim.Settings) sim.Settings {
	if o.Trials != nil {
		set.Trials = *o.Trials
	}
	if o.Seed != nil {
		set.Seed = *o.Seed
	}
	if o.Workers != nil {
		set.Workers = *o.Workers
	}
	if o.Mode != "" {
		set.Mode, _ = ParseMode(o.Mode)
	}
	if o.Sampling != "" {
		set.LHS, _ = ParseSampling(o.Sampling)
	}
	return set
}

// Check refuses options that Calibrate cannot honour: the written
// scenario's horizon or trials out of a scenario file's bounds
// (scenarios.Bounds), or a negative number of periods. Calibrate checks
// them first.
func (o CalibrateOptions) Check() error {
	if lo, hi := scenarios.Bounds("horizon_months"); int64(o.Scenario.Horizon) < lo || int64(o.Scenario.Horizon) > hi {
		return &SettingError{Setting: "horizon", Problem: fmt.Sprintf("%d is out of range: a scenario runs from %d to %d months", o.Scenario.Horizon, lo, hi)}
	}
	if lo, hi := scenarios.Bounds("trials"); int64(o.Scenario.Trials) < lo || int64(o.Scenario.Trials) > hi {
		return &SettingError{Setting: "trials", Problem: fmt.Sprintf("%d is out of range: a scenario runs from %d to %s trials", o.Scenario.Trials, lo, calibrate.FormatAmount(float64(hi)))}
	}
	if o.Periods < 0 {
		return &SettingError{Setting: "periods", Problem: fmt.Sprintf("%d is negative: give the number of periods to fit, or 0 for all", o.Periods)}
	}
	return nil
}
