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
	shown  string   // the directory as the user named it, for messages
	final  string   // the same, absolute, symlinks resolved: what is replaced
	tmp    string   // the output being written
	inputs []string // what the command reads, resolved
	kept   bool     // commit refused: tmp is left for the user
}

// outputMarker marks a directory csplan wrote. An existing directory is
// replaced only when it is empty or has the marker: -o pointed by mistake at
// a folder of other files must not delete them.
const outputMarker = ".csplan-output"

// newOutputDir opens the output directory final. It refuses a final that is
// a file, a directory of files csplan did not write, the current directory
// or one above it, or one that holds any of inputs (the files the command
// reads), which replacing it would delete. Symbolic links are followed, so
// a linked output directory is replaced where it lives.
func newOutputDir(final string, inputs ...string) (*outputDir, error) {
	o := &outputDir{shown: filepath.Clean(final)}
	var err error
	if o.final, err = realPath(final); err != nil {
		return nil, err
	}
	for _, in := range inputs {
		if in != "" {
			r, err := realPath(in)
			if err != nil {
				return nil, err
			}
			o.inputs = append(o.inputs, r)
		}
	}
	if err := o.replaceable(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(o.final), 0o755); err != nil {
		return nil, err
	}
	if o.tmp, err = os.MkdirTemp(filepath.Dir(o.final), "."+filepath.Base(o.final)+".tmp-*"); err != nil {
		return nil, err
	}
	// MkdirTemp makes it private; the output is an ordinary directory
	// (a merge job may run as another user on a shared volume).
	if err := os.Chmod(o.tmp, 0o755); err != nil {
		os.Remove(o.tmp)
		return nil, err
	}
	return o, nil
}

// realPath makes p absolute and resolves the symbolic links of the part of
// it that exists, so two names of one place compare equal.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// within reports whether path is dir or lies under it (both resolved).
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}

// replaceable reports why the output directory may not be replaced.
func (o *outputDir) replaceable() error {
	if cwd, err := os.Getwd(); err == nil {
		if c, err := realPath(cwd); err == nil && within(c, o.final) {
			return fmt.Errorf("-o %s is the current directory or holds it, and csplan replaces its output directory whole; name a directory inside it, such as -o out", o.shown)
		}
	}
	for _, in := range o.inputs {
		if within(in, o.final) {
			return fmt.Errorf("the output directory %s holds an input, %s, and csplan replaces its output directory whole; write the output elsewhere", o.shown, in)
		}
	}
	fi, err := os.Stat(o.final)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a directory", o.shown)
	}
	if _, err := os.Stat(filepath.Join(o.final, outputMarker)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(o.final)
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
	return fmt.Errorf("%s already holds files csplan did not write (%s), and csplan replaces its output directory whole; name a new or empty directory (an output of a csplan older than the %s marker has to be removed by hand once)", o.shown, strings.Join(names, ", "), outputMarker)
}

// path is where a file of the output is written before commit.
func (o *outputDir) path(name string) string { return filepath.Join(o.tmp, name) }

// commit replaces the final directory with the finished one. The checks of
// newOutputDir are made again, since a long run gives time for files to
// appear there; if they fail, the finished output is kept where it is.
func (o *outputDir) commit() error {
	if err := o.replaceable(); err != nil {
		o.kept = true
		return fmt.Errorf("%w; this run's output is in %s", err, o.tmp)
	}
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

// discard removes the unfinished directory, unless commit kept it.
func (o *outputDir) discard() {
	if !o.kept {
		os.RemoveAll(o.tmp)
	}
}
