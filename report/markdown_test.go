package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"csplan/results"
)

// TestMarkdownEscape checks that Markdown text reads as written: markup
// characters are escaped with backslashes, "<" only where it would open
// HTML, ">" only where it would open a block quote, and no character is
// written as an HTML entity, which a reader of the source would see.
func TestMarkdownEscape(t *testing.T) {
	for _, c := range []struct {
		in         string
		text, cell string
	}{
		{">99%", `\>99%`, ">99%"},
		{"<1%", "<1%", "<1%"},
		{"in >99% of trials, <1% lower", "in >99% of trials, <1% lower", "in >99% of trials, <1% lower"},
		{"a > b < c", "a > b < c", "a > b < c"},
		{"x\n> quote", "x > quote", "x > quote"},
		{"Cut\n# Injected heading\r\n- item", "Cut # Injected heading - item", "Cut # Injected heading - item"},
		{"a\r\n|b|\n|---|", `a |b| |---|`, `a \|b\| \|---\|`},
		{"  > indented", `  \> indented`, "  > indented"},
		{"<b>bold</b>", `\<b>bold\</b>`, `\<b>bold\</b>`},
		{"<!-- c -->", `\<!-- c -->`, `\<!-- c -->`},
		{"<https://x.io>", `\<https://x.io>`, `\<https://x.io>`},
		{"R&D", "R&D", "R&D"},
		{"&gt; &#62; &#x3E;", `\&gt; \&#62; \&#x3E;`, `\&gt; \&#62; \&#x3E;`},
		{"clv_smb *x* [y] `z` \\", "clv\\_smb \\*x\\* \\[y\\] \\`z\\` \\\\", "clv\\_smb \\*x\\* \\[y\\] \\`z\\` \\\\"},
		{"a|b", "a|b", `a\|b`},
	} {
		if have := mdText(c.in); have != c.text {
			t.Errorf("mdText(%q) = %q, want %q", c.in, have, c.text)
		}
		if have := mdCell(c.in); have != c.cell {
			t.Errorf("mdCell(%q) = %q, want %q", c.in, have, c.cell)
		}
	}
}

// TestShareSymbols checks that shares near all or none read ">99%" and
// "<1%" in report.md, not "&gt;99%", and are escaped once in report.html.
func TestShareSymbols(t *testing.T) {
	r := sentenceResults(results.Diff{MeanDiff: 5e5, CI95: [2]float64{4e5, 6e5}, PBetter: 0.9996, PWorse: 0.0004,
		HigherIsBetter: true, Histogram: hist(1e5, 9e5, 1000)})
	var md bytes.Buffer
	if err := Markdown(&md, r, nil); err != nil {
		t.Fatal(err)
	}
	if s := md.String(); strings.Contains(s, "&gt;") || strings.Contains(s, "&lt;") {
		t.Errorf("report.md writes an HTML entity:\n%s", s)
	}
	for _, want := range []string{"| >99% |", "| <1% |"} {
		if !strings.Contains(squash(md.String()), want) {
			t.Errorf("report.md has no cell %q", want)
		}
	}

	var page bytes.Buffer
	if err := HTML(&page, r, nil); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"&amp;gt;", "&amp;lt;", ">>99%", "><1%"} {
		if strings.Contains(page.String(), bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	doc, err := html.Parse(&page)
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, td := range findAll(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "td" }) {
		cells = append(cells, squash(textOf(td)))
	}
	for _, want := range []string{">99%", "<1%"} {
		if !slices.Contains(cells, want) {
			t.Errorf("report.html has no cell reading %q; cells %q", want, cells)
		}
	}
}

// clvResults is a Monte Carlo run with per-segment CLV metrics, with a
// baseline and one option; diffs are the option's comparisons.
func clvResults(diffs map[string]results.Diff) *results.Results {
	m := func(v float64) results.Summary {
		return results.Summary{Mean: v, SE: v / 100, P5: 0.8 * v, P25: 0.9 * v, P50: v, P75: 1.1 * v, P95: 1.2 * v}
	}
	metrics := map[string]results.Summary{
		"arr_end": m(60e6), "clv": m(47100), "clv_smb": m(10750), "clv_enterprise": m(641800), "valuation": m(99e6),
	}
	return &results.Results{
		Scenario: "S", Start: "2027-01", HorizonMonths: 36, Trials: 500, Mode: "monte-carlo", Currency: "EUR",
		Options: []results.Option{
			{Name: "Baseline", Metrics: metrics},
			{Name: "Option", Metrics: metrics, VsBaseline: diffs},
		},
	}
}

