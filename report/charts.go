package report

import (
	"fmt"
	"image/color"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"csplan/results"
)

// Charts renders every chart that applies to r, in this order: the ARR fan
// chart, the comparison of key metrics, one distribution of differences
// from the baseline per metric that has histograms (Monte Carlo with at
// least one option), cumulative revenue, customers, and where they apply
// the team's capacity and coverage, the convergence of a run to a
// precision, the tornado chart of a sensitivity analysis and the chart of
// a break-even analysis. Each chart is
// SVG and PNG (1600 × 900 px), and PDF when opt.PDF is set. The same input
// gives byte-identical SVG.
func Charts(r *results.Results, opt Options) ([]Chart, error) {
	if r == nil || len(r.Options) == 0 {
		return nil, fmt.Errorf("report: no options to chart")
	}
	specs := chartSpecs(r)
	if len(opt.Only) > 0 {
		specs = slices.DeleteFunc(specs, func(s chartSpec) bool { return !slices.Contains(opt.Only, s.name) })
	}

	// Charts are independent: render them on all cores, each into its own
	// slot, so the order and bytes do not depend on scheduling.
	out := make([]Chart, len(specs))
	errs := make([]error, len(specs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(specs)) {
		wg.Go(func() {
			for i := range next {
				s := &specs[i]
				var svg, png, pdf []byte
				var err error
				if opt.SVGOnly {
					svg, err = theme.svg(&s.fig)
				} else {
					svg, png, pdf, err = theme.render(&s.fig, opt.PDF || isSlide(s.name))
				}
				out[i] = Chart{Name: s.name, Title: s.fig.Title, Caption: s.caption, SVG: svg, PNG: png, PDF: pdf}
				errs[i] = err
			}
		})
	}
	for i := range specs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("report: chart %s: %w", specs[i].name, err)
		}
	}
	return out, nil
}

// isSlide says whether a chart is also a slide (slides/NAME.png, .svg and
// .pdf): the charts whose titles give a board the message, the bridges,
// payback and ARR.
func isSlide(name string) bool {
	return name == "payback" || name == "arr-fan" || strings.HasPrefix(name, "bridge-")
}

// Option colours by what an option does to the CS team, the same in every
// chart: the baseline blue, cuts warm, hires green and sky blue, the rest
// purple, black and yellow (Okabe-Ito, told apart with every common
// colour-vision deficiency).
var (
	cutColors   = []color.NRGBA{okabeIto[3], okabeIto[1]}
	hireColors  = []color.NRGBA{okabeIto[2], okabeIto[5]}
	otherColors = []color.NRGBA{okabeIto[4], okabeIto[7], okabeIto[6]}
)

// colorOf is option i's colour: a cut (CS cost clearly lower than the
// baseline's) or a hire (clearly higher) takes the next colour of its kind.
func colorOf(r *results.Results, i int) color.NRGBA {
	if i == 0 {
		return okabeIto[0]
	}
	kind := func(o results.Option) []color.NRGBA {
		d, ok := o.VsBaseline[results.CSCostTotal]
		if !ok {
			return otherColors
		}
		switch compare(d, !chartExpected(r)).verdict {
		case "lower":
			return cutColors
		case "higher":
			return hireColors
		}
		return otherColors
	}
	mine, n := kind(r.Options[i]), 0
	for _, o := range r.Options[1:i] {
		if &kind(o)[0] == &mine[0] {
			n++
		}
	}
	return mine[n%len(mine)]
}

// chartSpecs lays out every chart that applies to r, in order.
func chartSpecs(r *results.Results) []chartSpec {
	var specs []chartSpec
	add := func(s *chartSpec) {
		if s != nil {
			specs = append(specs, *s)
		}
	}
	add(arrFanChart(r))
	add(comparisonChart(r))
	add(differencesChart(r))
	add(paybackChart(r))
	for _, b := range bridgeCharts(r) {
		add(b)
	}
	for _, b := range arrBridgeCharts(r) {
		add(b)
	}
	for _, m := range chartMetrics(r) {
		if diffMetrics[m.Key] {
			add(diffChart(r, m))
		}
	}
	add(revenueChart(r))
	add(logosChart(r))
	if chartHasTeam(r) {
		add(capacityChart(r))
		add(coverageChart(r))
	}
	add(convergenceChart(r))
	add(tornadoChart(r))
	add(breakevenChart(r))
	return specs
}

// diffMetrics are the metrics whose per-trial differences get a chart: the
// outcomes a decision turns on. The others are in the comparison chart and
// the tables.
var diffMetrics = map[string]bool{results.ARREnd: true, results.RevenueTotal: true, results.GrossProfitTotal: true, results.Valuation: true}

// comparisonMetrics are the panels of the comparison chart: the outcomes a
// board asks about. Costs in detail and ratios are in the tables.
var comparisonMetrics = map[string]bool{results.ARREnd: true, results.RevenueTotal: true, results.NRR12m: true, results.GRR12m: true,
	results.LogosEnd: true, results.CSCostTotal: true, results.GrossProfitTotal: true, results.Valuation: true}

// axisOf is how an axis writes values of the catalogue's unit.
func axisOf(u results.Unit) axisUnit {
	switch u {
	case results.Money:
		return axisMoney
	case results.Rate:
		return axisRate
	case results.Count:
		return axisCount
	}
	return axisNumber
}

// chartHasTeam reports whether any option has a CS team with hours.
func chartHasTeam(r *results.Results) bool {
	for _, o := range r.Options {
		for _, p := range o.Series[results.SeriesHoursAvailable] {
			if p.Mean > 0 {
				return true
			}
		}
	}
	return false
}

func capacityChart(r *results.Results) *chartSpec {
	spec := seriesSpec(r, timeChart{name: "capacity", key: results.SeriesHoursNeeded, ref: results.SeriesHoursAvailable, title: "CSM hours needed and available by month",
		measure: "CSM hours the accounts' touch models need each month (solid line; dashed: productive hours the team has)",
		note:    "Solid: hours needed by the accounts served. Dashed: productive hours the team has, after ramp and attrition.",
		what:    "CSM hours needed a month", yLabel: "CSM hours per month", unit: axisCount, bands: []bandDef{band90}})
	if msg := capacityMessage(r); spec != nil && msg != "" {
		spec.fig.Subtitle = spec.fig.Title + ". " + spec.fig.Subtitle
		spec.fig.Title = msg
	}
	return spec
}

