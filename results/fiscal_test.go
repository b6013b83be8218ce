package results

import (
	"fmt"
	"strings"
	"testing"
)

// A fiscal year from April is named by the year it ends in: a run from Apr
// 2027 over 24 months is FY2028 (12 months) and FY2029 (12); from Jan 2027
// over 30 months, FY2027 (3 months: Jan to Mar), FY2028, FY2029, FY2030 (3).
// A year the run holds only part of says how many months.
func TestFiscalYears(t *testing.T) {
	cases := []struct {
		start string
		h, fy int
		want  string
	}{
		{"2027-04", 24, 4, "FY2028 1-12, FY2029 13-24"},
		{"2027-01", 30, 4, "FY2027 (3 months) 1-3, FY2028 4-15, FY2029 16-27, FY2030 (3 months) 28-30"},
		{"2027-04", 24, 1, "2027 (9 months) 1-9, 2028 10-21, 2029 (3 months) 22-24"},
		{"2027-12", 13, 1, "2027 (1 month) 1-1, 2028 2-13"},
		{"", 24, 1, "Months 1–12 1-12, Months 13–24 13-24"},
	}
	for _, c := range cases {
		var s []string
		for _, y := range FiscalYears(c.start, c.fy, c.h) {
			s = append(s, fmt.Sprintf("%s %d-%d", y.Name(), y.From, y.To))
		}
		if got := strings.Join(s, ", "); got != c.want {
			t.Errorf("start %s, %d months, fiscal year from month %d: %s, want %s", c.start, c.h, c.fy, got, c.want)
		}
	}
}
