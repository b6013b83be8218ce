package calibrate

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"csplan/scenarios"
	"csplan/sim"
)

// bookScenario is a two-segment book whose history the book test reads:
// monthly smb contracts and annual mid-market ones, with new accounts in
// both, so that the book holds accounts of every tenure and renewal month.
const bookScenario = `
name: book
start: 2023-01
horizon_months: 30
trials: 1
seed: 3
segments:
  - name: smb
    accounts: 300
    acv: {lognormal: {median: 6k, p90: 15k}}
    contract: {term_months: 1}
    churn: {monthly: 3%}
    upsell: {cadence: monthly, probability: 2%, size: {uniform: {min: 5%, max: 20%}}}
  - name: mid-market
    accounts: 150
    acv: {lognormal: {median: 40k, p90: 90k}}
    contract: {term_months: 12}
    churn: {annual: 15%}
acquisition:
  smb: {per_month: 12}
  mid-market: {per_month: 4}
`

// The calibrated scenario's opening book is the history's last month to
// the cent, with no band at month 0, and every account's next renewal is
// a whole term after the start of its current spell.
func TestExactOpeningBook(t *testing.T) {
	h, err := ReadHistory(bytes.NewReader(simulatedHistory(t, bookScenario, 5)), "book.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Calibrate(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	book := Book(h, c)
	var last float64 // the history's last month
	alive := 0
	for _, a := range h.Accounts {
		if m := a.At(h.Last); m > 0 {
			last += m
			alive++
		}
	}
	want := math.Round(100 * last) // in cents
	if len(book) != alive || alive < 300 {
		t.Fatalf("book of %d accounts, history has %d paying in its last month", len(book), alive)
	}
	hidden := map[int]int{} // annual accounts there from the history's start, by first renewal
	for _, a := range book {
		start := h.Last - Month(a.Tenure) + 1
		switch {
		case a.Segment == "smb":
			if a.FirstRenewal != 1 {
				t.Errorf("monthly account %s renews first in month %d, want 1", a.ID, a.FirstRenewal)
			}
		case start == h.First:
			hidden[a.FirstRenewal]++
		default:
			// The term that started at start renews at start + 12k: the
			// first of those after the history.
			renewal := int(start + 12*Month((int(h.Last-start)+12)/12) - h.Last)
			if a.FirstRenewal != renewal || a.FirstRenewal < 1 || a.FirstRenewal > 12 {
				t.Errorf("annual account %s (spell from %s) renews first in month %d, want %d", a.ID, start, a.FirstRenewal, renewal)
			}
		}
	}

	// Their contracts may have started in any month before the history:
	// spread over the term, not all renewing in one month.
	lo, hi, n := math.MaxInt, 0, 0
	for m := 1; m <= 12; m++ {
		lo, hi, n = min(lo, hidden[m]), max(hi, hidden[m]), n+hidden[m]
	}
	if n < 24 || hi-lo > 1 || len(hidden) != 12 {
		t.Errorf("%d annual accounts there from the history's start renew first in months %v, want spread evenly over 1 to 12", n, hidden)
	}

	file, err := BookCSV(h, c)
	if err != nil {
		t.Fatal(err)
	}
	y := Scenario(c, ScenarioOptions{Trials: 40, Horizon: 12, AccountsFile: "book-accounts.csv"})
	segments := y[:bytes.Index(y, []byte("\nacquisition:"))]
	if bytes.Count(segments, []byte("accounts_file: book-accounts.csv")) != 2 || bytes.Contains(segments, []byte("acv:")) {
		t.Errorf("the scenario does not read its book from the file:\n%s", y)
	}
	sc, err := scenarios.Parse("book.yaml", y, func(string) ([]byte, error) { return file, nil })
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	res, err := sim.Run(context.Background(), []sim.Option{{Name: "baseline", Model: sc.Options[0].Model}}, sc.Settings, nil)
	if err != nil {
		t.Fatal(err)
	}
	m0 := res.Options[0].Series["mrr"][0]
	if math.Round(100*m0.P5) != want || math.Round(100*m0.P95) != want || math.Round(100*m0.Mean) != want {
		t.Errorf("month 0 MRR %.2f (p5 %.2f, p95 %.2f), the history's last month %.2f", m0.Mean, m0.P5, m0.P95, want/100)
	}
}

// An account's current spell starts after its last gap, and its contract
// renews a whole number of terms after that start.
func TestSpellAndNextRenewal(t *testing.T) {
	a := &Account{Start: 100, MRR: []float64{5, 5, 0, 0, 7, 7, 7}} // months 100 to 106, back in 104
	if got := spellStart(a, 106); got != 104 {
		t.Errorf("spell starts in %d, want 104", got)
	}
	for _, c := range []struct {
		start, last Month
		term, want  int
	}{
		{106, 106, 12, 12}, // joined in the last month: renews a year on
		{95, 106, 12, 1},   // its first term ends with the last month
		{94, 106, 12, 12},  // renewed in the last month
		{100, 106, 12, 6},
		{106, 106, 1, 1},
		{50, 106, 3, 1}, // quarterly from 50: renews at 104, then 107
	} {
		if got := nextRenewal(c.start, c.last, c.term); got != c.want {
			t.Errorf("nextRenewal(%d, %d, %d) = %d, want %d", c.start, c.last, c.term, got, c.want)
		}
	}
}

// Segments whose scenario names would be one ("a.b" and "a-b", or "all",
// the book's name) get names of their own, noted, and the written
// scenario and its opening book agree on them.
func TestScenarioNamesAreUnique(t *testing.T) {
	var b strings.Builder
	b.WriteString("account_id,month,mrr,segment\n")
	for i, seg := range []string{"a.b", "a-b", "all"} {
		for m := 1; m <= 6; m++ {
			fmt.Fprintf(&b, "x%d,2024-%02d,100,%s\n", i, m, seg)
		}
	}
	h, err := ReadHistory(strings.NewReader(b.String()), "names.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Calibrate(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range c.Segments {
		names = append(names, s.Name+"="+s.Scenario)
	}
	if got := strings.Join(names, " "); got != "a-b=a-b a.b=a-b-2 all=all-2" {
		t.Errorf("names %s", got)
	}
	file, err := BookCSV(h, c)
	if err != nil {
		t.Fatal(err)
	}
	y := Scenario(c, ScenarioOptions{Trials: 5, AccountsFile: "n.csv"})
	if _, err := scenarios.Parse("n.yaml", y, func(string) ([]byte, error) { return file, nil }); err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
}
