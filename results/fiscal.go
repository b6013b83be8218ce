package results

import (
	"fmt"
	"time"
)

// FiscalYear is the months From to To of a run (1: its first month) that
// fall in one fiscal year.
type FiscalYear struct {
	// Label names it: the calendar year ("2027") when fiscal years start
	// in January, else the calendar year it ends in ("FY2028" for Apr 2027
	// to Mar 2028); "Months 1–12" for a run without a start month.
	Label    string
	From, To int
}

// Months is how many of the fiscal year's months the run holds: 12, but at
// the run's ends.
func (y FiscalYear) Months() int { return y.To - y.From + 1 }

// Name is the label, with the months the run holds when they are not the
// whole year ("FY2027 (3 months)"), so that a stub year's money is not read
// as a year's.
func (y FiscalYear) Name() string {
	switch n := y.Months(); {
	case n == 1:
		return y.Label + " (1 month)"
	case n < 12:
		return fmt.Sprintf("%s (%d months)", y.Label, n)
	}
	return y.Label
}

// FiscalYears splits months 1 to horizon of a run starting in start
// (YYYY-MM) into the fiscal years that start in month fyStart (1 to 12;
// 0 is January). Every command that counts by fiscal year uses it.
func FiscalYears(start string, fyStart, horizon int) []FiscalYear {
	fy := max(1, fyStart)
	var out []FiscalYear
	t, err := time.Parse("2006-01", start)
	if err != nil {
		for from := 1; from <= horizon; from += 12 {
			to := min(horizon, from+11)
			out = append(out, FiscalYear{Label: fmt.Sprintf("Months %d–%d", from, to), From: from, To: to})
		}
		return out
	}
	for from := 1; from <= horizon; {
		d := t.AddDate(0, from-1, 0)
		into := (int(d.Month()) - fy + 12) % 12 // months into its fiscal year
		last := from + 11 - into                // its last month, perhaps beyond the run
		label := fmt.Sprintf("%d", d.Year())
		if fy > 1 {
			label = fmt.Sprintf("FY%d", t.AddDate(0, last-1, 0).Year())
		}
		out = append(out, FiscalYear{Label: label, From: from, To: min(horizon, last)})
		from = min(horizon, last) + 1
	}
	return out
}
