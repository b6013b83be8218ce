package main

import (
	"csplan/internal/files"
	"csplan/plan"
	"csplan/report"
	"csplan/report/output"
	"csplan/shard"

	"github.com/spf13/cobra"
)

func mergeCommand() *cobra.Command {
	var out string
	var pdf bool
	c := &cobra.Command{
		Use:   "merge PART... -o DIR",
		Short: "Merge the parts of a sharded run or sweep into its results",
		Long: `merge reads the parts written by csplan run --shard I/N or csplan sweep
--shard I/N (each a directory holding ` + shard.FileName + `, or the file itself) and
writes what the unsharded command would have written, byte for byte: for a
run, results.json and the report; for a sweep, sweep.json, sweep.csv and its
chart. Every part must come from the same scenario, settings and csplan
version, and every shard must be given exactly once; otherwise merge names
the parts at fault and writes nothing.`,
		Example: `  csplan run company.yaml --trials 800000 --shard 3/8 -o parts/part-3   # one per shard
  csplan merge parts/part-* -o out`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			if err := needOutput(c, out); err != nil {
				return err
			}
			parts, err := plan.ReadParts(a, csplanVersion())
			if err != nil {
				return err
			}
			var m plan.Output
			return finish(c, out, a, func(dir *files.Dir) (err error) {
				if m, err = plan.Merge(c.Context(), parts); err != nil {
					return err
				}
				return output.Write(c.Context(), dir, m, report.Options{PDF: pdf})
			}, func() error { return output.Tell(c.OutOrStdout(), m, out) })
		},
	}
	addOutputFlag(c, &out)
	addPDFFlag(c, &pdf)
	return c
}
