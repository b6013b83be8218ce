package report

import (
	"fmt"
	"io"
	"math"
	"strings"

	"csplan/results"
)

// When an option pays back: its answer's sentence, the chart of its
// cumulative gross profit against the baseline, and the money by fiscal
// year.

// paybackSection is the "When it pays back" section.
type paybackSection struct {
	Sentences []answer
	Figure    *Chart // nil when it was not rendered
	Note      string
	Years     table
}

// paybackMonthLabel is month m of the run as a reader says it: "month 14
// (Feb 2028)", or "month 14" without a start month.
func paybackMonthLabel(r *results.Results, m int) string {
	if _, ok := monthDate(r.Start, m); ok {
		return fmt.Sprintf("month %d (%s)", m, MonthLabel(r.Start, m))
	}
	return fmt.Sprintf("month %d", m)
}

// cumulativeLead is the option's central path of cumulative gross profit
// against the baseline (the median over trials, or the expected path):
// the last month it is ahead when it starts ahead, and whether it is ahead
// at the horizon.
func cumulativeLead(r *results.Results, o results.Option) (aheadUntil int, aheadAtEnd bool, ok bool) {
	pts := o.Series[results.SeriesGrossProfitCumDiff]
	if len(pts) == 0 {
		return 0, false, false
	}
	centre := centreLine(!chartExpected(r))
	started := false // the months before the option changes anything are even
	for _, p := range pts {
		v := centre(p)
		if !started && v == 0 {
			continue
		}
		started = true
		if v <= 0 {
			break
		}
		aheadUntil = p.Month
	}
	return aheadUntil, centre(pts[len(pts)-1]) > 0, true
}

// paybackStory is what an option's cumulative gross profit against the
// baseline does, on its central path: identical (no difference in any
// trial); leads first (a cut: ahead until a month, or throughout); or
// trails first (a hire, an investment: it pays back, or not).
type paybackStory struct {
	identical, leadsFirst, aheadAtEnd bool
	until                             int // the last month it leads, when it leads first
	// A lead that shrinks: the month its central path peaked, at least
	// six months before the horizon (0: it does not shrink), and how much
	// it fell over the last twelve months.
	fadesFrom int
	fell      float64
}

func storyOf(r *results.Results, o results.Option) paybackStory {
	if d, ok := o.VsBaseline[results.GrossProfitTotal]; ok && d.MeanDiff == 0 && d.PBetter == 0 && d.PWorse == 0 {
		return paybackStory{identical: true}
	}
	until, aheadAtEnd, _ := cumulativeLead(r, o)
	st := paybackStory{leadsFirst: until > 0, aheadAtEnd: aheadAtEnd, until: until}
	if st.leadsFirst && aheadAtEnd {
		st.fadesFrom, st.fell = fadingLead(r, o)
	}
	return st
}

// fadingLead finds a lead that ends the horizon shrinking: a cut saves CS
// cost at once and loses revenue later, so a lead that peaked well before
// the horizon says a longer horizon may reverse the answer. It returns the
// month the option's central path of cumulative gross profit against the
// baseline peaked and how much the path fell over the last twelve months;
// zeros when the lead does not fade. No month of crossing is extrapolated:
// the losses of a cut compound, so a straight line from the last year
// put it years too late (May 2033 for a cut that a 60-month run showed
// behind from Oct 2030).
func fadingLead(r *results.Results, o results.Option) (peak int, fell float64) {
	pts := o.Series[results.SeriesGrossProfitCumDiff]
	if len(pts) < 13 {
		return 0, 0
	}
	centre := centreLine(!chartExpected(r))
	last := pts[len(pts)-1]
	top := 0
	for i, p := range pts {
		if centre(p) > centre(pts[top]) {
			top = i
		}
	}
	// Falling over the last year and still at its end (the last quarter):
	// a lead that dipped and is rising again is not said to shrink.
	fell = centre(pts[len(pts)-13]) - centre(last)
	if pts[top].Month > last.Month-6 || fell <= 0 || centre(last) <= 0 || centre(last) >= centre(pts[len(pts)-4]) {
		return 0, 0
	}
	return pts[top].Month, fell
}

