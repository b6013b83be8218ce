package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"csplan/results"
)

// loadSensitivity reads testdata/acme-sensitivity.json, the sensitivity of
// valuation in the acme scenario as csplan sensitivity writes it.
func loadSensitivity(t testing.TB) *results.Sensitivity {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "acme-sensitivity.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s results.Sensitivity
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// acmeWithSensitivity is the acme fixture carrying that sensitivity, as a
// run that also measures it writes results.json.
func acmeWithSensitivity(t testing.TB) *results.Results {
	t.Helper()
	r := loadFixture(t, fixtures[0].path)
	r.Sensitivity = loadSensitivity(t)
	return r
}

// goldenTornado stands in for the rendered tornado chart.
var goldenTornado = Chart{Name: "tornado", Title: "What moves valuation most", Caption: "Each bar runs from the mean valuation with the input at its 10th percentile to the mean with it at its 90th."}

// mdSection is the "## name" section of a Markdown document, up to the
// next section.
func mdSection(md, name string) string {
	i := strings.Index(md, "\n## "+name+"\n")
	if i < 0 {
		return ""
	}
	rest := md[i+1:]
	if j := strings.Index(rest[3:], "\n## "); j >= 0 {
		rest = rest[:3+j+1]
	}
	return rest
}

// renderDocuments renders report.md and report.html of r with charts,
// checks the page (checkHTML) and returns report.md and the parsed page.
func renderDocuments(t *testing.T, r *results.Results, charts []Chart) (string, *html.Node) {
	t.Helper()
	var md, page bytes.Buffer
	if err := Markdown(&md, r, charts); err != nil {
		t.Fatal(err)
	}
	if err := HTML(&page, r, charts); err != nil {
		t.Fatal(err)
	}
	checkHTML(t, page.Bytes(), r, charts)
	doc, err := html.Parse(bytes.NewReader(page.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return md.String(), doc
}

// checkMarkdownSection checks the section name of report.md md: it holds
// every want, shows the chart of its own, which is not among the other
// charts too, and stands between the sections after and before.
func checkMarkdownSection(t *testing.T, md, name, chart, after, before string, wants ...string) {
	t.Helper()
	sec := mdSection(md, name)
	for _, want := range wants {
		if !strings.Contains(sec, want) {
			t.Errorf("the section %s of report.md lacks %q:\n%s", name, want, sec)
		}
	}
	if strings.Contains(mdSection(md, "Charts"), chart) {
		t.Errorf("report.md shows the %s chart among the other charts too", chart)
	}
	if i, j, k := strings.Index(md, "\n## "+after+"\n"), strings.Index(md, "\n## "+name+"\n"), strings.Index(md, "\n## "+before+"\n"); !(i < j && j < k) {
		t.Errorf("sections at %d, %d, %d: want %s, %s, %s", i, j, k, after, name, before)
	}
}

// The sensitivity section of report.md, and sensitivity.md, as golden
// files.
func TestSensitivityGolden(t *testing.T) {
	r := acmeWithSensitivity(t)
	var buf bytes.Buffer
	if err := Markdown(&buf, r, append(slices.Clone(goldenCharts), goldenTornado)); err != nil {
		t.Fatal(err)
	}
	sec := mdSection(buf.String(), "Sensitivity")
	if sec == "" {
		t.Fatal("report.md has no Sensitivity section")
	}
	checkGolden(t, "acme-sensitivity-section.md", []byte(sec))
	checkGolden(t, "acme-sensitivity.md", []byte(sensitivityMarkdown(r.Sensitivity)))
}

// report.md and report.html have a Sensitivity section, with the tornado
// chart, the answer and a row per input, when the results carry a
// sensitivity analysis, and none otherwise.
func TestSensitivitySection(t *testing.T) {
	tornado := goldenTornado
	tornado.SVG, tornado.PNG = []byte(fakeSVG), []byte("png")
	for _, with := range []bool{false, true} {
		t.Run(fmt.Sprintf("sensitivity=%v", with), func(t *testing.T) {
			r := loadFixture(t, fixtures[0].path)
			charts := fakeCharts()
			if with {
				r.Sensitivity = loadSensitivity(t)
				charts = append(charts, tornado)
			}
			md, doc := renderDocuments(t, r, charts)
			sections := findAll(doc, func(n *html.Node) bool { return n.Data == "section" && attr(n, "id") == "sensitivity" })
			sec := mdSection(md, "Sensitivity")
			if !with {
				if sec != "" || strings.Contains(md, "tornado") {
					t.Errorf("report.md has a sensitivity section:\n%s", sec)
				}
				if len(sections) != 0 {
					t.Error("report.html has a sensitivity section")
				}
				return
			}
			answer := "Of the 4 uncertain inputs, segments.enterprise.churn.annual moves valuation most: from $117M at its 10th percentile (5.6%) to $77.7M at its 90th (10.6%), every other input at its median."
			// Placed after the headline metrics, before the options.
			checkMarkdownSection(t, md, "Sensitivity", "tornado", "Headline metrics", "Options",
				"Of the 4 uncertain inputs, `segments.enterprise.churn.annual` moves valuation most: from $117M at its 10th percentile (5.6%) to $77.7M at its 90th (10.6%), every other input at its median.",
				"![What moves valuation most](charts/tornado.png)",
				"| `segments.enterprise.churn.annual`       | `beta(mean 8%, sd 2%)`              |  5.6% | 10.6% |")

			if len(sections) != 1 {
				t.Fatalf("report.html has %d sensitivity sections, want 1", len(sections))
			}
			s := sections[0]
			text := squash(textOf(s))
			if !strings.Contains(text, answer) {
				t.Errorf("the page's sensitivity section does not say %q:\n%s", answer, text)
			}
			if figs := findAll(s, func(n *html.Node) bool { return n.Data == "figure" && attr(n, "id") == "chart-tornado" }); len(figs) != 1 {
				t.Error("the tornado chart is not in the sensitivity section")
			}
			if figs := findAll(doc, func(n *html.Node) bool { return n.Data == "figure" && attr(n, "id") == "chart-tornado" }); len(figs) != 1 {
				t.Errorf("the page shows the tornado chart %d times", len(figs))
			}
			tables := findAll(s, func(n *html.Node) bool { return n.Data == "table" })
			if len(tables) != 1 {
				t.Fatalf("%d tables in the sensitivity section", len(tables))
			}
			rows := findAll(tables[0], func(n *html.Node) bool { return n.Data == "tr" && hasAncestor(n, "tbody") })
			if len(rows) != len(r.Sensitivity.Inputs) {
				t.Errorf("%d rows, want one per input (%d)", len(rows), len(r.Sensitivity.Inputs))
			}
			for i, tr := range rows {
				var cells []string
				for _, td := range findAll(tr, func(n *html.Node) bool { return n.Data == "td" }) {
					cells = append(cells, squash(textOf(td)))
				}
				if len(cells) != 9 || cells[0] != r.Sensitivity.Inputs[i].Name {
					t.Errorf("row %d: %q", i, cells)
					continue
				}
				for _, c := range cells[4:7] {
					if !strings.HasPrefix(c, "$") {
						t.Errorf("row %d: the metric %q is not money", i, c)
					}
				}
				if !strings.HasSuffix(cells[8], "%") {
					t.Errorf("row %d: the share of variance %q is not a percentage", i, cells[8])
				}
			}
		})
	}
}

// The answer sentence in other cases: a rate metric, one input, no input
// that moves the metric.
func TestSensitivityAnswer(t *testing.T) {
	one := []results.SensitivityInput{{Name: "team.csms", Dist: "triangular(min 10, mode 12, max 14)", P10: 10.9, P90: 13.1, Low: 0.91, High: 0.935, Swing: 0.025, RankCorrelation: 0.4, VarianceShare: 1}}
	for _, c := range []struct {
		name   string
		s      results.Sensitivity
		phrase string
		want   string
		swing  string
	}{
		{"one input, a rate", results.Sensitivity{Metric: "nrr_12m", Median: 0.92, Inputs: one}, "NRR, last 12 months",
			"The only uncertain input, team.csms, moves NRR, last 12 months from 91.0% at its 10th percentile (10.9) to 93.5% at its 90th (13.1).", "2.50 pp"},
		{"nothing moves", results.Sensitivity{Metric: "arr_end", Currency: "EUR", Median: 2e6, Inputs: []results.SensitivityInput{{Name: "a", Dist: "uniform(€1,000 to €2,000)", P10: 1100, P90: 1900, Low: 2e6, High: 2e6}, {Name: "b", Low: 2e6, High: 2e6}}},
			"ARR", "None of the 2 uncertain inputs moves ARR: it is €2M with any one of them at its 10th or 90th percentile and the others at their medians.", "€0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sec := buildSensitivity(&c.s, c.phrase, nil)
			if have := sec.Pre + sec.Input + sec.Post; have != c.want {
				t.Errorf("\nhave %s\nwant %s", have, c.want)
			}
			if have := sec.Table.Rows[0].Cells[6]; have != c.swing {
				t.Errorf("swing %q, want %q", have, c.swing)
			}
		})
	}
	if have := inputValue(inputUnit("uniform(€1,000 to €2,000)", "EUR"), 1100, "EUR"); have != "€1.1k" {
		t.Errorf("money input %q", have)
	}
	if have := inputValue(inputUnit("lognormal(median 36,000 CHF, p90 80,000 CHF)", "CHF"), 36000, "CHF"); have != "36k CHF" {
		t.Errorf("money input %q", have)
	}
	if have := inputValue(inputUnit("normal(mean 2500, sd 300)", "USD"), 2512.4, "USD"); have != "2,512" {
		t.Errorf("large number %q", have)
	}
}

// Write renders the tornado chart like the others (PDF too when asked),
// shows it in the sensitivity section, and adds a Sensitivity sheet to
// the workbook.
func TestWriteSensitivity(t *testing.T) {
	r := acmeWithSensitivity(t)
	dir := t.TempDir()
	charts, err := write(context.Background(), dir, r, Options{PDF: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"png", "svg", "pdf"} {
		if _, err := os.Stat(filepath.Join(dir, "charts", "tornado."+ext)); err != nil {
			t.Error(err)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mdSection(string(md), "Sensitivity"), "](charts/tornado.png)") {
		t.Error("the sensitivity section of report.md does not show charts/tornado.png")
	}
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkHTML(t, page, r, charts)
	var tornado Chart
	for _, c := range charts {
		if c.Name == "tornado" {
			tornado = c
		}
	}
	texts := svgText(t, tornado.SVG)
	wantText(t, "tornado", texts, "What moves the baseline's valuation most", "segments.enterprise.churn.annual", "$117M", "$77.7M", "$100M")

	f, err := excelize.OpenFile(filepath.Join(dir, "results.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if have, want := f.GetSheetList(), []string{SheetSummary, SheetYears, SheetBridge, SheetByMonth, SheetTimeseries, SheetAssumptions, SheetSensitivity, SheetRun}; !slices.Equal(have, want) {
		t.Fatalf("sheets %q, want %q", have, want)
	}
	rows, err := f.GetRows(SheetSensitivity)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(r.Sensitivity.Inputs) || rows[0][4] != "Valuation at P10" || rows[1][0] != "segments.enterprise.churn.annual" {
		t.Fatalf("sensitivity sheet %q", rows)
	}
	in := r.Sensitivity.Inputs[0]
	for _, c := range []struct {
		cell   string
		want   float64
		format string
	}{{"C2", in.P10, "0.0%"}, {"E2", in.Low, `"$"#,##0`}, {"G2", in.Swing, `"$"#,##0`}, {"H2", in.RankCorrelation, "0.00"}, {"I2", in.VarianceShare, "0.0%"},
		{"C5", r.Sensitivity.Inputs[3].P10, "General"}} {
		raw, err := f.GetCellValue(SheetSensitivity, c.cell, excelize.Options{RawCellValue: true})
		if have, perr := strconv.ParseFloat(raw, 64); err != nil || perr != nil || math.Abs(have-c.want) > 1e-12*math.Abs(c.want) {
			t.Errorf("%s = %q, want %v", c.cell, raw, c.want)
		}
		if have := numFmt(t, f, SheetSensitivity, c.cell); have != c.format {
			t.Errorf("%s format %q, want %q", c.cell, have, c.format)
		}
	}
}

// results.json with a sensitivity analysis still conforms to the contract
// and reads back the same.
func TestSensitivityResultsJSON(t *testing.T) {
	r := acmeWithSensitivity(t)
	data, back := conformingJSON(t, r, "a sensitivity")
	if !reflect.DeepEqual(back.Sensitivity, r.Sensitivity) {
		t.Error("the sensitivity does not read back the same")
	}
	if !bytes.Contains(data, []byte(`"sensitivity": {`)) {
		t.Error("no sensitivity in results.json")
	}
	r.Sensitivity.Inputs[1].Low = math.NaN()
	if _, err := results.Marshal(r); err == nil || !strings.Contains(err.Error(), "segments.smb.churn.monthly") {
		t.Errorf("a NaN in the sensitivity: %v", err)
	}
	r.Sensitivity = nil
	if data, _ := results.Marshal(r); bytes.Contains(data, []byte(`"sensitivity"`)) {
		t.Error("results.json without a sensitivity has the field")
	}
}

// conformingJSON is results.json of r, checked against the copy of
// ../shared/results.schema.json kept for the tests, and r read back from
// it; what names what r carries in the error.
func conformingJSON(t *testing.T, r *results.Results, what string) ([]byte, *results.Results) {
	t.Helper()
	data, err := results.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := jsonschema.NewCompiler().Compile(filepath.Join("..", "testdata", "results.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(v); err != nil {
		t.Fatalf("results.json with %s does not conform: %v", what, err)
	}
	back, err := results.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return data, back
}

// textBox is where a string is drawn.
type textBox struct {
	s   string
	box vg.Rectangle
}

// figureLayout draws f and returns the boxes of its strings and of its
// filled rectangles (bars and legend keys), and the page.
func figureLayout(f *chartFigure) (texts []textBox, rects []vg.Rectangle, page vg.Rectangle) {
	rec := &recorder.Canvas{}
	c := draw.NewCanvas(rec, slideWidth, slideHeight)
	theme.drawFigure(f, c)
	page = c.Rectangle
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.FillString:
			face := font.DefaultCache.Lookup(a.Font, a.Size)
			e := face.Extents()
			texts = append(texts, textBox{a.String, vg.Rectangle{
				Min: vg.Point{X: a.Point.X, Y: a.Point.Y - e.Descent},
				Max: vg.Point{X: a.Point.X + face.Width(a.String), Y: a.Point.Y + e.Ascent}}})
		case *recorder.Fill:
			var pts []vg.Point
			for _, p := range a.Path {
				if p.Type == vg.MoveComp || p.Type == vg.LineComp {
					pts = append(pts, p.Pos)
				}
			}
			if len(pts) != 4 {
				continue
			}
			r := vg.Rectangle{Min: pts[0], Max: pts[0]}
			for _, p := range pts[1:] {
				r.Min.X, r.Min.Y = min(r.Min.X, p.X), min(r.Min.Y, p.Y)
				r.Max.X, r.Max.Y = max(r.Max.X, p.X), max(r.Max.Y, p.Y)
			}
			if r != page {
				rects = append(rects, r)
			}
		}
	}
	return texts, rects, page
}

// overlap reports whether a and b share more than a sliver.
func overlap(a, b vg.Rectangle) bool {
	const eps = 0.5
	return a.Min.X+eps < b.Max.X && b.Min.X+eps < a.Max.X && a.Min.Y+eps < b.Max.Y && b.Min.Y+eps < a.Max.Y
}

// tornadoCases are sensitivity analyses whose charts are hard to lay out.
func tornadoCases(t *testing.T) map[string]*results.Sensitivity {
	many := &results.Sensitivity{Scenario: "Many inputs", Currency: "EUR", Metric: "gross_profit_total", Trials: 500, Seed: 3, Median: 1.234e9}
	for i := range 20 {
		in := results.SensitivityInput{Name: fmt.Sprintf("segments.enterprise-accounts-in-region-%d.upsell.probability", i), Dist: "pert(min 5%, mode 10%, max 20%)", P10: 0.07, P90: 0.15}
		d := 0.4e9 / float64(i+1)
		switch i % 5 {
		case 0: // the usual: one end each side
			in.Low, in.High = 1.234e9-d, 1.234e9+d*0.7
		case 1: // both ends above the median
			in.Low, in.High = 1.234e9+d*0.3, 1.234e9+d
		case 2: // both below
			in.Low, in.High = 1.234e9-d, 1.234e9-d*0.4
		case 3: // one end at the median
			in.Low, in.High = 1.234e9, 1.234e9-d
		case 4: // both ends the same, off the median
			in.Low, in.High = 1.234e9+d, 1.234e9+d
		}
		in.Swing = max(in.Low, in.High) - min(in.Low, in.High)
		many.Inputs = append(many.Inputs, in)
	}
	slices.SortStableFunc(many.Inputs, func(a, b results.SensitivityInput) int { return -cmpFloat(a.Swing, b.Swing) })
	rate := &results.Sensitivity{Scenario: "Rate", Metric: "nrr_12m", Trials: 100, Seed: 1, Median: 0.95, Inputs: []results.SensitivityInput{
		{Name: "segments.smb.churn.monthly", Dist: "uniform(1% to 3%)", Low: 0.99, High: 0.91, Swing: 0.08},
		{Name: "team.csms", Dist: "triangular(min 8, mode 10, max 12)", Low: 0.949, High: 0.952, Swing: 0.003},
	}}
	flat := &results.Sensitivity{Scenario: "Flat", Metric: "logos_end", Trials: 100, Seed: 1, Median: 3480, Inputs: []results.SensitivityInput{
		{Name: "acquisition.smb.per_month", Dist: "uniform(5 to 10)", Low: 3480, High: 3480},
	}}
	return map[string]*results.Sensitivity{"acme": loadSensitivity(t), "many": many, "rate": rate, "flat": flat}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// No text of a tornado chart overlaps another or a bar, and all of it is
// on the page; every bar's values are written.
func TestTornadoLayout(t *testing.T) {
	for name, s := range tornadoCases(t) {
		t.Run(name, func(t *testing.T) {
			texts, rects, page := figureLayout(tornadoFigure(s))
			for i, a := range texts {
				if a.box.Min.X < page.Min.X || a.box.Max.X > page.Max.X || a.box.Min.Y < page.Min.Y || a.box.Max.Y > page.Max.Y {
					t.Errorf("%q is drawn off the page: %v", a.s, a.box)
				}
				for _, b := range texts[i+1:] {
					if overlap(a.box, b.box) {
						t.Errorf("%q overlaps %q", a.s, b.s)
					}
				}
				for _, r := range rects {
					if overlap(a.box, r) {
						t.Errorf("%q overlaps a bar at %v", a.s, r)
					}
				}
			}
			all := ""
			for _, tb := range texts {
				all += tb.s + "\n"
			}
			if want := chartValue(s.Median, sensitivityUnit(s).Unit, s.Currency, false); !strings.Contains(all, "("+want+")") {
				t.Errorf("the value with all inputs at their medians, %s, is not written", want)
			}
			m := sensitivityUnit(s)
			for i, in := range s.Inputs[:min(15, len(s.Inputs))] {
				for _, v := range []float64{in.Low, in.High} {
					if v == s.Median { // said in the subtitle
						continue
					}
					if w := chartValue(v, m.Unit, s.Currency, false); !strings.Contains(all, w) {
						t.Errorf("input %d: value %s is not written", i, w)
					}
				}
			}
		})
	}
}
