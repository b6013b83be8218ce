// Package output renders what a plan job returns (plan.Output) for
// cmd/csplan: its file and its report, written into an output directory,
// and the summary printed when it is written. Package report does the
// rendering; output only picks, for each kind of job, what it writes
// and prints.
package output

import (
	"context"
	"fmt"
	"io"

	"csplan/internal/files"
	"csplan/plan"
	"csplan/report"
)

// Write writes the file of out (results.json, sweep.json,
// sensitivity.json, breakeven.json or a part: plan.Output.File) into dir,
// and its report
// (Render).
func Write(ctx context.Context, dir *files.Dir, out plan.Output, opt report.Options) error {
	name, data, err := out.File()
	if err != nil {
		return err
	}
	if err := dir.Write(name, data); err != nil {
		return err
	}
	return Render(ctx, dir, out, opt)
}

// Render writes the report of out into dir: of a run, the charts, the
// documents and the CSV files (report.Write); of a sweep or a
// sensitivity, its CSV file and chart; none of a part.
func Render(ctx context.Context, dir *files.Dir, out plan.Output, opt report.Options) error {
	switch {
	case out.Results != nil:
		return report.Write(ctx, dir.Temp(), out.Results, opt)
	case out.Sweep != nil:
		return report.WriteSweep(dir.Temp(), out.Sweep)
	case out.Sensitivity != nil:
		return report.WriteSensitivity(dir.Temp(), out.Sensitivity)
	case out.Breakeven != nil:
		return report.WriteBreakeven(dir.Temp(), out.Breakeven)
	case out.Optimize != nil:
		return report.WriteOptimize(dir.Temp(), out.Optimize)
	}
	return nil
}

// Tell prints a summary of out on w (a run's, a sweep's best point, the
// inputs by swing, what a part holds) and that it was written to path.
func Tell(w io.Writer, out plan.Output, path string) error {
	switch {
	case out.Part != nil:
		fmt.Fprintf(w, "%s\nwrote %s (merge the parts with csplan merge)\n", plan.DescribePart(out.Part), path)
	case out.Sweep != nil:
		report.SweepText(w, out.Sweep)
		report.SweepNotes(w, out.Sweep)
		fmt.Fprintf(w, "wrote %s\n", path)
	case out.Sensitivity != nil:
		report.SensitivityText(w, out.Sensitivity)
		fmt.Fprintf(w, "wrote %s\n", path)
	case out.Optimize != nil:
		if err := report.OptimizeText(w, out.Optimize); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nwrote %s\n", path)
	case out.Breakeven != nil:
		if err := report.BreakevenText(w, out.Breakeven); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s\n", path)
	default:
		if err := report.Text(w, out.Results); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nwrote %s\n", path)
	}
	return nil
}
