package calibrate

import (
	"math"
	"strings"
	"testing"
)

// steadyHistory is n accounts over months 0 to 23, of which lostBefore
// leave one a month spread over months 2 to 22, and lostLast leave in the
// last month (month 23).
func steadyHistory(n, lostBefore, lostLast int) *History {
	h := &History{Name: "h.csv", First: 0, Last: 23, Segments: []string{Unsegmented}}
	for i := range n {
		months := 24
		switch {
		case i < lostBefore:
			months = 2 + i%21 // paying months 0 to 1 + i%21: missing from 2 + i%21
		case i < lostBefore+lostLast:
			months = 23
		}
		mrr := make([]float64, months)
		for k := range mrr {
			mrr[k] = 100
		}
		h.Accounts = append(h.Accounts, Account{ID: string(rune('a' + i%26)), Start: 0, MRR: mrr})
	}
	return h
}

// Losses piled into the last month, against a trickle before, are a
// snapshot export; the same losses spread over the months are not.
func TestSnapshotWarning(t *testing.T) {
	if w := snapshotWarning(steadyHistory(300, 0, 40)); !strings.Contains(w, "0001-12 holds 40 of the history's 40 losses") || !strings.Contains(w, "snapshot export") {
		t.Errorf("every loss in the last month: %q", w)
	}
	if w := snapshotWarning(steadyHistory(300, 42, 2)); w != "" {
		t.Errorf("two losses a month, two in the last: %q", w)
	}
	if w := snapshotWarning(steadyHistory(300, 21, 4)); w != "" {
		t.Errorf("four losses in the last month against one a month before (a Poisson tail of 2 %%): %q", w)
	}
	if w := snapshotWarning(steadyHistory(300, 21, 12)); !strings.Contains(w, "12 of the history's 33 losses") {
		t.Errorf("twelve losses in the last month against one a month before: %q", w)
	}
}

// The churn fit's left-out accounts are counted, with the reason.
func TestLeftOutWarning(t *testing.T) {
	h := &History{First: 0, Last: 11}
	a, b, c := &Account{Start: 0}, &Account{Start: 0}, &Account{Start: 4}
	if w := leftOutWarning(h, "smb", []*Account{a, b, c}, []*Account{c}); !strings.Contains(w, "segment smb: churn is fitted on the 1 accounts that start within the history; the 2 accounts there from 0000-01 are left out") {
		t.Errorf("%q", w)
	}
	if w := leftOutWarning(h, "smb", []*Account{a, b}, nil); w != "" {
		t.Errorf("no account starts within the history (fitted on the book, said elsewhere): %q", w)
	}
}

// RecentNRR is the ratio of the accounts' MRR now to a year before, with
// the ratio estimator's standard error: for MRR 100 and 100 becoming 110
// and 90, NRR 100 % with SE √(200 / 1 / 2) / 100 = 10 %.
func TestRecentNRR(t *testing.T) {
	mk := func(then, now float64) Account {
		mrr := make([]float64, 13)
		for k := range mrr {
			mrr[k] = then
		}
		mrr[12] = now
		return Account{Start: 0, MRR: mrr}
	}
	h := &History{First: 0, Last: 12, Accounts: []Account{mk(100, 110), mk(100, 90), {Start: 5, MRR: []float64{50}}}}
	nrr, se, ok := RecentNRR(h)
	if !ok || math.Abs(nrr-1) > 1e-12 || math.Abs(se-0.1) > 1e-12 {
		t.Errorf("NRR %v ± %v (%v), want 1 ± 0.1", nrr, se, ok)
	}
	if w := NRRGapWarning(h, 1.15); w != "" {
		t.Errorf("1.15 lies within 1 ± 1.96 × 0.1: %q", w)
	}
	if w := NRRGapWarning(h, 1.25); !strings.Contains(w, "100% (95 % interval 80.4% to 119.6%), the scenario's over its first 12 months 125%") {
		t.Errorf("1.25 lies outside: %q", w)
	}
	h.Last = 11
	if _, _, ok := RecentNRR(h); ok {
		t.Error("a history of 12 months has no NRR over 12 months before its last")
	}
}
