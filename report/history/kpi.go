// Package history renders what csplan kpi and csplan calibrate learn from
// a company's history: the KPI table as text, CSV and JSON, the fits that
// calibrate prints, and the charts of both. It formats the values of
// package calibrate; the charts themselves are drawn by package report,
// which takes plain numbers and so stays free of the fitting code.
package history

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"csplan/internal/csvfile"
	"csplan/scenarios/calibrate"
)

// KPI formats, as csplan kpi --format takes them.
const (
	FormatText = "text"
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// Formats are the KPI formats, in the order csplan kpi --format lists them.
var Formats = []string{FormatText, FormatCSV, FormatJSON}

// WriteKPIs writes the KPI rows to w in format: a table per segment
// (text), one row per period, segment and metric (csv), or the rows with
// the benchmarks' source (json).
func WriteKPIs(w io.Writer, format string, rows []calibrate.KPIRow) error {
	switch format {
	case FormatJSON:
		return kpiJSON(w, rows)
	case FormatCSV:
		return kpiCSV(w, rows)
	}
	return kpiText(w, rows)
}

// WriteKPIFiles writes the rows into dir as kpi.csv, kpi.json and
// kpi.txt (the table): the same periods in every format.
func WriteKPIFiles(dir string, rows []calibrate.KPIRow) error {
	for _, f := range []struct{ name, format string }{{"kpi.csv", FormatCSV}, {"kpi.json", FormatJSON}, {"kpi.txt", FormatText}} {
		file, err := os.Create(filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		err = WriteKPIs(file, f.format, rows)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// benchmarkSource says where the benchmarks come from, in kpi.json.
const benchmarkSource = "OpenView, Building Your Customer Success Strategy (K1); yearly benchmarks compounded to the period"

// kpiJSON writes the rows as JSON, rounded (rounded), a benchmark that
// does not exist (NaN) as 0 to 0.
func kpiJSON(w io.Writer, rows []calibrate.KPIRow) error {
	clean := make([]calibrate.KPIRow, len(rows))
	for i, r := range rows {
		r = rounded(r)
		for k, v := range r.Metrics {
			if math.IsNaN(v.Low) {
				v.Low, v.High = 0, 0
			}
			r.Metrics[k] = v
		}
		clean[i] = r
	}
	b, err := json.MarshalIndent(map[string]any{"rows": clean, "benchmark_source": benchmarkSource}, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// kpiCSV writes one record per period, segment and metric, numbers
// rounded (rounded).
func kpiCSV(w io.Writer, rows []calibrate.KPIRow) error {
	cw := csvfile.NewWriter(w)
	cw.Write([]string{"period", "kind", "segment", "metric", "value", "benchmark_low", "benchmark_high", "status"})
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, r := range rows {
		r = rounded(r)
		for _, k := range calibrate.KPINames {
			m, ok := r.Metrics[k]
			if !ok {
				continue
			}
			lo, hi := "", ""
			if !math.IsNaN(m.Low) {
				lo, hi = g(m.Low), g(m.High)
			}
			cw.Write([]string{r.Period, r.Kind, r.Segment, k, g(m.Value), lo, hi, m.Status})
		}
	}
	return cw.Flush()
}

// rounded is r, with a map of its own, its numbers rounded for CSV and
// JSON: money to the cent, rates, ratios, NPS and benchmarks to 10
// significant digits. Sums of MRR in cents carry binary noise
// (455.65000000000003), which no reader of a KPI needs.
func rounded(r calibrate.KPIRow) calibrate.KPIRow {
	r.StartMRR, r.EndMRR = cents(r.StartMRR), cents(r.EndMRR)
	metrics := make(map[string]calibrate.KPI, len(r.Metrics))
	for k, m := range r.Metrics {
		if calibrate.IsMoneyKPI(k) {
			m.Value = cents(m.Value)
		} else {
			m.Value = significant(m.Value)
		}
		m.Low, m.High = significant(m.Low), significant(m.High)
		metrics[k] = m
	}
	r.Metrics = metrics
	return r
}

// cents rounds an amount of money to the cent.
func cents(v float64) float64 { return math.Round(v*100) / 100 }

// significant rounds v to 10 significant digits; NaN stays NaN.
func significant(v float64) float64 {
	x, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
	if err != nil {
		return v
	}
	return x
}

// kpiLabels are the column heads of the text table, by calibrate's KPI
// names (a history's KPIs, not the simulation's metrics and series).
var kpiLabels = map[string]string{
	"nrr": "NRR", "grr": "GRR", // calibrate's KPIs, not the metric catalogue's series
	"unit_churn": "Logo churn", "revenue_churn": "Rev churn", "churn_lost": "lost", "churn_contraction": "contr.", "expansion": "Expansion",
	"new_mrr":         "New MRR", // calibrate's KPI, not the metric catalogue's series
	"reactivated_mrr": "Reactiv.", "nps": "NPS", "crc_ratio": "CRC",
}

// statusMarks mark a value above, below or within its benchmark.
var statusMarks = map[string]string{"above": " ↑", "below": " ↓", "within": " ="}

// kpiText writes a table per segment, the book first: a row per period,
// its accounts at the start (paying the month before it: the customers
// the rates are of) and at the end (paying in its last month) and its MRR
// at the end, then a column per metric that any row has, the benchmarks
// under the heads.
func kpiText(w io.Writer, rows []calibrate.KPIRow) error {
	rows = bookFirst(rows)
	cols := kpiColumns(rows)
	bw := bufio.NewWriter(w)
	for len(rows) > 0 {
		n := 1
		for n < len(rows) && rows[n].Segment == rows[0].Segment {
			n++
		}
		seg := rows[:n]
		rows = rows[n:]
		fmt.Fprintf(bw, "\nSegment %s (per %s; start: accounts paying the month before, whose rates these are; end: paying in the last month; ↑ above, ↓ below, = within the benchmark)\n", seg[0].Segment, seg[0].Kind)
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
		kpiHeads(tw, seg, cols)
		for _, r := range seg {
			// Counts and money with thousands separators, as the money KPIs.
			line := []string{r.Period, calibrate.FormatAmount(float64(r.StartAccounts)), calibrate.FormatAmount(float64(r.EndAccounts)), calibrate.FormatAmount(r.EndMRR)}
			for _, k := range cols {
				m, ok := r.Metrics[k]
				if !ok {
					line = append(line, "-")
					continue
				}
				line = append(line, calibrate.FormatKPI(k, m.Value)+statusMarks[m.Status])
			}
			fmt.Fprintln(tw, strings.Join(line, "\t")+"\t")
		}
		tw.Flush()
	}
	return bw.Flush()
}

// bookFirst orders the rows by segment, the whole book first, keeping the
// periods' order within each.
func bookFirst(rows []calibrate.KPIRow) []calibrate.KPIRow {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b calibrate.KPIRow) int {
		if (a.Segment == calibrate.Unsegmented) != (b.Segment == calibrate.Unsegmented) {
			if a.Segment == calibrate.Unsegmented {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Segment, b.Segment)
	})
	return rows
}

// kpiColumns are the metrics any row has, in display order.
func kpiColumns(rows []calibrate.KPIRow) []string {
	cols := []string{}
	for _, k := range calibrate.KPINames {
		for _, r := range rows {
			if _, ok := r.Metrics[k]; ok {
				cols = append(cols, k)
				break
			}
		}
	}
	return cols
}

// kpiHeads writes a segment's column heads and, under them, the
// benchmark of each metric, from the first of the segment's rows that has
// the metric beside a benchmark: a segment without customers at the start
// of its first period has no rates then, but has them later.
func kpiHeads(tw *tabwriter.Writer, seg []calibrate.KPIRow, cols []string) {
	head := []string{"Period", "Start accts", "End accts", "End MRR"}
	bench := []string{"benchmark", "", "", ""}
	for _, k := range cols {
		head = append(head, kpiLabels[k])
		var m calibrate.KPI
		for _, r := range seg {
			if m = r.Metrics[k]; m.Status != "" {
				break
			}
		}
		switch {
		case m.Status == "":
			bench = append(bench, "")
		case m.Low == m.High:
			bench = append(bench, calibrate.FormatKPI(k, m.Low))
		default:
			bench = append(bench, calibrate.FormatKPI(k, m.Low)+"-"+calibrate.FormatKPI(k, m.High))
		}
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	fmt.Fprintln(tw, strings.Join(bench, "\t")+"\t")
}
