package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Upsells all of one share of MRR (up to cent rounding) calibrate to a
// scenario that validates, not to "a csplan bug".
func TestCalibrateConstantUpsell(t *testing.T) {
	out := filepath.Join(t.TempDir(), "c.yaml")
	code, stdout, stderr := csplan(t, context.Background(), "calibrate", "../../testdata/calibrate/constant-upsell.csv", "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "median size 20.0% of MRR") {
		t.Errorf("stdout:\n%s", stdout)
	}
	y, _ := os.ReadFile(out)
	if !strings.Contains(string(y), "size: 20% ") {
		t.Errorf("scenario:\n%s", y)
	}
	if code, _, stderr := csplan(t, context.Background(), "validate", out); code != exitOK {
		t.Errorf("validate: %s", stderr)
	}
}

// --horizon, --trials and --periods out of range are usage errors that
// give the range, with nothing printed or written.
func TestCalibrateFlagRanges(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "c.yaml")
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{[]string{"--horizon", "0"}, "--horizon 0 is out of range: a scenario runs from 1 to 240 months"},
		{[]string{"--horizon", "9999"}, "--horizon 9999 is out of range: a scenario runs from 1 to 240 months"},
		{[]string{"--trials", "-5"}, "--trials -5 is out of range: a scenario runs from 1 to 10,000,000 trials"},
		{[]string{"--trials", "0"}, "--trials 0 is out of range"},
		{[]string{"--periods", "-1"}, "--periods -1 is negative"},
	} {
		args := append([]string{"calibrate", "../../testdata/calibrate/constant-upsell.csv", "-o", out}, tc.flags...)
		code, stdout, stderr := csplan(t, context.Background(), args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %s", tc.flags, code, stdout, stderr)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
	code, _, stderr := csplan(t, context.Background(), "calibrate", "../../testdata/calibrate/constant-upsell.csv", "-o", out, "--horizon", "240", "--trials", "1")
	if code != exitOK {
		t.Errorf("the bounds themselves: exit %d: %s", code, stderr)
	}
}

// A cohort table's segment line gives the cohort at period 0 and what is
// left at the table's last period, matching the table.
func TestCalibrateCohortAccountsLine(t *testing.T) {
	out := filepath.Join(t.TempDir(), "f1.yaml")
	code, stdout, stderr := csplan(t, context.Background(), "calibrate", "../../testdata/fader-hardie-regular.csv", "--periods", "7", "-o", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "Segment cohort: 1,000 accounts at year 0, 173 still paying at year 12 (the table's last)"; !strings.Contains(stdout, want) || strings.Contains(stdout, "paying at the end") {
		t.Errorf("stdout:\n%s\nwant %q", stdout, want)
	}
}

// kpi --costs reports every problem of the costs file, worded for costs.
func TestKPICostsErrors(t *testing.T) {
	hist := writeKPIHistory(t, 1500)
	code, stdout, stderr := csplan(t, context.Background(), "kpi", hist, "--costs", "../../testdata/kpi/bad-costs.csv")
	want := "bad-costs.csv:2: cost \"abc\": expected an amount such as 1200 or 1200.50\n" +
		"../../testdata/kpi/bad-costs.csv:3: cost -5 is negative; expected the CS cost of the month, 0 or more\n"
	if code != exitFailure || !strings.HasSuffix(stderr, want) || strings.Contains(stderr, "MRR") || stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
}

// kpi's input errors are true and plain, exit 1 and print nothing.
func TestKPIInputErrors(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(3, 4))
	bin := make([]byte, 3000)
	for i := range bin {
		bin[i] = byte(r.Uint32())
	}
	bin[0] = 0xcc
	binPath := filepath.Join(dir, "binary.csv")
	os.WriteFile(binPath, bin, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"kpi", dir}, dir + ": this is a directory, not a CSV file"},
		{[]string{"kpi", "../../testdata/calibrate/constant-upsell.csv", "--costs", dir}, dir + ": this is a directory, not a CSV file"},
		{[]string{"calibrate", dir}, dir + ": this is a directory, not a CSV file"},
		{[]string{"kpi", binPath}, binPath + ": the file is not a CSV text file"},
		{[]string{"calibrate", binPath}, binPath + ": the file is not a CSV text file"},
		{[]string{"kpi", "../../testdata/kpi/far-month.csv"}, `far-month.csv:3: month "9999-12": year 9999 is out of range; write a month from 1900-01 to 2199-12`},
		{[]string{"kpi", "../../testdata/kpi/huge-mrr.csv", "--period", "month"}, "huge-mrr.csv:2: mrr 1e300 is above 1,000,000,000,000 a month"},
	} {
		code, stdout, stderr := csplan(t, context.Background(), tc.args...)
		if code != exitFailure || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %s", tc.args, code, stdout, stderr)
		}
		if strings.Contains(stderr, ":1:") || strings.Contains(stderr, "bare \"") {
			t.Errorf("%v: invented line or CSV jargon: %s", tc.args, stderr)
		}
	}
}

// kpi's account and MRR columns have thousands separators, as New MRR;
// the accounts at the start of a period (its customers) and at its end
// are both shown.
func TestKPIColumnsThousands(t *testing.T) {
	hist := writeKPIHistory(t, 1500)
	code, stdout, stderr := csplan(t, context.Background(), "kpi", hist, "--period", "month")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// 1,200 accounts of 1,500 a month in 2024-02, 1,210 at the end of
	// 2024-03 (10 new), 1,200 at its start.
	// The New MRR cell is matched with the column gap before it, so that
	// 1,815,000 does not pass for it.
	for _, want := range []string{"2024-02        1,200      1,200  1,800,000", "2024-03        1,200      1,210  1,815,000", "0.0%   15,000 "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in\n%s", want, stdout)
		}
	}
}

// writeKPIHistory writes 1,200 accounts paying mrr in 2024-01 to 2024-03,
// and 10 new ones in 2024-03.
func writeKPIHistory(t *testing.T, mrr int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("account_id,month,mrr\n")
	for a := range 1200 {
		for m := 1; m <= 3; m++ {
			fmt.Fprintf(&b, "a%d,2024-%02d,%d\n", a, m, mrr)
		}
	}
	for a := range 10 {
		fmt.Fprintf(&b, "n%d,2024-03,%d\n", a, mrr)
	}
	p := filepath.Join(t.TempDir(), "h.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
