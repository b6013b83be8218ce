package report

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"csplan/results"
)

// updateCharts rewrites the golden SVGs in testdata/charts:
//
//	go test ./report -run TestChartsGolden -update-charts
//
// (named apart from other -update flags of the package).
var updateCharts = flag.Bool("update-charts", false, "rewrite the golden chart SVGs in testdata/charts")

func loadResults(tb testing.TB, name string) *results.Results {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "report", name))
	if err != nil {
		tb.Fatal(err)
	}
	r, err := results.Unmarshal(b)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// fixtureCharts renders every chart of a fixture once per test binary,
// with PDF, and returns them by name and in order (rendering is the slow
// part of these tests, under -race especially).
func fixtureCharts(tb testing.TB, fixture string) (map[string]Chart, []string) {
	tb.Helper()
	chartCache.Lock()
	defer chartCache.Unlock()
	if c, ok := chartCache.m[fixture]; ok {
		return c.byName, c.order
	}
	cs, err := Charts(loadResults(tb, fixture), Options{PDF: true})
	if err != nil {
		tb.Fatal(err)
	}
	var c renderedCharts
	c.byName = map[string]Chart{}
	for _, ch := range cs {
		c.byName[ch.Name] = ch
		c.order = append(c.order, ch.Name)
	}
	chartCache.m[fixture] = c
	return c.byName, c.order
}

type renderedCharts struct {
	byName map[string]Chart
	order  []string
}

var chartCache = struct {
	sync.Mutex
	m map[string]renderedCharts
}{m: map[string]renderedCharts{}}

// svgText parses an SVG as XML and returns the text of its <text>
// elements, one entry per element.
func svgText(t *testing.T, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	inText := false
	var cur strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG does not parse as XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "text" {
				inText = true
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" {
				inText = false
				texts = append(texts, cur.String())
			}
		}
	}
	return texts
}

// wantText fails unless some text element contains each of want.
func wantText(t *testing.T, chart string, texts []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, w) }) {
			t.Errorf("%s: no text %q in SVG; have %q", chart, w, texts)
		}
	}
}

func TestChartsNames(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		want    []string
	}{
		{"acme-results.json", []string{"arr-fan", "comparison", "differences", "arr-bridge-0", "arr-bridge-1", "arr-diff-bridge-1", "arr-bridge-2", "arr-diff-bridge-2", "arr-bridge-3", "arr-diff-bridge-3", "diff-arr_end", "diff-revenue_total", "diff-gross_profit_total", "diff-valuation", "revenue-cum", "logos", "capacity", "coverage"}},
		// Expected mode has no histograms: no difference charts.
		{"w2b-expected-results.json", []string{"arr-fan", "comparison", "arr-bridge-0", "revenue-cum", "logos"}},
	} {
		charts, have := fixtureCharts(t, tc.fixture)
		if !slices.Equal(have, tc.want) {
			t.Errorf("%s: charts %q, want %q", tc.fixture, have, tc.want)
		}
		for _, c := range charts {
			if c.Title == "" || c.Caption == "" {
				t.Errorf("%s %s: empty title or caption", tc.fixture, c.Name)
			}
		}
	}
}

