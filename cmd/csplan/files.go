package main

import (
	"fmt"
	"os"
	"path/filepath"
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

func newOutputDir(final string) (*outputDir, error) {
	final = filepath.Clean(final)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(final); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("%s exists and is not a directory", final)
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

// path is where a file of the output is written before commit.
func (o *outputDir) path(name string) string { return filepath.Join(o.tmp, name) }

// commit replaces the final directory with the finished one.
func (o *outputDir) commit() error {
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
