package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"csplan/results"
)

// Write renders every chart and document for r into dir, an existing empty
// directory (the caller renames it into place):
//
//	charts/NAME.png, charts/NAME.svg (and charts/NAME.pdf with opt.PDF)
//	report.md, report.html
//	summary.csv, timeseries.csv
//	results.xlsx
//	summary.pdf (one page: question, answers, bridge, payback)
//	slides/NAME.png, .svg, .pdf (the charts a deck needs, see isSlide)
//
// It stops between its steps, with ctx's error, when ctx is cancelled.
func Write(ctx context.Context, dir string, r *results.Results, opt Options) error {
	_, err := write(ctx, dir, r, opt)
	return err
}

// write is Write, returning the charts it rendered.
func write(ctx context.Context, dir string, r *results.Results, opt Options) ([]Chart, error) {
	charts, err := Charts(r, opt)
	if err != nil {
		return nil, fmt.Errorf("charts: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := writeCharts(filepath.Join(dir, "charts"), charts, opt); err != nil {
		return nil, err
	}
	if err := writeSlides(filepath.Join(dir, "slides"), charts); err != nil {
		return nil, err
	}
	docs := []struct {
		name   string
		render func(io.Writer) error
	}{
		{"report.md", func(w io.Writer) error { return Markdown(w, r, charts) }},
		{"report.html", func(w io.Writer) error { return HTML(w, r, charts) }},
		{"summary.csv", func(w io.Writer) error { return SummaryCSV(w, r) }},
		{"timeseries.csv", func(w io.Writer) error { return TimeseriesCSV(w, r) }},
		{"results.xlsx", func(w io.Writer) error { return Workbook(w, r) }},
		{"summary.pdf", func(w io.Writer) error { return SummaryPDF(w, r, charts) }},
	}
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := d.render(&buf); err != nil {
			return nil, fmt.Errorf("%s: %w", d.name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, d.name), buf.Bytes(), 0o644); err != nil {
			return nil, err
		}
	}
	return charts, nil
}

