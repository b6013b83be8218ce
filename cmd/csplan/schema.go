package main

import (
	"csplan/scenarios"

	"github.com/spf13/cobra"
)

func schemaCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the scenario format",
		Long: `schema prints a JSON Schema (draft 2020-12) of the scenario format, so editors can
complete and check scenario files.`,
		Example: `  csplan schema > csplan.schema.json`,
		Args:    args(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			b, err := scenarios.Schema()
			if err != nil {
				return err
			}
			_, err = c.OutOrStdout().Write(b)
			return err
		},
	}
}