// capacityMessage says what share of the hours its accounts need the team
// has in the last month, in the baseline and in the options that change
// it most either way, read from the lines the chart draws (medians; the
// expected path in expected mode), so that the title says what the eye
// sees: "In Dec 2029 the team has 82 % of the hours its accounts need in
// the baseline, 64 % with Cut 3 CSMs in April"; "" without hours.
func capacityMessage(r *results.Results) string {
	centre := centreLine(!chartExpected(r))
	shares := make([]float64, len(r.Options)) // NaN without hours
	for i, o := range r.Options {
		shares[i] = math.NaN()
		need, have := o.Series[results.SeriesHoursNeeded], o.Series[results.SeriesHoursAvailable]
		if len(need) > 0 && len(have) > 0 && centre(lastSeriesPoint(need)) > 0 {
			shares[i] = centre(lastSeriesPoint(have)) / centre(lastSeriesPoint(need))
		}
	}
	base := shares[0]
	if math.IsNaN(base) {
		return ""
	}
	lo, hi := -1, -1
	for k := 1; k < len(shares); k++ {
		v := shares[k]
		switch {
		case math.IsNaN(v) || math.Abs(v-base) < 0.005:
		case v < base && (lo < 0 || v < shares[lo]):
			lo = k
		case v > base && (hi < 0 || v > shares[hi]):
			hi = k
		}
	}
	pctText := func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }
	msg := fmt.Sprintf("In %s the team has %s of the hours its accounts need in the baseline", chartHorizon(r), pctText(base))
	for _, k := range []int{lo, hi} {
		if k > 0 {
			msg += fmt.Sprintf(", %s with %s", pctText(shares[k]), r.Options[k].Name)
		}
	}
	return msg
}

func coverageChart(r *results.Results) *chartSpec {
	return seriesSpec(r, timeChart{name: "coverage", key: results.SeriesCoverage, title: "CSM coverage by month",
		measure: "Mean share of the hours it needs that a served account gets",
		note:    "100 % = every account gets all the hours its touch model needs.",
		what:    "CSM coverage", yLabel: "Mean coverage of served accounts", unit: axisRate, bands: []bandDef{band90}, message: true})
}

// chartSpec is a chart before rendering.
type chartSpec struct {
	name    string
	caption string
	fig     chartFigure
}

// chartExpected reports whether r holds one expected path rather than a
// distribution over trials: no bands or intervals are drawn then.
func chartExpected(r *results.Results) bool { return r.Mode == "expected" || r.Trials <= 1 }

// chartHorizon is the calendar month of the last simulated month.
func chartHorizon(r *results.Results) string { return MonthLabel(r.Start, r.HorizonMonths) }

// chartSpan is the simulated period, "Jan 2027–Dec 2029".
func chartSpan(r *results.Results) string {
	return MonthLabel(r.Start, 1) + "–" + chartHorizon(r)
}

// chartSource is the footnote of every chart: where the numbers come from.
func chartSource(r *results.Results) string {
	parts := []string{"csplan"}
	if r.Scenario != "" {
		parts = append(parts, r.Scenario)
	}
	if chartExpected(r) {
		s := "expected values, no sampling"
		if r.NetRate != "" {
			s += " (" + r.NetRate + " net rate)"
		}
		parts = append(parts, s)
	} else {
		parts = append(parts, fmt.Sprintf("%s trials, seed %d", Count(float64(r.Trials)), r.Seed))
	}
	return strings.Join(parts, " · ")
}

// chartCurrency names the currency in axis labels.
func chartCurrency(r *results.Results) string { return currencyCode(r.Currency) }

// chartMetric says how a results metric is shown.
type chartMetric struct {
	Key   string
	Unit  axisUnit
	Short string // what it is, without when: "ARR"
	Label string // with when: "ARR at Dec 2029"
}

// chartMetrics lists the metrics present in r's options: the known ones in
// their usual order, then any others by name.
func chartMetrics(r *results.Results) []chartMetric {
	end, span := chartHorizon(r), chartSpan(r)
	var known []chartMetric
	for _, q := range results.Metrics {
		label := q.Title
		switch q.When {
		case results.AtEnd:
			label += " at " + end
		case results.OverSpan:
			label += ", " + span
		case results.Trailing:
			label += ", 12 months to " + end
		}
		if m := valuationMethod(r); q.Key == results.Valuation && m != "" {
			label += ", by " + m
		}
		known = append(known, chartMetric{q.Key, axisOf(q.Unit), q.Short, label})
	}
	present := map[string]bool{}
	for _, o := range r.Options {
		for k := range o.Metrics {
			present[k] = true
		}
	}
	var out []chartMetric
	for _, m := range known {
		if present[m.Key] {
			out = append(out, m)
			delete(present, m.Key)
		}
	}
	rest := make([]string, 0, len(present))
	for k := range present {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		if seg, ok := segmentCLV(k); ok {
			out = append(out, chartMetric{k, axisMoney, "CLV per " + seg + " account", segmentCLVLabel(seg)})
			continue
		}
		out = append(out, chartMetric{k, axisNumber, k, k})
	}
	return out
}

// chartValue writes one value of a metric in its unit; with signed, a
// positive value has a plus sign. A value that rounds to zero has no sign.
func chartValue(v float64, unit axisUnit, currency string, signed bool) string {
	var s string
	switch unit {
	case axisMoney:
		s = Money(v, currency)
	case axisRate:
		s = Percent(v)
	case axisPoints:
		s = strings.Replace(fmt.Sprintf("%.2f pp", 100*v), "-", "−", 1)
	case axisCount:
		s = Count(v)
	default:
		s = strings.Replace(fmt.Sprintf("%.3g", v), "-", "−", 1)
	}
	switch {
	case zeroText(s):
		return strings.TrimPrefix(s, "−")
	case signed && v > 0:
		return "+" + s
	}
	return s
}

// chartShare writes a probability as a share of trials, "97 %", keeping a
// decimal where rounding would claim all or none.
func chartShare(p float64) string {
	v := 100 * p
	s := fmt.Sprintf("%.0f", v)
	if (s == "100" && p < 1) || (s == "0" && p > 0) {
		s = fmt.Sprintf("%.1f", v)
		if s == "100.0" {
			s = "more than 99.9"
		} else if s == "0.0" {
			s = "less than 0.1"
		}
	}
	return s + " %"
}

// Time series charts.

// bandDef is a shaded interval of a series.
type bandDef struct {
	lo, hi func(results.Point) float64
	alpha  float64
}

var (
	band90 = bandDef{func(p results.Point) float64 { return p.P5 }, func(p results.Point) float64 { return p.P95 }, theme.Band90Alpha}
	band50 = bandDef{func(p results.Point) float64 { return p.P25 }, func(p results.Point) float64 { return p.P75 }, theme.Band50Alpha}
)

