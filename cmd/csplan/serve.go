package main

import (
	"fmt"
	"net"
	"os/exec"

	"csplan/serve"

	"github.com/spf13/cobra"
)

func serveCommand() *cobra.Command {
	var listen string
	var open bool
	c := &cobra.Command{
		Use:   "serve SCENARIO.yaml [--listen HOST:PORT] [--open]",
		Short: "Open a what-if workspace for a scenario in the browser",
		Long: `serve starts a local web server with a workspace for one scenario: every
input, the team plan and the options as controls; each change recomputes the
expected path and redraws within a moment; Monte Carlo runs on demand with
progress and cancel, and shows the report; Save writes the edited scenario
back to its YAML (comments and layout kept; never over a file changed on disk
since), Export writes a run's report directory as csplan run does.

It prints the URL to open, with a random access token; requests without it,
or from another site, are refused. It listens on 127.0.0.1 (a free port)
unless --listen names another address, which it warns about. --open opens
the page in the system's browser. Ctrl-C stops it (exit status 0: stopping
is how a workspace ends; what it saved stays).`,
		Example: `  csplan serve scenarios/examples/acme-company.yaml
  csplan serve my-company.yaml --listen 127.0.0.1:8080 --open`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, a []string) error {
			sv, err := serve.New(a[0], csplanVersion())
			if err != nil {
				return err
			}
			l, url, err := sv.Listen(listen)
			if err != nil {
				return err
			}
			if host, _, err := net.SplitHostPort(listen); err == nil && !isLoopback(host) {
				fmt.Fprintf(c.ErrOrStderr(), "csplan: warning: listening on %s, not only this machine: anyone who can reach it and has the URL can edit and save %s\n", l.Addr(), a[0])
			}
			fmt.Fprintf(c.OutOrStdout(), "csplan workspace for %s: open %s\n(Ctrl-C stops it)\n", a[0], url)
			if open {
				if err := exec.Command("xdg-open", url).Start(); err != nil {
					fmt.Fprintf(c.ErrOrStderr(), "csplan: could not open a browser (%v); open the URL above\n", err)
				}
			}
			return sv.Serve(c.Context(), l)
		},
	}
	c.Flags().StringVar(&listen, "listen", "127.0.0.1:0", "the address to listen on, HOST:PORT (port 0: any free port)")
	c.Flags().BoolVar(&open, "open", false, "open the page in the system's browser")
	return c
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
