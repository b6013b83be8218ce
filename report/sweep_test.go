package report

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"csplan/results"
)

func sweepFixture(two bool) *results.Sweep {
	sw := &results.Sweep{Scenario: "Known optimum", Currency: "USD", Seed: 7, Trials: 200, Mode: "monte-carlo",
		Metric: "gross_profit_total", Parameters: []string{"team.csms"}, Best: 2}
	for i, v := range []string{"8", "9", "10", "11"} {
		mean := 70e6 + float64(i)*1e6 - float64(i*i)*0.4e6
		sw.Points = append(sw.Points, results.SweepPoint{Values: []string{v}, Numbers: []float64{8 + float64(i)},
			Metrics: map[string]results.Summary{"gross_profit_total": {Mean: mean, P5: mean - 3e6, P50: mean, P95: mean + 3e6}}})
	}
	if two {
		sw.Parameters = append(sw.Parameters, "team.assignment")
		for i := range sw.Points {
			sw.Points[i].Values = append(sw.Points[i].Values, []string{"even", "priority"}[i%2])
			sw.Points[i].Numbers = append(sw.Points[i].Numbers, float64(i%2))
		}
	}
	return sw
}

func TestWriteSweep(t *testing.T) {
	for _, two := range []bool{false, true} {
		dir := t.TempDir()
		if err := WriteSweep(dir, sweepFixture(two)); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "sweep.png"))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() < 1600 {
			t.Fatalf("sweep.png: %v, %v", err, img.Bounds())
		}
		svg, _ := os.ReadFile(filepath.Join(dir, "sweep.svg"))
		texts := svgText(t, svg)
		want := []string{"Gross profit by team.csms", "Best: team.csms = 10, mean $70.4M", "$70M", "team.csms"}
		if two {
			want = []string{"Mean gross profit by team.csms and team.assignment", "$70.4M", "even", "priority", "team.assignment ↓"}
		}
		for _, w := range want {
			if !slices.Contains(texts, w) {
				t.Errorf("two=%v: no %q in %q", two, w, texts)
			}
		}
	}
}
