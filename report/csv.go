package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"csplan/internal/csvfile"
	"csplan/results"
)

// SummaryHeader is the header of summary.csv.
var SummaryHeader = []string{"option", "metric", "mean", "sd", "se", "p5", "p25", "p50", "p75", "p95",
	"mean_diff", "ci95_lo", "ci95_hi", "p_better", "p_worse"}

// TimeseriesHeader is the header of timeseries.csv.
var TimeseriesHeader = []string{"option", "month", "date", "series", "mean", "p5", "p25", "p50", "p75", "p95"}

// SummaryCSV writes summary.csv: one row per option and metric, options in
// their order (baseline first), metrics in the documented order (arr_end,
// revenue_total, nrr_12m, grr_12m, logos_end, clv, clv_SEGMENT by segment,
// cs_cost_total, gross_profit_total, valuation, then any others by name).
// Numbers are written in full precision; rates are fractions; the
// comparison columns (mean_diff, the 95 % interval of the mean difference,
// and the shares of trials in which the option is strictly better or
// worse) are empty for the baseline.
func SummaryCSV(w io.Writer, r *results.Results) error {
	cw := csvfile.NewWriter(w)
	if err := cw.Write(SummaryHeader); err != nil {
		return err
	}
	metrics := metricsOf(r)
	for _, o := range r.Options {
		for _, q := range metrics {
			s, ok := o.Metrics[q.key]
			if !ok {
				continue
			}
			rec := append([]string{o.Name, q.key}, fnums(s.Mean, s.SD, s.SE, s.P5, s.P25, s.P50, s.P75, s.P95)...)
			if d, ok := o.VsBaseline[q.key]; ok {
				rec = append(rec, fnums(d.MeanDiff, d.CI95[0], d.CI95[1], d.PBetter, d.PWorse)...)
			} else {
				rec = append(rec, "", "", "", "", "")
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	return cw.Flush()
}

// TimeseriesCSV writes timeseries.csv: one row per option, series and
// month, options in their order, series in the documented order (arr, mrr,
// logos, cs_cost, revenue_cum, new_mrr, expansion_mrr, contraction_mrr,
// churned_mrr, nrr, grr, then any others by name), months ascending. date
// is the calendar month (YYYY-MM; month 0 is the opening book, the month
// before start), empty when the results carry no start.
func TimeseriesCSV(w io.Writer, r *results.Results) error {
	cw := csvfile.NewWriter(w)
	if err := cw.Write(TimeseriesHeader); err != nil {
		return err
	}
	series := seriesOf(r)
	for _, o := range r.Options {
		for _, q := range series {
			for _, p := range o.Series[q.key] {
				date := ""
				if t, ok := monthDate(r.Start, p.Month); ok {
					date = t.Format("2006-01")
				}
				rec := append([]string{o.Name, strconv.Itoa(p.Month), date, q.key}, fnums(p.Mean, p.P5, p.P25, p.P50, p.P75, p.P95)...)
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
		}
	}
	return cw.Flush()
}

// sensitivityCSV is sensitivity.csv: one row per input of a sensitivity
// analysis, in its order, the distribution as the scenario writes it and
// the numbers in full precision.
func sensitivityCSV(s *results.Sensitivity) string {
	var b strings.Builder
	cw := csvfile.NewWriter(&b)
	cw.Write([]string{"input", "distribution", "p10", "p90", "metric_at_p10", "metric_at_p90", "swing", "rank_correlation", "variance_share"})
	g := func(v float64) string { return fmt.Sprint(v) }
	for _, in := range s.Inputs {
		cw.Write([]string{in.Name, in.Dist, g(in.P10), g(in.P90), g(in.Low), g(in.High), g(in.Swing), g(in.RankCorrelation), g(in.VarianceShare)})
	}
	cw.Flush() // a strings.Builder does not fail
	return b.String()
}

// sweepCSV is sweep.csv: one row per point of a sweep, its inputs as
// written, whether it is the best, and every metric's mean, se, p5, p50
// and p95 (metrics by name), in full precision.
func sweepCSV(sw *results.Sweep) string {
	var b strings.Builder
	cw := csvfile.NewWriter(&b)
	metrics := make([]string, 0, len(sw.Points[0].Metrics))
	for name := range sw.Points[0].Metrics {
		metrics = append(metrics, name)
	}
	slices.Sort(metrics)
	header := append(slices.Clone(sw.Parameters), "best")
	for _, m := range metrics {
		header = append(header, m+"_mean", m+"_se", m+"_p5", m+"_p50", m+"_p95")
	}
	cw.Write(header)
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for i, p := range sw.Points {
		row := append(slices.Clone(p.Values), strconv.FormatBool(i == sw.Best))
		for _, m := range metrics {
			s := p.Metrics[m]
			row = append(row, g(s.Mean), g(s.SE), g(s.P5), g(s.P50), g(s.P95))
		}
		cw.Write(row)
	}
	cw.Flush() // a strings.Builder does not fail
	return b.String()
}

// fnums writes numbers in full precision: the shortest decimal that reads
// back to the same float64, without an exponent (59683757.118037365, not
// 5.9683757118037365e+07), which every spreadsheet reads as a number.
func fnums(vs ...float64) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return out
}
