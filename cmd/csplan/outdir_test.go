package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const w1 = "../../scenarios/examples/w1-annual-upsell.yaml"

// An input reached through a symbolic link is still an input: the output
// directory it lies in is not replaced.
func TestOutputDirSeesInputsThroughLinks(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if code, _, stderr := csplan(t, context.Background(), "run", w1, "-o", out, "--trials", "20", "-q"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(w1)
	os.WriteFile(filepath.Join(out, "s.yaml"), data, 0o644)
	os.Symlink(out, filepath.Join(dir, "alias"))
	code, _, stderr := csplan(t, context.Background(), "run", filepath.Join(dir, "alias", "s.yaml"), "-o", out, "--trials", "20", "-q")
	if code != exitFailure || !strings.Contains(stderr, "holds an input") {
		t.Errorf("exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "s.yaml")); err != nil {
		t.Errorf("the scenario was deleted: %v", err)
	}
}

// -o naming a symbolic link replaces the directory it points to and leaves
// the link in place.
func TestOutputDirFollowsALinkedOutput(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "volume", "out")
	os.MkdirAll(real, 0o755)
	link := filepath.Join(dir, "out")
	os.Symlink(real, link)
	if code, _, stderr := csplan(t, context.Background(), "run", w1, "-o", link, "--trials", "20", "-q"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(real, "results.json")); err != nil {
		t.Errorf("nothing written where the link points: %v", err)
	}
}

// -o . cannot be replaced while the command runs in it: refused at once,
// before any simulation, with the way out.
func TestOutputDirRefusesTheCurrentDirectory(t *testing.T) {
	scenario, _ := filepath.Abs(w1)
	t.Chdir(t.TempDir())
	code, _, stderr := csplan(t, context.Background(), "run", scenario, "-o", ".", "--trials", "20", "-q")
	if code != exitFailure || !strings.Contains(stderr, "is the current directory") {
		t.Errorf("exit %d, %s", code, stderr)
	}
	assertOnly(t, ".")
}

// calibrate's chart directory may not hold the scenario it writes or the
// history it reads.
func TestCalibrateChartsDirKeepsItsNeighbours(t *testing.T) {
	dir := t.TempDir()
	cal := filepath.Join(dir, "cal")
	os.MkdirAll(cal, 0o755)
	code, _, stderr := csplan(t, context.Background(), "calibrate", "../../testdata/fader-hardie-regular.csv", "--periods", "7",
		"-o", filepath.Join(cal, "f1.yaml"), "--charts", cal)
	if code != exitFailure || !strings.Contains(stderr, "holds an input") {
		t.Errorf("exit %d, %s", code, stderr)
	}
}
