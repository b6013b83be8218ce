package main

import (
	"context"
	"fmt"
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

// backtest fits a history up to --until, prints the forecast against the
// actuals and the coverage, and writes its files; without --until, or with
// a month that leaves nothing to forecast, it says what is wrong.
func TestBacktestCommand(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("Customer ID,Billing Month,MRR (USD),Plan\n")
	for i := range 240 {
		start, end := i%20, 24
		if i%5 == 0 {
			end = 6 + i%18
		}
		for m := start; m < end; m++ {
			fmt.Fprintf(&b, "c%d,%04d-%02d,%d,%s\n", i, 2024+m/12, m%12+1, 100+i, []string{"smb", "mid"}[i%2])
		}
	}
	path := filepath.Join(dir, "h.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bt")
	code, stdout, stderr := csplan(t, context.Background(), "backtest", path, "--until", "2025-06", "--rolling", "2", "--trials", "50", "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"3 cuts, fitted to 2025-06 through 2025-10", "ARR of the book, fitted to 2025-10:", "inside 50 %", "mid ", "smb ", "customers"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in\n%s", want, stdout)
		}
	}
	for _, name := range []string{"backtest.json", "backtest.csv", "backtest-arr.png", "backtest-customers.svg", "backtest-coverage.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
	if code, _, stderr := csplan(t, context.Background(), "backtest", path); code != exitUsage || !strings.Contains(stderr, "--until YYYY-MM is required") {
		t.Errorf("no --until: exit %d, %s", code, stderr)
	}
	if code, _, stderr := csplan(t, context.Background(), "backtest", path, "--until", "2025-12"); code == exitOK || !strings.Contains(stderr, "leaves no month to forecast: the history ends in 2025-12") {
		t.Errorf("nothing to forecast: exit %d, %s", code, stderr)
	}
}
