package history

import (
	"bytes"
	"strings"
	"testing"

	"csplan/results"
	"csplan/scenarios/calibrate"
)

// With several cuts, the printed backtest says how often the book's ARR
// fell inside the 90 % interval at each number of months ahead, of the
// cuts that reach that far.
func TestBacktestTextByMonthsAhead(t *testing.T) {
	row := func(month string) results.BacktestRow {
		return results.BacktestRow{Month: month, Ahead: 1, Segment: calibrate.Unsegmented, Metric: results.SeriesARR, Actual: 10, P5: 5, P25: 8, P50: 10, P75: 12, P95: 15}
	}
	b := &results.Backtest{History: "h.csv", Currency: "USD", Trials: 100, Seed: 1,
		Cuts: []results.BacktestCut{{Until: "2024-12", Rows: []results.BacktestRow{row("2025-01")}}, {Until: "2025-01", Rows: []results.BacktestRow{row("2025-02")}}},
		ByHorizon: []results.BacktestCoverage{{Segment: calibrate.Unsegmented, Metric: results.SeriesARR, Ahead: 1, Months: 2, In50: 1, In90: 2},
			{Segment: calibrate.Unsegmented, Metric: results.SeriesARR, Ahead: 2, Months: 1, In50: 0, In90: 0}}}
	var w bytes.Buffer
	if err := WriteBacktest(&w, b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.String(), "by months ahead (of the cuts that reach that far):\n  1: 2 of 2, 2: 0 of 1\n") {
		t.Errorf("no line by months ahead:\n%s", w.String())
	}
}
