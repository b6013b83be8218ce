package plan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csplan/scenarios/calibrate"
	"csplan/shard"
)

// ParseJob reads a job as a command line writes it, and refuses what Job.Check
// refuses, by its setting.
func TestParseJob(t *testing.T) {
	j, err := ParseJob("0.5%", "", "valuation", "")
	if err != nil || j.Precision != 0.005 || j.Sensitivity != "valuation" || j.Shard.N != 0 {
		t.Errorf("ParseJob = %+v, %v", j, err)
	}
	if j, err := ParseJob("", "", "", "1/4"); err != nil || j.Shard != (shard.Spec{I: 1, N: 4}) {
		t.Errorf("ParseJob of a shard = %+v, %v", j, err)
	}
	for _, tc := range []struct{ precision, shard, want string }{
		{"lots", "", "precision: expected a share"},
		{"", "4/4", "shard: expected I/N"},
		{"1%", "0/2", "shard runs a fixed number of trials; it cannot be combined with precision"},
	} {
		_, err := ParseJob(tc.precision, "", "", tc.shard)
		var se *SettingError
		if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ParseJob(%q, %q) = %v, want %q", tc.precision, tc.shard, err, tc.want)
		}
	}
}

// Validate loads a scenario and refuses one whose run as written is too
// large.
func TestValidate(t *testing.T) {
	if s, err := Validate("../scenarios/examples/cut-csms.yaml"); err != nil || s == nil {
		t.Fatalf("Validate = %v, %v", s, err)
	}
	if _, err := Validate("no-such.yaml"); err == nil {
		t.Error("Validate of a missing file succeeded")
	}
	// A file that loads but asks for too much work (the catalogue of bad
	// scenarios holds it, with the message CheckWork gives).
	_, err := Validate("../scenarios/testdata/bad/trial-work-too-large.yaml")
	if err == nil || !strings.Contains(err.Error(), "account-months") {
		t.Errorf("Validate of too much work = %v", err)
	}
}

// ReadKPIs reads a history and its costs and computes its KPIs; a history
// without a whole period of the kind asked is ErrNoWholePeriod.
func TestReadKPIs(t *testing.T) {
	path := "../testdata/calibrate/constant-upsell.csv"
	read := calibrate.ReadOptions{Duplicates: calibrate.DuplicatesError}
	k, err := ReadKPIs(context.Background(), path, "", calibrate.PeriodMonth, read)
	if err != nil || len(k.Rows) == 0 || k.History == nil || k.Costs != nil {
		t.Fatalf("ReadKPIs = %+v, %v", k, err)
	}
	if _, err := ReadKPIs(context.Background(), path, "", "week", read); err == nil {
		t.Error("ReadKPIs took a period of a week")
	}
	short := filepath.Join(t.TempDir(), "short.csv")
	if err := os.WriteFile(short, []byte("account_id,month,mrr\na,2024-01,100\na,2024-02,100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ReadKPIs(context.Background(), short, "", calibrate.PeriodYear, read)
	if !errors.Is(err, ErrNoWholePeriod) || !strings.Contains(err.Error(), "no whole year") {
		t.Errorf("ReadKPIs of two months by year = %v, want ErrNoWholePeriod", err)
	}
}

// CalibrateOptions.Parse reads the term and the rule for duplicates, and
// checks the options.
func TestCalibrateOptionsParse(t *testing.T) {
	o := CalibrateOptions{Scenario: calibrate.ScenarioOptions{Horizon: 36, Trials: 100}}
	if err := o.Parse("12", "sum"); err != nil || o.Fit.Term != 12 || o.Read.Duplicates != calibrate.DuplicatesSum {
		t.Errorf("Parse = %+v, %v", o, err)
	}
	if err := o.Parse("24", "sum"); err != nil || o.Fit.Term != 24 {
		t.Errorf("Parse of term 24 = %v (%d)", err, o.Fit.Term)
	}
	if err := o.Parse("0", "sum"); err == nil || !strings.Contains(err.Error(), `term "0": expected auto, or a number of months from 1 to 60`) {
		t.Errorf("Parse of term 0 = %v", err)
	}
	o.Scenario.Horizon = 0
	if err := o.Parse("auto", "error"); err == nil || !strings.HasPrefix(err.Error(), "horizon") {
		t.Errorf("Parse with horizon 0 = %v", err)
	}
}