// Charts called again without PDF: no PDF but the slides', and the same
// SVG bytes.
func TestChartsRepeatable(t *testing.T) {
	const fixture = "w2b-expected-results.json"
	first, _ := fixtureCharts(t, fixture)
	again, err := Charts(loadResults(t, fixture), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(first) {
		t.Fatalf("%d charts, then %d", len(first), len(again))
	}
	for _, c := range again {
		if c.PDF != nil && !isSlide(c.Name) {
			t.Errorf("%s: PDF rendered without Options.PDF", c.Name)
		}
		if !bytes.Equal(c.SVG, first[c.Name].SVG) {
			t.Errorf("%s: SVG differs between two calls with the same input", c.Name)
		}
	}
}

func TestChartsAcmeContent(t *testing.T) {
	charts, _ := fixtureCharts(t, "acme-results.json")
	names := []string{"Baseline", "Cut 3 CSMs in April", "Quarterly enterprise upsell", "Higher price increases"}
	for _, tc := range []struct {
		chart string
		want  []string
	}{
		{"arr-fan", append([]string{"ARR by month, median with 50 % and 90 % bands", "ARR (USD)", "Month end",
			"$50M", "$60M", "Jan 2027", "Jul 2028", "Jan 2029", "1,000 trials"}, names...)},
		{"comparison", append([]string{"Median ARR at Dec 2029 runs from $59.4M with Cut 3 CSMs in April to $63.5M", "ARR at Dec 2029", "Revenue, Jan 2027–Dec 2029",
			"NRR, 12 months to Dec 2029", "GRR, 12 months to Dec 2029", "Customers at Dec 2029",
			"CS cost, Jan 2027–Dec 2029", "Gross profit, Jan 2027–Dec 2029", "Valuation at Dec 2029",
			"$60M", "$160M", "90%", "3,500", "How to read the panels"}, names...)},
		{"differences", []string{"Gross profit against Baseline by Dec 2029: −$1.74M with Cut 3 CSMs in April,", "ARR at Dec 2029",
			"Valuation at Dec 2029", "Cut 3 CSMs in April", "Higher price increases", "mean (the number written)", "$0"}},
		{"arr-bridge-0", []string{"ARR, Dec 2026", "New logos", "Upsell and price increases", "Contraction", "Churn", "ARR, Dec 2029", "adds ARR", "takes it away"}},
		{"arr-diff-bridge-1", []string{"New logos", "Churn", "Net: ARR, Dec 2029", "net difference"}},
		{"diff-arr_end", []string{"ARR against Baseline by Dec 2029: −$2.38M with Cut 3 CSMs in April,", "Difference in ARR at Dec 2029 (option − Baseline), USD",
			"Trials", "−$2M", "$0", "+$2M", "10%", "Cut 3 CSMs in April:", "Quarterly enterprise upsell:", "Higher price increases:",
			"Difference in ARR at Dec 2029 (option − Baseline), USD"}},
		{"diff-revenue_total", []string{"Total revenue against Baseline by Dec 2029: −$4.16M with Cut 3 CSMs in April,", "Trials"}},
		{"diff-gross_profit_total", []string{"Difference in Gross profit, Jan 2027–Dec 2029 (option − Baseline), USD", "Cut 3 CSMs in April:"}},
		{"diff-valuation", []string{"Valuation against Baseline by Dec 2029: −$13.5M with Cut 3 CSMs in April,", "Difference in Valuation at Dec 2029, by ARR multiple (option − Baseline), USD"}},
		{"capacity", append([]string{"In Dec 2029 the team has 81% of the hours its accounts need in the baseline,", "66% with Cut 3 CSMs in April", "CSM hours per month", "Month end"}, names...)},
		{"coverage", append([]string{"CSM coverage by month, median with 90 % band", "Mean coverage of served accounts", "60%", "100%"}, names...)},
		{"revenue-cum", append([]string{"Cumulative revenue by month, median with 90 % band", "Cumulative revenue (USD)", "Month end", "$0", "$100M"}, names...)},
		{"logos", append([]string{"Customers by month, median with 90 % band", "Customers (accounts)", "Month end", "3,000"}, names...)},
	} {
		c, ok := charts[tc.chart]
		if !ok {
			t.Errorf("no chart %s", tc.chart)
			continue
		}
		texts := svgText(t, c.SVG)
		wantText(t, tc.chart, texts, tc.want...)
		// A long title wraps onto lines of its own.
		if !strings.Contains(strings.Join(texts, " "), c.Title) {
			t.Errorf("%s: title %q is not on the chart", tc.chart, c.Title)
		}
	}
}

func TestChartsExpectedContent(t *testing.T) {
	charts, _ := fixtureCharts(t, "w2b-expected-results.json")
	for _, tc := range []struct {
		chart string
		want  []string
	}{
		{"arr-fan", []string{"ARR by month, expected path", "ARR (USD)", "Baseline", "$2.60M", "$2.65M", "Jan 2028", "expected values"}},
		{"comparison", []string{"Key metrics by option, expected values", "$2.62M", "102.0%", "98.0%", "67"}},
		{"revenue-cum", []string{"Cumulative revenue by month, expected path", "$0", "Baseline"}},
		{"logos", []string{"Customers by month, expected path", "Customers (accounts)", "Baseline"}},
	} {
		texts := svgText(t, charts[tc.chart].SVG)
		wantText(t, tc.chart, texts, tc.want...)
		for _, s := range texts {
			if strings.Contains(s, "median") || strings.Contains(s, "90 %") {
				t.Errorf("%s: expected mode chart speaks of a distribution: %q", tc.chart, s)
			}
		}
	}
}

// Every chart of both fixtures: valid XML, no raw float labels, a slide-size
// PNG, PDF on request, and byte-identical SVG when drawn again.
func TestChartsFormats(t *testing.T) {
	rawNumber := regexp.MustCompile(`\de[+-]\d|\d\.\d{4,}`)
	for _, fixture := range []string{"acme-results.json", "w2b-expected-results.json"} {
		charts, _ := fixtureCharts(t, fixture)
		for _, s := range chartSpecs(loadResults(t, fixture)) {
			c := charts[s.name]
			for _, s := range svgText(t, c.SVG) {
				if rawNumber.MatchString(s) {
					t.Errorf("%s %s: unformatted number in %q", fixture, c.Name, s)
				}
			}
			if !bytes.Contains(c.SVG, []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif")) {
				t.Errorf("%s %s: SVG text has no font fallback", fixture, c.Name)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(c.PNG))
			if err != nil {
				t.Fatalf("%s %s: PNG: %v", fixture, c.Name, err)
			}
			if cfg.Width < 1600 || cfg.Width*9 != cfg.Height*16 {
				t.Errorf("%s %s: PNG is %d×%d px, want 16:9 at least 1600 wide", fixture, c.Name, cfg.Width, cfg.Height)
			}
			if !bytes.HasPrefix(c.PDF, []byte("%PDF-")) {
				t.Errorf("%s %s: no PDF", fixture, c.Name)
			}
			again, err := theme.svg(&s.fig)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(c.SVG, again) {
				t.Errorf("%s %s: SVG differs between two renderings of the same input", fixture, c.Name)
			}
		}
	}
	// One PNG decoded in full: the pixels are there, on a white page.
	charts, _ := fixtureCharts(t, "acme-results.json")
	img, err := png.Decode(bytes.NewReader(charts["arr-fan"].PNG))
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := img.At(2, 2).RGBA(); r != 0xffff || g != 0xffff || b != 0xffff {
		t.Errorf("PNG corner is not white: %v", img.At(2, 2))
	}
}

// The SVGs are compared byte for byte with testdata/charts; a change of
// theme or data shows up here and is accepted with -update-charts after
// looking at the charts.
func TestChartsGolden(t *testing.T) {
	for _, fixture := range []string{"acme-results.json", "w2b-expected-results.json"} {
		charts, order := fixtureCharts(t, fixture)
		stem := strings.TrimSuffix(strings.TrimSuffix(fixture, ".json"), "-results")
		for _, name := range order {
			svg := charts[name].SVG
			path := filepath.Join("testdata", "charts", stem+"-"+name+".svg")
			if *updateCharts {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, svg, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update-charts to create it)", err)
			}
			if !bytes.Equal(svg, want) {
				got := path + ".got"
				_ = os.WriteFile(got, svg, 0o644)
				t.Errorf("%s differs from the golden file; wrote %s (look at the chart, then -update-charts)", path, got)
			}
		}
	}
}

