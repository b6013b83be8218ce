package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// calibrate fits F1 from the cohort table and writes a scenario that
// validates, and charts.
func TestCalibrateCohortCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "f1.yaml")
	code, stdout, stderr := csplan(t, context.Background(), "calibrate", "../../testdata/fader-hardie-regular.csv", "--periods", "7", "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "alpha 0.7041") || !strings.Contains(stdout, "beta 1.1820") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if code, _, stderr := csplan(t, context.Background(), "validate", out); code != exitOK {
		t.Errorf("validate: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "f1-charts", "retention-cohort.png")); err != nil {
		t.Error(err)
	}
}

// kpi reports a bad file with its line and exit 1, and a bad flag with
// exit 2.
func TestKPICommandErrors(t *testing.T) {
	code, _, stderr := csplan(t, context.Background(), "kpi", "../../scenarios/calibrate/testdata/bad/negative-mrr.csv")
	if code != exitFailure || !strings.Contains(stderr, "negative-mrr.csv:3: mrr -20 is negative") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	code, _, stderr = csplan(t, context.Background(), "kpi", "x.csv", "--period", "week")
	if code != exitUsage || !strings.Contains(stderr, "use one of: month, quarter, year") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// kpi writes its table, files and chart.
func TestKPICommand(t *testing.T) {
	dir := t.TempDir()
	hist := writeYearHistory(t)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := csplan(t, context.Background(), "kpi", hist, "--period", "month", "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"Segment all", "Segment ent", "Segment smb", "2024-07", "NPS"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in\n%s", want, stdout)
		}
	}
	for _, f := range []string{"kpi.csv", "kpi.json", "kpi.txt", "nrr-grr.svg", "nrr-grr.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}
