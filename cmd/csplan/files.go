package main

import (
	"fmt"
	"io"
	"strconv"

	"csplan/internal/files"
	"csplan/report"
	"csplan/scenarios"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The rules for the files csplan writes are kept, for every command, in
// internal/files.

// finish ends every command that writes an output directory: it writes
// the directory at path whole (files.WriteDir: checked against the
// inputs, write puts the files into it; then, unless the command was
// interrupted meanwhile, beside writes what goes beside it, calibrate's
// scenario, and it replaces the previous output), and say prints what was
// written.
func finish(c *cobra.Command, path string, inputs []string, write func(*files.Dir) error, say func() error, beside ...func() error) error {
	if err := files.WriteDir(c.Context(), path, inputs, write, beside...); err != nil {
		return err
	}
	return say()
}

// addOutputFlag registers -o DIR, for the commands that write an output
// directory.
func addOutputFlag(c *cobra.Command, out *string) {
	c.Flags().StringVarP(out, "output", "o", "", "output directory (required)")
}

// addColumnsFlag registers --columns, for the commands that read a
// history.
func addColumnsFlag(c *cobra.Command, columns *[]string) {
	c.Flags().StringArrayVar(columns, "columns", nil, "which of the history's columns is account_id, month, mrr, segment or nps, as KEY=HEADER (repeat it), for headers csplan does not know")
}

// addPDFFlag registers --pdf, for the commands that write a report.
func addPDFFlag(c *cobra.Command, pdf *bool) {
	c.Flags().BoolVar(pdf, "pdf", false, "also write the charts as PDF")
}

// needOutput refuses a command of an output directory run without -o.
func needOutput(c *cobra.Command, out string) error {
	if out == "" {
		return usageError{fmt.Errorf("%s: -o DIR is required (the output directory)", c.Name())}
	}
	return nil
}

// saying is a say for finish: it prints format on w.
func saying(w io.Writer, format string, a ...any) func() error {
	return func() error {
		fmt.Fprintf(w, format, a...)
		return nil
	}
}

// writeChart writes ch into dir as NAME.svg and NAME.png, NAME being the
// chart's name made a safe file name of its own (a retention chart's name
// holds a segment's).
func writeChart(dir *files.Dir, ch report.Chart) error {
	name := dir.Name(ch.Name)
	if err := dir.Write(name+".svg", ch.SVG); err != nil {
		return err
	}
	return dir.Write(name+".png", ch.PNG)
}

// trialsFlag registers --trials, a count written as the scenario's own
// trials are (2000, 2k or 2_000; scenarios.ReadCount).
func trialsFlag(f *pflag.FlagSet, p *int, value int, usage string) {
	*p = value
	f.Var((*countValue)(p), "trials", usage)
}

// countValue is a whole-number flag read by scenarios.ReadCount.
type countValue int

func (c *countValue) String() string { return strconv.Itoa(int(*c)) }
func (c *countValue) Type() string   { return "count" }
func (c *countValue) Set(s string) error {
	n, err := scenarios.ReadCount(s)
	if err != nil {
		return err
	}
	*c = countValue(n)
	return nil
}
