package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"csplan/internal/files"
	"csplan/plan"
	"csplan/scenarios"
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
			if out == "" {
				return usageError{fmt.Errorf("merge: -o DIR is required (the output directory)")}
			}
			parts, err := readParts(a)
			if err != nil {
				return err
			}
			dir, err := files.NewDir(out, a...)
			if err != nil {
				return err
			}
			defer dir.Discard()
			m, err := plan.Merge(c.Context(), parts)
			if err != nil {
				return err
			}
			if m.Sweep != nil {
				return writeSweep(c, dir, m.Sweep, out)
			}
			return writeRun(c, dir, m.Results, pdf, out)
		},
	}
	c.Flags().StringVarP(&out, "output", "o", "", "output directory (required)")
	c.Flags().BoolVar(&pdf, "pdf", false, "also write the charts as PDF")
	return c
}

// partInput is a part: the per-trial metrics of its trials, 8 bytes per
// metric, trial and option (some GiB for millions of trials).
var partInput = scenarios.Input{What: "part", Limit: 64 << 30, Large: "a part holds 8 bytes per metric, trial and option (is this the right file?)"}

// readParts reads and checks every part, reporting all problems at once.
func readParts(args []string) ([]*shard.File, error) {
	var parts []*shard.File
	var names, errs []string
	for _, a := range args {
		path := a
		if fi, err := os.Stat(a); err == nil && fi.IsDir() {
			path = filepath.Join(a, shard.FileName)
		}
		data, err := partInput.Read(path)
		if err != nil {
			var ie *scenarios.InputError
			if errors.As(err, &ie) {
				errs = append(errs, err.Error())
			} else {
				errs = append(errs, fmt.Sprintf("%s: cannot read: %s", path, files.PathErr(err)))
			}
			continue
		}
		f, err := shard.Decode(data)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", path, err))
			continue
		}
		parts, names = append(parts, f), append(names, path)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("cannot merge:\n  %s", strings.Join(errs, "\n  "))
	}
	if err := shard.Check(parts, names); err != nil {
		return nil, err
	}
	// Another csplan could render the same numbers differently: merge with
	// the csplan that made the parts.
	var v string
	if f := parts[0]; f.Kind == shard.KindSweep {
		v = f.Sweep.Version
	} else {
		v = f.Results.Version
	}
	if v != csplanVersion() {
		return nil, fmt.Errorf("cannot merge: the parts were made by csplan %s and this is csplan %s; merge with the csplan that made them", v, csplanVersion())
	}
	return parts, nil
}
