package sim

import (
	"math"
	"testing"
)

// A recorded history adds up to the simulated book month by month.
func TestHistoryMatchesBook(t *testing.T) {
	m := acmeLike()
	hist, err := History(m, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorker(5, m.Horizon, checks{})
	w.runTrial(&m, 0)
	var series [numSeries][]float64
	for i := range series {
		series[i] = make([]float64, m.Horizon+1)
	}
	var metrics [numMetrics]float64
	w.summarise(&series, &metrics)
	for _, mo := range []int{0, 1, 12, 24, 36} {
		total := 0.0
		for _, a := range hist {
			v := 0.0
			for i, start := range a.Months {
				if start <= mo {
					v = a.MRR[i]
				}
			}
			if a.Join <= mo {
				total += v
			}
		}
		if got := series[sMRR][mo]; math.Abs(total-got) > 1e-6*got {
			t.Errorf("month %d: history sums to %.2f, the book has %.2f", mo, total, got)
		}
	}
}
