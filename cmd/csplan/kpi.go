package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"csplan/report"
	"csplan/scenarios"
	"csplan/scenarios/calibrate"

	"github.com/spf13/cobra"
)

func kpiCommand() *cobra.Command {
	var period, format, costsPath, out, dups string
	c := &cobra.Command{
		Use:   "kpi HISTORY.csv",
		Short: "Customer-success KPIs of a revenue history, beside their benchmarks",
		Long: `kpi reads a history of account revenue by month (columns account_id, month
as YYYY-MM, mrr; optional segment and nps) and prints, per period and
segment: net and gross revenue retention, unit churn, revenue churn split
into lost accounts and contraction, expansion, new and reactivated MRR, NPS
where present and the CRC ratio where --costs gives CS cost by month
(columns month, cost). Each metric stands beside its benchmark (OpenView;
yearly benchmarks compounded to the period) with whether it is above,
within or below it. With -o DIR, kpi also writes kpi.csv and kpi.json for
every period kind, and nrr-grr.svg/png: NRR and GRR over trailing 12 months.
The CSV format and the handling of gaps, reactivations and duplicate rows
are in docs/history.md.`,
		Example: `  csplan kpi history.csv
  csplan kpi history.csv --period month --format csv > kpi.csv
  csplan kpi history.csv --costs cs-costs.csv -o kpi-out`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			switch period {
			case calibrate.PeriodMonth, calibrate.PeriodQuarter, calibrate.PeriodYear:
			default:
				return usageError{fmt.Errorf("kpi: unknown --period %q (use one of: month, quarter, year)", period)}
			}
			switch format {
			case "text", "csv", "json":
			default:
				return usageError{fmt.Errorf("kpi: unknown --format %q (use one of: text, csv, json)", format)}
			}
			h, err := readHistory(c.Context(), a[0], dups)
			if err != nil {
				return err
			}
			var costs calibrate.Costs
			if costsPath != "" {
				f, err := openCSV(c.Context(), costsInput, costsPath)
				if err != nil {
					return err
				}
				costs, err = calibrate.ReadCosts(f, costsPath, calibrate.ReadOptions{Duplicates: calibrate.Duplicates(dups)})
				f.Close()
				if err != nil {
					return err
				}
			}
			rows := calibrate.KPIs(h, period, costs)
			if len(rows) == 0 {
				return fmt.Errorf("%s: no whole %s with the month before it in the history (%s to %s); try --period month", a[0], period, h.First, h.Last)
			}
			if err := writeKPIs(c.OutOrStdout(), format, rows); err != nil {
				return err
			}
			if out == "" {
				return nil
			}
			dir, err := newOutputDir(out, a[0], costsPath)
			if err != nil {
				return err
			}
			defer dir.discard()
			var all []calibrate.KPIRow
			for _, k := range []string{calibrate.PeriodMonth, calibrate.PeriodQuarter, calibrate.PeriodYear} {
				all = append(all, calibrate.KPIs(h, k, costs)...)
			}
			for _, f := range []struct{ name, format string }{{"kpi.csv", "csv"}, {"kpi.json", "json"}, {"kpi.txt", "text"}} {
				file, err := os.Create(dir.path(f.name))
				if err != nil {
					return err
				}
				rs := all
				if f.format == "text" {
					rs = rows
				}
				err = writeKPIs(file, f.format, rs)
				if cerr := file.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					return err
				}
			}
			months, nrr, grr, window := calibrate.TrailingRetention(h)
			if len(months) > 0 {
				ch, err := report.RetentionTrendChart(report.RetentionTrend{Source: a[0], Start: months[0].String(), NRR: nrr, GRR: grr, Window: window})
				if err != nil {
					return err
				}
				if err := writeChart(dir, ch); err != nil {
					return err
				}
			}
			if err := c.Context().Err(); err != nil {
				return err
			}
			if err := dir.commit(); err != nil {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "wrote %s\n", out)
			return nil
		},
	}
	c.Flags().StringVar(&period, "period", "quarter", "period of the table: month, quarter or year")
	c.Flags().StringVar(&format, "format", "text", "output: text, csv or json")
	c.Flags().StringVar(&costsPath, "costs", "", "CSV of CS cost by month (month,cost), for the CRC ratio")
	c.Flags().StringVarP(&out, "output", "o", "", "also write kpi.csv, kpi.json, kpi.txt and the NRR/GRR chart into this directory")
	c.Flags().StringVar(&dups, "duplicates", "error", "two rows of one account and month, or of one month of --costs: error, or sum them")
	return c
}

