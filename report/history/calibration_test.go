package history

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"csplan/report"
	"csplan/scenarios/calibrate"
)

// Touch tiers are suggested when MRR is concentrated, and not when it is
// spread evenly: the text says so and the Pareto chart marks none.
func TestTouchTiers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mrr   func(i int) int // of account i of 20
		tiers bool
	}{
		{"every account alike", func(int) int { return 500 }, false},
		{"a gentle slope", func(i int) int { return 1000 - 20*i }, false},
		{"two large accounts", func(i int) int { return map[bool]int{true: 9000, false: 500}[i < 2] }, true},
	} {
		var csv strings.Builder
		csv.WriteString("account_id,month,mrr\n")
		for i := range 20 {
			fmt.Fprintf(&csv, "a%d,2024-01,%d\n", i, tc.mrr(i))
		}
		h, err := calibrate.ReadHistory(strings.NewReader(csv.String()), "h.csv", calibrate.ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c := &calibrate.Calibration{History: "h.csv", First: h.First, Last: h.Last, Pareto: calibrate.NewPareto(h)}
		var b bytes.Buffer
		WriteCalibration(&b, c, true)
		text := b.String()
		if got := strings.Contains(text, "high touch"); got != tc.tiers {
			t.Errorf("%s: tiers %v, want %v:\n%s", tc.name, got, tc.tiers, text)
		}
		if got := strings.Contains(text, "no touch tiers suggested, as MRR is spread evenly"); got == tc.tiers {
			t.Errorf("%s: says there are no tiers: %v:\n%s", tc.name, got, text)
		}
		var svg []byte
		err = CalibrationCharts(c, "h.csv", true, func(ch report.Chart) error {
			svg = ch.SVG
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(svg, []byte("high touch")); got != tc.tiers {
			t.Errorf("%s: the chart marks tiers: %v, want %v", tc.name, got, tc.tiers)
		}
	}
}

// Kaplan-Meier's periods with fewer than calibrate.MinAtRisk accounts at
// risk are left out of the retention chart (two accounts that left drew a
// two-year book to 0 %), and counted.
func TestRetentionLeavesOutThinPeriods(t *testing.T) {
	s := calibrate.SegmentFit{Name: "two-year", Churn: calibrate.ChurnFit{Term: 24, Observed: 141, Chosen: calibrate.ModelConstant,
		KM:    []calibrate.KMPoint{{Period: 0, AtRisk: 141, Survival: 1, Lower: 1, Upper: 1}, {Period: 1, AtRisk: 141, Survival: 0.77, Lower: 0.65, Upper: 0.85}, {Period: 2, AtRisk: 2, Lost: 2, Survival: 0}},
		Const: calibrate.ConstFit{P: calibrate.Estimate{Value: 0.24}}}}
	r := retentionFit("h.csv", s)
	if len(r.KM) != 2 || r.Thin != 1 || r.MinAtRisk != calibrate.MinAtRisk {
		t.Errorf("KM %v, %d thin periods (at risk under %d); want two points and one left out", r.KM, r.Thin, r.MinAtRisk)
	}
}

// A gap to Kaplan-Meier over no period with enough accounts at risk is not
// measured, not "none".
func TestGapNotMeasured(t *testing.T) {
	ch := calibrate.ChurnFit{Term: 12}
	if got := gapText(calibrate.KMGap{}, ch); !strings.HasPrefix(got, "not measured") {
		t.Errorf("no period compared: %q", got)
	}
	if got := gapText(calibrate.KMGap{Periods: 3}, ch); !strings.HasPrefix(got, "none") {
		t.Errorf("three periods, no gap: %q", got)
	}
}
