package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csplan/internal/signals"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func csplan(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(ctx, args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// resultsSchema compiles the results.json contract (a copy of
// ../shared/results.schema.json kept in testdata so CI has it).
func resultsSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../../testdata/results.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("results.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("results.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Every example scenario runs and writes a results.json that conforms to
// the contract.
func TestRunExamplesConformToContract(t *testing.T) {
	schema := resultsSchema(t)
	files, _ := filepath.Glob("../../scenarios/examples/*.yaml")
	if len(files) < 8 {
		t.Fatalf("found only %d examples", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := csplan(t, context.Background(), "run", f, "-o", out, "--trials", "40", "-q")
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			data, err := os.ReadFile(filepath.Join(out, "results.json"))
			if err != nil {
				t.Fatal(err)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(v); err != nil {
				t.Fatalf("results.json does not conform: %v", err)
			}
		})
	}
}

func TestRunSameBytesAtAnyJobs(t *testing.T) {
	var first []byte
	for _, j := range []string{"1", "2", "8"} {
		out := filepath.Join(t.TempDir(), "out")
		code, _, stderr := csplan(t, context.Background(), "run", "../../scenarios/examples/acme-company.yaml", "-o", out, "--trials", "64", "-j", j)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		data, _ := os.ReadFile(filepath.Join(out, "results.json"))
		if first == nil {
			first = data
		} else if !bytes.Equal(first, data) {
			t.Fatalf("-j %s wrote different bytes", j)
		}
	}
}

// -o pointed by mistake at a folder of other files, or at the folder of the
// scenario itself, is refused: replacing it would delete them.
func TestRunRefusesToReplaceOtherFiles(t *testing.T) {
	dir := t.TempDir()
	docs := filepath.Join(dir, "docs")
	os.MkdirAll(docs, 0o755)
	os.WriteFile(filepath.Join(docs, "important.txt"), []byte("keep"), 0o644)
	code, _, stderr := csplan(t, context.Background(), "run", "../../scenarios/examples/w1-annual-upsell.yaml", "-o", docs, "--trials", "20", "-q")
	if code != exitFailure || !strings.Contains(stderr, "already holds files csplan did not write (important.txt)") {
		t.Errorf("a folder of other files: exit %d, %s", code, stderr)
	}
	assertOnly(t, docs, "important.txt")

	// An earlier output (it has the marker) holding the scenario now.
	out := filepath.Join(dir, "out")
	if code, _, stderr := csplan(t, context.Background(), "run", "../../scenarios/examples/w1-annual-upsell.yaml", "-o", out, "--trials", "20", "-q"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile("../../scenarios/examples/w1-annual-upsell.yaml")
	scenario := filepath.Join(out, "w1.yaml")
	os.WriteFile(scenario, data, 0o644)
	code, _, stderr = csplan(t, context.Background(), "run", scenario, "-o", out, "--trials", "20", "-q")
	if code != exitFailure || !strings.Contains(stderr, "holds an input") {
		t.Errorf("the scenario's own folder: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(scenario); err != nil {
		t.Errorf("the scenario was deleted: %v", err)
	}
}

func TestRunInvalidScenarioWritesNothing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: x\nstart: 2027-01\nhorizon_months: 0\nsegments: []\n"), 0o644)
	out := filepath.Join(dir, "out")
	code, _, stderr := csplan(t, context.Background(), "run", bad, "-o", out)
	if code != exitFailure {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "bad.yaml:3:17: horizon_months:") {
		t.Errorf("error does not name the place: %s", stderr)
	}
	assertOnly(t, dir, "bad.yaml")
}

func TestRunInterruptedLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, stderr := csplan(t, ctx, "run", "../../scenarios/examples/acme-company.yaml", "-o", filepath.Join(dir, "out"), "--trials", "100000")
	if code != signals.Interrupted {
		t.Fatalf("exit %d, want 130", code)
	}
	if stderr != "csplan: interrupted; no output was written or replaced\n" {
		t.Errorf("stderr %q", stderr)
	}
	assertOnly(t, dir)
}

func TestRunReplacesPreviousOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for i := range 2 { // the second run replaces the first's output
		if i == 1 {
			os.WriteFile(filepath.Join(out, "stale.txt"), []byte("old"), 0o644)
		}
		code, _, stderr := csplan(t, context.Background(), "run", "../../scenarios/examples/w1-annual-upsell.yaml", "-o", out)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	for _, f := range []string{"results.json", "report.md", "report.html", "summary.csv", "timeseries.csv", "results.xlsx"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "stale.txt")); err == nil {
		t.Error("the previous output was not replaced")
	}
	var r struct {
		Options []struct {
			Metrics map[string]struct{ Mean float64 }
		}
	}
	data, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	if got := r.Options[0].Metrics["revenue_total"].Mean; got < 318359.995 || got > 318360.005 {
		t.Errorf("W1 revenue %.2f, want 318360.00", got)
	}
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"run"},
		{"run", "x.yaml"},
		{"run", "x.yaml", "-o", "out", "--trials", "0"},
		{"run", "x.yaml", "-o", "out", "--seed", "-1"},
		{"sweep", "a.yaml", "b.yaml", "-o", "x"},
		{"frobnicate"},
		{"run", "x.yaml", "-o", "out", "--trials", "many"},
		{"validate"},
		{"schema", "extra"},
	} {
		if code, _, stderr := csplan(t, context.Background(), args...); code != exitUsage {
			t.Errorf("csplan %v: exit %d, want 2 (%s)", args, code, stderr)
		}
	}
}

