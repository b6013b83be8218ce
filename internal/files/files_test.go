package files

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files that appear in the output directory during a run are not deleted
// when the run ends; the run's output is kept beside it and named.
func TestOutputDirChecksAgainAtTheEnd(t *testing.T) {
	dir := t.TempDir()
	o, err := NewDir(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Discard()
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	os.WriteFile(filepath.Join(dir, "out", "notes.txt"), []byte("mine"), 0o644)
	err = o.Commit()
	if err == nil || !strings.Contains(err.Error(), "this run's output is in") {
		t.Fatalf("commit = %v", err)
	}
	o.Discard()
	if _, err := os.Stat(o.tmp); err != nil {
		t.Errorf("the finished output was removed: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "out", "notes.txt")); string(data) != "mine" {
		t.Error("notes.txt was lost")
	}
}

// Finish commits what write wrote, but nothing once the context is done
// or when a step fails, and leaves the previous output in place.
func TestFinish(t *testing.T) {
	dir := t.TempDir()
	final := filepath.Join(dir, "out")
	write := func(d *Dir, name string) func() error {
		return func() error { return d.Write(name, []byte("x")) }
	}
	d, err := NewDir(final)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Finish(context.Background(), write(d, "a.txt")); err != nil {
		t.Fatal(err)
	}
	d.Discard()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, finish := range map[string]func(d *Dir) error{
		"cancelled": func(d *Dir) error { return d.Finish(ctx, write(d, "b.txt")) },
		"beside fails": func(d *Dir) error {
			return d.Finish(context.Background(), write(d, "b.txt"), func() error { return errors.New("beside") })
		},
	} {
		d, err := NewDir(final)
		if err != nil {
			t.Fatal(err)
		}
		if err := finish(d); err == nil {
			t.Errorf("%s: Finish succeeded", name)
		}
		d.Discard()
		if _, err := os.Stat(filepath.Join(final, "a.txt")); err != nil {
			t.Errorf("%s: the previous output is gone: %v", name, err)
		}
		if _, err := os.Stat(filepath.Join(final, "b.txt")); err == nil {
			t.Errorf("%s: committed", name)
		}
	}
}
