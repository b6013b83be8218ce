package main

import (
	"path/filepath"

	"csplan/internal/files"
	"csplan/plan"
	"csplan/report"
	"csplan/report/output"

	"github.com/spf13/cobra"
)

func reportCommand() *cobra.Command {
	var out string
	var pdf bool
	c := &cobra.Command{
		Use:   "report RESULTS.json -o DIR",
		Short: "Render the report of a saved results.json without simulating again",
		Long: `report renders the charts, report.md, report.html, summary.csv,
timeseries.csv and results.xlsx of a saved results.json into DIR. DIR is
replaced only when every file is written.`,
		Example: `  csplan report out/results.json -o board-pack
  csplan report out/results.json -o board-pack --pdf`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			if err := needOutput(c, out); err != nil {
				return err
			}
			data, res, err := plan.ReadResults(a[0])
			if err != nil {
				return err
			}
			// The report writes results.json again, so re-rendering an
			// output in place loses nothing; any other input is protected.
			in := a[0]
			if filepath.Clean(in) == filepath.Join(out, "results.json") {
				in = ""
			}
			return finish(c, out, []string{in}, func(dir *files.Dir) error {
				if err := dir.Write("results.json", data); err != nil { // as read
					return err
				}
				return output.Render(c.Context(), dir, plan.Output{Results: res}, report.Options{PDF: pdf})
			}, saying(c.OutOrStdout(), "wrote %s\n", out))
		},
	}
	addOutputFlag(c, &out)
	addPDFFlag(c, &pdf)
	return c
}
