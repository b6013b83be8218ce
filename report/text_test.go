package report

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"csplan/results"
)

// A book with no revenue in the month NRR and GRR look back to has no
// retention to report: the summary says undefined, not 0.0% (issue 22,
// item 15). An option that had revenue then keeps its percentages.
func TestTextRetentionUndefinedWithoutRevenue(t *testing.T) {
	series := func(mrr float64) map[string][]results.Point {
		var ps []results.Point
		for m := 0; m <= 24; m++ {
			ps = append(ps, results.Point{Month: m, Mean: mrr, P5: mrr, P50: mrr, P95: mrr})
		}
		return map[string][]results.Point{"mrr": ps}
	}
	m := map[string]results.Summary{"nrr_12m": {}, "grr_12m": {}}
	r := &results.Results{Scenario: "S", Start: "2027-01", HorizonMonths: 24, Trials: 100, Mode: "monte-carlo",
		Options: []results.Option{
			{Name: "Baseline", Metrics: m, Series: series(0)},
			{Name: "With a book", Metrics: map[string]results.Summary{"nrr_12m": {P5: 0.9, P50: 1, P95: 1.1}, "grr_12m": {P5: 0.8, P50: 0.9, P95: 0.95}}, Series: series(1000)},
		}}
	var b bytes.Buffer
	if err := Text(&b, r); err != nil {
		t.Fatal(err)
	}
	// Metrics down, options across: NRR's row and its interval's below it.
	text := b.String()
	var nrr, band string
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "NRR") && i+1 < len(lines) {
			nrr, band = l, lines[i+1]
		}
	}
	if f := strings.Fields(nrr); len(f) < 6 || f[4] != "undefined" || f[5] != "100.0%" || strings.Contains(nrr, "0.0% ") {
		t.Errorf("NRR row: %q", nrr)
	}
	if !strings.Contains(band, "no revenue in Dec 2027") || !strings.Contains(band, "90.0% to 110.0%") {
		t.Errorf("NRR interval row: %q", band)
	}
	// The report's headline table says so too.
	metrics := []quantity{{key: results.NRR12m, unit: unitRate}}
	_, tab := headlineMetrics(r, metrics)
	if got := strings.Join(tab.Rows[0].Cells, "|"); !strings.Contains(got, "Baseline|undefined|no revenue in Dec 2027") {
		t.Errorf("report row: %q", got)
	}
	if got := strings.Join(tab.Rows[1].Cells, "|"); strings.Contains(got, "undefined") {
		t.Errorf("report row of an option with a book: %q", got)
	}
}

// A long option name wraps onto a second header line instead of being cut,
// and is shortened only when two lines cannot hold it.
func TestHeaderWrapsLongOptionNames(t *testing.T) {
	opts := []results.Option{{Name: "Baseline"}, {Name: "Cut 3 CSMs in April"}, {Name: "Quarterly enterprise upsell"}}
	got := headerLines(opts, 17)
	want := [][]string{{"", "Baseline", "Cut 3 CSMs in", "Quarterly"}, {"", "", "April", "enterprise upsell"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("header %q, want %q", got, want)
	}
	if got := headerLines(opts[:2], 40); len(got) != 1 {
		t.Errorf("names that fit take %d lines, want 1", len(got))
	}
	long := []results.Option{{Name: "Move every enterprise account to a pooled team"}}
	if got := headerLines(long, 17); !strings.HasSuffix(got[1][1], "…") {
		t.Errorf("a name beyond two lines is not shortened: %q", got)
	}
}