func TestChartsErrors(t *testing.T) {
	if _, err := Charts(nil, Options{}); err == nil {
		t.Error("nil results: no error")
	}
	if _, err := Charts(&results.Results{}, Options{}); err == nil {
		t.Error("no options: no error")
	}
}

// A metric where lower is better is described from its own direction, and
// charts whose series are missing are left out rather than drawn empty.
func TestChartsLowerIsBetterAndMissingSeries(t *testing.T) {
	r := loadResults(t, "acme-results.json")
	for i := range r.Options {
		delete(r.Options[i].Series, "logos")
		delete(r.Options[i].Series, "revenue_cum")
	}
	d := r.Options[2].VsBaseline["arr_end"]
	d.HigherIsBetter = false
	d.PBetter, d.PWorse = 0.03, 0.97
	r.Options[2].VsBaseline["arr_end"] = d
	var names []string
	for _, s := range chartSpecs(r) {
		names = append(names, s.name)
	}
	want := []string{"arr-fan", "comparison", "differences", "arr-bridge-0", "arr-bridge-1", "arr-diff-bridge-1", "arr-bridge-2", "arr-diff-bridge-2", "arr-bridge-3", "arr-diff-bridge-3", "diff-arr_end", "diff-revenue_total", "diff-gross_profit_total", "diff-valuation", "capacity", "coverage"}
	if !slices.Equal(names, want) {
		t.Errorf("charts %q, want %q", names, want)
	}
	spec := diffChart(r, chartMetrics(r)[0])
	svg, err := theme.svg(&spec.fig)
	if err != nil {
		t.Fatal(err)
	}
	wantText(t, "diff-arr_end", svgText(t, svg), "lower in 3 % of trials, higher in 97 %")
}