// seriesGroups lists the options that have series key, grouping options
// whose series is identical to an earlier option's (they would hide each
// other): each group is drawn once and named for all its members.
func seriesGroups(r *results.Results, key string) [][]int {
	var groups [][]int
	for i, o := range r.Options {
		s, ok := o.Series[key]
		if !ok || len(s) == 0 {
			continue
		}
		placed := false
		for g, members := range groups {
			if slices.Equal(r.Options[members[0]].Series[key], s) {
				groups[g] = append(groups[g], i)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, []int{i})
		}
	}
	return groups
}

// groupLabel names a group of options with identical series.
func groupLabel(r *results.Results, members []int) string {
	names := make([]string, len(members))
	for i, m := range members {
		names[i] = r.Options[m].Name
	}
	switch {
	case len(names) == 1:
		return names[0]
	case len(names) == len(r.Options):
		return "All options, identical: " + strings.Join(names, ", ")
	}
	return strings.Join(names, " = ") + " (identical)"
}

// seriesChart is a time chart of series key: per option (or group of
// identical options) the median line over the given bands, or the expected
// path alone in expected mode.
func seriesChart(r *results.Results, key string, unit axisUnit, yLabel string, bands []bandDef, ref string) (*chartFigure, [][]int) {
	groups := seriesGroups(r, key)
	if len(groups) == 0 {
		return nil, nil
	}
	mc := !chartExpected(r)
	if !mc {
		bands = nil
	}
	p := theme.newPlot("Month end", yLabel)
	p.X.Tick.Marker = monthTicks{Start: r.Start}
	var legend []legendItem
	for _, b := range bands { // every band under every line
		alpha := b.alpha
		if len(bands) == 1 {
			alpha = theme.BandOnlyAlpha
		}
		for _, g := range groups {
			if !shaded(key, groups, g[0]) {
				continue
			}
			pts := r.Options[g[0]].Series[key]
			p.Add(newBand(seriesXYs(pts, b.lo), seriesXYs(pts, b.hi), withAlpha(colorOf(r, g[0]), alpha)))
		}
	}
	for _, g := range groups {
		c := colorOf(r, g[0])
		p.Add(newLine(seriesXYs(r.Options[g[0]].Series[key], centreLine(mc)), draw.LineStyle{Color: c, Width: theme.LineWidth}))
		kind := swatchLine
		if len(bands) > 0 && shaded(key, groups, g[0]) {
			kind = swatchLineBand
		}
		legend = append(legend, legendItem{Label: groupLabel(r, g), Color: c, Kind: kind})
	}
	if ref != "" {
		// Options with the same reference series (the same team) share one
		// dashed line, in the colour of the first of them.
		for _, g := range seriesGroups(r, ref) {
			p.Add(newLine(seriesXYs(r.Options[g[0]].Series[ref], centreLine(mc)),
				draw.LineStyle{Color: colorOf(r, g[0]), Width: theme.LineWidth, Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}))
		}
	}
	fitValueAxis(&p.Y, p.Y.Min, p.Y.Max, valueTicks{Unit: unit, Currency: r.Currency}, 7)
	fig := &chartFigure{Legend: legend, Note: chartSource(r), Body: func(c draw.Canvas) { p.Draw(c) }}
	return fig, groups
}

// baselineBandOnly says whether a time chart shades the baseline's band
// alone: with more than two lines, overlapping bands blur into one colour.
func baselineBandOnly(groups [][]int) bool { return len(groups) > 2 }

// shaded says whether the line of option i gets its band: the baseline's
// alone with many lines, except in the payback chart, of differences from
// the baseline, where the baseline's is 0 and each option's is shaded.
func shaded(key string, groups [][]int, i int) bool {
	if key == results.SeriesGrossProfitCumDiff {
		return i != 0
	}
	return i == 0 || !baselineBandOnly(groups)
}

// centre is the line of a series: the median over trials, or the expected
// value.
func centreLine(mc bool) func(results.Point) float64 {
	if mc {
		return func(p results.Point) float64 { return p.P50 }
	}
	return func(p results.Point) float64 { return p.Mean }
}

// lastSeriesPoint is the point of a series at its last month.
func lastSeriesPoint(s []results.Point) results.Point { return s[len(s)-1] }

// rangeSentence says where the options end on a series: the value for a
// single line, or which options end lowest and highest.
func rangeSentence(r *results.Results, key string, groups [][]int, what string, unit axisUnit) string {
	mc := !chartExpected(r)
	y := centreLine(mc)
	stat := "median " + what
	if !mc {
		stat = "expected " + what
	}
	end := chartHorizon(r)
	at := func(g []int) results.Point { return lastSeriesPoint(r.Options[g[0]].Series[key]) }
	val := func(v float64) string { return chartValue(v, unit, r.Currency, false) }
	names := func(g []int) string {
		n := make([]string, len(g))
		for i, m := range g {
			n[i] = r.Options[m].Name
		}
		if len(n) == 1 {
			return n[0]
		}
		return strings.Join(n[:len(n)-1], ", ") + " and " + n[len(n)-1]
	}
	if len(groups) == 1 {
		g := groups[0]
		out := fmt.Sprintf("By %s %s is %s", end, stat, val(y(at(g))))
		if mc {
			out += fmt.Sprintf(" (90 %% of trials between %s and %s)", val(at(g).P5), val(at(g).P95))
		}
		if len(g) > 1 {
			out += ", the same for " + names(g)
		}
		return out + "."
	}
	lo, hi := groups[0], groups[0]
	for _, g := range groups[1:] {
		if y(at(g)) < y(at(lo)) {
			lo = g
		}
		if y(at(g)) > y(at(hi)) {
			hi = g
		}
	}
	return fmt.Sprintf("By %s %s ranges from %s (%s) to %s (%s).", end, stat, val(y(at(lo))), names(lo), val(y(at(hi))), names(hi))
}

// timeChart describes one chart of a series over the months.
type timeChart struct {
	name, key string
	title     string // what is shown by month: "ARR by month"
	measure   string // what the line measures: "ARR at each month end"
	note      string // said first in the subtitle, if anything
	what      string // in the caption's last sentence: "median ARR"
	yLabel    string
	unit      axisUnit
	bands     []bandDef // 90 % and, for a fan, 50 %
	ref       string    // a second series drawn dashed per option (median), if any
	// message titles the chart with how the options end against the
	// baseline (messageTitle), the method moving to the subtitle.
	message bool
}

func arrFanChart(r *results.Results) *chartSpec {
	return seriesSpec(r, timeChart{name: "arr-fan", key: results.SeriesARR, title: "ARR by month", measure: "ARR at each month end",
		what: "ARR", yLabel: "ARR (" + chartCurrency(r) + ")", unit: axisMoney, bands: []bandDef{band90, band50}, message: true})
}

