package main

import (
	"fmt"
	"os"
	"strings"

	"csplan/scenarios"

	"github.com/spf13/cobra"
)

func initCommand() *cobra.Command {
	var segments string
	var out string
	c := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter scenario",
		Long: `init writes a commented starter scenario with the given segments to standard
output (or to a file with -o). Known segments (enterprise, mid-market, smb) get
realistic defaults; the touch models give about 20 enterprise and 70
mid-market accounts per CSM.`,
		Example: `  csplan init > my-company.yaml
  csplan init --segments enterprise,smb -o my-company.yaml`,
		Args: args(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			var names []string
			for _, s := range strings.Split(segments, ",") {
				names = append(names, strings.TrimSpace(s))
			}
			b, err := scenarios.Starter(names)
			if err != nil {
				return usageError{err}
			}
			if out == "" {
				_, err = c.OutOrStdout().Write(b)
				return err
			}
			if _, err := os.Stat(out); err == nil {
				return fmt.Errorf("%s already exists; choose another name or remove it", out)
			}
			return writeFileAtomic(out, b)
		},
	}
	c.Flags().StringVar(&segments, "segments", "enterprise,mid-market,smb", "comma-separated segment names")
	c.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return c
}
