package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kpi -o writes the periods of --period, the same rows as --format csv
// and --format json print, not every kind of period.
func TestKPIFilesFollowPeriod(t *testing.T) {
	hist := writeYearHistory(t)
	for _, period := range []string{"month", "quarter"} {
		out := filepath.Join(t.TempDir(), "out")
		if code, _, stderr := csplan(t, context.Background(), "kpi", hist, "--period", period, "-o", out); code != exitOK {
			t.Fatalf("%s: exit %d: %s", period, code, stderr)
		}
		for _, format := range []string{"csv", "json"} {
			code, stdout, stderr := csplan(t, context.Background(), "kpi", hist, "--period", period, "--format", format)
			if code != exitOK {
				t.Fatalf("%s %s: exit %d: %s", period, format, code, stderr)
			}
			file, err := os.ReadFile(filepath.Join(out, "kpi."+format))
			if err != nil {
				t.Fatal(err)
			}
			if string(file) != stdout {
				t.Errorf("--period %s: kpi.%s is not what --format %s prints:\n%s\nprinted:\n%s", period, format, format, file, stdout)
			}
		}
	}
}

// writeYearHistory writes 30 accounts over 2024-01 to 2024-12 in two
// segments, ent and smb, with MRR in cents and NPS answers: every fifth
// leaves after June, every seventh grows by 10 % in April.
func writeYearHistory(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("account_id,month,mrr,segment,nps\n")
	for a := range 30 {
		for m := 1; m <= 12; m++ {
			if a%5 == 0 && m > 6 {
				break
			}
			mrr := 100.15 * float64(a+1)
			if a%7 == 0 && m > 3 {
				mrr *= 1.1
			}
			fmt.Fprintf(&b, "a%d,2024-%02d,%.2f,%s,%d\n", a, m, mrr, []string{"ent", "smb"}[a%2], a%11)
		}
	}
	path := filepath.Join(t.TempDir(), "h.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