func TestInitThenValidate(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "starter.yaml")
	if code, _, stderr := csplan(t, context.Background(), "init", "--segments", "enterprise,smb", "-o", f); code != exitOK {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := csplan(t, context.Background(), "validate", f)
	if code != exitOK || !strings.Contains(stdout, ": ok: ") {
		t.Fatalf("validate: exit %d: %s %s", code, stdout, stderr)
	}
	if code, _, _ := csplan(t, context.Background(), "init", "-o", f); code != exitFailure {
		t.Errorf("init must not overwrite an existing file")
	}
}

func TestValidateReportsEveryFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: x\nstart: 2027-13\nsegments: 3\n"), 0o644)
	code, stdout, stderr := csplan(t, context.Background(), "validate", "../../scenarios/examples/w1-annual-upsell.yaml", bad)
	if code != exitFailure {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(stdout, "w1-annual-upsell.yaml: ok") {
		t.Errorf("valid file not summarised: %s", stdout)
	}
	for _, want := range []string{"bad.yaml:2:8: start:", "bad.yaml:3:11: segments:"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestSchemaAndVersion(t *testing.T) {
	code, stdout, _ := csplan(t, context.Background(), "schema")
	if code != exitOK || !json.Valid([]byte(stdout)) || !strings.Contains(stdout, "2020-12") {
		t.Errorf("schema: exit %d, not a 2020-12 JSON Schema", code)
	}
	code, stdout, _ = csplan(t, context.Background(), "--version")
	if code != exitOK || !strings.HasPrefix(stdout, "csplan version ") {
		t.Errorf("--version: exit %d: %q", code, stdout)
	}
}

// The sweep finds a headcount optimum known by construction
// (testdata/sweep/optimum.yaml explains why it is 10), and writes its files.
func TestSweepFindsKnownOptimum(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sweep")
	code, stdout, stderr := csplan(t, context.Background(), "sweep", "../../testdata/sweep/optimum.yaml",
		"--set", "team.csms=6..14", "--metric", "gross_profit_total", "-o", out, "-q")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "best gross profit over the horizon at CSMs = 10 ") {
		t.Errorf("best point is not 10 CSMs: %s", stdout)
	}
	var sw struct {
		Best   int
		Points []struct{ Values []string }
	}
	data, err := os.ReadFile(filepath.Join(out, "sweep.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sw); err != nil {
		t.Fatal(err)
	}
	if len(sw.Points) != 9 || sw.Points[sw.Best].Values[0] != "10" {
		t.Errorf("sweep.json: %d points, best %v", len(sw.Points), sw.Points[sw.Best].Values)
	}
	if _, err := os.Stat(filepath.Join(out, "sweep.csv")); err != nil {
		t.Error(err)
	}
	for _, bad := range [][]string{
		{"sweep", "../../testdata/sweep/optimum.yaml", "-o", out},
		{"sweep", "../../testdata/sweep/optimum.yaml", "--set", "team.csms=9..3", "-o", out},
		{"sweep", "../../testdata/sweep/optimum.yaml", "--set", "team.csms=1..3", "--metric", "happiness", "-o", out},
		{"sweep", "../../testdata/sweep/optimum.yaml", "--set", "team.csms=1..3", "--set", "team.csms=1..2", "-o", out},
		{"sweep", "../../testdata/sweep/optimum.yaml", "--set", "team.csms=1,1", "-o", out},
	} {
		if code, _, _ := csplan(t, context.Background(), bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
	code, _, stderr = csplan(t, context.Background(), "sweep", "../../testdata/sweep/optimum.yaml", "--set", "team.cms=1..3", "-o", out)
	if code != exitFailure || !strings.Contains(stderr, `did you mean "csms"`) {
		t.Errorf("unknown path: exit %d: %s", code, stderr)
	}
}

// csplan report re-renders a saved results.json into the same files.
func TestReportFromSavedResults(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if code, _, stderr := csplan(t, context.Background(), "run", "../../scenarios/examples/w2-fair-cadence.yaml", "-o", run, "--trials", "50", "-q"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	again := filepath.Join(dir, "again")
	if code, _, stderr := csplan(t, context.Background(), "report", filepath.Join(run, "results.json"), "-o", again); code != exitOK {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"report.md", "summary.csv", "timeseries.csv"} {
		a, _ := os.ReadFile(filepath.Join(run, f))
		b, _ := os.ReadFile(filepath.Join(again, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between run and report", f)
		}
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"scenario": 3`), 0o644)
	if code, _, _ := csplan(t, context.Background(), "report", bad, "-o", filepath.Join(dir, "x")); code != exitFailure {
		t.Errorf("a broken results.json: exit %d, want 1", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("a failed report left a directory")
	}
}

// csplan sensitivity ranks the uncertain inputs and writes its files.
func TestSensitivityCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sens")
	code, stdout, stderr := csplan(t, context.Background(), "sensitivity", "../../scenarios/examples/acme-company.yaml",
		"--metric", "arr_end", "--trials", "60", "-o", out, "-q")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "enterprise annual churn") {
		t.Errorf("summary lacks the inputs: %s", stdout)
	}
	for _, f := range []string{"sensitivity.json", "sensitivity.csv", "sensitivity.md", "tornado.png", "tornado.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if code, _, _ := csplan(t, context.Background(), "sensitivity", "../../scenarios/examples/acme-company.yaml", "--metric", "mood", "-o", out); code != exitUsage {
		t.Errorf("unknown metric: exit %d, want 2", code)
	}
	if code, _, stderr := csplan(t, context.Background(), "sensitivity", "../../scenarios/examples/w1-annual-upsell.yaml", "-o", filepath.Join(t.TempDir(), "x")); code != exitFailure || !strings.Contains(stderr, "no uncertain inputs") {
		t.Errorf("no uncertain inputs: exit %d: %s", code, stderr)
	}
}

// --precision runs trials in rounds until the target and records them.
func TestRunToPrecisionFlag(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := csplan(t, context.Background(), "run", "../../scenarios/examples/w2-c-monthly.yaml", "--mode", "monte-carlo",
		"--precision", "1%", "--trials", "4000", "-o", out, "-q")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Trials      int
		Convergence struct {
			Converged bool
			Rounds    []struct{ Trials int }
		}
	}
	data, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	if !r.Convergence.Converged || len(r.Convergence.Rounds) == 0 || r.Trials != r.Convergence.Rounds[len(r.Convergence.Rounds)-1].Trials {
		t.Errorf("convergence not recorded: %+v", r)
	}
	if code, _, _ := csplan(t, context.Background(), "run", "../../scenarios/examples/w2-c-monthly.yaml", "--precision", "lots", "-o", out); code != exitUsage {
		t.Errorf("bad --precision: exit %d, want 2", code)
	}
}
