package report

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
		joined := strings.Join(texts, " ") // a title may wrap
		want := []string{"Gross profit over the horizon is best at team.csms = 10 of the values tried", "Best: team.csms = 10, mean $70.4M", "$70M", "team.csms"}
		if two {
			want = []string{"Gross profit over the horizon is best at team.csms = 10 and team.assignment = even of the", "$70.4M", "even", "priority", "team.assignment ↓"}
		}
		for _, w := range want {
			if !slices.Contains(texts, w) && !strings.Contains(joined, w) {
				t.Errorf("two=%v: no %q in %q", two, w, texts)
			}
		}
	}
}

// The chart and the printed notes mark today's value, give the best
// point's paired share of trials against its neighbours, and warn when the
// best is at the edge of the grid, saying which way to extend it.
func TestSweepTodayBeatsAndEdge(t *testing.T) {
	sw := sweepFixture(false)
	sw.Today, sw.TodayNumbers = []string{"9"}, []float64{9}
	sw.Points[2].Beats = []results.SweepBeat{{Values: []string{"9"}, Share: 0.8, MeanDiff: 0.2e6}, {Values: []string{"11"}, Share: 0.65, MeanDiff: 0.6e6}}
	dir := t.TempDir()
	if err := WriteSweep(dir, sw); err != nil {
		t.Fatal(err)
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "sweep.svg"))
	texts := strings.Join(svgText(t, svg), " ") // a title may wrap
	for _, w := range []string{"Gross profit over the horizon is best at team.csms = 10 of the values tried; today 9", "Best: team.csms = 10, mean $70.4M; beats 9 in 80% of trials, 11 in 65%", "Today: team.csms = 9 (the scenario's baseline)"} {
		if !strings.Contains(texts, w) {
			t.Errorf("no %q in the chart's texts:\n%s", w, texts)
		}
	}
	if strings.Contains(texts, "outside the grid") {
		t.Error("an edge warning for a best inside the grid")
	}
	var b bytes.Buffer
	if err := SweepNotes(&b, sw); err != nil {
		t.Fatal(err)
	}
	want := "  on the same trials, the best beats its neighbours: 9 in 80% of trials, 11 in 65%\n" +
		"    mean difference from 9: +$200k\n    mean difference from 11: +$600k\n  today (the baseline): team.csms = 9.\n"
	if b.String() != want {
		t.Errorf("notes:\n%s\nwant:\n%s", b.String(), want)
	}

	sw.Best = 3
	sw.Edges = []results.SweepEdge{{Parameter: "team.csms", Value: "11", Extend: "above"}}
	b.Reset()
	SweepNotes(&b, sw)
	if w := "  warning: the best may lie outside the grid: team.csms = 11 is the highest value tried; extend the range above 11.\n"; !strings.HasSuffix(b.String(), w) {
		t.Errorf("notes:\n%s\nwant them to end with:\n%s", b.String(), w)
	}
	if err := WriteSweep(dir, sw); err != nil {
		t.Fatal(err)
	}
	svg, _ = os.ReadFile(filepath.Join(dir, "sweep.svg"))
	if texts := strings.Join(svgText(t, svg), " "); !strings.Contains(texts, "extend the range above 11") {
		t.Errorf("no edge warning in the chart's texts: %s", texts)
	}
}
