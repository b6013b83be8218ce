package sim

import "fmt"

// AccountPath is one simulated account's MRR over time: Months[i] is the
// month from which it pays MRR[i]; after churn the MRR is 0. Join is the
// month it joined (0 for the opening book).
type AccountPath struct {
	Segment string
	Join    int
	Months  []int
	MRR     []float64
}

// History simulates one trial of m account by account and returns every
// account's MRR path: a company's history as the model would write it, for
// testing the calibration of models from history. The book must not depend
// on a CS team being short of hours (the month-by-month engine is not
// recorded).
func History(m Model, seed, trial uint64) ([]AccountPath, error) {
	if m.Team.Active() {
		return nil, fmt.Errorf("History does not record a book that depends on a CS team; remove the team")
	}
	w := newWorker(seed, m.Horizon, checks{})
	var out []AccountPath
	w.record = func(seg *Segment, path []point) {
		a := AccountPath{Segment: seg.Name, Join: path[0].month}
		for _, p := range path {
			a.Months = append(a.Months, p.month)
			a.MRR = append(a.MRR, p.mrr)
		}
		out = append(out, a)
	}
	w.runTrial(&m, trial)
	return out, nil
}
