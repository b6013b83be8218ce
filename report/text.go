package report

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"csplan/results"
)

// Metric describes how one results metric is shown.
type Metric struct {
	Key, Label string
	Format     func(v float64, currency string) string
}

// Headline are the metrics the summaries lead with.
var Headline = metrics(results.ARREnd, results.RevenueTotal, results.NRR12m, results.GRR12m, results.LogosEnd)

// valuationMetric is in every comparison when the results carry it.
var valuationMetric = metrics(results.Valuation)[0]

// dcfMetric follows a valuation that does not see cost.
var dcfMetric = metrics(results.DCFValue)[0]

// costMetrics are CS cost, in the summary of an option that changes it,
// and gross profit, in every option's.
var costMetrics = metrics(results.CSCostTotal, results.GrossProfitTotal)

// metrics describes the catalogue's metrics of the given keys for the text
// summary: named as in a sentence, formatted by their unit.
func metrics(keys ...string) []Metric {
	var out []Metric
	for _, k := range keys {
		q, _ := results.MetricByKey(k)
		u := unitOf(q.Unit)
		out = append(out, Metric{k, q.Noun, u.format})
	}
	return out
}

// Text writes the one-screen summary of csplan run: per option the headline
// metrics with their 90 % intervals, and each option's difference from the
// baseline.
func Text(w io.Writer, r *results.Results) error {
	cur := r.Currency
	fmt.Fprintf(w, "%s\n", r.Scenario)
	if r.Mode == "expected" {
		fmt.Fprintf(w, "expected path (%s net rate), %s\n\n", r.NetRate, Plural(r.HorizonMonths, "month"))
	} else {
		fmt.Fprintf(w, "%s, %s, seed %d; medians, with their 90 %% intervals (p5 to p95) below\n\n", Plural(r.Trials, "trial"), Plural(r.HorizonMonths, "month"), r.Seed)
	}
	if err := headlineTable(w, r); err != nil {
		return err
	}
	for _, o := range r.Options[1:] {
		fmt.Fprintf(w, "\n%s versus %s:\n", o.Name, r.Options[0].Name)
		lines := slices.Clone(Headline[:2])
		if _, ok := o.VsBaseline[results.Valuation]; ok {
			lines = append(lines, valuationMetric)
		}
		if _, ok := o.VsBaseline[results.DCFValue]; ok && valuationMethod(r) != "DCF" {
			lines = append(lines, dcfMetric)
		}
		// Gross profit always; CS cost when it changes (a cut or a hire).
		if d, ok := o.VsBaseline[results.CSCostTotal]; ok && d.MeanDiff != 0 {
			lines = append(lines, costMetrics[0])
		}
		lines = append(lines, costMetrics[1])
		dw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		if r.Mode == "expected" {
			fmt.Fprintf(dw, "  \tdifference\t\t\n")
		} else {
			fmt.Fprintf(dw, "  \tmean difference\t90 %% of trials\n")
		}
		for _, m := range lines {
			if d, ok := o.VsBaseline[m.Key]; ok {
				m.Label = whenLabel(m.Label, r)
				fmt.Fprintf(dw, "  %s\n", strings.Join(diffRow(m, d, cur, r.Mode == "expected"), "\t"))
			}
		}
		if err := dw.Flush(); err != nil {
			return err
		}
		if s := paybackLine(r, o); s != "" {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	if r.Breakeven != nil {
		fmt.Fprintf(w, "\n%s versus %s, on %s:\n", r.Breakeven.Option, r.Options[0].Name, metricInWords(r.Breakeven.Metric))
		breakevenLines(w, r.Breakeven)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "\nwarning: %s\n", warn)
	}
	return nil
}

// headlineTable writes the headline metrics, metrics down and options
// across, so the table stays within 100 columns for four options: each
// cell the median, with its 90 % interval on the line below (the expected
// path alone in expected mode).
func headlineTable(w io.Writer, r *results.Results) error {
	cur := r.Currency
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	width := max(17, 76/len(r.Options)-2) // 26 for the metric's name
	for _, line := range headerLines(r.Options, width) {
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	for _, m := range Headline {
		row, band := []string{whenLabel(m.Label, r)}, []string{""}
		for _, o := range r.Options {
			s := o.Metrics[m.Key]
			cell, rng := m.Format(s.Mean, cur), ""
			if r.Mode != "expected" {
				cell, rng = m.Format(s.P50, cur), m.Format(s.P5, cur)+" to "+m.Format(s.P95, cur)
			}
			if month, none := noRetentionBase(r, o); none && (m.Key == results.NRR12m || m.Key == results.GRR12m) {
				cell, rng = "undefined", "no revenue in "+MonthLabel(r.Start, month)
			}
			row, band = append(row, cell), append(band, rng)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
		if r.Mode != "expected" || strings.Join(band, "") != "" {
			fmt.Fprintln(tw, strings.Join(band, "\t"))
		}
	}
	return tw.Flush()
}

// headerLines are the table's header: each option's name in a column of
// the given width, wrapped at spaces onto a second line rather than cut,
// and shortened with "…" only beyond two lines.
func headerLines(opts []results.Option, width int) [][]string {
	first, second := []string{""}, []string{""}
	for _, o := range opts {
		a, b := o.Name, ""
		if len([]rune(a)) > width {
			if i := strings.LastIndex(string([]rune(a)[:width+1]), " "); i > 0 {
				a, b = o.Name[:i], o.Name[i+1:]
			}
		}
		first, second = append(first, shortName(a, width)), append(second, shortName(b, width))
	}
	if strings.Join(second, "") == "" {
		return [][]string{first}
	}
	return [][]string{first, second}
}

// noRetentionBase reports whether an option had no revenue, in any trial,
// in the month its NRR and GRR compare the horizon with (12 months before
// it, or the opening book for a shorter horizon), and which month that
// is. They are then undefined, not 0 %: there is nothing to retain.
func noRetentionBase(r *results.Results, o results.Option) (int, bool) {
	month := max(r.HorizonMonths-12, 0)
	for _, p := range o.Series[results.SeriesMRR] {
		if p.Month == month {
			return month, p.Mean == 0 && p.P95 == 0
		}
	}
	return month, false
}

// diffRow says how an option changes a metric, as the columns of the
// summary's difference table: the metric, its mean difference, the range
// of 90 % of the trials' differences (of the mean's 95 % interval, where
// the results carry no histogram of them), and the verdict by the report's
// rule of certainty (compare): clear only when that range lies on one side
// of zero.
func diffRow(m Metric, d results.Diff, cur string, expected bool) []string {
	label := m.Label
	if len(label) > 1 && strings.ToUpper(label[:2]) != label[:2] { // keep acronyms: ARR, NRR
		label = strings.ToLower(label[:1]) + label[1:]
	}
	mean := m.Format(d.MeanDiff, cur)
	if d.MeanDiff > 0 {
		mean = "+" + mean
	}
	if expected {
		verdict := "no difference"
		switch {
		case d.MeanDiff > 0:
			verdict = "higher"
		case d.MeanDiff < 0:
			verdict = "lower"
		}
		return []string{label, mean, "", verdict}
	}
	if d.MeanDiff == 0 && d.PBetter == 0 && d.PWorse == 0 {
		return []string{label, mean, "", "no difference in any trial"}
	}
	c := compare(d, true)
	span := m.Format(c.lo, cur) + " to " + m.Format(c.hi, cur)
	if c.intervalKind == meanCI95 {
		span += " (mean, 95 %)"
	}
	switch c.verdict {
	case "higher":
		return []string{label, mean, span, "higher in " + shareShort(c.higher)}
	case "lower":
		return []string{label, mean, span, "lower in " + shareShort(c.lower)}
	}
	// Unclear: the share on the side of the mean, as the verdict says it.
	if c.lower > c.higher {
		return []string{label, mean, span, "no clear difference; lower in " + shareShort(c.lower)}
	}
	return []string{label, mean, span, "no clear difference; higher in " + shareShort(c.higher)}
}

// shareShort is a share of trials in few characters: "every trial",
// "> 99 %", "7 %", "< 1 %", "no trial".
func shareShort(p float64) string {
	pct := math.Round(100 * p)
	switch {
	case p == 1:
		return "every trial"
	case p == 0:
		return "no trial"
	case pct >= 100:
		return "> 99 %"
	case pct < 1:
		return "< 1 %"
	}
	return percentOf(p) + " %"
}

// whenLabel names a metric's time in words: "ARR at horizon" is "ARR in
// Dec 2029", a total "over 36 months".
func whenLabel(label string, r *results.Results) string {
	if _, ok := monthDate(r.Start, r.HorizonMonths); ok && strings.HasSuffix(label, " at horizon") {
		return strings.TrimSuffix(label, " at horizon") + " in " + MonthLabel(r.Start, r.HorizonMonths)
	}
	switch strings.ToLower(label) {
	case "total revenue", "gross profit", "cs cost":
		return label + fmt.Sprintf(", %d months", r.HorizonMonths)
	}
	return label
}

// shortName cuts a name to n characters, ending it with "…".
func shortName(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// SweepText writes the one-line summary of csplan sweep: the best point
// and its mean of the sweep's metric.
func SweepText(w io.Writer, sw *results.Sweep) error {
	best := sw.Points[sw.Best]
	var at []string
	for i, v := range best.Values {
		at = append(at, sweepLabel(sw, i)+" = "+v)
	}
	_, err := fmt.Fprintf(w, "%s: best %s at %s (mean %s over %s a point)\n",
		sw.Scenario, metricInWords(sw.Metric), strings.Join(at, ", "), FormatMetric(sw.Metric, best.Metrics[sw.Metric].Mean, sw.Currency),
		Plural(sw.Trials, "trial"))
	return err
}

// sensitivityLines is how many inputs SensitivityText lists.
const sensitivityLines = 10

// SensitivityText writes the summary of csplan sensitivity: the inputs
// that move the metric most, each with its swing and rank correlation,
// the first ten of them.
func SensitivityText(w io.Writer, s *results.Sensitivity) error {
	fmt.Fprintf(w, "%s: what moves %s most\n", s.Scenario, metricInWords(s.Metric))
	for i, in := range s.Inputs {
		if i == sensitivityLines {
			fmt.Fprintf(w, "  ... %d more in sensitivity.csv\n", len(s.Inputs)-sensitivityLines)
			break
		}
		fmt.Fprintf(w, "  %-45s swing %10s  rank correlation %6s\n", cmp.Or(in.Label, in.Name), SensitivitySwing(s, in.Swing), Correlation(in.RankCorrelation))
	}
	return nil
}
