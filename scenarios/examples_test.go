package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csplan/sim"
)

// Every example scenario loads without error and says in a header comment
// what it shows.
func TestExamplesLoad(t *testing.T) {
	entries, err := os.ReadDir("examples")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		n++
		path := filepath.Join("examples", e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			if ext := filepath.Ext(path); ext != ".yaml" {
				t.Fatalf("%s: examples are .yaml files, found %q", path, ext)
			}
			s, err := Load(path)
			if err != nil {
				t.Fatalf("%s does not load:\n%v", path, err)
			}
			if s.Name == "" || s.Description == "" {
				t.Errorf("%s: no name or description", path)
			}
			data, _ := os.ReadFile(path)
			if !strings.HasPrefix(string(data), "# ") {
				t.Errorf("%s: no header comment saying what it shows", path)
			}
		})
	}
	if n < 11 {
		t.Errorf("found %d examples, want at least 11", n)
	}
}

// The reference-case examples are set up as the reference material says.
func TestExamplesReferenceSetup(t *testing.T) {
	load := func(name string) *Scenario {
		t.Helper()
		s, err := Load(filepath.Join("examples", name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return s
	}
	w1 := load("w1-annual-upsell.yaml")
	seg := w1.Options[0].Model.Segments[0]
	if w1.Settings.Mode.String() != "expected" || seg.Count != 1 || seg.ACV.Mean() != 100000 ||
		seg.FirstRenewalMonth != 13 || seg.Upsell.Size.Mean() != 0.06 || w1.Options[0].Model.Horizon != 36 {
		t.Errorf("W1 set up wrong: %+v", seg)
	}
	for _, name := range []string{"w2-b-annual.yaml", "w2-c-monthly.yaml"} {
		s := load(name)
		if s.Settings.NetRate.String() != "additive" {
			t.Errorf("%s: net_rate %v, want additive (the paper's figures)", name, s.Settings.NetRate)
		}
		if !strings.Contains(s.Description, "12x") {
			t.Errorf("%s: description does not say the monthly case uses about 12x the rates", name)
		}
	}
	w3 := load("w3-capacity.yaml").Options[0].Model
	productive := w3.Team.HoursPerYear * w3.Team.Productivity.Dist.Mean()
	for i, want := range []int{20, 70} {
		if got := int(1456 / w3.Segments[i].HoursPerAccount()); got != want || productive < 1455.99 || productive > 1456.01 {
			t.Errorf("W3 %s: %d accounts per CSM at %v h, want %d at 1,456 h", w3.Segments[i].Name, got, productive, want)
		}
	}
	f1 := load("f1-sbg-cohort.yaml").Options[0].Model
	if sbg := f1.Segments[0].Churn.SBG; sbg == nil || sbg.Alpha.Dist.Mean() != 0.704 || sbg.Beta.Dist.Mean() != 1.182 || f1.Horizon != 156 || f1.Segments[0].Count != 1000 {
		t.Errorf("F1 set up wrong")
	}
	bench := load("standard-benchmark.yaml")
	bm := bench.Options[0].Model
	if bench.Settings.Trials != 1000 || bm.Horizon != 60 || len(bm.Segments) != 2 || bm.Segments[0].Count+bm.Segments[1].Count != 2000 ||
		bm.Team.CSMs != 0 || len(bench.Options) != 1 {
		t.Errorf("standard benchmark set up wrong")
	}
	// Two pools of 6 (enterprise, mid-market); the cut takes the
	// mid-market pool to 3 from April.
	cut := load("cut-csms.yaml")
	pools := func(o int) []sim.Pool { return cut.Options[o].Model.Pools }
	if len(cut.Options) != 2 || len(pools(0)) != 2 || pools(0)[0].Team.CSMs+pools(0)[1].Team.CSMs != 12 ||
		pools(1)[1].Name != "mid-market" || len(pools(1)[1].Team.Plan) != 1 || pools(1)[1].Team.Plan[0] != (sim.Step{Month: 4, CSMs: 3}) {
		t.Errorf("cut-csms set up wrong")
	}
}