func TestValueTicks(t *testing.T) {
	for _, tc := range []struct {
		name     string
		vt       valueTicks
		min, max float64
		want     []string
	}{
		{"money", valueTicks{Unit: axisMoney, Currency: "USD"}, 45e6, 70e6, []string{"$45M", "$50M", "$55M", "$60M", "$65M", "$70M"}},
		{"money in one unit", valueTicks{Unit: axisMoney}, 0, 2e6, []string{"$0", "$0.5M", "$1.0M", "$1.5M", "$2.0M"}},
		{"money thousands", valueTicks{Unit: axisMoney}, 0, 800e3, []string{"$0", "$200k", "$400k", "$600k", "$800k"}},
		{"money close ticks", valueTicks{Unit: axisMoney}, 159.1e6, 159.3e6, []string{"$159.10M", "$159.15M", "$159.20M", "$159.25M", "$159.30M"}},
		{"money signed", valueTicks{Unit: axisMoney, Signed: true}, -1e6, 2e6, []string{"−$1M", "$0", "+$1M", "+$2M"}},
		{"euro", valueTicks{Unit: axisMoney, Currency: "EUR"}, 0, 2e6, []string{"€0", "€0.5M", "€1.0M", "€1.5M", "€2.0M"}},
		{"currency code", valueTicks{Unit: axisMoney, Currency: "SEK"}, -1e6, 2e6, []string{"−1M SEK", "0 SEK", "1M SEK", "2M SEK"}},
		{"rate", valueTicks{Unit: axisRate}, 0.84, 0.94, []string{"84%", "86%", "88%", "90%", "92%", "94%"}},
		{"rate half points", valueTicks{Unit: axisRate}, 0.95, 1.075, []string{"95.0%", "97.5%", "100.0%", "102.5%", "105.0%", "107.5%"}},
		{"points", valueTicks{Unit: axisPoints, Signed: true}, -0.01, 0.02, []string{"−1 pp", "0 pp", "+1 pp", "+2 pp"}},
		{"points fine", valueTicks{Unit: axisPoints, Signed: true}, -0.002, 0.004, []string{"−0.2 pp", "0.0 pp", "+0.2 pp", "+0.4 pp"}},
		{"count", valueTicks{Unit: axisCount}, 2800, 3800, []string{"2,800", "3,000", "3,200", "3,400", "3,600", "3,800"}},
		{"count small", valueTicks{Unit: axisCount}, 0, 3, []string{"0", "1", "2", "3"}},
		{"share", valueTicks{Unit: axisShare, Target: 3}, 0, 0.26, []string{"0%", "10%", "20%"}},
	} {
		var have []string
		for _, tk := range tc.vt.Ticks(tc.min, tc.max) {
			have = append(have, tk.Label)
		}
		if !slices.Equal(have, tc.want) {
			t.Errorf("%s: ticks %q, want %q", tc.name, have, tc.want)
		}
	}
}

