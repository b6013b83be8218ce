// Command csplan simulates the economics of customer success: see README.md.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"csplan/internal/buildinfo"
	"csplan/internal/signals"
	"csplan/plan"

	"github.com/spf13/cobra"
)

// Exit codes, decided here and in internal/signals: a signal ends csplan
// with 128 and the signal's number (129 for SIGHUP, 130 for SIGINT, 143
// for SIGTERM).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise it comes from the module's build information.
var version = ""

func csplanVersion() string { return buildinfo.Version(version) }

// usageError marks a mistake in how csplan was called (exit 2), as does
// a setting that plan refuses (plan.SettingError).
type usageError struct{ error }

func main() {
	ctx := signals.Watch(context.Background(), "csplan")
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes csplan with args and returns the exit code; it is main
// without the process, so tests can call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ue usageError
	var se *plan.SettingError
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		what, code := signals.Stopped(ctx)
		fmt.Fprintf(stderr, "csplan: %s; no output was written or replaced\n", what)
		return code
	}
	fmt.Fprintln(stderr, "csplan:", message(err))
	switch {
	case errors.As(err, &ue), errors.As(err, &se), strings.HasPrefix(err.Error(), "unknown command"):
		return exitUsage
	}
	return exitFailure
}

// message is err's message with a setting that plan refused (a
// plan.SettingError, a usage error) called by its flag: --trials, -j for
// workers, --set for a sweep's axis.
func message(err error) string {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var lines []string
		for _, e := range joined.Unwrap() {
			lines = append(lines, message(e))
		}
		return strings.Join(lines, "\ncsplan: ")
	}
	var se *plan.SettingError
	if !errors.As(err, &se) {
		return err.Error()
	}
	return strings.Replace(err.Error(), se.Error(), se.Named(func(setting string) string {
		return cmp.Or(flagNames[setting], "--"+strings.ReplaceAll(setting, " ", "-"))
	}), 1)
}

// flagNames are the flags of the settings not called --SETTING.
var flagNames = map[string]string{"workers": "-j", "axis": "--set"}

const exitStatus = `

EXIT STATUS
  0    success
  1    failure: invalid input (a scenario, a history, results), an error while running or writing
  2    usage: unknown command or flag, wrong number of arguments
  129  hung up (SIGHUP); nothing partial is left behind
  130  interrupted (Ctrl-C, SIGINT); nothing partial is left behind
  143  terminated (SIGTERM); nothing partial is left behind`

func rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "csplan",
		Short: "Monte Carlo planning for the economics of customer success",
		Long: `csplan simulates a subscription business's customer book month by month, account
by account, over thousands of possible futures, and compares options such as
"cut 3 CSMs" or "upsell monthly" on ARR, revenue, cost, profit and valuation.` + exitStatus,
		Version:       csplanVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see csplan %s --help)", err, c.Name())}
	})
	root.AddCommand(runCommand(), reportCommand(), sweepCommand(), mergeCommand(), sensitivityCommand(), breakevenCommand(), optimizeCommand(), serveCommand(), validateCommand(), schemaCommand(), initCommand(), kpiCommand(), calibrateCommand(), backtestCommand())
	root.SetHelpCommand(helpCommand())
	for _, c := range root.Commands() {
		c.Long += exitStatus
	}
	return root
}

// helpCommand is cobra's help, except that a topic it does not know is a
// usage error (cobra's prints the usage and exits 0).
func helpCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "help prints the help of a command, with its flags and examples, or of csplan itself.",
		RunE: func(c *cobra.Command, a []string) error {
			root := c.Root()
			cmd, rest, err := root.Find(a)
			if err != nil || len(rest) > 0 || (cmd == root && len(a) > 0) {
				var names []string
				for _, sub := range root.Commands() {
					if sub.IsAvailableCommand() {
						names = append(names, sub.Name())
					}
				}
				return usageError{fmt.Errorf("help: no command %q (use one of: %s)", strings.Join(a, " "), strings.Join(names, ", "))}
			}
			return cmd.Help()
		},
	}
}

// args wraps a cobra argument check so its failure is a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, a []string) error {
		if err := check(c, a); err != nil {
			return usageError{fmt.Errorf("%s: %w", c.Name(), err)}
		}
		return nil
	}
}
