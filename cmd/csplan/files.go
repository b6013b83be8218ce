package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// writeFileAtomic writes data to a temporary file beside path and renames it
// into place, so path is never seen half-written.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// outputDir is an output directory built in a temporary sibling and moved
// into place by commit, so a failed or interrupted run leaves the previous
// output (or nothing) instead of a partial directory.
type outputDir struct {
	final, tmp string
}

// outputMarker marks a directory csplan wrote. An existing directory is
// replaced only when it is empty or has the marker: -o pointed by mistake at
// a folder of other files must not delete them.
const outputMarker = ".csplan-output"

// newOutputDir opens the output directory final. It refuses a final that is
// a file, a directory of files csplan did not write, or one that holds any
// of inputs (the files the command reads), which replacing it would delete.
func newOutputDir(final string, inputs ...string) (*outputDir, error) {
	final = filepath.Clean(final)
	if err := replaceable(final, inputs); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(final), "."+filepath.Base(final)+".tmp-*")
	if err != nil {
		return nil, err
	}
	// MkdirTemp makes it private; the output is an ordinary directory
	// (a merge job may run as another user on a shared volume).
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return &outputDir{final: final, tmp: tmp}, nil
}

// replaceable reports why the output directory final may not be replaced.
func replaceable(final string, inputs []string) error {
	abs, err := filepath.Abs(final)
	if err != nil {
		return err
	}
	for _, in := range inputs {
		if in == "" {
			continue
		}
		a, err := filepath.Abs(in)
		if err == nil && (a == abs || strings.HasPrefix(a, abs+string(filepath.Separator))) {
			return fmt.Errorf("the output directory %s holds the input %s, and csplan replaces its output directory whole; write the output elsewhere", final, in)
		}
	}
	fi, err := os.Stat(final)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a directory", final)
	}
	if _, err := os.Stat(filepath.Join(final, outputMarker)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(final)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	var names []string
	for _, e := range entries[:min(3, len(entries))] {
		names = append(names, e.Name())
	}
	if len(entries) > 3 {
		names = append(names, "…")
	}
	return fmt.Errorf("%s already holds files csplan did not write (%s), and csplan replaces its output directory whole; name a new or empty directory (an output of a csplan older than the %s marker has to be removed by hand once)", final, strings.Join(names, ", "), outputMarker)
}

// path is where a file of the output is written before commit.
func (o *outputDir) path(name string) string { return filepath.Join(o.tmp, name) }

// commit replaces the final directory with the finished one.
func (o *outputDir) commit() error {
	if err := os.WriteFile(filepath.Join(o.tmp, outputMarker), []byte("csplan writes this directory and replaces it whole when run again with -o\n"), 0o644); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(o.final); err == nil {
		old = o.tmp + ".old"
		if err := os.Rename(o.final, old); err != nil {
			return err
		}
	}
	if err := os.Rename(o.tmp, o.final); err != nil {
		if old != "" {
			os.Rename(old, o.final)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// discard removes the unfinished directory.
func (o *outputDir) discard() { os.RemoveAll(o.tmp) }