func TestMonthTicks(t *testing.T) {
	labels := func(mt monthTicks, lo, hi float64) (major []string, minor int) {
		for _, tk := range mt.Ticks(lo, hi) {
			if tk.IsMinor() {
				minor++
			} else {
				major = append(major, tk.Label)
			}
		}
		return major, minor
	}
	for _, tc := range []struct {
		name   string
		mt     monthTicks
		lo, hi float64
		want   []string
	}{
		{"36 months from January: halves", monthTicks{"2027-01"}, 0, 36, []string{"Jan 2027", "Jul 2027", "Jan 2028", "Jul 2028", "Jan 2029", "Jul 2029"}},
		{"36 months from April: calendar halves", monthTicks{"2027-04"}, 0, 36, []string{"Jul 2027", "Jan 2028", "Jul 2028", "Jan 2029", "Jul 2029", "Jan 2030"}},
		{"12 months: quarters", monthTicks{"2027-01"}, 0, 12, []string{"Jan 2027", "Apr 2027", "Jul 2027", "Oct 2027"}},
		{"60 months: years", monthTicks{"2027-01"}, 0, 60, []string{"Jan 2027", "Jan 2028", "Jan 2029", "Jan 2030", "Jan 2031"}},
		{"120 months: even years", monthTicks{"2027-01"}, 0, 120, []string{"Jan 2028", "Jan 2030", "Jan 2032", "Jan 2034", "Jan 2036"}},
		{"no start: month numbers", monthTicks{""}, 0, 36, []string{"month 0", "month 6", "month 12", "month 18", "month 24", "month 30", "month 36"}},
	} {
		major, minor := labels(tc.mt, tc.lo, tc.hi)
		if !slices.Equal(major, tc.want) {
			t.Errorf("%s: labels %q, want %q", tc.name, major, tc.want)
		}
		if len(major) > theme.MaxMonthLabels {
			t.Errorf("%s: %d labels, at most %d fit", tc.name, len(major), theme.MaxMonthLabels)
		}
		if tc.hi-tc.lo <= 36 && minor == 0 {
			t.Errorf("%s: no minor ticks", tc.name)
		}
	}
}

func TestChartShare(t *testing.T) {
	for p, want := range map[float64]string{1: "100 %", 0.97: "97 %", 0.999: "99.9 %", 0.9999: "more than 99.9 %", 0: "0 %", 0.003: "0.3 %", 0.00001: "less than 0.1 %"} {
		if have := chartShare(p); have != want {
			t.Errorf("chartShare(%v) = %q, want %q", p, have, want)
		}
	}
}

// BenchmarkCharts renders every chart of the acme fixture (eight charts,
// SVG and PNG each).
func BenchmarkCharts(b *testing.B) {
	r := loadResults(b, "acme-results.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Charts(r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// GRR equals NRR in a book without expansion: GRR is drawn after NRR,
// short-dashed, so both show (drawn under NRR it was hidden).
func TestRetentionTrendShowsGRROverNRR(t *testing.T) {
	same := []float64{0.9, 0.91, 0.92, 0.9}
	c, err := RetentionTrendChart(RetentionTrend{Start: "2027-01", Window: 12, NRR: same, GRR: same, Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	svg := string(c.SVG)
	nrr := strings.Index(svg, "stroke:#0072B2;stroke-width")
	grr := strings.Index(svg, "stroke:#E69F00;stroke-width")
	if nrr < 0 || grr < nrr {
		t.Fatalf("GRR's line (at %d) should come after NRR's (at %d)", grr, nrr)
	}
	if end := strings.Index(svg[grr:], "/>"); !strings.Contains(svg[grr:grr+end], "dasharray") {
		t.Errorf("GRR's line is not dashed: %s", svg[grr:grr+end])
	}
}
