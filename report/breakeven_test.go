package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"csplan/results"
)

// breakevenInput is an input whose mean difference is linear in its value,
// slope per unit, crossing zero at root (or, with found false, not in the
// search range), evaluated at seven values across the range, with a
// standard error of se at each.
func breakevenInput(name, label, unit, dist string, p5, p50, p95, lo, hi, slope, root, se float64, found bool, higherIsBetter bool) results.BreakevenInput {
	in := results.BreakevenInput{Name: name, Label: label, Unit: unit, Dist: dist, P5: p5, P50: p50, P95: p95, SearchLow: lo, SearchHigh: hi}
	for i := range 7 {
		v := lo + float64(i)*(hi-lo)/6
		in.Curve = append(in.Curve, results.BreakevenPoint{Value: v, MeanDiff: slope * (v - root), SE: se})
	}
	in.Swing = abs64(slope * (p95 - p5))
	if found {
		in.Found, in.Value, in.SE = true, root, se/abs64(slope)
		in.Pays = "below"
		if (slope > 0) == higherIsBetter {
			in.Pays = "above"
		}
	}
	return in
}

func abs64(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// cutBreakeven is a break-even of a cut of CSMs on gross profit, by hand:
// five inputs, one of each kind the sentences tell apart.
func cutBreakeven() *results.Breakeven {
	b := &results.Breakeven{Scenario: "Cut CSMs", Currency: "USD", Version: "test", Option: "Cut 3 CSMs in April", Metric: results.GrossProfitTotal,
		Trials: 2000, Seed: 7, MeanDiff: -650e3, HigherIsBetter: true, Screened: 9}
	b.Inputs = []results.BreakevenInput{
		// Outside the assumed range: the cut pays only below ×1.42, assumed ×1.5 to ×2.4.
		breakevenInput("coverage_response.churn[0]", "churn multiplier at no coverage", "x", "uniform(1.5 to 2.4)", 1.5, 1.95, 2.4, 1, 3, -1.3e6, 1.42, 40e3, true, true),
		// Inside: pays below ×1.22, assumed ×1.05 to ×1.4; pays at the median, ×1.2.
		breakevenInput("team.handoff.churn", "hand-off churn multiplier", "x", "triangular(min 1, mode 1.2, max 1.5)", 1.05, 1.2, 1.4, 1, 1.6, -2.5e6, 1.22, 30e3, true, true),
		// Not found: worse for every value searched.
		breakevenInput("segments.enterprise.churn.annual", "annual churn of enterprise accounts", "%", "beta(mean 8%, sd 2%)", 0.05, 0.08, 0.115, 0, 0.2, -1e6, -0.5, 25e3, false, true),
		// Money, outside: pays above $260k a CSM, assumed $120k to $180k.
		breakevenInput("team.loaded_cost", "loaded cost of a CSM", "money", "uniform(120k to 180k)", 120e3, 150e3, 180e3, 60e3, 300e3, 8, 260e3, 20e3, true, true),
		// A plain number, inside; pays above 11.3.
		breakevenInput("acquisition.smb.per_month", "", "", "uniform(8 to 14)", 8.3, 11, 13.7, 2, 20, 60e3, 11.3, 15e3, true, true),
	}
	return b
}

// The sentences of a break-even analysis: the lead, one per input, each
// of the cases (inside, outside either way, not found either way), for a
// metric where higher is better and one where lower is.
func TestBreakevenSentences(t *testing.T) {
	b := cutBreakeven()
	sec := buildBreakeven(b, nil)
	want := []string{
		"Cut 3 CSMs in April raises gross profit over the horizon only if the churn multiplier at no coverage is below ×1.42 (± 0.031), against ×1.5 to ×2.4 assumed (5th to 95th percentile). The answer holds across the assumed range: on average it does not raise gross profit over the horizon for any value in it.",
		"Cut 3 CSMs in April raises gross profit over the horizon only if the hand-off churn multiplier is below ×1.22 (± 0.012), against ×1.05 to ×1.4 assumed (5th to 95th percentile). The answer hinges on it: the break-even lies inside the assumed range (at the median, ×1.2, the option raises gross profit).",
		"Whatever the annual churn of enterprise accounts, Cut 3 CSMs in April is worse than the baseline on average: it lowers gross profit over the horizon for every value searched, from 0.0% to 20.0%, against 5.0% to 11.5% assumed (5th to 95th percentile). It comes closest at 0.0%, where it lowers gross profit over the horizon by $500k on average.",
		"Cut 3 CSMs in April raises gross profit over the horizon only if the loaded cost of a CSM is above $260k (± $2.5k), against $120k to $180k assumed (5th to 95th percentile). The answer holds across the assumed range: on average it does not raise gross profit over the horizon for any value in it.",
		"Cut 3 CSMs in April raises gross profit over the horizon only if acquisition.smb.per_month is above 11.3 (± 0.25), against 8.3 to 13.7 assumed (5th to 95th percentile). The answer hinges on it: the break-even lies inside the assumed range (at the median, 11, the option does not raise gross profit).",
	}
	if !slices.Equal(sec.Sentences, want) {
		for i := range max(len(want), len(sec.Sentences)) {
			var have, w string
			if i < len(sec.Sentences) {
				have = sec.Sentences[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if have != w {
				t.Errorf("sentence %d:\nhave %q\nwant %q", i, have, w)
			}
		}
	}
	if lead := "With every input drawn as assumed, Cut 3 CSMs in April lowers gross profit over the horizon by $650k on average against the baseline (mean of 2,000 paired trials)."; sec.Lead != lead {
		t.Errorf("lead %q, want %q", sec.Lead, lead)
	}
	if intro := "What would have to be true, for the 5 of the 9 uncertain inputs that move the difference most:"; sec.ListIntro != intro {
		t.Errorf("intro %q, want %q", sec.ListIntro, intro)
	}

	// The other directions: an option that pays across the range and is
	// better for every value searched; a metric where lower is better.
	for _, c := range []struct {
		name string
		b    results.Breakeven
		want []string
	}{
		{"higher is better, pays across the range", results.Breakeven{Option: "Hire 2", Metric: results.ARREnd, MeanDiff: 2e5, HigherIsBetter: true, Inputs: []results.BreakevenInput{
			breakevenInput("a", "upsell probability", "%", "uniform(20% to 30%)", 0.2, 0.25, 0.3, 0, 0.6, 1e6, 0.1, 1e4, true, true),
			breakevenInput("b", "churn multiplier", "x", "uniform(1.2 to 1.6)", 1.2, 1.4, 1.6, 1, 2, -1e5, 3, 1e4, false, true),
		}}, []string{
			"Hire 2 raises ARR at the horizon only if the upsell probability is above 10.0% (± 1.00 pp), against 20.0% to 30.0% assumed (5th to 95th percentile). The answer holds across the assumed range: on average it raises ARR at the horizon for every value in it.",
			"Whatever the churn multiplier, Hire 2 is better than the baseline on average: it raises ARR at the horizon for every value searched, from ×1 to ×2, against ×1.2 to ×1.6 assumed (5th to 95th percentile).",
		}},
		{"lower is better", results.Breakeven{Option: "Cut 2", Metric: results.CSCostTotal, Currency: "EUR", MeanDiff: -3e5, HigherIsBetter: false, Inputs: []results.BreakevenInput{
			breakevenInput("team.loaded_cost", "loaded cost of a CSM", "money", "uniform(€120k to €180k)", 120e3, 150e3, 180e3, 60e3, 300e3, -4, 100e3, 5e3, true, false),
			breakevenInput("team.attrition", "CSM attrition", "%", "uniform(10% to 20%)", 0.1, 0.15, 0.2, 0, 0.4, 2e6, 0.12, 5e3, true, false),
			breakevenInput("c", "hiring lag", "", "uniform(2 to 4)", 2, 3, 4, 0, 8, 1e4, -40, 1e3, false, false),
			breakevenInput("d", "ramp", "", "uniform(2 to 4)", 2, 3, 4, 0, 8, 1e4, 40, 1e3, false, false),
		}}, []string{
			"Cut 2 lowers CS cost over the horizon only if the loaded cost of a CSM is above €100k (± €1.25k), against €120k to €180k assumed (5th to 95th percentile). The answer holds across the assumed range: on average it lowers CS cost over the horizon for every value in it.",
			"Cut 2 lowers CS cost over the horizon only if the CSM attrition is below 12.0% (± 0.250 pp), against 10.0% to 20.0% assumed (5th to 95th percentile). The answer hinges on it: the break-even lies inside the assumed range (at the median, 15.0%, the option does not lower CS cost).",
			"Whatever the hiring lag, Cut 2 is worse than the baseline on average: it raises CS cost over the horizon for every value searched, from 0 to 8, against 2 to 4 assumed (5th to 95th percentile). It comes closest at 0, where it raises CS cost over the horizon by €400k on average.",
			"Whatever the ramp, Cut 2 is better than the baseline on average: it lowers CS cost over the horizon for every value searched, from 0 to 8, against 2 to 4 assumed (5th to 95th percentile).",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			have := buildBreakeven(&c.b, nil).Sentences
			for i := range c.want {
				if i >= len(have) || have[i] != c.want[i] {
					t.Errorf("sentence %d:\nhave %q\nwant %q", i, have[min(i, len(have)-1)], c.want[i])
				}
			}
		})
	}
}

// breakeven.md as a golden file, and breakeven.csv: a row per input and
// value evaluated, in full precision, that reads back.
func TestBreakevenFiles(t *testing.T) {
	b := cutBreakeven()
	checkGolden(t, "cut-breakeven.md", []byte(breakevenMarkdown(b)))

	rows, err := csv.NewReader(strings.NewReader(breakevenCSV(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"input", "label", "unit", "distribution", "p5", "p50", "p95", "swing", "search_low", "search_high",
		"found", "breakeven", "breakeven_se", "pays", "value", "mean_diff", "mean_diff_se"}
	if !slices.Equal(rows[0], header) {
		t.Fatalf("header %q", rows[0])
	}
	if n := len(rows) - 1; n != 5*7 {
		t.Fatalf("%d rows, want 35 (5 inputs × 7 values)", n)
	}
	r := rows[1]
	in := b.Inputs[0]
	if r[0] != in.Name || r[1] != in.Label || r[2] != "x" || r[10] != "true" || r[13] != "below" {
		t.Errorf("first row %q", r)
	}
	for i, v := range map[int]float64{4: in.P5, 11: in.Value, 12: in.SE, 14: in.Curve[0].Value, 15: in.Curve[0].MeanDiff, 16: in.Curve[0].SE} {
		if have, err := strconv.ParseFloat(r[i], 64); err != nil || have != v {
			t.Errorf("column %s = %q, want %v", header[i], r[i], v)
		}
	}
	if nf := rows[1+2*7]; nf[10] != "false" || nf[11] != "" || nf[13] != "" {
		t.Errorf("an input without a break-even: %q", nf)
	}

	dir := t.TempDir()
	if err := WriteBreakeven(dir, b); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"breakeven.md", "breakeven.csv", "breakeven.png", "breakeven.svg"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// An analysis in which no input moves the difference still says so,
// with no chart.
func TestBreakevenNoInputs(t *testing.T) {
	b := &results.Breakeven{Option: "Cut 1", Metric: results.Valuation, Trials: 100, Seed: 1, HigherIsBetter: true, Screened: 3}
	md := breakevenMarkdown(b)
	for _, want := range []string{"leaves valuation at the horizon unchanged on average", "None of the 3 uncertain inputs screened moves the difference."} {
		if !strings.Contains(md, want) {
			t.Errorf("breakeven.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "breakeven.png") || strings.Contains(md, "| Input") {
		t.Errorf("breakeven.md shows a chart or a table of no inputs:\n%s", md)
	}
	dir := t.TempDir()
	if err := WriteBreakeven(dir, b); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "breakeven.png")); err == nil {
		t.Error("a chart of no inputs")
	}
}

// The chart renders for one input and for five; no text overlaps
// another, all of it is on the page, and each panel names its input and
// its break-even.
func TestBreakevenChart(t *testing.T) {
	five := cutBreakeven()
	one := cutBreakeven()
	one.Inputs = one.Inputs[:1]
	six := cutBreakeven()
	six.Inputs = append(six.Inputs, six.Inputs[0])
	six.Inputs[5].Name = "sixth"
	rate := &results.Breakeven{Option: "Quarterly upsell with a much longer name than most options have", Metric: results.NRR12m, MeanDiff: 0.004, HigherIsBetter: true, Trials: 500, Seed: 1, Inputs: []results.BreakevenInput{
		breakevenInput("segments.enterprise-accounts-in-the-north-east-region.upsell.probability", "", "%", "uniform(20% to 30%)", 0.2, 0.25, 0.3, 0, 0.6, 0.05, 0.22, 0.001, true, true),
		breakevenInput("b", "CSM hours per upsell opportunity", "", "uniform(2 to 6)", 2, 4, 6, 0, 12, -0.002, 6.5, 0.001, true, true),
	}}
	for name, b := range map[string]*results.Breakeven{"one": one, "five": five, "six": six, "rate": rate} {
		t.Run(name, func(t *testing.T) {
			fig := breakevenFigure(b)
			if _, _, _, err := theme.render(fig, true); err != nil {
				t.Fatal(err)
			}
			texts, _, page := figureLayout(fig)
			all := ""
			for i, a := range texts {
				all += a.s + "\n"
				if strings.Contains(a.s, "− baseline") { // drawn upright: its box is not the one figureLayout measures
					continue
				}
				if a.box.Min.X < page.Min.X || a.box.Max.X > page.Max.X || a.box.Min.Y < page.Min.Y || a.box.Max.Y > page.Max.Y {
					t.Errorf("%q is drawn off the page: %v", a.s, a.box)
				}
				for _, c := range texts[i+1:] {
					if !strings.Contains(c.s, "− baseline") && overlap(a.box, c.box) {
						t.Errorf("%q overlaps %q", a.s, c.s)
					}
				}
			}
			for i, in := range b.Inputs[:min(5, len(b.Inputs))] {
				if !strings.Contains(all, inputTitle(in)+"\n") && !strings.Contains(all, ".upsell.probability\n") {
					t.Errorf("panel %d does not name %q", i, inputTitle(in))
				}
				f := breakevenFormat(in, b.Currency)
				if in.Found && !strings.Contains(all, "pays "+in.Pays+" "+f.value(in.Value)) {
					t.Errorf("panel %d does not give its break-even %s", i, f.value(in.Value))
				}
			}
			if strings.Contains(all, "sixth") {
				t.Error("the chart shows a sixth panel")
			}
			axis := "Gross profit, option − baseline (USD)"
			if b == rate {
				axis = "NRR, option − baseline (percentage points)"
			}
			for _, want := range []string{axis, "assumed range (5th to 95th percentile)", "break-even", "no difference"} {
				if !strings.Contains(all, want) {
					t.Errorf("the chart does not say %q", want)
				}
			}
		})
	}
	if c := breakevenCaption(six); !strings.HasSuffix(c, " The chart shows the 5 of the 6 inputs that move the difference most; the table lists them all.") {
		t.Errorf("caption of six inputs %q", c)
	}
	if c := breakevenCaption(five); strings.Contains(c, "the table lists") {
		t.Errorf("caption of five inputs %q", c)
	}
	if have := breakevenFigure(five).Title; have != "Where Cut 3 CSMs in April stops paying" && have != "What would make Cut 3 CSMs in April pay" {
		t.Errorf("title %q", have)
	}
}

// The chart's title says what it means for the decision.
func TestBreakevenTitle(t *testing.T) {
	b := cutBreakeven()
	if have, want := breakevenTitle(b, b.Inputs), "What would make Cut 3 CSMs in April pay"; have != want {
		t.Errorf("title %q, want %q", have, want)
	}
	b.MeanDiff = 1e5
	if have, want := breakevenTitle(b, b.Inputs), "Where Cut 3 CSMs in April stops paying"; have != want {
		t.Errorf("title %q, want %q", have, want)
	}
	if have, want := breakevenTitle(b, b.Inputs[:1]), "Cut 3 CSMs in April pays on average across the assumed range"; have != want {
		t.Errorf("title %q, want %q", have, want)
	}
	if have, want := breakevenTitle(b, []results.BreakevenInput{b.Inputs[0], b.Inputs[3]}), "Cut 3 CSMs in April pays on average across the assumed range of every input shown"; have != want {
		t.Errorf("title %q, want %q", have, want)
	}
	b.MeanDiff = -1e5
	if have, want := breakevenTitle(b, b.Inputs[:1]), "Cut 3 CSMs in April does not pay on average anywhere in the assumed range"; have != want {
		t.Errorf("title %q, want %q", have, want)
	}
	if have, want := breakevenTitle(b, []results.BreakevenInput{b.Inputs[0], b.Inputs[3]}), "Cut 3 CSMs in April does not pay on average anywhere in the assumed ranges"; have != want {
		t.Errorf("title %q, want %q", have, want)
	}
}

// report.md, report.html and the text summary of a run with a break-even
// analysis have a section "What would have to be true", after the answer,
// with the sentences and the chart; without one they have none.
func TestBreakevenSection(t *testing.T) {
	chart := Chart{Name: "breakeven", Title: "What would make Cut 3 CSMs in April pay", Caption: "One panel per input.", SVG: []byte(fakeSVG), PNG: []byte("png")}
	for _, with := range []bool{false, true} {
		t.Run(fmt.Sprintf("breakeven=%v", with), func(t *testing.T) {
			r := loadFixture(t, fixtures[0].path)
			charts := fakeCharts()
			if with {
				r.Breakeven = cutBreakeven()
				charts = append(charts, chart)
			}
			md, doc := renderDocuments(t, r, charts)
			var text bytes.Buffer
			if err := Text(&text, r); err != nil {
				t.Fatal(err)
			}
			sections := findAll(doc, func(n *html.Node) bool { return n.Data == "section" && attr(n, "id") == "breakeven" })
			sec := mdSection(md, "What would have to be true")
			if !with {
				if sec != "" || len(sections) != 0 || strings.Contains(text.String(), "would have to be true") {
					t.Error("a break-even section without a break-even analysis")
				}
				return
			}
			sentences := buildBreakeven(r.Breakeven, nil).Sentences
			checkMarkdownSection(t, md, "What would have to be true", "breakeven", "Answer", "Key charts",
				"- "+mdText(sentences[0]), "![What would make Cut 3 CSMs in April pay](charts/breakeven.png)", "| `coverage_response.churn[0]`")
			if len(sections) != 1 {
				t.Fatalf("report.html has %d break-even sections", len(sections))
			}
			items := findAll(sections[0], func(n *html.Node) bool { return n.Data == "li" })
			if len(items) != len(sentences) {
				t.Fatalf("%d sentences on the page, want %d", len(items), len(sentences))
			}
			for i, li := range items {
				if have, want := squash(textOf(li)), strings.ReplaceAll(sentences[i], " %", "\u00a0%"); have != want {
					t.Errorf("sentence %d on the page:\nhave %q\nwant %q", i, have, want)
				}
			}
			if figs := findAll(doc, func(n *html.Node) bool { return n.Data == "figure" && attr(n, "id") == "chart-breakeven" }); len(figs) != 1 || !hasAncestor(figs[0], "section") {
				t.Errorf("the page shows the break-even chart %d times", len(figs))
			}
			if figs := findAll(sections[0], func(n *html.Node) bool { return n.Data == "figure" }); len(figs) != 1 {
				t.Error("the break-even chart is not in its section")
			}
			_, lines, _ := strings.Cut(text.String(), "Cut 3 CSMs in April versus Baseline, on gross profit over the horizon:\n")
			if lines == "" {
				t.Errorf("the text summary has no break-even:\n%s", text.String())
			}
			for _, l := range strings.Split(lines, "\n") {
				if n := len([]rune(l)); n > textWidth {
					t.Errorf("a text line of %d columns: %q", n, l)
				}
			}
			if !strings.Contains(squash(text.String()), squash(sentences[1])) {
				t.Errorf("the text summary lacks %q:\n%s", sentences[1], text.String())
			}
		})
	}
}

// Charts draws the break-even chart of a run that carries one.
func TestBreakevenInCharts(t *testing.T) {
	r := loadFixture(t, fixtures[0].path)
	r.Breakeven = cutBreakeven()
	specs := chartSpecs(r)
	if specs[len(specs)-1].name != "breakeven" {
		t.Errorf("the last chart is %q, want breakeven", specs[len(specs)-1].name)
	}
	dir := t.TempDir()
	if err := Write(context.Background(), dir, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "charts", "breakeven.png")); err != nil {
		t.Error(err)
	}
}

// BreakevenText fits the terminal and states every input.
func TestBreakevenText(t *testing.T) {
	b := cutBreakeven()
	var buf bytes.Buffer
	if err := BreakevenText(&buf, b); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "Cut CSMs: Cut 3 CSMs in April against the baseline on gross profit over the horizon\n") {
		t.Errorf("first line of %q", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if len([]rune(l)) > textWidth {
			t.Errorf("a line of %d columns: %q", len([]rune(l)), l)
		}
	}
	if n := strings.Count(out, "\n  - "); n != len(b.Inputs) {
		t.Errorf("%d items, want %d:\n%s", n, len(b.Inputs), out)
	}
}

// results.json with a break-even analysis conforms to the contract and
// reads back the same.
func TestBreakevenResultsJSON(t *testing.T) {
	r := loadFixture(t, fixtures[0].path)
	r.Breakeven = cutBreakeven()
	data, back := conformingJSON(t, r, "a break-even")
	if !bytes.Contains(data, []byte(`"breakeven": {`)) {
		t.Error("no breakeven in results.json")
	}
	if !reflect.DeepEqual(back.Breakeven, r.Breakeven) {
		t.Error("the break-even does not read back the same")
	}
}

// The tornado names an input in words when the results give its label,
// by its path otherwise.
func TestSensitivityTitle(t *testing.T) {
	if got := sensitivityTitle(results.SensitivityInput{Name: "segments.smb.churn.monthly", Label: "smb monthly churn"}); got != "Smb monthly churn" {
		t.Errorf("with a label: %q", got)
	}
	if got := sensitivityTitle(results.SensitivityInput{Name: "segments.smb.churn.monthly"}); got != "segments.smb.churn.monthly" {
		t.Errorf("without: %q", got)
	}
}

// The answer says what it hinges on: the inputs whose break-even lies
// inside their assumed range; nothing for another option.
func TestHingeSentence(t *testing.T) {
	b := cutBreakeven()
	got := hingeSentence(b, b.Option)
	if !strings.HasPrefix(got, " It hinges on the hand-off churn multiplier (it pays only below ×1.22, against ×1.05 to ×1.4 assumed)") {
		t.Errorf("hinge: %q", got)
	}
	if hingeSentence(b, "another") != "" || hingeSentence(nil, b.Option) != "" {
		t.Error("a hinge for an option without a break-even")
	}
}
