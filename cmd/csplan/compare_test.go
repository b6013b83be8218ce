package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csplan/results"
)

// run with several scenario files compares them in one run: a file whose
// scenario is the first one's baseline, word for word but for its name,
// differs from it in no trial (the draws are named by account and purpose,
// not by file), and its options follow, named after it.
func TestRunComparesScenarioFiles(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(cutCSMs)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	text = strings.Replace(text, "name: Cut 3 of 12 CSMs from April versus keep", "name: Same book", 1)
	same := filepath.Join(dir, "same.yaml")
	if err := os.WriteFile(same, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	ok(t, "run", cutCSMs, same, "--trials", "64", "-o", out, "-q")
	var r results.Results
	raw, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range r.Options {
		names = append(names, o.Name)
	}
	if got := strings.Join(names, " | "); got != "Baseline | Cut 3 CSMs in April | Same book | Same book: Cut 3 CSMs in April" {
		t.Fatalf("options %s", got)
	}
	if r.File != "cut-csms.yaml same.yaml" {
		t.Errorf("the rerun line would name %q, not both files", r.File)
	}
	if page, _ := os.ReadFile(filepath.Join(out, "report.md")); !strings.Contains(string(page), "The options of same.yaml are compared with cut-csms.yaml's baseline in one run, on the same random draws: their differences are paired trial by trial.") {
		t.Error("the report does not say the files' options were paired with the baseline")
	}
	for key, d := range r.Options[2].VsBaseline {
		if d.MeanDiff != 0 || d.PBetter != 0 || d.PWorse != 0 {
			t.Errorf("the same book from another file differs in %s: %+v", key, d)
		}
	}
	if a, b := r.Options[1].VsBaseline[results.ARREnd], r.Options[3].VsBaseline[results.ARREnd]; a.MeanDiff != b.MeanDiff || a.PWorse != b.PWorse {
		t.Errorf("the same cut from another file: %+v, then %+v", a, b)
	}

	// Files that cannot share a run are refused, naming both.
	short := filepath.Join(dir, "short.yaml")
	os.WriteFile(short, []byte(strings.Replace(text, "horizon_months: 36", "horizon_months: 24", 1)), 0o644)
	code, _, stderr := csplan(t, t.Context(), "run", cutCSMs, short, "-o", filepath.Join(dir, "x"), "-q")
	if code == exitOK || !strings.Contains(stderr, "same horizon") || !strings.Contains(stderr, "short.yaml") {
		t.Errorf("a second file of another horizon: exit %d, %s", code, stderr)
	}
}
