package plan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csplan/scenarios/calibrate"
)

// A history whose churn rose in its last year calibrates to a scenario
// whose first year keeps more than the history's last year did: the gap
// is a warning, printed and at the top of the scenario, and the opening
// book comes with the scenario as its accounts file.
func TestCalibrateWarnsOfAnNRRGap(t *testing.T) {
	var b strings.Builder
	b.WriteString("account_id,month,mrr\n")
	for i := range 600 {
		start := i % 24 // new accounts each month of the first two years
		end := 36       // paying to the end...
		if i%2 == 0 {
			end = 24 + i%12 // ...but half leave in the last year
		}
		for m := start; m < end; m++ {
			fmt.Fprintf(&b, "a%d,%04d-%02d,100\n", i, 2024+m/12, m%12+1)
		}
	}
	path := writeHistory(t, "rising.csv", b.String())
	out, err := Calibrate(context.Background(), path, CalibrateOptions{Name: filepath.Join(t.TempDir(), "rising.yaml"), Scenario: calibrate.ScenarioOptions{Horizon: 36, Trials: 100}})
	if err != nil {
		t.Fatal(err)
	}
	const gap = "the history's NRR over its last 12 months is"
	found := false
	for _, w := range out.Warnings {
		found = found || strings.HasPrefix(w, gap)
	}
	if testing.Verbose() {
		t.Logf("warnings: %q", out.Warnings)
	}
	if !found || !strings.Contains(string(out.Scenario), "# Note: "+gap) {
		t.Errorf("no NRR gap in %q\n%s", out.Warnings, out.Scenario)
	}
	if !strings.HasSuffix(out.AccountsFile, "rising-accounts.csv") || !strings.HasPrefix(string(out.Accounts), "id,segment,mrr,first_renewal,tenure_months\n") {
		t.Errorf("accounts file %s:\n%.200s", out.AccountsFile, out.Accounts)
	}
}

// --columns pairs name a history's columns; a pair that is not KEY=HEADER,
// an unknown key or a key given twice is refused.
func TestParseColumns(t *testing.T) {
	m, err := ParseColumns([]string{"month=Billing Month", " mrr =Amount (USD)"})
	if err != nil || m["month"] != "Billing Month" || m["mrr"] != "Amount (USD)" || len(m) != 2 {
		t.Errorf("%v, %v", m, err)
	}
	for _, bad := range [][]string{{"month"}, {"month="}, {"revenue=Amount"}, {"mrr=A", "mrr=B"}} {
		if _, err := ParseColumns(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if m, err := ParseColumns(nil); m != nil || err != nil {
		t.Errorf("no pairs: %v, %v", m, err)
	}
}

// kpi warns of what reading the history found, as calibrate does: here an
// export that dates thirty losses at its last month after one a month.
func TestKPIsWarnOfASnapshotExport(t *testing.T) {
	var b strings.Builder
	b.WriteString("account_id,month,mrr\n")
	for i := range 60 {
		last := 12 // months 2024-01 to 2024-12
		switch {
		case i < 10:
			last = i + 2 // one loss a month before the last
		case i < 40:
			last = 11 // thirty lost in the last month
		}
		for m := 1; m <= last; m++ {
			fmt.Fprintf(&b, "a%d,2024-%02d,100\n", i, m)
		}
	}
	path := writeHistory(t, "h.csv", b.String())
	k, err := ReadKPIs(context.Background(), path, "", "quarter", calibrate.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Warnings) != 1 || !strings.Contains(k.Warnings[0], "snapshot export") {
		t.Errorf("warnings %q, want the snapshot export's", k.Warnings)
	}
}

// writeHistory writes a history's CSV text into a temporary directory and
// returns its path.
func writeHistory(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
