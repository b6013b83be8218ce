package main

import (
	"fmt"

	"csplan/plan"
	"csplan/report"
	"csplan/scenarios"

	"github.com/spf13/cobra"
)

func validateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate SCENARIO.yaml...",
		Short: "Check scenario files and summarise them",
		Long: `validate checks each scenario file and prints every error found, each with its
file, line, column and field, or a one-line summary of a valid file.`,
		Example: `  csplan validate scenarios/examples/acme-company.yaml
  csplan validate my-company.yaml other.yaml`,
		Args: args(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, files []string) error {
			bad := 0
			for _, f := range files {
				s, err := plan.Validate(f)
				if err != nil {
					fmt.Fprintln(c.ErrOrStderr(), err)
					bad++
					continue
				}
				fmt.Fprintln(c.OutOrStdout(), summaryLine(s))
			}
			if bad > 0 {
				return fmt.Errorf("%d of %d files invalid", bad, len(files))
			}
			return nil
		},
	}
}

func summaryLine(s *scenarios.Scenario) string {
	base := s.Options[0].Model
	accounts, arr := s.Book()
	return fmt.Sprintf("%s: ok: %q, %s, %s, expected ARR %s, %s, %s",
		s.Path, s.Name, report.Plural(len(base.Segments), "segment"), report.Plural(accounts, "account"), report.Money(arr, s.Currency),
		report.Plural(base.Horizon, "month"), report.Plural(len(s.Options)-1, "option"))
}
