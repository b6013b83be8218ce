package report

import (
	"strings"
	"testing"

	"csplan/results"
)

// bridgeResults are a baseline and a cut whose bridge saves 1.31M of CS
// cost and loses 1.47M to churn, 284k to upsell and 68.7k to price
// increases: net −509k.
func bridgeResults() *results.Results {
	cut := results.Option{Name: "Cut", VsBaseline: map[string]results.Diff{
		results.GrossProfitTotal: {MeanDiff: -509_000, PBetter: 0.16}}, Bridge: []results.BridgeLeg{
		{Driver: results.BridgeOpening}, {Driver: results.BridgeNew},
		{Driver: results.BridgeUpsell, MeanDiff: -284_000}, {Driver: results.BridgePrice, MeanDiff: -68_700},
		{Driver: results.BridgeContraction, MeanDiff: 300}, {Driver: results.BridgeChurn, MeanDiff: -1_466_600},
		{Driver: results.BridgeCSCost, MeanDiff: 1_310_000}}}
	return &results.Results{Mode: "monte_carlo", Trials: 500, HorizonMonths: 36, Start: "2027-01", Currency: "USD",
		Options: []results.Option{{Name: "Baseline"}, cut}}
}

func TestBridgeSentence(t *testing.T) {
	r := bridgeResults()
	got := bridgeSentence(r, r.Options[1])
	// Contraction's $300 is under a thousandth of churn's: left out.
	want := " It saves $1.31M of CS cost and loses $1.82M of gross profit to churn ($1.47M), missed upsell ($284k) and fewer price increases ($68.7k): net −$509k of gross profit over the 36 months (higher in 16 % of trials)."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if title := bridgeTitle(r, r.Options[1], -509_000); title != "Cut saves $1.31M of CS cost but loses $1.82M of gross profit: net −$509k" {
		t.Errorf("title %q", title)
	}
}

// The section's table leaves out drivers that are zero for every option
// and ends with the net.
func TestBridgeTable(t *testing.T) {
	r := bridgeResults()
	sec := buildBridge(r, nil)
	var names []string
	for _, row := range sec.Table.Rows {
		names = append(names, row.Cells[0])
	}
	if got := strings.Join(names, ", "); got != "Upsell, Price increases, Contraction, Churn, CS cost saved, Net: gross profit" {
		t.Errorf("rows %s", got)
	}
}

// The ARR bridge adds up: ARR at the start plus 12 × each flow over the run
// is ARR at the horizon, here for a book of 100 a month that gains 10 a
// month of new logos and 2 of price increases, and loses 4 to churn.
func TestARRBridge(t *testing.T) {
	const h = 12
	pts := func(f func(m int) float64, from int) []results.Point {
		var out []results.Point
		for m := from; m <= h; m++ {
			out = append(out, results.Point{Month: m, Mean: f(m)})
		}
		return out
	}
	flat := func(v float64) func(int) float64 { return func(int) float64 { return v } }
	o := results.Option{Name: "Baseline", Series: map[string][]results.Point{
		results.SeriesMRR:            pts(func(m int) float64 { return 100 + 8*float64(m) }, 0),
		results.SeriesNewMRR:         pts(flat(10), 1),
		results.SeriesExpansionMRR:   pts(flat(2), 1),
		results.SeriesPriceMRR:       pts(flat(2), 1),
		results.SeriesContractionMRR: pts(flat(0), 1),
		results.SeriesChurnedMRR:     pts(flat(4), 1),
	}}
	r := &results.Results{Start: "2027-01", HorizonMonths: h, Currency: "USD", Options: []results.Option{o}}
	tb, _ := arrBridge(r)
	var got []string
	for _, row := range tb.Rows {
		got = append(got, row.Cells[0]+" "+row.Cells[1])
	}
	want := "ARR, Dec 2026 $1.2k|New logos +$1.44k|Upsell 0|Price increases +$288|Contraction 0|Churn −$576|ARR, Dec 2027 $2.35k"
	if strings.Join(got, "|") != want {
		t.Errorf("ARR bridge\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
}

// The chart's title and the sentence beside it state the same sides with
// the same sums: a gain too small for the sentence is not netted into the
// title's loss, and a gain the sentence names, the title names too.
func TestBridgeTitleAgreesWithSentence(t *testing.T) {
	for _, c := range []struct {
		upsell, net float64
		title       string
		sentence    []string
	}{
		{1_000, 228_000, "Cut saves €777k of CS cost but loses €550k of gross profit: net +€228k", []string{"loses €550k"}},
		{50_000, 277_000, "Cut saves €777k of CS cost and gains €50k but loses €550k of gross profit: net +€277k", []string{"gains €50k", "loses €550k"}},
	} {
		o := results.Option{Name: "Cut", VsBaseline: map[string]results.Diff{
			results.GrossProfitTotal: {MeanDiff: c.net, PBetter: 0.85}}, Bridge: []results.BridgeLeg{
			{Driver: results.BridgeCSCost, MeanDiff: 777_000},
			{Driver: results.BridgeChurn, MeanDiff: -550_000},
			{Driver: results.BridgeUpsell, MeanDiff: c.upsell},
		}}
		r := &results.Results{Currency: "EUR", HorizonMonths: 36, Mode: "monte_carlo", Options: []results.Option{{Name: "Baseline"}, o}}
		title, sentence := bridgeTitle(r, o, c.net), bridgeSentence(r, o)
		if title != c.title {
			t.Errorf("title %q, want %q", title, c.title)
		}
		for _, w := range c.sentence {
			if !strings.Contains(sentence, w) {
				t.Errorf("sentence %q lacks %q", sentence, w)
			}
		}
	}
}