// TestSegmentCLV checks that the per-segment CLV metrics (clv_SEGMENT) are
// labelled in words, follow clv, are written as money like clv in every
// document, and are in the tables of differences only when the results
// compare them with the baseline.
func TestSegmentCLV(t *testing.T) {
	diff := func(v float64) results.Diff {
		return results.Diff{MeanDiff: v, CI95: [2]float64{0.9 * v, 1.1 * v}, PBetter: 1, HigherIsBetter: true, Histogram: hist(0.5*v, 1.5*v, 500)}
	}
	for _, c := range []struct {
		name  string
		diffs map[string]results.Diff
		// compared are the segment CLV labels in the difference tables.
		compared []string
	}{
		{"no segment diffs", map[string]results.Diff{"arr_end": diff(1e6), "clv": diff(1130), "valuation": diff(6e6)}, nil},
		{"enterprise diff", map[string]results.Diff{"arr_end": diff(1e6), "clv": diff(1130), "clv_enterprise": diff(3490), "valuation": diff(6e6)},
			[]string{"CLV per account, enterprise"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := clvResults(c.diffs)
			var keys []string
			for _, q := range metricsOf(r) {
				keys = append(keys, q.key)
			}
			if want := []string{"arr_end", "clv", "clv_enterprise", "clv_smb", "valuation"}; !slices.Equal(keys, want) {
				t.Errorf("metric order %q, want %q", keys, want)
			}
			for _, q := range metricsOf(r) {
				if strings.HasPrefix(q.key, "clv") && q.unit != unitMoney {
					t.Errorf("%s: unit %v, want money", q.key, q.unit)
				}
			}

			d := buildDocument(r, nil)
			for _, row := range d.Metrics.Rows {
				for _, cell := range row.Cells {
					if strings.Contains(cell, "e+") || strings.Contains(cell, "clv_") {
						t.Errorf("headline metrics row %q: raw key or scientific notation", row.Cells)
					}
				}
			}
			wantRow := func(tb *table, label string, cells ...string) {
				t.Helper()
				for _, row := range tb.Rows {
					if row.Cells[0] == label {
						if !slices.Equal(row.Cells[len(row.Cells)-len(cells):], cells) {
							t.Errorf("row %q: have %q, want it to end %q", label, row.Cells, cells)
						}
						return
					}
				}
				t.Errorf("no row %q in %q", label, tb.Header)
			}
			wantRow(&d.Metrics, "CLV per account, enterprise", "€642k", "€513k to €770k", "€642k ± €6.42k")
			wantRow(&d.Metrics, "CLV per account, smb", "€10.8k", "€8.6k to €12.9k", "€10.8k ± €108")
			wantRow(d.SE, "CLV per account, enterprise", "±€6.42k", "±€6.42k")

			for _, tb := range []*table{d.Diffs, d.MeanCI} {
				var have []string
				for _, row := range tb.Rows {
					if strings.HasPrefix(row.Cells[0], "CLV per account") {
						have = append(have, row.Cells[0])
					}
					for _, cell := range row.Cells[2:] {
						if cell == "–" {
							t.Errorf("%q: a row of dashes %q", tb.Header, row.Cells)
						}
					}
				}
				if !slices.Equal(have, c.compared) {
					t.Errorf("%q: segment CLV rows %q, want %q", tb.Header, have, c.compared)
				}
			}
			if c.compared != nil {
				wantRow(d.Diffs, "CLV per account, enterprise", "+€3.49k", "+€1.92k to +€5.06k", "100%", "0%", "higher (better)")
				wantRow(d.MeanCI, "CLV per account, enterprise", "+€3.49k", "+€3.14k to +€3.84k")
			}

			var md bytes.Buffer
			if err := Markdown(&md, r, nil); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(md.String(), `clv\_`) {
				t.Error("report.md names a segment CLV by its key")
			}

			var chartKeys []string
			for _, m := range chartMetrics(r) {
				if strings.HasPrefix(m.Key, "clv_") {
					chartKeys = append(chartKeys, m.Key)
					if m.Unit != axisMoney || m.Label != metricQuantity(m.Key).label {
						t.Errorf("chart metric %+v: want money, labelled %q", m, metricQuantity(m.Key).label)
					}
				}
			}
			if want := []string{"clv_enterprise", "clv_smb"}; !slices.Equal(chartKeys, want) {
				t.Errorf("chart metrics %q, want %q", chartKeys, want)
			}

			var buf bytes.Buffer
			if err := Workbook(&buf, r); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(SheetSummary)
			if err != nil {
				t.Fatal(err)
			}
			found := 0
			for i, row := range rows {
				if len(row) < 3 || row[2] != "clv_enterprise" {
					continue
				}
				found++
				if row[1] != "CLV per account, enterprise" {
					t.Errorf("Summary row %d: label %q", i+1, row[1])
				}
				if have, want := numFmt(t, f, SheetSummary, cell(4, i+1)), currencyFormat("EUR"); have != want {
					t.Errorf("Summary row %d: mean format %q, want %q", i+1, have, want)
				}
				if row[0] == "Option" && c.compared != nil {
					if have, want := numFmt(t, f, SheetSummary, cell(12, i+1)), currencyFormat("EUR"); have != want {
						t.Errorf("Summary row %d: mean difference format %q, want %q", i+1, have, want)
					}
				}
			}
			if found != 2 {
				t.Errorf("Summary has %d rows of clv_enterprise, want 2", found)
			}
		})
	}
}

// User text with line breaks (an option's description written as a YAML
// block) stays inside the list item, heading or cell it is written in: it
// cannot start a heading, a list or a table of its own in report.md
// (issue 22, item 16).
func TestMarkdownUserTextStaysInline(t *testing.T) {
	r := sentenceResults(results.Diff{MeanDiff: 5e5, CI95: [2]float64{4e5, 6e5}, PBetter: 0.9, PWorse: 0.1, HigherIsBetter: true, Histogram: hist(1e5, 9e5, 1000)})
	r.Question = "Should we cut?\n# Injected question heading"
	r.Options[1].Description = "Cut three CSMs.\n\n# Injected heading\n\n- injected item\n| a | b |\n|---|---|"
	var md bytes.Buffer
	if err := Markdown(&md, r, nil); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(md.String(), "\n") {
		if strings.HasPrefix(line, "# Injected") || strings.HasPrefix(line, "- injected") || strings.HasPrefix(line, "|---|") {
			t.Errorf("user text starts a line of its own: %q", line)
		}
	}
	if !strings.Contains(md.String(), "Cut three CSMs.  # Injected heading  - injected item") {
		t.Errorf("the description is not kept inline:\n%s", md.String())
	}
}
