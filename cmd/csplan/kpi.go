package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"csplan/internal/files"
	"csplan/report"
	"csplan/report/history"
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
			case history.FormatText, history.FormatCSV, history.FormatJSON:
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
			if err := history.WriteKPIs(c.OutOrStdout(), format, rows); err != nil {
				return err
			}
			if out == "" {
				return nil
			}
			dir, err := files.NewDir(out, a[0], costsPath)
			if err != nil {
				return err
			}
			defer dir.Discard()
			var all []calibrate.KPIRow
			for _, k := range []string{calibrate.PeriodMonth, calibrate.PeriodQuarter, calibrate.PeriodYear} {
				all = append(all, calibrate.KPIs(h, k, costs)...)
			}
			if err := history.WriteKPIFiles(dir.Temp(), rows, all); err != nil {
				return err
			}
			if err := history.KPICharts(h, a[0], func(ch report.Chart) error { return writeChart(dir, ch) }); err != nil {
				return err
			}
			if err := c.Context().Err(); err != nil {
				return err
			}
			if err := dir.Commit(); err != nil {
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
func writeChart(dir *files.Dir, ch report.Chart) error {
	name := dir.Name(ch.Name)
	if err := os.WriteFile(dir.Path(name+".svg"), ch.SVG, 0o644); err != nil {
		return err
	}
	return os.WriteFile(dir.Path(name+".png"), ch.PNG, 0o644)
}
