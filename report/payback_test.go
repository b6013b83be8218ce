package report

import (
	"fmt"
	"strings"
	"testing"

	"csplan/results"
)

// paybackResults are a baseline and a cut over 24 months from Apr 2027: the
// cut's cumulative gross profit against the baseline is +1,000 a month for
// 10 months, then falls by 2,000 a month (even in month 15, behind after); its
// revenue is 500 a month lower and its CS cost 1,500 lower.
func paybackResults(mode string, payback *results.Payback) *results.Results {
	const h = 24
	r := &results.Results{Start: "2027-04", HorizonMonths: h, Trials: 1000, Mode: mode, Currency: "USD"}
	series := func(f func(mo int) float64, from int) []results.Point {
		var pts []results.Point
		for mo := from; mo <= h; mo++ {
			v := f(mo)
			pts = append(pts, results.Point{Month: mo, Mean: v, P5: v, P25: v, P50: v, P75: v, P95: v})
		}
		return pts
	}
	zero := func(int) float64 { return 0 }
	cum := func(mo int) float64 {
		if mo <= 10 {
			return 1000 * float64(mo)
		}
		return 10000 - 2000*float64(mo-10)
	}
	base := results.Option{Name: "Baseline", Series: map[string][]results.Point{
		results.SeriesMRR:                series(func(int) float64 { return 10000 }, 0),
		results.SeriesCSCost:             series(func(int) float64 { return 3000 }, 1),
		results.SeriesGrossProfitCumDiff: series(zero, 1),
	}}
	cut := results.Option{Name: "Cut", Payback: payback, Series: map[string][]results.Point{
		results.SeriesMRR:                series(func(int) float64 { return 9500 }, 0),
		results.SeriesCSCost:             series(func(int) float64 { return 1500 }, 1),
		results.SeriesGrossProfitCumDiff: series(cum, 1),
	}}
	r.Options = []results.Option{base, cut}
	return r
}

func TestPaybackSentence(t *testing.T) {
	some := &results.Payback{Metric: results.SeriesGrossProfit, ShareOfTrials: 0.2,
		Month: &results.Summary{Mean: 5, P5: 2, P50: 4, P95: 9}}
	cases := []struct {
		name string
		r    *results.Results
		want []string
	}{
		{"few trials pay back", paybackResults("monte_carlo", some), []string{
			"in only 20 % of trials, in month 4 (Jul 2027) at the median (90 % of them between months 2 and 9)",
			"On the median path its cumulative gross profit leads the baseline's until month 14 (May 2028) and trails it from then on."}},
		{"none pays back", paybackResults("monte_carlo", &results.Payback{Metric: results.SeriesGrossProfit}), []string{
			"It pays back in no trial", "leads the baseline's until month 14 (May 2028)"}},
		{"expected path", paybackResults("expected", &results.Payback{Metric: results.SeriesGrossProfit}), []string{
			"It never pays back within the horizon", " Its cumulative gross profit leads the baseline's until month 14 (May 2028)"}},
	}
	for _, c := range cases {
		got := paybackSentence(c.r, c.r.Options[1])
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", c.name, got, w)
			}
		}
	}
	if got := paybackTitle(cases[0].r); got != "Cut leads in gross profit until May 2028, then trails" {
		t.Errorf("title %q", got)
	}
}

// The years follow the calendar: Apr to Dec 2027 (9 months), 2028 (12),
// Jan to Mar 2029 (3); each cell is the option's sum less the baseline's.
func TestPaybackYears(t *testing.T) {
	r := paybackResults("monte_carlo", &results.Payback{Metric: results.SeriesGrossProfit})
	tb := fiscalYears(r)
	if len(tb.Rows) != 3 {
		t.Fatalf("%d rows, want 3 years", len(tb.Rows))
	}
	want := [][]string{{"Cut", "2027", "−$4.5k", "−$13.5k"}, {"", "2028", "−$6k", "−$18k"}, {"", "2029", "−$1.5k", "−$4.5k"}}
	for i, w := range want {
		if got := tb.Rows[i].Cells[:4]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("row %d: %q, want %q", i, got, w)
		}
	}
	var md strings.Builder
	if err := Markdown(&md, r, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "## When it pays back") || !strings.Contains(md.String(), "| Cut    | 2027 |") {
		t.Errorf("report.md lacks the payback section or its table:\n%s", md.String())
	}
}

// A fiscal year from April is named by the year it ends in: a run from Apr
// 2027 over 24 months is FY2028 (12 months) and FY2029 (12); from Jan 2027
// over 30 months, FY2027 (3 months: Jan to Mar), FY2028, FY2029 (3).
func TestFiscalYears(t *testing.T) {
	label := func(r *results.Results) string {
		var s []string
		for _, y := range yearsOf(r) {
			s = append(s, fmt.Sprintf("%s %d-%d", y.label, y.from, y.to))
		}
		return strings.Join(s, ", ")
	}
	cases := []struct {
		start string
		h, fy int
		want  string
	}{
		{"2027-04", 24, 4, "FY2028 1-12, FY2029 13-24"},
		{"2027-01", 30, 4, "FY2027 1-3, FY2028 4-15, FY2029 16-27, FY2030 28-30"},
		{"2027-04", 24, 1, "2027 1-9, 2028 10-21, 2029 22-24"},
		{"", 24, 1, "Months 1–12 1-12, Months 13–24 13-24"},
	}
	for _, c := range cases {
		if got := label(&results.Results{Start: c.start, HorizonMonths: c.h, FiscalYearStart: c.fy}); got != c.want {
			t.Errorf("start %s, %d months, fiscal year from month %d: %s, want %s", c.start, c.h, c.fy, got, c.want)
		}
	}
}