func revenueChart(r *results.Results) *chartSpec {
	since := "Revenue booked since " + MonthLabel(r.Start, 1)
	return seriesSpec(r, timeChart{name: "revenue-cum", key: results.SeriesRevenueCum, title: "Cumulative revenue by month", measure: since,
		note: since + ".", what: "cumulative revenue", yLabel: "Cumulative revenue (" + chartCurrency(r) + ")", unit: axisMoney, bands: []bandDef{band90}, message: true})
}

func logosChart(r *results.Results) *chartSpec {
	return seriesSpec(r, timeChart{name: "logos", key: results.SeriesLogos, title: "Customers by month", measure: "Customer accounts at each month end",
		note: "Accounts at each month end.", what: "customer count", yLabel: "Customers (accounts)", unit: axisCount, bands: []bandDef{band90}, message: true})
}

// seriesSpec is the chart of t, with a title, subtitle and caption that say
// which bands it shows (none in expected mode); nil without the series.
func seriesSpec(r *results.Results, t timeChart) *chartSpec {
	fig, groups := seriesChart(r, t.key, t.unit, t.yLabel, t.bands, t.ref)
	if fig == nil {
		return nil
	}
	var how string
	if chartExpected(r) {
		fig.Title = t.title + ", expected path"
		fig.Subtitle = strings.TrimSpace(t.note + " Expected values of the model, without sampling: one line per option.")
		how = t.measure + " per option, on the expected path."
	} else {
		trials := Count(float64(r.Trials))
		shading, bands := "90 % of trials", "the band holds 90 % of trials"
		fig.Title = t.title + ", median with 90 % band"
		if len(t.bands) == 2 {
			fig.Title = t.title + ", median with 50 % and 90 % bands"
			shading = "the middle 50 % (darker) and 90 % (lighter) of trials"
			bands = "the darker band holds the middle 50 % of trials and the lighter band 90 %"
		}
		if baselineBandOnly(groups) && t.key != results.SeriesGrossProfitCumDiff {
			shading = "the baseline's " + strings.TrimPrefix(shading, "the ")
			bands = strings.Replace(bands, " of trials", " of the baseline's trials", 1) + " (the options' bands are left out, so that the lines stay readable)"
		}
		fig.Subtitle = strings.TrimSpace(fmt.Sprintf("%s Line: median of %s trials. Shading: %s.", t.note, trials, shading))
		how = fmt.Sprintf("%s per option: the line is the median of %s trials, %s.", t.measure, trials, bands)
	}
	if msg := messageTitle(r, t.key, t.what, t.unit); t.message && msg != "" {
		// The message on top, what the chart shows under it.
		fig.Subtitle = fig.Title + ". " + fig.Subtitle
		fig.Title = msg
	}
	return &chartSpec{name: t.name, caption: how + " " + rangeSentence(r, t.key, groups, t.what, t.unit), fig: *fig}
}

// messageTitle is a time chart's message: the baseline's value at the
// horizon and how far the options that move it most end below and above it
// ("By Dec 2029 ARR is $62M in the baseline, $2.19M lower with Cut 3 CSMs in
// April and $1.71M higher with Higher price increases"; means, so that the
// differences are the answer's mean differences); "" without options.
func messageTitle(r *results.Results, key, what string, unit axisUnit) string {
	if len(r.Options) < 2 || len(r.Options[0].Series[key]) == 0 {
		return ""
	}
	at := func(o results.Option) float64 { return lastSeriesPoint(o.Series[key]).Mean }
	base := at(r.Options[0])
	val := func(v float64) string { return chartValue(v, unit, r.Currency, false) }
	diff := val
	if unit == axisRate {
		diff = func(v float64) string { return fmt.Sprintf("%.1f pp", 100*v) }
	}
	lo, hi := -1, -1
	for k, o := range r.Options[1:] {
		// A move the title would write as 0 is none.
		if len(o.Series[key]) == 0 || strings.Trim(diff(math.Abs(at(o)-base)), "$0.p ") == "" {
			continue
		}
		if d := at(o) - base; d < 0 && (lo < 0 || d < at(r.Options[lo+1])-base) {
			lo = k
		} else if d > 0 && (hi < 0 || d > at(r.Options[hi+1])-base) {
			hi = k
		}
	}
	var moves []string
	for _, k := range []int{lo, hi} {
		if k < 0 {
			continue
		}
		o := r.Options[k+1]
		way := "higher"
		if at(o) < base {
			way = "lower"
		}
		moves = append(moves, fmt.Sprintf("%s %s with %s", diff(math.Abs(at(o)-base)), way, o.Name))
	}
	s := fmt.Sprintf("By %s %s is %s in the baseline on average", chartHorizon(r), what, val(base))
	if len(moves) == 0 {
		return s + ", the same with every option"
	}
	return s + ", " + joinAnd(moves)
}

// The comparison chart.

func comparisonChart(r *results.Results) *chartSpec {
	metrics := panelMetrics(r, nil)
	if len(metrics) == 0 {
		return nil
	}
	mc := !chartExpected(r)
	all := make([]int, len(r.Options))
	for i := range all {
		all[i] = i
	}
	fig := panelFigure(r, metrics, all, mc, "median", func(m chartMetric, maxTicks int, slot vg.Length) *plot.Plot {
		return comparisonPanel(r, m, mc, maxTicks, slot)
	})
	end := chartHorizon(r)
	var caption string
	if mc {
		fig.Title = comparisonMessage(r, metrics, "Key metrics by option, median with 50 % and 90 % intervals")
		fig.Subtitle = fmt.Sprintf("Marker and number: median of %s trials. Thick bar: middle 50 %% of trials; thin line: 90 %% (p5 to p95).", Count(float64(r.Trials)))
		caption = fmt.Sprintf("The key metrics at %s per option: the marker is the median of %s trials, the thick bar the middle 50 %% and the thin line 90 %% of trials.", end, Count(float64(r.Trials)))
	} else {
		fig.Title = "Key metrics by option, expected values"
		fig.Subtitle = "Expected values of the model, without sampling."
		caption = fmt.Sprintf("The key metrics at %s per option, on the expected path.", end)
	}
	return &chartSpec{name: "comparison", caption: caption, fig: *fig}
}

