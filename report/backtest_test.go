package report

import (
	"slices"
	"strings"
	"testing"
)

// The coverage chart leaves out the months ahead that fewer than three
// cuts reach (a share of one or two cuts is 0, 50 or 100 %) and says so.
func TestBacktestCoverageLeavesOutThinMonths(t *testing.T) {
	ch, err := BacktestHorizonChart(BacktestHorizon{Source: "h.csv", What: "ARR of the book",
		Cuts: []int{4, 4, 3, 2, 1}, In50: []float64{0.5, 0.25, 0.67, 1, 0}, In90: []float64{1, 1, 1, 1, 0}})
	if err != nil {
		t.Fatal(err)
	}
	texts := svgText(t, ch.SVG)
	joined := strings.Join(texts, " ")
	if !strings.Contains(joined, "fewer than 3 cuts reach (from 4 on) are left out") || slices.Contains(texts, "4") {
		t.Errorf("months ahead with fewer than 3 cuts drawn, or not said: %q", texts)
	}
}
