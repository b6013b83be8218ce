package plan

import (
	"fmt"
	"strconv"
	"strings"

	"csplan/scenarios"
	"csplan/scenarios/calibrate"
	"csplan/sim"
)

// A SettingError is a setting that a job does not take.
type SettingError struct {
	Setting string // trials, seed or workers
	Problem string // what is wrong: must be between 1 and 10000000, got 0
}

func (e *SettingError) Error() string { return e.Setting + " " + e.Problem }

// CheckTrials refuses a number of trials that a scenario file would
// refuse (scenarios.Bounds).
func CheckTrials(n int) error {
	if lo, hi := scenarios.Bounds("trials"); int64(n) < lo || int64(n) > hi {
		return &SettingError{"trials", fmt.Sprintf("must be between %d and %d, got %d", lo, hi, n)}
	}
	return nil
}

// CheckSeed refuses a seed that a scenario file cannot hold, so that the
// seed of any run can be written in its scenario.
func CheckSeed(seed uint64) error {
	if _, hi := scenarios.Bounds("seed"); seed > uint64(hi) {
		return &SettingError{"seed", fmt.Sprintf("must be from 0 to %d (2^63 − 1), as the scenario's seed, got %d", hi, seed)}
	}
	return nil
}

// CheckWorkers refuses a number of parallel workers given as less than 1.
// Settings.Workers left at 0 uses every core.
func CheckWorkers(n int) error {
	if n < 1 {
		return &SettingError{"workers", fmt.Sprintf("must be at least 1 (leave it out to use every core), got %d", n)}
	}
	return nil
}

// ParseMode reads a mode by its name: monte-carlo or expected.
func ParseMode(name string) (sim.Mode, error) {
	switch name {
	case "expected":
		return sim.Expected, nil
	case "monte-carlo":
		return sim.MonteCarlo, nil
	}
	return 0, fmt.Errorf("unknown mode %q (use one of: expected, monte-carlo)", name)
}

// ParseSampling reads a sampling by its name: random, or lhs (Latin
// hypercube sampling, Settings.LHS).
func ParseSampling(name string) (lhs bool, err error) {
	if name != "random" && name != "lhs" {
		return false, fmt.Errorf("unknown sampling %q (use one of: random, lhs)", name)
	}
	return name == "lhs", nil
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

// Check refuses options that Calibrate cannot honour: the written
// scenario's horizon or trials out of a scenario file's bounds
// (scenarios.Bounds), or a negative number of periods. Calibrate checks
// them first.
func (o CalibrateOptions) Check() error {
	if lo, hi := scenarios.Bounds("horizon_months"); int64(o.Scenario.Horizon) < lo || int64(o.Scenario.Horizon) > hi {
		return &SettingError{"horizon", fmt.Sprintf("%d is out of range: a scenario runs from %d to %d months", o.Scenario.Horizon, lo, hi)}
	}
	if lo, hi := scenarios.Bounds("trials"); int64(o.Scenario.Trials) < lo || int64(o.Scenario.Trials) > hi {
		return &SettingError{"trials", fmt.Sprintf("%d is out of range: a scenario runs from %d to %s trials", o.Scenario.Trials, lo, calibrate.FormatAmount(float64(hi)))}
	}
	if o.Periods < 0 {
		return &SettingError{"periods", fmt.Sprintf("%d is negative: give the number of periods to fit, or 0 for all", o.Periods)}
	}
	return nil
}
