package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"

	"csplan/results"
)

// HTML writes report.html: the same content as report.md in one
// self-contained page, with the charts as inline SVG and the style sheet
// inline. It loads nothing and runs no script.
func HTML(w io.Writer, r *results.Results, charts []Chart) error {
	d := buildDocument(r, charts)
	figs, err := htmlFigures(d.Charts)
	if err != nil {
		return err
	}
	keyFigs, err := htmlFigures(d.KeyCharts)
	if err != nil {
		return err
	}
	var sens *htmlSensitivity
	if d.Sensitivity != nil {
		fig, err := sectionFigure(d.Sensitivity.Figure)
		if err != nil {
			return err
		}
		sens = &htmlSensitivity{d.Sensitivity, fig}
	}
	var br *htmlBridge
	if d.Bridge != nil {
		br = &htmlBridge{bridgeSection: d.Bridge}
		if br.HTMLFigures, err = htmlFigures(d.Bridge.Figures); err != nil {
			return err
		}
	}
	var pb *htmlPayback
	if d.Payback != nil {
		fig, err := sectionFigure(d.Payback.Figure)
		if err != nil {
			return err
		}
		pb = &htmlPayback{d.Payback, fig}
	}
	var be *htmlBreakeven
	if d.Breakeven != nil {
		fig, err := sectionFigure(d.Breakeven.Figure)
		if err != nil {
			return err
		}
		be = &htmlBreakeven{d.Breakeven, fig}
	}
	keepPercents(&d)
	return htmlTemplate.Execute(w, struct {
		document
		Figures         []htmlFigure
		HTMLSensitivity *htmlSensitivity
		HTMLBreakeven   *htmlBreakeven
		HTMLPayback     *htmlPayback
		HTMLBridge      *htmlBridge
		KeyFigures      []htmlFigure
		AppendixIntro   string
		Style           template.CSS
		MeanCINote      string
	}{d, figs, sens, be, pb, br, keyFigs, appendixIntro, template.CSS(chartFonts() + htmlStyle), nbsp.Replace(meanCINote)})
}

// htmlFigures are charts as the page shows them.
func htmlFigures(charts []Chart) ([]htmlFigure, error) {
	figs := make([]htmlFigure, len(charts))
	for i, c := range charts {
		f, err := newHTMLFigure(c)
		if err != nil {
			return nil, err
		}
		figs[i] = f
	}
	return figs, nil
}

// newHTMLFigure is a chart as the page shows it: its SVG inline.
func newHTMLFigure(c Chart) (htmlFigure, error) {
	svg, err := inlineSVG(c.SVG, c.Title)
	if err != nil {
		return htmlFigure{}, fmt.Errorf("chart %s: %w", c.Name, err)
	}
	c.Title, c.Caption = nbsp.Replace(c.Title), nbsp.Replace(c.Caption)
	return htmlFigure{Chart: c, SVG: svg}, nil
}

