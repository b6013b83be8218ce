package calibrate

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"csplan/internal/csvfile"
	"csplan/sim"
)

// BookAccount is an account paying in the history's last month, as the
// calibrated scenario's accounts file holds it: the opening book exactly
// as the history ends, rather than redrawn from a fitted ACV.
type BookAccount struct {
	ID      string
	Segment string  // as the scenario names it
	MRR     float64 // in the history's last month
	// FirstRenewal is the month of the run (1: the month after the
	// history) of its next renewal: its contract, of the segment's term,
	// renews every term from the first month of its current spell; for an
	// account paying since the history's first month, whose start the
	// history hides, the renewals of the segment's such accounts are
	// spread over the term in the order of the history.
	FirstRenewal int
	// Tenure is the months of its current spell, its first counted, up to
	// the history's last month: at least that for an account there from
	// the history's first month, whose start the history does not show.
	Tenure int
}

// BookHeader is the header of the accounts file of BookAccount rows.
var BookHeader = []string{"id", "segment", "mrr", "first_renewal", "tenure_months"}

// Record is the account as a row under BookHeader; its MRR is written in
// full, so that the run's opening book is the history's last month to the
// cent.
func (a BookAccount) Record() []string {
	return []string{a.ID, a.Segment, strconv.FormatFloat(a.MRR, 'f', -1, 64), strconv.Itoa(a.FirstRenewal), strconv.Itoa(a.Tenure)}
}

// BookCSV is the accounts file of Book(h, c): BookHeader, then a row per
// account, cells escaped for spreadsheets (csvfile.Cell) and read back
// as written by the accounts reader (csvfile.Uncell).
func BookCSV(h *History, c *Calibration) ([]byte, error) {
	var b bytes.Buffer
	w := csvfile.NewWriter(&b)
	w.Write(BookHeader)
	for _, a := range Book(h, c) {
		w.Write(a.Record())
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Book lists the accounts of h paying in its last month, in the order of
// the history, with the contract term c fitted for their segment.
func Book(h *History, c *Calibration) []BookAccount {
	term, names := map[string]int{}, map[string]string{}
	for _, s := range c.Segments {
		term[s.Name], names[s.Name] = max(1, s.Churn.Term), s.Scenario
	}
	var out []BookAccount
	hidden := map[string]int{} // accounts of a segment whose start the history hides
	for i := range h.Accounts {
		a := &h.Accounts[i]
		if a.At(h.Last) <= 0 {
			continue
		}
		name, start := h.Segments[a.Segment], spellStart(a, h.Last)
		renewal := nextRenewal(start, h.Last, term[name])
		if start == h.First {
			// Paying in the history's first month: its contract may have
			// started any month before, so its renewals are spread over
			// the term (as first_renewal: spread does), not all put a
			// whole number of terms after the history's first month,
			// which made every such account renew in one calendar month.
			renewal = sim.SpreadRenewal(hidden[name], term[name])
			hidden[name]++
		}
		out = append(out, BookAccount{ID: a.ID, Segment: names[name], MRR: a.At(h.Last),
			FirstRenewal: renewal, Tenure: int(h.Last-start) + 1})
	}
	return out
}

// spellStart is the first month of the run of paying months of a that
// ends at last (a paid in last).
func spellStart(a *Account, last Month) Month {
	m := last
	for m > a.Start && a.At(m-1) > 0 {
		m--
	}
	return m
}

// nextRenewal is the month of the run (1: the month after last) in which
// a contract of term months that started in month start next renews: it
// renews at start + term, start + 2 × term, ....
func nextRenewal(start, last Month, term int) int {
	elapsed := int(last-start) + 1 // months of the current term paid, and earlier terms
	return term - (elapsed-1)%term
}

// Until is h as it stood at the end of month until (from h.First to
// h.Last): its later months, and the accounts that start after it, left
// out, for a backtest that fits the past and forecasts the rest.
func (h *History) Until(until Month) *History {
	t := &History{Name: h.Name, First: h.First, Last: until, Segments: h.Segments, HasSegments: h.HasSegments, HasNPS: h.HasNPS}
	for _, a := range h.Accounts {
		if a.Start > until {
			continue
		}
		n := min(len(a.MRR), int(until-a.Start)+1)
		t.Accounts = append(t.Accounts, Account{ID: a.ID, Segment: a.Segment, Start: a.Start, MRR: a.MRR[:n:n]})
	}
	for _, r := range h.NPS {
		if r.Month <= until {
			t.NPS = append(t.NPS, r)
		}
	}
	return t
}

// Actual is the book of h in month m, of segment si (-1 for every
// segment): its MRR and the accounts paying.
func (h *History) Actual(m Month, si int) (mrr float64, accounts int) {
	for i := range h.Accounts {
		a := &h.Accounts[i]
		if si >= 0 && a.Segment != si {
			continue
		}
		if v := a.At(m); v > 0 {
			mrr += v
			accounts++
		}
	}
	return mrr, accounts
}

// ParseMonth reads a month, YYYY-MM (or a date YYYY-MM-DD, its day
// ignored), as a history counts months.
func ParseMonth(s string) (Month, bool) { return parseMonth(s) }

// WriteHistory writes account paths simulated by sim.History as a history
// CSV, for tests and synthetic examples: simulation month m is calendar
// month start + m − 1 (month 0, the opening book, is the month before
// start); an account has a row each month it pays.
func WriteHistory(w io.Writer, paths []sim.AccountPath, start Month, horizon int) {
	fmt.Fprintln(w, "account_id,month,mrr,segment")
	for i, p := range paths {
		k := 0
		for m := p.Join; m <= horizon; m++ {
			for k+1 < len(p.Months) && p.Months[k+1] <= m {
				k++
			}
			if p.MRR[k] == 0 {
				break
			}
			fmt.Fprintf(w, "a%d,%s,%.4f,%s\n", i, start+Month(m)-1, p.MRR[k], p.Segment)
		}
	}
}

// PeriodName is what one churn period of a term is called: month, year,
// 24-month period.
func PeriodName(term int) string { return periodName(term) }
