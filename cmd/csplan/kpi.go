package main

import (
	"cmp"
	"errors"
	"fmt"

	"csplan/internal/files"
	"csplan/plan"
	"csplan/report"
	"csplan/report/history"

	"github.com/spf13/cobra"
)

type kpiOptions struct {
	period, format, costs, out, dups string
	columns                          []string
}

func kpiCommand() *cobra.Command {
	var o kpiOptions
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
within or below it. With -o DIR, kpi also writes the periods it prints as
kpi.csv, kpi.json and kpi.txt, and nrr-grr.svg/png: NRR and GRR over
trailing 12 months.
The CSV format and the handling of gaps, reactivations and duplicate rows
are in docs/history.md.`,
		Example: `  csplan kpi history.csv
  csplan kpi history.csv --period month --format csv > kpi.csv
  csplan kpi history.csv --costs cs-costs.csv -o kpi-out`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error { return o.run(c, a[0]) },
	}
	c.Flags().StringVar(&o.period, "period", "quarter", "period of the table: month, quarter or year")
	c.Flags().StringVar(&o.format, "format", "text", "output: text, csv or json")
	c.Flags().StringVar(&o.costs, "costs", "", "CSV of CS cost by month (month,cost), for the CRC ratio")
	c.Flags().StringVarP(&o.out, "output", "o", "", "also write kpi.csv, kpi.json, kpi.txt and the NRR/GRR chart into this directory")
	c.Flags().StringVar(&o.dups, "duplicates", "error", "two rows of one account and month, or of one month of --costs: error, sum them, or identical (drop a row that repeats the other's value)")
	addColumnsFlag(c, &o.columns)
	return c
}

func (o kpiOptions) run(c *cobra.Command, path string) error {
	read, err := plan.ParseDuplicates(o.dups)
	columns, colErr := plan.ParseColumns(o.columns)
	read.Columns = columns
	if err := cmp.Or(plan.CheckPeriod(o.period), plan.OneOf("format", o.format, history.Formats...), err, colErr); err != nil {
		return fmt.Errorf("kpi: %w", err)
	}
	k, err := plan.ReadKPIs(c.Context(), path, o.costs, o.period, read)
	if errors.Is(err, plan.ErrNoWholePeriod) {
		return fmt.Errorf("%w; try --period month", err)
	}
	if err != nil {
		return err
	}
	for _, warn := range k.Warnings {
		fmt.Fprintf(c.ErrOrStderr(), "note: %s\n", warn)
	}
	if err := history.WriteKPIs(c.OutOrStdout(), o.format, k.Rows); err != nil || o.out == "" {
		return err
	}
	return finish(c, o.out, []string{path, o.costs}, func(dir *files.Dir) error {
		if err := history.WriteKPIFiles(dir.Temp(), k.Rows); err != nil {
			return err
		}
		return history.KPICharts(k.History, path, func(ch report.Chart) error { return writeChart(dir, ch) })
	}, saying(c.ErrOrStderr(), "wrote %s\n", o.out))
}