// comparisonMessage is the comparison chart's message: the range of the
// first metric's medians over the options, and which options end it
// ("ARR in Dec 2029 runs from $59.5M with Cut 3 CSMs in April to $63.5M
// with Higher price increases"); fallback with one option.
func comparisonMessage(r *results.Results, metrics []chartMetric, fallback string) string {
	if len(r.Options) < 2 {
		return fallback
	}
	m := metrics[0]
	lo, hi := 0, 0
	for i, o := range r.Options {
		if o.Metrics[m.Key].P50 < r.Options[lo].Metrics[m.Key].P50 {
			lo = i
		}
		if o.Metrics[m.Key].P50 > r.Options[hi].Metrics[m.Key].P50 {
			hi = i
		}
	}
	if lo == hi {
		return fallback
	}
	v := func(i int) string { return chartValue(r.Options[i].Metrics[m.Key].P50, m.Unit, r.Currency, false) }
	return fmt.Sprintf("Median %s runs from %s with %s to %s with %s", lowerFirst(m.Label), v(lo), r.Options[lo].Name, v(hi), r.Options[hi].Name)
}

// differencesChart is the comparison chart's metrics as each option's
// difference from the baseline, paired trial by trial: the levels hide a
// difference of $1.6M on $48M, which is the decision. Nil without options
// or differences.
func differencesChart(r *results.Results) *chartSpec {
	if len(r.Options) < 2 {
		return nil
	}
	metrics := panelMetrics(r, func(key string) bool {
		for _, o := range r.Options[1:] {
			if d, ok := o.VsBaseline[key]; ok && (d.MeanDiff != 0 || d.PBetter != 0 || d.PWorse != 0) {
				return true
			}
		}
		return false
	})
	if len(metrics) == 0 {
		return nil
	}
	mc := !chartExpected(r)
	others := make([]int, len(r.Options)-1)
	for i := range others {
		others[i] = i + 1
	}
	fig := panelFigure(r, metrics, others, mc, "mean", func(m chartMetric, maxTicks int, slot vg.Length) *plot.Plot {
		return differencePanel(r, m, mc, maxTicks, slot)
	})
	fig.Title = differencesTitle(r, metrics)
	what := "Marker and number: mean difference over %s paired trials (each option and the baseline on the same random draws). Thick bar: middle 50 %% of trials; thin line: 90 %%. Dashed: no difference."
	if !mc {
		what = "Difference of the expected paths%.0s. Dashed: no difference."
	}
	fig.Subtitle = fmt.Sprintf("Each option less "+r.Options[0].Name+". "+what, Count(float64(r.Trials)))
	caption := fmt.Sprintf("The key metrics at %s as each option's difference from %s: the marker is the mean difference; the bars the middle 50 %% and 90 %% of the paired trials' differences.", chartHorizon(r), r.Options[0].Name)
	return &chartSpec{name: "differences", caption: caption, fig: *fig}
}

// differencesTitle is the differences chart's message: what each option
// does to gross profit (the first metric, without it), on average.
func differencesTitle(r *results.Results, metrics []chartMetric) string {
	m := metrics[0]
	for _, x := range metrics {
		if x.Key == results.GrossProfitTotal {
			m = x
		}
	}
	return differencesMessage(r, m)
}

// differencesMessage says what each option does to m on average ("Gross
// profit against Baseline by Dec 2029: −$1.19M with Cut 3 CSMs in April
// and +$506k with Quarterly enterprise upsell").
func differencesMessage(r *results.Results, m chartMetric) string {
	var parts []string
	for _, o := range r.Options[1:] {
		if d, ok := o.VsBaseline[m.Key]; ok {
			parts = append(parts, signedChartValue(d.MeanDiff, m.Unit, r.Currency)+" with "+o.Name)
		}
	}
	what := strings.ToUpper(m.Short[:1]) + m.Short[1:]
	return fmt.Sprintf("%s against %s by %s: %s", what, r.Options[0].Name, chartHorizon(r), joinAnd(parts))
}

// signedChartValue writes a difference with its sign: +$506k, −$1.19M,
// +1.2 pp.
func signedChartValue(v float64, unit axisUnit, currency string) string {
	if unit == axisRate {
		return strings.Replace(fmt.Sprintf("%+.1f pp", 100*v), "-", "−", 1)
	}
	s := chartValue(math.Abs(v), unit, currency, false)
	switch {
	case strings.Trim(s, "$€£¥0.") == "": // too small to write: none
		return chartValue(0, unit, currency, false)
	case v > 0:
		return "+" + s
	case v < 0:
		return "−" + s
	}
	return s
}

// panelMetrics are the comparison metrics of r that keep passes (all,
// for a nil keep).
func panelMetrics(r *results.Results, keep func(key string) bool) []chartMetric {
	var metrics []chartMetric
	for _, m := range chartMetrics(r) {
		if comparisonMetrics[m.Key] && (keep == nil || keep(m.Key)) {
			metrics = append(metrics, m)
		}
	}
	return metrics
}

// panelFigure lays out one panel per metric, for the options shown, with
// their legend, and the key to the interval marks in a free cell.
func panelFigure(r *results.Results, metrics []chartMetric, shown []int, mc bool, marker string, panel func(m chartMetric, maxTicks int, slot vg.Length) *plot.Plot) *chartFigure {
	cols := len(metrics)
	switch {
	case cols == 4:
		cols = 2
	case cols > 4 && cols <= 9:
		cols = 3
	case cols > 9:
		cols = 4
	}
	rows := (len(metrics) + cols - 1) / cols
	// Value labels are written when they fit beside each other: the slot
	// of an option is about a panel's width, less its value axis, over the
	// options.
	panelWidth := (slideWidth-2*theme.Margin-vg.Length(cols-1)*theme.PanelGapX)/vg.Length(cols) - 50
	slot := panelWidth / vg.Length(len(shown))
	panels := make([]*plot.Plot, len(metrics))
	for i, m := range metrics {
		panels[i] = panel(m, max(3, 6-rows), slot)
	}
	kind := swatchMarker
	if !mc {
		kind = swatchDot
	}
	var legend []legendItem
	for _, i := range shown {
		legend = append(legend, legendItem{Label: r.Options[i].Name, Color: colorOf(r, i), Kind: kind, Glyph: optionGlyph(i)})
	}
	return &chartFigure{
		Legend: legend,
		Note:   chartSource(r),
		Body: func(c draw.Canvas) {
			for i, p := range panels {
				p.Draw(panelTile(c, i, len(panels), cols, theme.PanelGapX, theme.PanelGapY))
			}
			if mc && rows*cols > len(panels) { // a free cell: explain the marks
				drawIntervalKey(panelTile(c, rows*cols-1, rows*cols, cols, theme.PanelGapX, theme.PanelGapY), marker)
			}
		},
	}
}