// sectionFigure is the chart of a section as the page shows it, nil when
// the section has none.
func sectionFigure(c *Chart) (*htmlFigure, error) {
	if c == nil {
		return nil, nil
	}
	f, err := newHTMLFigure(*c)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// htmlSensitivity is the sensitivity section with its chart inline.
type htmlSensitivity struct {
	*sensitivitySection
	HTMLFigure *htmlFigure
}

// htmlBridge is the bridge section with its charts inline.
type htmlBridge struct {
	*bridgeSection
	HTMLFigures []htmlFigure
}

// htmlPayback is the payback section with its chart inline.
type htmlPayback struct {
	*paybackSection
	HTMLFigure *htmlFigure
}

// htmlBreakeven is the break-even section with its chart inline.
type htmlBreakeven struct {
	*breakevenSection
	HTMLFigure *htmlFigure
}

// nbsp joins a number to its percent sign (90 %) with a no-break space, so
// that a line never starts with "%".
var nbsp = strings.NewReplacer(" %", "\u00a0%")

// plusMinus joins "±" to the number after it with a no-break space, so
// that a line never ends with "±".
var plusMinus = strings.NewReplacer("± ", "±\u00a0")

// keepPercents applies nbsp to the prose and tables of d.
func keepPercents(d *document) {
	strs := []*string{&d.Facts, &d.AnswerIntro, &d.MetricsNote, &d.AssumptionsIntro, &d.SENote}
	tables := []*table{d.Diffs, &d.Metrics, d.SE, d.MeanCI}
	if s := d.Sensitivity; s != nil {
		strs = append(strs, &s.Pre, &s.Post, &s.Note)
		tables = append(tables, &s.Table)
	}
	if b := d.Bridge; b != nil {
		strs = append(strs, &b.Note, &b.ARRNote)
		tables = append(tables, &b.Table, &b.Segments, &b.ARR)
	}
	if p := d.Payback; p != nil {
		strs = append(strs, &p.Note)
		for i := range p.Sentences {
			strs = append(strs, &p.Sentences[i].Post)
		}
		tables = append(tables, &p.Years)
	}
	if b := d.Breakeven; b != nil {
		strs = append(strs, &b.Lead, &b.ListIntro, &b.Note)
		for i := range b.Sentences {
			b.Sentences[i] = plusMinus.Replace(b.Sentences[i])
			strs = append(strs, &b.Sentences[i])
		}
		tables = append(tables, &b.Table)
	}
	for _, s := range strs {
		*s = nbsp.Replace(*s)
	}
	for i := range d.Answers {
		d.Answers[i].Post = nbsp.Replace(d.Answers[i].Post)
		d.Answers[i].Verdict = nbsp.Replace(d.Answers[i].Verdict)
	}
	for i := range d.AnswerNotes {
		d.AnswerNotes[i] = nbsp.Replace(d.AnswerNotes[i])
	}
	for _, t := range tables {
		if t == nil {
			continue
		}
		for i := range t.Header {
			t.Header[i] = nbsp.Replace(t.Header[i])
		}
		for _, r := range t.Rows {
			for i := range r.Cells {
				r.Cells[i] = nbsp.Replace(r.Cells[i])
			}
		}
	}
}

type htmlFigure struct {
	Chart
	SVG template.HTML
}

// inlineSVG prepares an SVG file for embedding in HTML: it drops what comes
// before the <svg> element (XML declaration, comments, doctype) and labels
// the image with its title for screen readers.
func inlineSVG(svg []byte, title string) (template.HTML, error) {
	i := bytes.Index(svg, []byte("<svg"))
	if i < 0 {
		return "", fmt.Errorf("no <svg> element in the SVG rendering")
	}
	label := template.HTMLEscapeString(title)
	out := `<svg role="img" aria-label="` + label + `"` + string(svg[i+len("<svg"):])
	return template.HTML(out), nil
}

// htmlStyle is the page's style sheet: system fonts only (nothing fetched),
// numbers in tabular figures and right-aligned, print-friendly.
// chartFonts are @font-face rules carrying Liberation Sans, regular and
// bold, in the page: the inline charts' text was laid out with its
// metrics, and a machine without it (a stock Debian has DejaVu) would set
// it wider, so that legend entries ran into each other. About 1.1 MB of
// the page; the page still loads nothing else.
var chartFonts = sync.OnceValue(func() string {
	face := func(weight int, ttf []byte) string {
		return fmt.Sprintf("@font-face { font-family: \"Liberation Sans\"; font-weight: %d; font-style: normal; src: url(data:font/ttf;base64,%s) format(\"truetype\"); }\n",
			weight, base64.StdEncoding.EncodeToString(ttf))
	}
	return face(400, liberationsansregular.TTF) + face(700, liberationsansbold.TTF)
})

const htmlStyle = `
:root { --ink: #1d2733; --muted: #5a6672; --rule: #d8dee4; --strong-rule: #1d2733; --soft: #f3f5f8; --accent: #1f4e79; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: var(--ink); font: 15px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 40px 40px 72px; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 18px; margin-bottom: 8px; }
h1 { font-size: 30px; line-height: 1.2; margin: 0 0 14px; letter-spacing: -0.01em; }
.question { font-size: 19px; margin: 0 0 10px; }
.question span { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; display: block; margin-bottom: 2px; }
.facts { color: var(--muted); margin: 0; }
h2 { font-size: 21px; margin: 44px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 16px; margin: 28px 0 8px; }
p { margin: 8px 0; max-width: 80ch; }
.answer, .truths { background: var(--soft); border-left: 4px solid var(--accent); padding: 14px 22px; margin: 12px 0 14px; }
.answer p, .truths p { margin: 0 0 6px; }
.answer ul, .truths ul { margin: 0; padding-left: 20px; }
.answer li, .truths li { margin: 8px 0; font-size: 16.5px; max-width: 86ch; }
.note { color: var(--muted); font-size: 13.5px; }
.table-wrap { overflow-x: auto; margin: 10px 0 18px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums lining-nums; }
th, td { padding: 6px 10px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--strong-rule); font-weight: 600; font-size: 13px; color: var(--ink); vertical-align: bottom; }
th.num, td.num { text-align: right; white-space: nowrap; }
tr.first td { border-top: 1px solid #98a4b0; }
tbody tr.group th { background: var(--soft); font-size: 13.5px; padding-top: 9px; border-bottom: 1px solid var(--rule); }
tbody tr.group th code { font-weight: normal; color: var(--muted); }
td.metric { font-weight: 600; }
code { font-family: "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 0.88em; }
td code { white-space: nowrap; }
table.assumptions td { padding-top: 4px; padding-bottom: 4px; }
table.assumptions td.kind { white-space: nowrap; color: var(--muted); }
table.assumptions code.path { display: block; font-size: 0.8em; color: var(--muted); background: none; padding: 0; }
table.assumptions tr.per-trial td { background: #fff8e6; }
table.assumptions tr.per-trial td.kind { color: #8a5300; font-weight: 600; }
table.sensitivity th.num { white-space: normal; }
table.sensitivity td:nth-child(2) code { white-space: normal; }
table.breakeven th.num { white-space: normal; }
figure { margin: 18px 0 34px; break-inside: avoid; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
figure svg { display: block; width: 100%; height: auto; max-width: 900px; }
figcaption { color: var(--muted); font-size: 13.5px; margin-top: 8px; max-width: 80ch; }
dl.facts-list { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 10px 0 16px; }
dl.facts-list dt { color: var(--muted); }
dl.facts-list dd { margin: 0; }
ul.changes { margin: 4px 0 0; padding-left: 18px; }
ul.warnings li { color: #8a3b00; }
@media print {
  /* The main report (question to key assumptions) prints on a few pages;
     the appendix starts on a page of its own. */
  @page { margin: 14mm; }
  body { font-size: 12px; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  h2 { margin-top: 22px; }
  .answer, .truths { border-left-color: #000; }
  figure { margin: 8px auto 14px; }
  figure svg { max-width: 150mm; margin: 0 auto; }
  figcaption { font-size: 11px; }
  table { font-size: 10.5px; }
  .table-wrap { overflow: visible; }
  tr, .group { break-inside: avoid; }
  #appendix { break-before: page; }
}
`

var htmlTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="csplan">
<title>{{.Title}}</title>
<style>{{.Style}}</style>
</head>
<body>
<main>
<header>
<h1>{{.Title}}</h1>
{{- if .Question}}
<p class="question"><span>Question</span>{{.Question}}</p>
{{- end}}
<p class="facts">{{.Facts}}</p>
</header>

<section id="answer">
<h2>Answer</h2>
<div class="answer">
<p>{{.AnswerIntro}}</p>
<ul>
{{- range .Answers}}
<li>{{if .Verdict}}<strong class="verdict">{{.Verdict}}</strong> {{end}}{{.Pre}}<strong>{{.Option}}</strong>{{.Post}}</li>
{{- end}}
</ul>
</div>
{{- range .AnswerNotes}}
<p class="note">{{.}}</p>
{{- end}}
</section>
{{- with .HTMLBridge}}

<section id="bridge">
<h2>Where the difference comes from</h2>
{{- range .HTMLFigures}}
{{template "figure" .}}
{{- end}}
<p class="note">{{.Note}}</p>
{{template "table" .Table}}
{{- if .Segments.Rows}}
<h3>By segment</h3>
{{template "table" .Segments}}
{{- end}}
<h3>ARR from start to horizon</h3>
<p class="note">{{.ARRNote}}</p>
{{template "table" .ARR}}
</section>
{{- end}}
{{- with .HTMLPayback}}

<section id="payback">
<h2>When it pays back</h2>
<ul>
{{- range .Sentences}}
<li><strong>{{.Option}}</strong>{{.Post}}</li>
{{- end}}
</ul>
{{- with .HTMLFigure}}
{{template "figure" .}}
{{- end}}
<p class="note">{{.Note}}</p>
<h3>Difference from the baseline by year</h3>
{{template "table" .Years}}
</section>
{{- end}}
{{- with .HTMLBreakeven}}

<section id="breakeven">
<h2>What would have to be true</h2>
<div class="truths">
<p>{{.Lead}} {{.ListIntro}}</p>
{{- if .Sentences}}
<ul>
{{- range .Sentences}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
</div>
{{- with .HTMLFigure}}
{{template "figure" .}}
{{- end}}
<p class="note">{{.Note}}</p>
{{- if .Table.Rows}}
{{template "table" .Table}}
{{- end}}
</section>
{{- end}}

{{- if .KeyFigures}}

<section id="charts">
<h2>Key charts</h2>
{{- range .KeyFigures}}
{{template "figure" .}}
{{- end}}
</section>
{{- end}}

<section id="key-assumptions">
<h2>Key assumptions</h2>
<p>{{.KeyAssumptionsIntro}}</p>
{{template "assumptions" .KeyAssumptions}}
</section>

<section id="appendix">
<h2>Appendix</h2>
<p>{{.AppendixIntro}}</p>
</section>
{{- with .Diffs}}

<section id="differences">
<h2>Differences from the baseline</h2>
{{template "table" .}}
</section>
{{- end}}
{{- if .Figures}}

<section id="more-charts">
<h2>More charts</h2>
{{- range .Figures}}
{{template "figure" .}}
{{- end}}
</section>
{{- end}}

<section id="metrics">
<h2>Headline metrics</h2>
<p class="note">{{.MetricsNote}}</p>
{{template "table" .Metrics}}
</section>
{{- with .HTMLSensitivity}}

<section id="sensitivity">
<h2>Sensitivity</h2>
<div class="answer">
<p>{{.Pre}}{{if .Input}}<code>{{.Input}}</code>{{.Post}}{{end}}</p>
</div>
{{- with .HTMLFigure}}
{{template "figure" .}}
{{- end}}
<p class="note">{{.Note}}</p>
{{template "table" .Table}}
</section>
{{- end}}

<section id="options">
<h2>Options</h2>
<div class="table-wrap"><table>
<thead><tr><th>Option</th><th>What it changes</th></tr></thead>
<tbody>
{{- range .Options}}
<tr><td class="metric">{{.Name}}</td><td>
{{- if .Description}}{{.Description}}{{else if .Baseline}}The scenario as written.{{end}}
{{- if not .Baseline}}
{{- if .Changes}}
<ul class="changes">
{{- range .Changes}}
<li><code>{{.Path}}</code>: <code>{{.Value}}</code></li>
{{- end}}
</ul>
{{- else}}
<br><span class="note">The results do not list this option's changed inputs.</span>
{{- end}}
{{- end}}
</td></tr>
{{- end}}
</tbody>
</table></div>
</section>

<section id="assumptions">
<h2>Assumptions</h2>
<p>{{.AssumptionsIntro}}</p>
{{template "assumptions" .Assumptions}}
</section>



<section id="reproducibility">
<h2>Reproducibility</h2>
<dl class="facts-list">
{{- range .Repro}}
<dt>{{.Label}}</dt><dd>{{if .Code}}<code>{{.Value}}</code>{{else}}{{.Value}}{{end}}</dd>
{{- end}}
</dl>
<p class="note">{{.SENote}}</p>
{{- with .SE}}
{{template "table" .}}
{{- end}}
{{- with .MeanCI}}
<p class="note">{{$.MeanCINote}}</p>
{{template "table" .}}
{{- end}}
<h3>Warnings</h3>
{{- if .Warnings}}
<ul class="warnings">
{{- range .Warnings}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- else}}
<p>None.</p>
{{- end}}
</section>
</main>
</body>
</html>
{{define "assumptions"}}{{- if .}}
<div class="table-wrap"><table class="assumptions">
<thead><tr><th>Input</th><th>Value or distribution</th><th>Kind</th></tr></thead>
{{- range .}}
<tbody>
<tr class="group"><th colspan="3">{{.Title}}{{if .Prefix}} <code>{{.Prefix}}*</code>{{end}}</th></tr>
{{- range .Rows}}
<tr class="{{.Kind}}"><td>{{index .Cells 0}} <code class="path">{{index .Cells 1}}</code></td><td>{{index .Cells 2}}</td><td class="kind">{{index .Cells 3}}</td></tr>
{{- end}}
</tbody>
{{- end}}
</table></div>
{{- end}}{{end}}
{{define "table"}}<div class="table-wrap"><table{{with .Class}} class="{{.}}"{{end}}>
<thead><tr>
{{- range $i, $h := .Header}}<th{{if index $.Right $i}} class="num"{{end}}>{{$h}}</th>{{end -}}
</tr></thead>
<tbody>
{{- range .Rows}}
<tr{{if .First}} class="first"{{end}}>
{{- range $i, $c := .Cells}}<td{{if index $.Right $i}} class="num"{{else if eq $i 0}} class="metric"{{end}}>{{if $.IsCode $i}}<code>{{$c}}</code>{{else}}{{$c}}{{end}}</td>{{end -}}
</tr>
{{- end}}
</tbody>
</table></div>{{end}}
{{define "figure"}}<figure id="chart-{{.Name}}">
<h3 class="sr-only">{{.Title}}</h3>
{{.SVG}}
{{- if .Caption}}
<figcaption>{{.Caption}}</figcaption>
{{- end}}
</figure>{{end}}
`))
