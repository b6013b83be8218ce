package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csplan/results"
)

// csplan breakeven writes its analysis and report; run --breakeven puts
// the section into the main report; both refuse what cannot work.
func TestBreakevenCommand(t *testing.T) {
	dir := t.TempDir()
	ex := "testdata/small-cut.yaml"
	be := filepath.Join(dir, "be")
	if code, out, errs := csplan(t, context.Background(), "breakeven", ex, "--trials", "12", "-q", "-o", be); code != 0 || !strings.Contains(out, "churn multiplier at no") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, f := range []string{"breakeven.json", "breakeven.md", "breakeven.csv", "breakeven.png", "breakeven.svg"} {
		if _, err := os.Stat(filepath.Join(be, f)); err != nil {
			t.Errorf("breakeven wrote no %s", f)
		}
	}
	var b results.Breakeven
	data, _ := os.ReadFile(filepath.Join(be, "breakeven.json"))
	if err := json.Unmarshal(data, &b); err != nil || b.Option != "Cut 1 CSM" || b.Metric != results.GrossProfitTotal || len(b.Inputs) == 0 {
		t.Errorf("breakeven.json: %v, %+v", err, b)
	}
	out := filepath.Join(dir, "out")
	if code, _, errs := csplan(t, context.Background(), "run", ex, "--trials", "12", "-q", "--breakeven", "-o", out); code != 0 {
		t.Fatalf("run --breakeven: exit %d\n%s", code, errs)
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(md), "What would have to be true") {
		t.Error("run --breakeven: report.md has no break-even section")
	}
	for _, bad := range [][]string{
		{"run", ex, "--breakeven", "--mode", "expected", "-o", out},
		{"run", ex, "--breakeven", "--shard", "0/2", "-o", out},
		{"run", ex, "--breakeven", "--breakeven-metric", "profit", "-o", out},
		{"breakeven", ex, "--option", "Hire 40", "-o", be},
		{"breakeven", ex, "--mode", "expected", "-o", be},
	} {
		if code, _, errs := csplan(t, context.Background(), bad...); code != exitUsage || !strings.Contains(errs, "breakeven") && !strings.Contains(errs, "break-even") && !strings.Contains(errs, "option") {
			t.Errorf("%v: exit %d, %s", bad, code, errs)
		}
	}
}

// Refusals name the flags of the command that was run.
func TestBreakevenMessagesNameTheFlags(t *testing.T) {
	dir := t.TempDir()
	acme := "../../scenarios/examples/acme-company.yaml"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", acme, "--breakeven", "-o", dir}, "--breakeven-option is needed"},
		{[]string{"breakeven", acme, "-o", dir}, "--option is needed"},
		{[]string{"breakeven", "testdata/small-cut.yaml", "--mode", "expected", "-o", dir}, "--mode expected cannot find a break-even"},
	} {
		if code, _, errs := csplan(t, context.Background(), c.args...); code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, errs, c.want)
		}
	}
}