// readHistory reads a history CSV file.
func readHistory(ctx context.Context, path, dups string) (*calibrate.History, error) {
	if dups != "error" && dups != "sum" {
		return nil, usageError{fmt.Errorf("unknown --duplicates %q (use one of: error, sum)", dups)}
	}
	f, err := openCSV(ctx, historyInput, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return calibrate.ReadHistory(f, path, calibrate.ReadOptions{Duplicates: calibrate.Duplicates(dups)})
}

// The CSV inputs: a history, read as a stream, and CS costs by month.
var (
	historyInput = scenarios.Input{What: "CSV file", Limit: 2 << 30,
		Large: "that is some 60 million rows, more than a history of every account and month of a large company (is this the right file?)"}
	costsInput = scenarios.Input{What: "CSV file", Limit: 10 << 20,
		Large: "CS costs have one row a month (is this the right file?)"}
)

// openCSV opens an input CSV file under the rule for inputs (a regular
// file, within the input's limit), as a reader that stops with the
// context's error once ctx is done: a large history takes seconds to read.
func openCSV(ctx context.Context, in scenarios.Input, path string) (io.ReadCloser, error) {
	f, err := in.Open(path)
	if err != nil {
		return nil, err
	}
	return ctxReader{ctx, f}, nil
}

// ctxReader reads from a file until its context is done.
type ctxReader struct {
	ctx context.Context
	*os.File
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.File.Read(p)
}

// writeChart writes ch into dir as NAME.svg and NAME.png, NAME being the
// chart's name made a safe file name of its own (a retention chart's name
// holds a segment's).
func writeChart(dir *outputDir, ch report.Chart) error {
	name := dir.name(ch.Name)
	if err := os.WriteFile(dir.path(name+".svg"), ch.SVG, 0o644); err != nil {
		return err
	}
	return os.WriteFile(dir.path(name+".png"), ch.PNG, 0o644)
}

var kpiLabels = map[string]string{
	"nrr": "NRR", "grr": "GRR", "unit_churn": "Logo churn", "revenue_churn": "Rev churn", "churn_lost": "lost",
	"churn_contraction": "contr.", "expansion": "Expansion", "new_mrr": "New MRR", "reactivated_mrr": "Reactiv.",
	"nps": "NPS", "crc_ratio": "CRC",
}

func writeKPIs(w io.Writer, format string, rows []calibrate.KPIRow) error {
	switch format {
	case "json":
		clean := make([]calibrate.KPIRow, len(rows))
		for i, r := range rows {
			r.Metrics = map[string]calibrate.KPI{}
			for k, v := range rows[i].Metrics {
				if math.IsNaN(v.Low) {
					v.Low, v.High = 0, 0
				}
				r.Metrics[k] = v
			}
			clean[i] = r
		}
		b, err := json.MarshalIndent(map[string]any{"rows": clean, "benchmark_source": "OpenView, Building Your Customer Success Strategy (K1); yearly benchmarks compounded to the period"}, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	case "csv":
		cw := report.NewCSVWriter(w)
		cw.Write([]string{"period", "kind", "segment", "metric", "value", "benchmark_low", "benchmark_high", "status"})
		for _, r := range rows {
			for _, k := range calibrate.KPINames {
				m, ok := r.Metrics[k]
				if !ok {
					continue
				}
				lo, hi := "", ""
				if !math.IsNaN(m.Low) {
					lo, hi = strconv.FormatFloat(m.Low, 'g', -1, 64), strconv.FormatFloat(m.High, 'g', -1, 64)
				}
				cw.Write([]string{r.Period, r.Kind, r.Segment, k, strconv.FormatFloat(m.Value, 'g', -1, 64), lo, hi, m.Status})
			}
		}
		return cw.Flush()
	}
	// The table groups rows by segment, the book first.
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
	bw := bufio.NewWriter(w)
	seg := ""
	var tw *tabwriter.Writer
	flush := func() {
		if tw != nil {
			tw.Flush()
		}
	}
	cols := []string{}
	for _, k := range calibrate.KPINames {
		for _, r := range rows {
			if _, ok := r.Metrics[k]; ok {
				cols = append(cols, k)
				break
			}
		}
	}
	for _, r := range rows {
		if r.Segment != seg || tw == nil {
			flush()
			seg = r.Segment
			fmt.Fprintf(bw, "\nSegment %s (per %s; ↑ above, ↓ below, = within the benchmark)\n", seg, r.Kind)
			tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
			head := []string{"Period", "Accounts", "MRR"}
			bench := []string{"benchmark", "", ""}
			for _, k := range cols {
				head = append(head, kpiLabels[k])
				m := r.Metrics[k]
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
		// Counts and money with thousands separators, as the money KPIs.
		line := []string{r.Period, calibrate.FormatAmount(float64(r.EndAccounts)), calibrate.FormatAmount(r.EndMRR)}
		for _, k := range cols {
			m, ok := r.Metrics[k]
			if !ok {
				line = append(line, "-")
				continue
			}
			mark := map[string]string{"above": " ↑", "below": " ↓", "within": " ="}[m.Status]
			line = append(line, calibrate.FormatKPI(k, m.Value)+mark)
		}
		fmt.Fprintln(tw, strings.Join(line, "\t")+"\t")
	}
	flush()
	return bw.Flush()
}
