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
	path := filepath.Join(t.TempDir(), "h.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := ReadKPIs(context.Background(), path, "", "quarter", calibrate.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Warnings) != 1 || !strings.Contains(k.Warnings[0], "snapshot export") {
		t.Errorf("warnings %q, want the snapshot export's", k.Warnings)
	}
}