// differencePanel is one metric's differences from the baseline: per
// option a marker at the mean paired difference with the middle 50 % and
// 90 % of the trials' differences, the mean written above, over a dashed
// line at no difference.
func differencePanel(r *results.Results, m chartMetric, mc bool, maxTicks int, slot vg.Length) *plot.Plot {
	var items []intervalItem
	for i, o := range r.Options[1:] {
		d, ok := o.VsBaseline[m.Key]
		if !ok {
			continue
		}
		it := intervalItem{x: float64(i), mid: d.MeanDiff, lo90: d.MeanDiff, hi90: d.MeanDiff, lo50: d.MeanDiff, hi50: d.MeanDiff,
			color: colorOf(r, i+1), glyph: optionGlyph(i + 1)}
		if mc {
			qs := make([]float64, 4)
			ok := true
			for j, q := range []float64{0.05, 0.25, 0.75, 0.95} {
				var okq bool
				qs[j], okq = diffQuantile(d, q)
				ok = ok && okq
			}
			if ok {
				it.lo90, it.lo50, it.hi50, it.hi90 = qs[0], qs[1], qs[2], qs[3]
			}
		}
		it.label, it.below = signedChartValue(it.mid, m.Unit, r.Currency), it.mid < 0
		items = append(items, it)
	}
	return intervalPanel(r, m, items, len(r.Options)-1, true, maxTicks, slot)
}

// comparisonPanel is one metric across options: per option a marker at the
// median with its 50 % and 90 % intervals and the median written above.
func comparisonPanel(r *results.Results, m chartMetric, mc bool, maxTicks int, slot vg.Length) *plot.Plot {
	var items []intervalItem
	for i, o := range r.Options {
		s, ok := o.Metrics[m.Key]
		if !ok {
			continue
		}
		it := intervalItem{x: float64(i), mid: s.Mean, lo90: s.Mean, hi90: s.Mean, lo50: s.Mean, hi50: s.Mean, color: colorOf(r, i), glyph: optionGlyph(i)}
		if mc {
			it.mid, it.lo90, it.hi90, it.lo50, it.hi50 = s.P50, s.P5, s.P95, s.P25, s.P75
		}
		it.label = chartValue(it.mid, m.Unit, r.Currency, false)
		items = append(items, it)
	}
	return intervalPanel(r, m, items, len(r.Options), false, maxTicks, slot)
}

// intervalPanel draws a panel of n slots with the items' marks, their
// values written when they fit beside each other, and a dashed line at 0
// (zero), its value axis taking 0 in.
func intervalPanel(r *results.Results, m chartMetric, items []intervalItem, n int, zero bool, maxTicks int, slot vg.Length) *plot.Plot {
	p := theme.newPlot("", "")
	p.Title.Text = m.Label
	p.X.Tick.Marker = noTicks{}
	p.X.Width = 0
	p.X.Padding = 0
	sty := valueLabelStyle()
	for _, it := range items {
		if sty.Width(it.label) > slot*0.92 { // labels would run into each other
			for i := range items {
				items[i].label = ""
			}
			break
		}
	}
	if zero {
		p.Add(newLine(plotter.XYs{{X: -0.5, Y: 0}, {X: float64(n) - 0.5, Y: 0}}, draw.LineStyle{Color: theme.Ink, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}))
	}
	for _, it := range items {
		p.Add(it.marks()...)
	}
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	lo, hi := p.Y.Min, p.Y.Max
	if zero {
		lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	}
	vt := valueTicks{Unit: m.Unit, Currency: r.Currency}
	if zero {
		// Differences from the baseline: signed, and a rate's in
		// percentage points, as their labels are (an NRR panel's axis
		// read 2% beside a label of −0.8 pp).
		vt.Signed = true
		if vt.Unit == axisRate {
			vt.Unit = axisPoints
		}
	}
	fitValueAxis(&p.Y, lo, hi, vt, maxTicks)
	return p
}

// drawIntervalKey explains the marks of the comparison panels on a grey
// example: which part is the marker (the median or the mean), the middle
// 50 % and the 90 %.
func drawIntervalKey(c draw.Canvas, marker string) {
	sty := theme.style(theme.ValueSize, false, theme.Muted)
	sty.YAlign = draw.YCenter
	head := theme.style(theme.PanelTitleSize, true, theme.Ink)
	top := c.Max.Y
	c.FillText(head, vg.Point{X: c.Min.X + 20, Y: top}, "How to read the panels")
	top -= head.Height("X") + 2*theme.Gap
	h := top - c.Min.Y - theme.Gap
	if h <= 0 {
		return
	}
	// The example's values are heights in the key, on a value axis of 0
	// to 1 over its height and x = 0 at 40 pt from its left.
	area := c
	area.Min.Y, area.Max.Y = c.Min.Y+theme.Gap, top
	area.Max.X = c.Min.X + 80
	axes := plot.New()
	axes.X.Min, axes.X.Max = -1, 1
	axes.Y.Min, axes.Y.Max = 0, 1
	grey := color.NRGBA{R: 0x77, G: 0x77, B: 0x77, A: 0xff}
	example := intervalItem{mid: 0.5, lo50: 0.3, hi50: 0.72, lo90: 0.05, hi90: 0.95, color: grey, glyph: draw.CircleGlyph{}}
	for _, m := range example.marks() {
		m.Plot(area, axes)
	}
	y := func(f float64) vg.Length { return c.Min.Y + theme.Gap + h*vg.Length(f) }
	tx := c.Min.X + 40 + 18
	for _, l := range []struct {
		f    float64
		text string
	}{
		{example.hi90, "95th percentile"},
		{example.hi50, "75th percentile"},
		{example.mid, marker + " (the number written)"},
		{example.lo50, "25th percentile"},
		{example.lo90, "5th percentile"},
	} {
		c.FillText(sty, vg.Point{X: tx, Y: y(l.f)}, l.text)
	}
}

// intervalItem is one option in a comparison panel: its median, middle
// 50 % and 90 % of trials (all the expected value in expected mode), and
// the value written above them.
type intervalItem struct {
	x                           float64
	mid, lo50, hi50, lo90, hi90 float64
	color                       color.NRGBA
	glyph                       draw.GlyphDrawer
	label                       string
	below                       bool // the label under the interval, away from a line at 0 above it
}

