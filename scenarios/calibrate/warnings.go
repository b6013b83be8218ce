package calibrate

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Checks of a history that change what its fits mean, each a warning of
// the calibration: printed by calibrate and written as a comment at the
// top of the scenario.

// snapshotWarning says when the history's losses fall in its last month
// far beyond what the months before make likely: the mark of an export
// that lists accounts lost earlier as lost at the export date (or drops
// accounts at the end), on which churn and the last period's KPIs rest.
// It needs at least six months before the last; "" when nothing is wrong.
func snapshotWarning(h *History) string {
	if h.Last-h.First < 7 {
		return ""
	}
	losses := map[Month]int{} // by the month an account is first missing
	total := 0
	for i := range h.Accounts {
		a := &h.Accounts[i]
		for m := a.Start; m < h.Last; m++ {
			if a.At(m) > 0 && a.At(m+1) <= 0 {
				losses[m+1]++
				total++
			}
		}
	}
	last := losses[h.Last]
	before := float64(total-last) / float64(h.Last-h.First-1) // a month, from First+1 to Last−1
	// The chance of at least last losses in a month if losses came as
	// they did before: a Poisson tail, the rate at least a tenth of a loss
	// a month so that a history without losses before still needs several.
	lambda := math.Max(before, 0.1)
	tail := 1 - distuv.Poisson{Lambda: lambda}.CDF(float64(last-1))
	if last < 5 || float64(last) < 5*lambda || tail > 1e-6 {
		return ""
	}
	return fmt.Sprintf("%s holds %s of the history's %s losses (accounts paying the month before and not then), against %s a month before it: the file looks like a snapshot export that dates losses at the export, or leaves accounts out at its end. Churn, and the KPIs of the last period, rest on that month: check the export",
		h.Last, thousands(float64(last)), thousands(float64(total)), num(before))
}

// leftOutWarning says how many accounts of a segment its churn fit leaves
// out and why: with accounts that start within the history, the fit uses
// them alone, and the opening book (there from the first month, whose
// start the history does not show) is left out; "" when none are.
func leftOutWarning(h *History, name string, accts, observed []*Account) string {
	out := len(accts) - len(observed)
	if len(observed) == 0 || out == 0 {
		return ""
	}
	return fmt.Sprintf("segment %s: churn is fitted on the %s accounts that start within the history; the %s accounts there from %s are left out of it, since the history does not show how long they had been customers (they are in the book, the KPIs and the expansion fits)",
		name, thousands(float64(len(observed))), thousands(float64(out)), h.First)
}

// RecentNRR is the NRR of the history's last 12 months (the MRR in its
// last month of the accounts paying 12 months before, over their MRR
// then) with its standard error, the ratio estimator's over accounts;
// false for a history of under 13 months or fewer than two accounts.
func RecentNRR(h *History) (nrr, se float64, ok bool) {
	if h.Last-h.First < 12 {
		return 0, 0, false
	}
	start := h.Last - 12
	var xs, ys []float64
	for i := range h.Accounts {
		a := &h.Accounts[i]
		if x := a.At(start); x > 0 {
			xs, ys = append(xs, x), append(ys, a.At(h.Last))
		}
	}
	n := float64(len(xs))
	if n < 2 {
		return 0, 0, false
	}
	var sx, sy float64
	for i := range xs {
		sx, sy = sx+xs[i], sy+ys[i]
	}
	r := sy / sx
	// Var(R) ≈ Σ(y − R x)² / ((n − 1) n x̄²): the delta method for a ratio.
	var ss float64
	for i := range xs {
		d := ys[i] - r*xs[i]
		ss += d * d
	}
	mean := sx / n
	return r, math.Sqrt(ss/(n-1)/n) / mean, true
}

// NRRGapWarning says when the scenario's NRR over its first 12 months
// (scenario) lies outside the 95 % interval of the history's last 12
// months: the fits pool the whole history, so a recent change shows here;
// "" when it lies inside, or the history is too short to tell.
func NRRGapWarning(h *History, scenario float64) string {
	nrr, se, ok := RecentNRR(h)
	if !ok || math.IsNaN(scenario) || math.Abs(scenario-nrr) <= 1.96*se {
		return ""
	}
	return fmt.Sprintf("the history's NRR over its last 12 months is %s (95 %% interval %s to %s), the scenario's over its first 12 months %s: the fits pool the whole history, so a recent change in churn or expansion (or a snapshot export) shows as this gap; check the fitted churn and upsell against the last year",
		pct(nrr), pct(nrr-1.96*se), pct(nrr+1.96*se), pct(scenario))
}
