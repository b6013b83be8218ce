package report

import (
	"encoding/csv"
	"io"
	"strconv"

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
	cw := csv.NewWriter(w)
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
	cw.Flush()
	return cw.Error()
}

// TimeseriesCSV writes timeseries.csv: one row per option, series and
// month, options in their order, series in the documented order (arr, mrr,
// logos, cs_cost, revenue_cum, new_mrr, expansion_mrr, contraction_mrr,
// churned_mrr, nrr, grr, then any others by name), months ascending. date
// is the calendar month (YYYY-MM; month 0 is the opening book, the month
// before start), empty when the results carry no start.
func TimeseriesCSV(w io.Writer, r *results.Results) error {
	cw := csv.NewWriter(w)
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
	cw.Flush()
	return cw.Error()
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