// marks draws it with gonum's plotters: the 90 % interval as an error bar
// with caps, the middle 50 % as a thick line over it (neither where the
// interval is empty), the marker at the median on a halo of the
// background, and the value above the interval, kept inside the plot.
func (it intervalItem) marks() []plot.Plotter {
	var marks []plot.Plotter
	if it.hi90 > it.lo90 {
		marks = append(marks,
			unpad(&plotter.YErrorBars{XYs: plotter.XYs{{X: it.x, Y: it.lo90}}, YErrors: plotter.YErrors{{Low: 0, High: it.hi90 - it.lo90}},
				LineStyle: draw.LineStyle{Color: it.color, Width: theme.WhiskerWidth * 0.75}, CapWidth: 8}),
			newLine(plotter.XYs{{X: it.x, Y: it.lo50}, {X: it.x, Y: it.hi50}}, draw.LineStyle{Color: it.color, Width: theme.WhiskerWidth * 3}))
	}
	at := plotter.XYs{{X: it.x, Y: it.mid}}
	marks = append(marks,
		unpad(&plotter.Scatter{XYs: at, GlyphStyle: draw.GlyphStyle{Color: theme.Background, Radius: theme.MarkerRadius + 1.5, Shape: it.glyph}}),
		unpad(&plotter.Scatter{XYs: at, GlyphStyle: draw.GlyphStyle{Color: it.color, Radius: theme.MarkerRadius, Shape: it.glyph}}))
	switch {
	case it.label != "" && it.below:
		sty := valueLabelStyle()
		sty.YAlign = draw.YTop
		marks = append(marks, &plotter.Labels{XYs: plotter.XYs{{X: it.x, Y: it.lo90}}, Labels: []string{it.label},
			TextStyle: []text.Style{sty}, Offset: vg.Point{Y: -valueLabelGap}})
	case it.label != "":
		marks = append(marks, &plotter.Labels{XYs: plotter.XYs{{X: it.x, Y: it.hi90}}, Labels: []string{it.label},
			TextStyle: []text.Style{valueLabelStyle()}, Offset: vg.Point{Y: valueLabelGap}})
	}
	return marks
}

// valueLabelStyle is the style of a value written above its interval.
func valueLabelStyle() text.Style {
	sty := theme.style(theme.ValueSize, false, theme.Ink)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
	return sty
}

const valueLabelGap = 4 // pt between an interval's top and its value

// Differences from the baseline.

// usableHistogram reports whether h has bins of positive width with counts.
func usableHistogram(h *results.Histogram) bool {
	if h == nil || len(h.Edges) < 2 || len(h.Counts) != len(h.Edges)-1 {
		return false
	}
	total := 0
	for _, n := range h.Counts {
		total += n
	}
	return total > 0 && h.Edges[len(h.Edges)-1] > h.Edges[0]
}

// chartDiffUnit is the unit of a difference of metric m: rates differ in
// percentage points.
func chartDiffUnit(m chartMetric) axisUnit {
	if m.Unit == axisRate {
		return axisPoints
	}
	return m.Unit
}

// diffChart shows, per option, the distribution over trials of its
// difference from the baseline in metric m; nil when no option has a
// histogram worth showing (expected mode, no options, no spread). Options
// that never differ get one line above the panels instead of an empty one.
func diffChart(r *results.Results, m chartMetric) *chartSpec {
	if len(r.Options) < 2 {
		return nil
	}
	panels, flat := diffPanels(r, m)
	if len(panels) == 0 {
		return nil
	}
	base := r.Options[0].Name
	var sentences []string
	for _, name := range flat {
		sentences = append(sentences, fmt.Sprintf("%s leaves %s unchanged in every trial.", name, m.Short))
	}
	for _, pn := range panels {
		sentences = append(sentences, pn.sentence)
	}
	xLabel := diffAxisLabel(r, m)
	fig := chartFigure{
		Title:    differencesMessage(r, m),
		Subtitle: fmt.Sprintf("Difference from %s in %s: distribution over %s paired trials, each option and %s run on the same random draws. Dashed line: no difference.", base, m.Label, Count(float64(r.Trials)), base),
		Note:     chartSource(r),
		Body:     func(c draw.Canvas) { drawDiffBody(c, base, flat, xLabel, panels) },
	}
	return &chartSpec{name: "diff-" + m.Key, caption: strings.Join(sentences, " "), fig: fig}
}

// diffPanel is one option's histogram of its differences from the
// baseline, with a header (the option's name and what the histogram says)
// and a sentence for the caption.
type diffPanel struct {
	idx        int // the option
	color      color.NRGBA
	plot       *plot.Plot
	name, stat string
	sentence   string
}

// diffPanels lays out a panel per option with a histogram of differences
// in m, all on one difference axis that leaves off at most histTail of
// each one's trials at either end; flat names the options whose
// difference is always zero.
func diffPanels(r *results.Results, m chartMetric) (panels []diffPanel, flat []string) {
	var with []int
	xmin, xmax := 0.0, 0.0
	for i, o := range r.Options[1:] {
		d, ok := o.VsBaseline[m.Key]
		switch {
		case !ok || d.Histogram == nil:
		case !usableHistogram(d.Histogram):
			flat = append(flat, o.Name)
		default:
			with = append(with, i+1)
			lo, hi := histCore(d.Histogram)
			xmin, xmax = math.Min(xmin, lo), math.Max(xmax, hi)
		}
	}
	pad := 0.03 * (xmax - xmin)
	for _, i := range with {
		panels = append(panels, newDiffPanel(r, m, i, xmin-pad, xmax+pad))
	}
	return panels, flat
}

// newDiffPanel is the panel of option i over differences from xmin to
// xmax.
func newDiffPanel(r *results.Results, m chartMetric, i int, xmin, xmax float64) diffPanel {
	d, unit, base := r.Options[i].VsBaseline[m.Key], chartDiffUnit(m), r.Options[0].Name
	p := theme.newPlot("", "Trials")
	p.X.Tick.Marker = valueTicks{Unit: unit, Currency: r.Currency, Signed: true}
	p.Y.Tick.Marker = valueTicks{Unit: axisShare, Target: 3}
	bars := &histBars{h: d.Histogram, color: withAlpha(colorOf(r, i), theme.BarAlpha)}
	p.Add(bars)
	p.X.Min, p.X.Max = xmin, xmax
	// Bins differ in width between options, so heights are compared
	// within a panel only: each panel has its own scale.
	p.Y.Min, p.Y.Max = 0, 1.08*bars.maxShare()
	// No difference: a dashed line at zero, over the whole height.
	p.Add(newLine(plotter.XYs{{X: 0, Y: p.Y.Min}, {X: 0, Y: p.Y.Max}}, draw.LineStyle{Color: theme.Ink, Width: 1.2, Dashes: []vg.Length{4, 3}}))

	better, _ := betterWorse(d)
	name, mean := r.Options[i].Name, chartValue(d.MeanDiff, unit, r.Currency, true)
	return diffPanel{idx: i, color: colorOf(r, i), plot: p, name: name, stat: diffStat(d, mean, bars.outside(xmin, xmax)),
		sentence: fmt.Sprintf("%s has %s %s than %s in %s of trials (mean difference %s).", name, better, m.Short, base, chartShare(d.PBetter), mean)}
}