// paybackSentence says what the option's cumulative gross profit does
// against the baseline's: an option that leads first (a cut saves at once)
// leads until a month or throughout, and ends ahead in a share of trials;
// one that trails first (a hire costs at once) pays back in a month, in a
// share of trials, or never. Nothing for an option no different from the
// baseline.
func paybackSentence(r *results.Results, o results.Option) string {
	p := o.Payback
	st := storyOf(r, o)
	if p == nil || st.identical {
		return ""
	}
	expected := r.Mode == "expected" || r.Trials <= 1
	path, ends := " (median path)", fmt.Sprintf("; it ends ahead in %s", shareOfTrials(p.ShareOfTrials))
	if expected {
		path, ends = "", ""
	}
	switch {
	case st.leadsFirst && st.aheadAtEnd && st.until == r.HorizonMonths:
		s := fmt.Sprintf(" Its cumulative gross profit is ahead of the baseline's from the first month it differs to %s%s%s.", MonthLabel(r.Start, r.HorizonMonths), path, ends)
		if st.fadesFrom > 0 {
			s += fmt.Sprintf(" But its lead has been shrinking since %s (by %s in the last twelve months), so a longer horizon may reverse the answer: rerun with a larger horizon_months to see when.", MonthLabel(r.Start, st.fadesFrom), metricQuantity(results.GrossProfitTotal).unit.magnitude(st.fell, r.Currency))
		}
		return s
	case st.leadsFirst && !st.aheadAtEnd:
		return fmt.Sprintf(" Its cumulative gross profit is ahead of the baseline's until %s and behind from then on%s%s.", paybackMonthLabel(r, st.until), path, ends)
	}
	if p.Month == nil || p.ShareOfTrials == 0 {
		if expected {
			return " It does not pay back within the horizon: its cumulative gross profit is behind the baseline's at the horizon."
		}
		return " It does not pay back within the horizon: its cumulative gross profit is behind the baseline's at the horizon in every trial."
	}
	if expected {
		return fmt.Sprintf(" It pays back in %s: from then on its cumulative gross profit stays ahead of the baseline's.", paybackMonthLabel(r, int(p.Month.Mean)))
	}
	m := p.Month
	when := fmt.Sprintf("%s at the median", paybackMonthLabel(r, int(math.Round(m.P50))))
	if m.P5 != m.P95 {
		when += fmt.Sprintf(" (90 %% of them between months %d and %d)", int(math.Round(m.P5)), int(math.Round(m.P95)))
	}
	only := ""
	if p.ShareOfTrials < 0.5 {
		only = "only "
	}
	return fmt.Sprintf(" It pays back (its cumulative gross profit gets ahead of the baseline's for good) in %s%s, in %s.", only, shareOfTrials(p.ShareOfTrials), when)
}

// paybackLine is the terminal summary's line on the option's cumulative
// gross profit against the baseline (paybackSentence, shorter).
func paybackLine(r *results.Results, o results.Option) string {
	p := o.Payback
	st := storyOf(r, o)
	if p == nil || st.identical {
		return ""
	}
	expected := r.Mode == "expected" || r.Trials <= 1
	ends := ""
	if !expected {
		ends = "; ends ahead in " + shareShort(p.ShareOfTrials)
	}
	const what = "cumulative gross profit: "
	switch {
	case st.leadsFirst && st.aheadAtEnd && st.until == r.HorizonMonths && st.fadesFrom > 0:
		return what + "ahead from the start, but shrinking since " + MonthLabel(r.Start, st.fadesFrom) + ends
	case st.leadsFirst && st.aheadAtEnd && st.until == r.HorizonMonths:
		return what + "ahead from the start" + ends
	case st.leadsFirst && !st.aheadAtEnd:
		return what + "ahead until " + MonthLabel(r.Start, st.until) + ", then behind" + ends
	case p.Month == nil || p.ShareOfTrials == 0:
		return what + "never pays back within the horizon"
	case expected:
		return what + "pays back in " + paybackMonthLabel(r, int(p.Month.Mean))
	}
	return fmt.Sprintf("%spays back in %s at the median, in %s", what, paybackMonthLabel(r, int(math.Round(p.Month.P50))), shareShort(p.ShareOfTrials))
}

// buildPayback is the section, when any option carries a payback.
func buildPayback(r *results.Results, chart *Chart) *paybackSection {
	sec := &paybackSection{Figure: chart}
	for _, o := range r.Options[1:] {
		if s := paybackSentence(r, o); s != "" {
			sec.Sentences = append(sec.Sentences, answer{Option: o.Name, Post: ":" + s})
		}
	}
	if len(sec.Sentences) == 0 {
		return nil
	}
	sec.Note = "An option pays back in a trial from the first month from which its cumulative gross profit, less the baseline's in the same trial, stays above zero to the horizon; a trial where it is not ahead at the horizon never pays back. A cut saves CS cost at once and loses revenue later, so it tends to lead first and trail later; a hire does the reverse."
	sec.Years = fiscalYears(r)
	return sec
}

// yearHeads are the columns of the money by fiscal year.
var yearHeads = []string{"Revenue", "CS cost", "Gross profit", "Contribution", "Free cash flow", "Cash flow", "Gross profit, cumulative"}

// yearDiff is one option's difference from the baseline in one fiscal year,
// in the columns of yearHeads.
type yearDiff struct {
	option string
	year   results.FiscalYear
	values []float64
}

