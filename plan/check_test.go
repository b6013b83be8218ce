package plan

import (
	"context"
	"testing"

	"csplan/scenarios/calibrate"
	"csplan/sim"
)

// The checks of settings take what a scenario file takes and name what
// they refuse.
func TestChecks(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{CheckTrials(1), ""},
		{CheckTrials(10_000_000), ""},
		{CheckTrials(0), "trials must be between 1 and 10000000, got 0"},
		{CheckTrials(10_000_001), "trials must be between 1 and 10000000, got 10000001"},
		{CheckSeed(1 << 63), "seed must be from 0 to 9223372036854775807 (2^63 − 1), as the scenario's seed, got 9223372036854775808"},
		{CheckSeed(1<<63 - 1), ""},
		{CheckWorkers(0), "workers must be at least 1 (leave it out to use every core), got 0"},
		{CheckWorkers(1), ""},
	} {
		if got := errText(tc.err); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	if m, err := ParseMode("expected"); m != sim.Expected || err != nil {
		t.Errorf("ParseMode(expected) = %v, %v", m, err)
	}
	if _, err := ParseMode("exact"); errText(err) != `unknown mode "exact" (use one of: expected, monte-carlo)` {
		t.Errorf("ParseMode(exact): %v", err)
	}
	if lhs, err := ParseSampling("lhs"); !lhs || err != nil {
		t.Errorf("ParseSampling(lhs) = %v, %v", lhs, err)
	}
	if _, err := ParseSampling(""); err == nil {
		t.Error("ParseSampling took an empty name")
	}
	for s, want := range map[string]float64{"0.5%": 0.005, "0.005": 0.005, " 2% ": 0.02} {
		if v, err := ParseShare(s); v != want || err != nil {
			t.Errorf("ParseShare(%q) = %v, %v; want %v", s, v, err, want)
		}
	}
	for _, s := range []string{"0", "100%", "1", "NaN", "-1%", "x"} {
		if _, err := ParseShare(s); err == nil {
			t.Errorf("ParseShare(%q) took it", s)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Calibrate refuses a written scenario that a scenario file would refuse,
// before it reads anything.
func TestCalibrateOptionsCheck(t *testing.T) {
	ok := CalibrateOptions{Scenario: calibrate.ScenarioOptions{Horizon: 36, Trials: 2000}}
	if err := ok.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	for _, tc := range []struct {
		opt  func(*CalibrateOptions)
		want string
	}{
		{func(o *CalibrateOptions) { o.Scenario.Horizon = 241 }, "horizon 241 is out of range: a scenario runs from 1 to 240 months"},
		{func(o *CalibrateOptions) { o.Scenario.Trials = 0 }, "trials 0 is out of range: a scenario runs from 1 to 10,000,000 trials"},
		{func(o *CalibrateOptions) { o.Periods = -1 }, "periods -1 is negative: give the number of periods to fit, or 0 for all"},
	} {
		o := ok
		tc.opt(&o)
		if got := errText(o.Check()); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
		if _, err := Calibrate(context.Background(), "no-such-file.csv", o); errText(err) != tc.want {
			t.Errorf("Calibrate: %v, want %q", err, tc.want)
		}
	}
}
