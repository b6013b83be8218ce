package report

import (
	"strings"
	"testing"

	"csplan/results"
)

// paybackResults are a baseline and a cut over 24 months from Apr 2027: the
// cut's cumulative gross profit against the baseline is +1,000 a month for
// 10 months, then falls by 2,000 a month (even in month 15, behind after); its
// revenue is 500 a month lower and its CS cost 1,500 lower.
func paybackResults(mode string, payback *results.Payback) *results.Results {
	return pathResults(mode, payback, func(mo int) float64 {
		if mo <= 10 {
			return 1000 * float64(mo)
		}
		return 10000 - 2000*float64(mo-10)
	})
}

// pathResults are paybackResults with the cut's cumulative gross profit
// against the baseline by month cum.
func pathResults(mode string, payback *results.Payback, cum func(mo int) float64) *results.Results {
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
	hire := func(m int) float64 { return -5000 + 1000*float64(m-1) } // ahead from month 7
	paid := &results.Payback{Metric: results.SeriesGrossProfit, ShareOfTrials: 0.85,
		Month: &results.Summary{Mean: 7, P5: 5, P50: 7, P95: 12}}
	none := &results.Payback{Metric: results.SeriesGrossProfit}
	same := paybackResults("monte_carlo", none)
	same.Options[1].VsBaseline = map[string]results.Diff{results.GrossProfitTotal: {}}
	cases := []struct {
		name string
		r    *results.Results
		want string
	}{
		{"a cut, ahead first", paybackResults("monte_carlo", some),
			" Its cumulative gross profit is ahead of the baseline's until month 14 (May 2028) and behind from then on (median path); it ends ahead in 20 % of trials."},
		{"a cut on the expected path", paybackResults("expected", none),
			" Its cumulative gross profit is ahead of the baseline's until month 14 (May 2028) and behind from then on."},
		{"a hire that pays back", pathResults("monte_carlo", paid, hire),
			" It pays back (its cumulative gross profit gets ahead of the baseline's for good) in 85 % of trials, in month 7 (Oct 2027) at the median (90 % of them between months 5 and 12)."},
		{"a hire that never does", pathResults("monte_carlo", none, func(m int) float64 { return -float64(m) }),
			" It does not pay back within the horizon: its cumulative gross profit is behind the baseline's at the horizon in every trial."},
		{"no difference", same, ""},
	}
	for _, c := range cases {
		if got := paybackSentence(c.r, c.r.Options[1]); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
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
	want := [][]string{{"Cut", "2027 (9 months)", "−$4.5k", "−$13.5k"}, {"", "2028", "−$6k", "−$18k"}, {"", "2029 (3 months)", "−$1.5k", "−$4.5k"}}
	for i, w := range want {
		if got := tb.Rows[i].Cells[:4]; strings.Join(got, "|") != strings.Join(w, "|") {
			t.Errorf("row %d: %q, want %q", i, got, w)
		}
	}
	var md strings.Builder
	if err := Markdown(&md, r, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "## When it pays back") || !strings.Contains(md.String(), "| Cut    | 2027 (9 months) |") {
		t.Errorf("report.md lacks the payback section or its table:\n%s", md.String())
	}
}

// A lead that peaked well before the horizon and shrinks to it is said to
// be shrinking, with how much it fell in the last year: a longer horizon
// may reverse the answer. A lead that still grows, or peaked in the last
// six months, is not.
func TestFadingLead(t *testing.T) {
	ends := &results.Payback{Metric: results.SeriesGrossProfit, ShareOfTrials: 0.85}
	gentle := pathResults("monte_carlo", ends, func(mo int) float64 { // peaks in month 12 at 12,000
		if mo <= 12 {
			return 1000 * float64(mo)
		}
		return 12000 - 500*float64(mo-12) // 6,000 at month 24
	})
	s, line := paybackSentence(gentle, gentle.Options[1]), paybackLine(gentle, gentle.Options[1])
	if !strings.Contains(s, "shrinking since Mar 2028 (by $6k in the last twelve months)") || !strings.Contains(line, "ahead from the start, but shrinking since Mar 2028") {
		t.Errorf("fading lead:\n%s\n%s", s, line)
	}
	growing := pathResults("monte_carlo", ends, func(mo int) float64 { return 1000 * float64(mo) })
	late := pathResults("monte_carlo", ends, func(mo int) float64 { // peaks in month 20
		return 1000*float64(mo) - 300*float64(max(0, mo-20)*max(0, mo-20))
	})
	rising := pathResults("monte_carlo", ends, func(mo int) float64 { // dips from month 8, rising again from 20
		switch {
		case mo <= 8:
			return 1000 * float64(mo)
		case mo <= 20:
			return 8000 - 500*float64(mo-8)
		}
		return 2000 + 100*float64(mo-20)
	})
	for name, r := range map[string]*results.Results{"growing": growing, "late peak": late, "rising again": rising} {
		if s := paybackSentence(r, r.Options[1]) + paybackLine(r, r.Options[1]); strings.Contains(s, "shrinking") {
			t.Errorf("%s lead said to shrink: %s", name, s)
		}
	}
}