// yearDiffs are each option's differences from the baseline by fiscal year
// (the months of the run that fall in each, results.FiscalYears) in revenue, CS
// cost, gross profit, contribution, free cash flow (accrual) and cash flow
// (revenue when billed), with gross profit cumulated. Means of the
// per-trial differences, which are the differences of the means.
func yearDiffs(r *results.Results) []yearDiff {
	var out []yearDiff
	base := r.Options[0]
	for _, o := range r.Options[1:] {
		diff := func(key string, y results.FiscalYear) float64 {
			return seriesSum(o, key, y.From, y.To) - seriesSum(base, key, y.From, y.To)
		}
		cum := 0.0
		for _, y := range results.FiscalYears(r.Start, r.FiscalYearStart, r.HorizonMonths) {
			gp, fcf, rev := diff(results.SeriesGrossProfit, y), diff(results.SeriesFreeCashFlow, y), diff(results.SeriesMRR, y)
			cum += gp
			out = append(out, yearDiff{o.Name, y, []float64{rev, diff(results.SeriesCSCost, y), gp,
				diff(results.SeriesContribution, y), fcf, fcf - rev + diff(results.SeriesBillings, y), cum}})
		}
	}
	return out
}

// fiscalYears is the table of yearDiffs, each option's name on its first
// row.
func fiscalYears(r *results.Results) table {
	t := table{Header: append([]string{"Option", "Year"}, yearHeads...), Right: []bool{false, false}}
	for range yearHeads {
		t.Right = append(t.Right, true)
	}
	prev := ""
	for i, d := range yearDiffs(r) {
		first := i == 0 || d.option != prev
		prev = d.option
		cells := []string{"", d.year.Name()}
		if first {
			cells[0] = d.option
		}
		for _, v := range d.values {
			cells = append(cells, unitMoney.signed(v, r.Currency))
		}
		t.Rows = append(t.Rows, row{Cells: cells, First: first})
	}
	return t
}

// seriesSum is the sum of an option's monthly series key over months
// [from, to], of its means.
func seriesSum(o results.Option, key string, from, to int) float64 {
	s := 0.0
	for _, p := range o.Series[key] {
		if p.Month >= from && p.Month <= to {
			s += p.Mean
		}
	}
	return s
}

// paybackChart is the cumulative gross profit of each option against the
// baseline by month, with a title that gives the message.
func paybackChart(r *results.Results) *chartSpec {
	if len(r.Options) < 2 || r.Options[1].Payback == nil {
		return nil
	}
	spec := seriesSpec(r, timeChart{name: "payback", key: results.SeriesGrossProfitCumDiff, title: "Cumulative gross profit against the baseline",
		measure: "Gross profit from the first month to each month end, less the baseline's in the same trial,",
		note:    "Above zero: the option is ahead of the baseline so far.", what: "cumulative gross profit against the baseline",
		yLabel: "Cumulative gross profit, option − baseline (" + chartCurrency(r) + ")", unit: axisMoney, bands: []bandDef{band90}})
	if spec == nil {
		return nil
	}
	if title := paybackTitle(r); title != "" {
		spec.fig.Subtitle = strings.TrimSpace(spec.fig.Title + ". " + spec.fig.Subtitle)
		spec.fig.Title = title
	}
	return spec
}

// paybackTitle is the payback chart's message, from each option's median
// path: "Cut 3 CSMs in April leads in gross profit until Apr 2029, then
// trails" with one option; with more, a phrase each ("Higher price
// increases stays ahead throughout; Cut 3 CSMs in April leads until Jul
// 2028, then trails").
func paybackTitle(r *results.Results) string {
	var phrases []string
	for _, o := range r.Options[1:] {
		until, aheadAtEnd, ok := cumulativeLead(r, o)
		if !ok || storyOf(r, o).identical {
			continue
		}
		var p string
		switch {
		case aheadAtEnd && until == r.HorizonMonths:
			p = "stays ahead of the baseline in gross profit to " + MonthLabel(r.Start, r.HorizonMonths)
		case aheadAtEnd:
			p = "is ahead of the baseline in gross profit by " + MonthLabel(r.Start, r.HorizonMonths)
		case until > 0:
			p = "leads in gross profit until " + MonthLabel(r.Start, until) + ", then trails"
		default:
			p = "trails the baseline in gross profit throughout"
		}
		if len(r.Options) > 2 { // shorter, one phrase per option
			p = strings.Replace(strings.Replace(p, " of the baseline in gross profit", "", 1), " in gross profit", "", 1)
			p = strings.Replace(p, "trails the baseline throughout", "trails throughout", 1)
		}
		phrases = append(phrases, o.Name+" "+p)
	}
	return strings.Join(phrases, "; ")
}

// mdPayback writes the section's body.
func mdPayback(w io.Writer, sec *paybackSection, dir string) {
	for _, a := range sec.Sentences {
		fmt.Fprintf(w, "- **%s**%s\n", mdText(a.Option), mdText(a.Post))
	}
	fmt.Fprintf(w, "\n")
	if sec.Figure != nil {
		mdChart(w, *sec.Figure, dir)
	}
	fmt.Fprintf(w, "%s\n\n", mdText(sec.Note))
	fmt.Fprintf(w, "#### Difference from the baseline by year\n\n")
	mdTable(w, sec.Years)
}