func writeCharts(dir string, charts []Chart, opt Options) error {
	if len(charts) == 0 {
		return nil
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	for _, c := range charts {
		files := []struct {
			ext  string
			data []byte
		}{{"png", c.PNG}, {"svg", c.SVG}}
		if opt.PDF {
			files = append(files, struct {
				ext  string
				data []byte
			}{"pdf", c.PDF})
		}
		for _, f := range files {
			if len(f.data) == 0 {
				return fmt.Errorf("chart %s has no %s rendering", c.Name, f.ext)
			}
			if err := os.WriteFile(filepath.Join(dir, c.Name+"."+f.ext), f.data, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeSlides writes the slide charts (isSlide) into dir, each as PNG, SVG
// and PDF at 16:9, for pasting into a deck.
func writeSlides(dir string, charts []Chart) error {
	made := false
	for _, c := range charts {
		if !isSlide(c.Name) {
			continue
		}
		if !made {
			if err := os.Mkdir(dir, 0o755); err != nil {
				return err
			}
			made = true
		}
		for ext, data := range map[string][]byte{"png": c.PNG, "svg": c.SVG, "pdf": c.PDF} {
			if len(data) == 0 {
				return fmt.Errorf("slide %s has no %s rendering", c.Name, ext)
			}
			if err := os.WriteFile(filepath.Join(dir, c.Name+"."+ext), data, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// unit is how the values of a metric or series are written.
type unit int

const (
	unitNumber unit = iota // a plain number (unknown metrics)
	unitMoney              // an amount in the scenario's currency
	unitRate               // a fraction, shown as a percentage
	unitCount              // a number of accounts
)

// quantity names a metric or series and says how to show it.
type quantity struct {
	key, label string
	unit       unit
}

// metricOrder is the documented order of the metrics in every document and
// spreadsheet, the catalogue's; metrics not in it follow in name order.
var metricOrder = quantitiesOf(results.Metrics)

// seriesOrder is the documented order of the monthly series.
var seriesOrder = quantitiesOf(results.Series)

// quantitiesOf turns catalogue entries into how the report shows them.
func quantitiesOf(qs []results.Quantity) []quantity {
	out := make([]quantity, len(qs))
	for i, q := range qs {
		out[i] = quantity{q.Key, q.Label, unitOf(q.Unit)}
	}
	return out
}

// unitOf is how values of the catalogue's unit are written.
func unitOf(u results.Unit) unit {
	switch u {
	case results.Money:
		return unitMoney
	case results.Rate:
		return unitRate
	case results.Count:
		return unitCount
	}
	return unitNumber
}

// ordered lists the keys present in have: first those of known in their
// order, then the rest sorted by name, labelled by their key.
func ordered(known []quantity, have func(string) bool, all []string) []quantity {
	var out []quantity
	seen := map[string]bool{}
	for _, q := range known {
		if have(q.key) {
			out = append(out, q)
			seen[q.key] = true
		}
	}
	var rest []string
	for _, k := range all {
		if !seen[k] {
			seen[k] = true
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, quantity{k, k, unitNumber})
	}
	return out
}

// metricsOf lists the metrics any option of r has, in documented order;
// the per-segment CLV metrics (clv_SEGMENT) follow clv, by segment name.
func metricsOf(r *results.Results) []quantity {
	var all, segments []string
	for _, o := range r.Options {
		for k := range o.Metrics {
			all = append(all, k)
			if _, ok := segmentCLV(k); ok && !slices.Contains(segments, k) {
				segments = append(segments, k)
			}
		}
	}
	sort.Strings(segments)
	known := make([]quantity, 0, len(metricOrder)+len(segments))
	for _, q := range metricOrder {
		known = append(known, q)
		if q.key == results.CLV {
			for _, k := range segments {
				known = append(known, metricQuantity(k))
			}
		}
	}
	return ordered(known, func(k string) bool { return slices.Contains(all, k) }, all)
}

// segmentCLV is the segment of a per-segment CLV metric key.
func segmentCLV(key string) (segment string, ok bool) {
	segment, ok = strings.CutPrefix(key, results.CLVPrefix)
	return segment, ok && segment != ""
}

// segmentCLVLabel names a segment's CLV metric in tables.
func segmentCLVLabel(segment string) string { return "CLV per account, " + segment }

// seriesOf lists the series any option of r has, in documented order.
func seriesOf(r *results.Results) []quantity {
	var all []string
	for _, o := range r.Options {
		for k := range o.Series {
			all = append(all, k)
		}
	}
	return ordered(seriesOrder, func(k string) bool { return slices.Contains(all, k) }, all)
}

// FormatMetric writes a value of the metric key in its unit: money in the
// currency, rates as percentages, counts with thousands separators.
func FormatMetric(key string, v float64, currency string) string {
	return metricQuantity(key).unit.format(v, currency)
}

// Plural writes n and the noun, made plural unless n is 1: "1 month",
// "36 months", "2,000 accounts".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Count(float64(n)) + " " + noun + "s"
}

// format writes a value for people.
func (u unit) format(v float64, cur string) string {
	switch u {
	case unitMoney:
		return Money(v, cur)
	case unitRate:
		return Percent(v)
	case unitCount:
		return Count(v)
	}
	if v == 0 {
		v = 0 // no negative zero
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// magnitude writes the size of a difference, without its sign: $459k,
// 0.283 pp (percentage points).
func (u unit) magnitude(v float64, cur string) string {
	v = math.Abs(v)
	switch {
	case u == unitRate:
		return points(v)
	case u == unitCount && v < 100 && v != math.Round(v):
		// A mean difference of counts can be a fraction of an account
		// that is still clearly not zero: three significant digits.
		return strconv.FormatFloat(v, 'f', sigDecimals(v), 64)
	}
	return u.format(v, cur)
}

// sigDecimals is the number of decimals that shows v (≥ 0) with three
// significant digits, at most four.
func sigDecimals(v float64) int {
	if v <= 0 {
		return 1
	}
	return max(0, min(4, 2-int(math.Floor(math.Log10(v)))))
}

// signed writes a difference with its sign: +$459k, −$1.9M, +0.283 pp, 0.
// A difference that rounds to zero has no sign: a count of −0.4 is 0.
func (u unit) signed(v float64, cur string) string {
	if v == 0 {
		return "0"
	}
	m := u.magnitude(v, cur)
	switch {
	case zeroText(m):
		return m
	case v > 0:
		return "+" + m
	}
	return "−" + m
}

// points writes a difference of two fractions in percentage points with
// three significant digits (at most four decimals): 0.00048 → 0.048 pp,
// 0.013864 → 1.39 pp.
func points(v float64) string {
	return strconv.FormatFloat(100*v, 'f', max(1, sigDecimals(100*math.Abs(v))), 64) + " pp"
}

// monthDate is the first day of simulation month m (1-based; 0 is the month
// before start).
func monthDate(start string, m int) (time.Time, bool) {
	t, err := time.Parse("2006-01", start)
	if err != nil {
		return time.Time{}, false
	}
	return t.AddDate(0, m-1, 0), true
}

// histTotal is the number of values h counts; 0 for a histogram that is
// empty or malformed (its edges not one more than its bins).
func histTotal(h *results.Histogram) int {
	if h == nil || len(h.Counts) == 0 || len(h.Edges) != len(h.Counts)+1 {
		return 0
	}
	total := 0
	for _, c := range h.Counts {
		total += c
	}
	return total
}

// diffQuantile is the q-quantile of a paired difference's trials, from its
// histogram with the bin that holds zero split by the exact shares of
// trials below, at and above zero: the histogram's interpolation spread
// ties at zero across their bin (a cut with spare hours that left ARR
// unchanged in 45 % of trials read "lower" with its p95 at −$1.1k). So the
// quantile is below zero exactly when at least q of the trials are, and
// above it exactly when more than 1 − q are.
func diffQuantile(d results.Diff, q float64) (float64, bool) {
	h := d.Histogram
	n := histTotal(h)
	if n == 0 {
		return 0, false
	}
	above, below := signShares(d)
	nBelow, nAbove := math.Round(below*float64(n)), math.Round(above*float64(n))
	target := q * float64(n)
	switch {
	case nBelow > 0 && target <= nBelow:
		return walkSegments(sideSegments(h, -1, nBelow), target), true
	case target <= float64(n)-nAbove:
		return 0, true
	}
	return walkSegments(sideSegments(h, +1, nAbove), target-(float64(n)-nAbove)), true
}

// signShares are the shares of a difference's trials above and below
// zero, whichever way is better.
func signShares(d results.Diff) (above, below float64) {
	if d.HigherIsBetter {
		return d.PBetter, d.PWorse
	}
	return d.PWorse, d.PBetter
}

// segment is a stretch of a histogram holding count trials, spread evenly.
type segment struct {
	lo, hi, count float64
}

// sideSegments are the stretches of h below zero (side −1) or above it
// (+1), in ascending order, the bin that holds zero cut at zero and given
// the trials of that side it must hold for the side to hold total.
func sideSegments(h *results.Histogram, side int, total float64) []segment {
	last := len(h.Counts) - 1
	zero, full := -1, 0.0
	var out []segment
	for i, c := range h.Counts {
		lo, hi := h.Edges[i], h.Edges[i+1]
		holdsZero := lo <= 0 && (0 < hi || (i == last && hi == 0))
		switch {
		case holdsZero:
			zero = i
		case side < 0 && hi <= 0, side > 0 && lo > 0:
			out = append(out, segment{lo, hi, float64(c)})
			full += float64(c)
		}
	}
	if zero < 0 {
		return out
	}
	part := min(float64(h.Counts[zero]), max(0, total-full))
	if side < 0 {
		return append(out, segment{h.Edges[zero], min(0, h.Edges[zero+1]), part})
	}
	return append([]segment{{max(0, h.Edges[zero]), h.Edges[zero+1], part}}, out...)
}

// walkSegments is the value below which target of the segments' trials
// lie, trials spread evenly within each segment.
func walkSegments(segs []segment, target float64) float64 {
	cum := 0.0
	for _, sg := range segs {
		if sg.count <= 0 {
			continue
		}
		if cum+sg.count >= target {
			return sg.lo + (target-cum)/sg.count*(sg.hi-sg.lo)
		}
		cum += sg.count
	}
	if len(segs) == 0 {
		return 0
	}
	return segs[len(segs)-1].hi
}

// interval kinds of a comparison.
const (
	perTrial90 = "90 % interval" // 5th to 95th percentile of the per-trial differences
	meanCI95   = "95 % interval of the mean difference"
)

// comparison is an option's difference from the baseline in one metric, as
// documents state it.
type comparison struct {
	mean          float64
	lo, hi        float64 // the interval, per intervalKind
	intervalKind  string  // perTrial90 or meanCI95; "" in expected mode
	higher, lower float64 // shares of trials strictly higher / lower
	verdict       string  // "higher", "lower", "no clear difference", "no difference"
	monteCarlo    bool
	better        bool // higher is better for this metric
}

// reading is the verdict for a table, saying which way is better.
func (c comparison) reading() string {
	switch c.verdict {
	case "higher", "lower":
		if (c.verdict == "higher") == c.better {
			return c.verdict + " (better)"
		}
		return c.verdict + " (worse)"
	}
	return c.verdict
}

func compare(d results.Diff, monteCarlo bool) comparison {
	c := comparison{mean: d.MeanDiff, monteCarlo: monteCarlo, better: d.HigherIsBetter}
	if !monteCarlo {
		switch {
		case d.MeanDiff > 0:
			c.verdict = "higher"
		case d.MeanDiff < 0:
			c.verdict = "lower"
		default:
			c.verdict = "no difference"
		}
		return c
	}
	c.higher, c.lower = signShares(d)
	lo, okLo := diffQuantile(d, 0.05)
	hi, okHi := diffQuantile(d, 0.95)
	if okLo && okHi {
		c.lo, c.hi, c.intervalKind = lo, hi, perTrial90
	} else {
		c.lo, c.hi, c.intervalKind = d.CI95[0], d.CI95[1], meanCI95
	}
	// Clear: at least clearShare of the trials on the side of the mean,
	// which is where the interval's far end meets zero (diffQuantile).
	switch {
	case c.higher == 0 && c.lower == 0:
		c.verdict = "no difference"
	case c.higher >= clearShare && c.mean > 0:
		c.verdict = "higher"
	case c.lower >= clearShare && c.mean < 0:
		c.verdict = "lower"
	default:
		c.verdict = "no clear difference"
	}
	return c
}

// shareOfTrials says in words in how many trials something happens.
func shareOfTrials(p float64) string {
	pct := math.Round(100 * p)
	switch {
	case p >= 1:
		return "every trial"
	case p <= 0:
		return "no trial"
	case pct >= 100:
		return "more than 99 % of trials"
	case pct <= 0:
		return "fewer than 1 % of trials"
	}
	return percentOf(p) + " % of trials"
}

// clearShare is the share of trials on one side of zero that makes a
// difference clear (the 5th or 95th percentile beyond zero).
const clearShare = 0.95

// percentOf is a share of trials as a whole percentage, except that a share
// just short of clearShare keeps a decimal (94.6, not 95): a share never
// reads as clear beside a verdict that it is not.
func percentOf(p float64) string {
	if pct := math.Round(100 * p); p >= clearShare || pct < 100*clearShare {
		return strconv.FormatFloat(pct, 'f', 0, 64)
	}
	return strconv.FormatFloat(math.Floor(1000*p)/10, 'f', 1, 64)
}

// sharePercent writes a share of trials as a whole percentage, never
// rounding a share that is not all or nothing to 0 % or 100 %.
func sharePercent(p float64) string {
	pct := math.Round(100 * p)
	switch {
	case p > 0 && pct <= 0:
		return "<1%"
	case p < 1 && pct >= 100:
		return ">99%"
	}
	return percentOf(p) + "%"
}
