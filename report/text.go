package report

import (
	"cmp"
	"fmt"
	"io"
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

// costMetrics are added to the summary of an option that changes CS cost.
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
		fmt.Fprintf(w, "%s, %s, seed %d; ranges are 90%% intervals (p5 to p95)\n\n", Plural(r.Trials, "trial"), Plural(r.HorizonMonths, "month"), r.Seed)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"option"}
	for _, m := range Headline {
		header = append(header, m.Label)
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, o := range r.Options {
		row := []string{o.Name}
		for _, m := range Headline {
			s := o.Metrics[m.Key]
			cell := m.Format(s.Mean, cur)
			if r.Mode != "expected" {
				cell = fmt.Sprintf("%s (%s to %s)", m.Format(s.P50, cur), m.Format(s.P5, cur), m.Format(s.P95, cur))
			}
			if month, none := noRetentionBase(r, o); none && (m.Key == results.NRR12m || m.Key == results.GRR12m) {
				cell = "undefined: no revenue in " + MonthLabel(r.Start, month)
			}
			row = append(row, cell)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
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
		// A change of CS cost (a cut or a hire) is judged on cost and
		// gross profit too.
		if d, ok := o.VsBaseline[results.CSCostTotal]; ok && d.MeanDiff != 0 {
			lines = append(lines, costMetrics...)
		}
		for _, m := range lines {
			if d, ok := o.VsBaseline[m.Key]; ok {
				fmt.Fprintf(w, "  %s\n", DiffSentence(m, d, cur, r.Mode == "expected"))
			}
		}
		if s := paybackLine(r, o); s != "" {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	if r.Breakeven != nil {
		fmt.Fprintf(w, "\n%s versus %s, on %s:\n", r.Breakeven.Option, r.Options[0].Name, breakevenMetric(r.Breakeven.Metric))
		breakevenLines(w, r.Breakeven)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "\nwarning: %s\n", warn)
	}
	return nil
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

// DiffSentence says in words how an option changes a metric, with the 95 %
// interval of the mean difference and the share of trials in which the
// option is better; "no clear difference" when the interval spans zero.
func DiffSentence(m Metric, d results.Diff, cur string, expected bool) string {
	label := m.Label
	if len(label) > 1 && strings.ToUpper(label[:2]) != label[:2] { // keep acronyms: ARR, NRR
		label = strings.ToLower(label[:1]) + label[1:]
	}
	if expected {
		switch {
		case d.MeanDiff == 0:
			return fmt.Sprintf("%s: no difference", m.Label)
		case d.MeanDiff > 0:
			return fmt.Sprintf("%s: %s higher", m.Label, m.Format(d.MeanDiff, cur))
		}
		return fmt.Sprintf("%s: %s lower", m.Label, m.Format(-d.MeanDiff, cur))
	}
	if d.MeanDiff == 0 && d.PBetter == 0 && d.PWorse == 0 {
		return fmt.Sprintf("%s: no difference in any trial", m.Label)
	}
	interval := fmt.Sprintf("95%% interval of the mean %s to %s", m.Format(d.CI95[0], cur), m.Format(d.CI95[1], cur))
	if d.CI95[0] <= 0 && d.CI95[1] >= 0 {
		return fmt.Sprintf("%s: no clear difference (mean %s, %s)", m.Label, m.Format(d.MeanDiff, cur), interval)
	}
	way, amount := "higher", d.MeanDiff
	if amount < 0 {
		way, amount = "lower", -amount
	}
	// The share of trials moving the same way as the mean.
	share := d.PBetter
	if (way == "higher") != d.HigherIsBetter {
		share = d.PWorse
	}
	return fmt.Sprintf("%s is %s by %s on average (%s); %s in %.0f%% of trials", label, way, m.Format(amount, cur), interval, way, 100*share)
}

// SweepText writes the one-line summary of csplan sweep: the best point
// and its mean of the sweep's metric.
func SweepText(w io.Writer, sw *results.Sweep) error {
	best := sw.Points[sw.Best]
	_, err := fmt.Fprintf(w, "%s: best %s at %s (mean %s over %s a point)\n",
		sw.Scenario, sw.Metric, strings.Join(best.Values, ", "), FormatMetric(sw.Metric, best.Metrics[sw.Metric].Mean, sw.Currency),
		Plural(sw.Trials, "trial"))
	return err
}

// sensitivityLines is how many inputs SensitivityText lists.
const sensitivityLines = 10

// SensitivityText writes the summary of csplan sensitivity: the inputs
// that move the metric most, each with its swing and rank correlation,
// the first ten of them.
func SensitivityText(w io.Writer, s *results.Sensitivity) error {
	fmt.Fprintf(w, "%s: what moves %s most\n", s.Scenario, s.Metric)
	for i, in := range s.Inputs {
		if i == sensitivityLines {
			fmt.Fprintf(w, "  ... %d more in sensitivity.csv\n", len(s.Inputs)-sensitivityLines)
			break
		}
		fmt.Fprintf(w, "  %-45s swing %10s  rank correlation %6s\n", cmp.Or(in.Label, in.Name), SensitivitySwing(s, in.Swing), Correlation(in.RankCorrelation))
	}
	return nil
}
