package main

import (
	"strings"

	"csplan/internal/files"
	"csplan/scenarios"

	"github.com/spf13/cobra"
)

func initCommand() *cobra.Command {
	var segments string
	var out string
	var force bool
	c := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter scenario",
		Long: `init writes a commented starter scenario with the given segments to standard
output (or to a file with -o, which must not exist yet unless --force is
given). Known segments (enterprise, mid-market, smb) get realistic
defaults; the touch models give about 20 enterprise and 70 mid-market
accounts per CSM.`,
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
			return files.WriteFile(out, b, force)
		},
	}
	c.Flags().StringVar(&segments, "segments", "enterprise,mid-market,smb", "comma-separated segment names")
	c.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	c.Flags().BoolVar(&force, "force", false, "replace the -o file if it exists")
	return c
}