// diffStat is what a histogram of differences says: the shares of trials
// better and worse than the baseline, the mean, and how many trials lie
// off the scale.
func diffStat(d results.Diff, mean string, offScale int) string {
	better, worse := betterWorse(d)
	stat := fmt.Sprintf("%s in %s of trials", better, chartShare(d.PBetter))
	if d.PWorse >= 0.0005 {
		stat += fmt.Sprintf(", %s in %s", worse, chartShare(d.PWorse))
	}
	stat += "; mean " + mean
	if offScale > 0 {
		what := Count(float64(offScale)) + " trials"
		if offScale == 1 {
			what = "1 trial"
		}
		stat += " (" + what + " off the scale)"
	}
	return stat
}

// betterWorse are the directions of a better and a worse difference.
func betterWorse(d results.Diff) (better, worse string) {
	if d.HigherIsBetter {
		return "higher", "lower"
	}
	return "lower", "higher"
}

// diffAxisLabel names the difference axis, in its unit.
func diffAxisLabel(r *results.Results, m chartMetric) string {
	label := fmt.Sprintf("Difference in %s (option − %s)", m.Label, r.Options[0].Name)
	switch chartDiffUnit(m) {
	case axisMoney:
		label += ", " + chartCurrency(r)
	case axisPoints:
		label += ", percentage points"
	case axisCount:
		label += ", accounts"
	}
	return label
}

// drawDiffBody draws a difference chart's body: a line naming the options
// that never differ from base, the panels, and under them all the label of
// the difference axis they share.
func drawDiffBody(c draw.Canvas, base string, flat []string, xLabel string, panels []diffPanel) {
	if len(flat) > 0 {
		theme.drawPanelHeader(c, c.Max.Y, nil, "The same as "+base+" in every trial", strings.Join(flat, ", "), 1)
		c.Max.Y -= theme.panelHeaderHeight(1) + 2*theme.Gap
	}
	lsty := theme.style(theme.AxisLabelSize, false, theme.Muted)
	lsty.XAlign, lsty.YAlign = draw.XCenter, draw.YBottom
	c.FillText(lsty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Min.Y}, xLabel)
	c.Min.Y += lsty.Height(xLabel) + theme.Gap
	drawDiffPanels(c, panels)
}

// drawDiffPanels draws the panels in diffColumns columns, each under its
// header, their data areas lined up. The headers take two lines each
// where any one does not fit on one.
func drawDiffPanels(c draw.Canvas, panels []diffPanel) {
	cols := diffColumns(len(panels))
	rows := (len(panels) + cols - 1) / cols
	width := (c.Max.X - c.Min.X - vg.Length(cols-1)*theme.PanelGapX) / vg.Length(cols)
	lines := 1
	for _, pn := range panels {
		if !theme.panelHeaderFits(width, pn.name, pn.stat) {
			lines = 2
		}
	}
	// A header and its space above the data, where the top tick label may
	// reach half its height above the plot.
	head := theme.panelHeaderHeight(lines) + theme.Gap + theme.TickSize/2
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadTop: head, PadY: head + theme.PanelGapY, PadX: theme.PanelGapX}
	plots := make([]*plot.Plot, len(panels))
	for i, pn := range panels {
		plots[i] = pn.plot
	}
	canvases := alignPanels(c, tiles, plots)
	for i, pn := range panels {
		tile := tiles.At(c, i%cols, i/cols)
		theme.drawPanelHeader(tile, tile.Max.Y+head, pn.color, pn.name, pn.stat, lines)
		pn.plot.Draw(canvases[i])
	}
}

// alignPanels places plots row by row in the tiles of c and returns the
// canvas of each, their data areas lined up.
func alignPanels(c draw.Canvas, tiles draw.Tiles, plots []*plot.Plot) []draw.Canvas {
	grid := make([][]*plot.Plot, tiles.Rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, tiles.Cols)
	}
	for i, p := range plots {
		grid[i/tiles.Cols][i%tiles.Cols] = p
	}
	aligned := plot.Align(grid, tiles, c)
	out := make([]draw.Canvas, len(plots))
	for i := range plots {
		out[i] = aligned[i/tiles.Cols][i%tiles.Cols]
	}
	return out
}

// diffColumns is how many columns of panels n difference histograms take:
// one up to three, so each is as wide as the page, then two rows' worth.
func diffColumns(n int) int {
	if n <= 3 {
		return 1
	}
	return (n + 1) / 2
}

// histBars draws a histogram of shares of trials, leaving out empty bins
// and parting bars wide enough to show it with a hairline. plotter.Histogram
// can part bars only with an outline, which would also erase the bars of
// one or two trials in the tails (under a point high).
type histBars struct {
	h     *results.Histogram
	color color.Color
}

// histTail is the share of trials a chart may leave off each end of a
// difference axis, so one extreme trial does not squeeze every histogram
// into a corner; the trials left off are counted in the panel header.
const histTail = 0.005

// histCore is the range of h's bins without tails of at most histTail of
// the trials on either side.
func histCore(h *results.Histogram) (lo, hi float64) {
	total := 0
	for _, n := range h.Counts {
		total += n
	}
	limit := int(histTail * float64(total))
	i, j, cut := 0, len(h.Counts)-1, 0
	for i < j && cut+h.Counts[i] <= limit {
		cut += h.Counts[i]
		i++
	}
	cut = 0
	for j > i && cut+h.Counts[j] <= limit {
		cut += h.Counts[j]
		j--
	}
	return h.Edges[i], h.Edges[j+1]
}

// outside counts the trials in bins that lie wholly outside [lo, hi].
func (b *histBars) outside(lo, hi float64) int {
	n := 0
	for i, c := range b.h.Counts {
		if b.h.Edges[i+1] < lo || b.h.Edges[i] > hi {
			n += c
		}
	}
	return n
}

// maxShare is the tallest bar.
func (b *histBars) maxShare() float64 {
	total, top := 0, 0
	for _, n := range b.h.Counts {
		total += n
		top = max(top, n)
	}
	return float64(top) / float64(total)
}

func (b *histBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	total := 0
	for _, n := range b.h.Counts {
		total += n
	}
	sep := vg.Length(0.4) // a hairline between bars wide enough to show it
	for i, n := range b.h.Counts {
		if n == 0 {
			continue
		}
		x0, x1 := trX(b.h.Edges[i]), trX(b.h.Edges[i+1])
		if x1-x0 > 20*sep {
			x0, x1 = x0+sep, x1-sep
		}
		y0, y1 := trY(0), trY(float64(n)/float64(total))
		c.FillPolygon(b.color, c.ClipPolygonXY(rectPoints(vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}})))
	}
}
