package report

// The break-even analysis: what would have to be true for an option to
// beat the baseline on a metric, as sentences in the board's words, a
// table, a CSV file and a chart of small multiples, one per input.

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"csplan/results"

	"csplan/internal/csvfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// WriteBreakeven renders a break-even analysis into dir: breakeven.md,
// breakeven.csv, and its chart as breakeven.png and breakeven.svg (no
// chart when no input moves the difference: the document says so).
func WriteBreakeven(dir string, b *results.Breakeven) error {
	if len(b.Inputs) > 0 {
		if err := writeFigure(dir, "breakeven", breakevenFigure(b)); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "breakeven.md"), []byte(breakevenMarkdown(b)), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "breakeven.csv"), []byte(breakevenCSV(b)), 0o644)
}

// BreakevenText writes the summary of csplan breakeven for a terminal:
// what was compared, the difference with every input as assumed, and the
// sentence of each input, wrapped to textWidth columns.
func BreakevenText(w io.Writer, b *results.Breakeven) error {
	what := fmt.Sprintf("%s against the baseline on %s", b.Option, metricInWords(b.Metric))
	if b.Scenario != "" {
		what = b.Scenario + ": " + what
	}
	fmt.Fprintln(w, what)
	breakevenLines(w, b)
	return nil
}

// breakevenLines writes b's sentences as text: the lead, then one item
// per input.
func breakevenLines(w io.Writer, b *results.Breakeven) {
	sec := buildBreakeven(b, nil)
	for _, l := range wrapWords(sec.Lead+" "+sec.ListIntro, textWidth) {
		fmt.Fprintln(w, l)
	}
	for _, s := range sec.Sentences {
		for i, l := range wrapWords(s, textWidth-4) {
			if i == 0 {
				fmt.Fprintf(w, "  - %s\n", l)
			} else {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
}

// textWidth is the width of the terminal summaries, in columns.
const textWidth = 100

// wrapWords breaks s at spaces into lines of at most width runes (a word
// longer than that stands on a line of its own).
func wrapWords(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// breakevenChart is the chart of the break-even analysis r carries, if it
// has one with inputs.
func breakevenChart(r *results.Results) *chartSpec {
	b := r.Breakeven
	if b == nil || len(b.Inputs) == 0 {
		return nil
	}
	return &chartSpec{name: "breakeven", caption: breakevenCaption(b), fig: *breakevenFigure(b)}
}

// breakevenCaption says how to read the break-even chart.
func breakevenCaption(b *results.Breakeven) string {
	c := fmt.Sprintf("One panel per input: the mean difference in %s (%s − baseline) with the input fixed at each value and every other input drawn as assumed; the band is ±1.96 standard errors, the grey shading the assumed range (5th to 95th percentile) and the diamond the break-even, where the difference crosses zero.",
		metricInWords(b.Metric), b.Option)
	if n := len(b.Inputs); n > breakevenPanels {
		c += fmt.Sprintf(" The chart shows the %d of the %d inputs that move the difference most; the table lists them all.", breakevenPanels, n)
	}
	return c
}

// metricInWords names the metric in a sentence, with when it is taken:
// "gross profit over the horizon", "ARR at the horizon".
func metricInWords(key string) string {
	if seg, ok := segmentCLV(key); ok {
		return "the CLV per " + seg + " account"
	}
	q, ok := results.MetricByKey(key)
	if !ok {
		return key
	}
	switch q.When {
	case results.AtEnd:
		return q.Short + " at the horizon"
	case results.OverSpan:
		return q.Short + " over the horizon"
	case results.Trailing:
		return q.Short + " over the last 12 months"
	}
	return q.Short
}

// metricShort names the metric without when it is taken: "gross profit".
func metricShort(key string) string {
	if q, ok := results.MetricByKey(key); ok {
		return q.Short
	}
	return key
}

// inputFormat writes the values of a break-even input in its unit.
type inputFormat struct {
	unit     unit // unitRate, unitMoney or unitNumber
	times    bool // a multiplier: ×1.42
	currency string
	suffix   string // after the number: " h" for hours
}

// breakevenFormat is how in's values are written: by its Unit, or, where
// the results name none, as the distribution is written (inputUnit).
func breakevenFormat(in results.BreakevenInput, currency string) inputFormat {
	f := inputFormat{unit: unitNumber, currency: currency}
	switch in.Unit {
	case "%":
		f.unit = unitRate
	case "x":
		f.times = true
	case "money":
		f.unit = unitMoney
	case "h":
		f.suffix = " h"
	case "":
		f.unit = inputUnit(in.Dist, currency)
	}
	return f
}

// value writes v: 12.5%, ×1.42, $150k, 7.25.
func (f inputFormat) value(v float64) string {
	s := inputValue(f.unit, v, f.currency) + f.suffix
	if f.times {
		return "×" + s
	}
	return s
}

// bound writes a search bound, which may be infinite.
func (f inputFormat) bound(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "no upper bound"
	case math.IsInf(v, -1):
		return "no lower bound"
	}
	return f.value(v)
}

// se writes a standard error of a value: in percentage points for a
// share, in the currency for money, else with two significant digits.
func (f inputFormat) se(v float64) string {
	if f.unit != unitNumber {
		return f.unit.magnitude(v, f.currency)
	}
	return strconv.FormatFloat(math.Abs(v), 'f', max(0, sigDecimals(math.Abs(v))-1), 64)
}

// axis is how a chart's axis writes the values.
func (f inputFormat) axis() plot.Ticker {
	vt := valueTicks{Unit: axisNumber, Currency: f.currency, Target: 4}
	switch f.unit {
	case unitRate:
		vt.Unit = axisRate
	case unitMoney:
		vt.Unit = axisMoney
	}
	if f.times {
		return timesTicks{vt}
	}
	return vt
}

// timesTicks writes a multiplier's ticks as ×1.5.
type timesTicks struct{ valueTicks }

func (t timesTicks) Ticks(min, max float64) []plot.Tick {
	ticks := t.valueTicks.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = "×" + ticks[i].Label
		}
	}
	return ticks
}

// inputName names an input in a sentence: "the " and its label, or its
// path where it has no label.
func inputName(in results.BreakevenInput) string {
	if in.Label != "" {
		return "the " + in.Label
	}
	return in.Name
}

// inputTitle names an input on a chart: its label with a capital, or its
// path.
func inputTitle(in results.BreakevenInput) string {
	if in.Label == "" {
		return in.Name
	}
	return upperFirst(in.Label)
}

// upperFirst is s with its first letter a capital.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// verb is the way a difference goes: "raise" up, "lower" down.
func verb(up bool) string {
	if up {
		return "raise"
	}
	return "lower"
}

// inside reports whether in's break-even lies in its assumed range.
func inside(in results.BreakevenInput) bool {
	return in.Found && in.P5 <= in.Value && in.Value <= in.P95
}

// paysAt reports whether the option beats the baseline with in at v, by
// the side of the break-even on which it pays.
func paysAt(in results.BreakevenInput, v float64) bool {
	if in.Pays == "above" {
		return v > in.Value
	}
	return v < in.Value
}

// curveDiff is the mean difference over an input's curve, the difference
// with every input as assumed where it has none: which way the option
// goes where no break-even was found.
func curveDiff(b *results.Breakeven, in results.BreakevenInput) float64 {
	if len(in.Curve) == 0 {
		return b.MeanDiff
	}
	sum := 0.0
	for _, p := range in.Curve {
		sum += p.MeanDiff
	}
	return sum / float64(len(in.Curve))
}

// hingeSentence is the answer's sentence on what the option's answer
// hinges on: the inputs whose break-even lies inside their assumed range,
// "It hinges on the churn multiplier at no coverage: it pays only below
// ×1.62, against ×1.58 to ×2.32 assumed."; "" when none does, or without a
// break-even of this option.
func hingeSentence(b *results.Breakeven, option string) string {
	if b == nil || b.Option != option {
		return ""
	}
	var hinges []string
	for _, in := range b.Inputs {
		if !in.Found || !inside(in) {
			continue
		}
		f := breakevenFormat(in, b.Currency)
		pays := in.Pays
		if pays != "above" {
			pays = "below"
		}
		hinges = append(hinges, fmt.Sprintf("%s (it pays only %s %s, against %s to %s assumed)", inputName(in), pays, f.value(in.Value), f.value(in.P5), f.value(in.P95)))
	}
	if len(hinges) == 0 {
		return " No single input's assumed range holds its break-even: the answer holds across them (What would have to be true)."
	}
	return " It hinges on " + joinAnd(hinges) + "."
}

// breakevenSentence states one input's break-even in the board's words.
func breakevenSentence(b *results.Breakeven, in results.BreakevenInput) string {
	f := breakevenFormat(in, b.Currency)
	metric := metricInWords(b.Metric)
	good := verb(b.HigherIsBetter)
	assumed := fmt.Sprintf("%s to %s assumed (5th to 95th percentile)", f.value(in.P5), f.value(in.P95))
	if !in.Found {
		d := curveDiff(b, in)
		way := "worse than"
		if (d > 0) == b.HigherIsBetter && d != 0 {
			way = "better than"
		}
		s := fmt.Sprintf("Whatever %s, %s is %s the baseline on average: it %ss %s for every value searched, from %s to %s, against %s.",
			inputName(in), b.Option, way, verb(d > 0), metric, f.bound(in.SearchLow), f.bound(in.SearchHigh), assumed)
		if way == "worse than" && len(in.Curve) > 0 {
			// How close it comes: the value where the option does best.
			best := in.Curve[0]
			for _, p := range in.Curve[1:] {
				if (p.MeanDiff > best.MeanDiff) == b.HigherIsBetter {
					best = p
				}
			}
			u := metricQuantity(b.Metric).unit
			s += fmt.Sprintf(" It comes closest at %s, where it %ss %s by %s on average.", f.value(best.Value), verb(best.MeanDiff > 0), metric, u.magnitude(best.MeanDiff, b.Currency))
		}
		return s
	}
	pays := in.Pays
	if pays != "above" {
		pays = "below"
	}
	s := fmt.Sprintf("%s %ss %s only if %s is %s %s (± %s), against %s.",
		b.Option, good, metric, inputName(in), pays, f.value(in.Value), f.se(in.SE), assumed)
	if inside(in) {
		at := "does not " + good
		if paysAt(in, in.P50) {
			at = good + "s"
		}
		return s + fmt.Sprintf(" The answer hinges on it: the break-even lies inside the assumed range (at the median, %s, the option %s %s).", f.value(in.P50), at, metricShort(b.Metric))
	}
	if paysAt(in, in.P50) {
		return s + fmt.Sprintf(" The answer holds across the assumed range: on average it %ss %s for every value in it.", good, metric)
	}
	return s + fmt.Sprintf(" The answer holds across the assumed range: on average it does not %s %s for any value in it.", good, metric)
}

// breakevenSection is a break-even analysis as documents state it: the
// difference with every input as assumed, a sentence per input, the
// chart, how the numbers were made, and a row per input.
type breakevenSection struct {
	Lead, ListIntro string
	Sentences       []string
	Figure          *Chart // nil when not rendered
	Note            string
	Table           table
}

// buildBreakeven states b, with its chart figure.
func buildBreakeven(b *results.Breakeven, figure *Chart) *breakevenSection {
	metric := metricInWords(b.Metric)
	u := metricQuantity(b.Metric).unit
	sec := &breakevenSection{Figure: figure}
	trials := Plural(b.Trials, "paired trial")
	switch {
	case b.MeanDiff == 0:
		sec.Lead = fmt.Sprintf("With every input drawn as assumed, %s leaves %s unchanged on average against the baseline (%s).", b.Option, metric, trials)
	default:
		sec.Lead = fmt.Sprintf("With every input drawn as assumed, %s %ss %s by %s on average against the baseline (mean of %s).",
			b.Option, verb(b.MeanDiff > 0), metric, u.magnitude(b.MeanDiff, b.Currency), trials)
	}
	n := len(b.Inputs)
	switch {
	case n == 0:
		sec.ListIntro = fmt.Sprintf("None of the %s uncertain inputs screened moves the difference.", Count(float64(b.Screened)))
	case b.Screened > n:
		sec.ListIntro = fmt.Sprintf("What would have to be true, for the %s of the %s uncertain inputs that move the difference most:", Count(float64(n)), Count(float64(b.Screened)))
	default:
		sec.ListIntro = "What would have to be true, for each uncertain input that moves the difference:"
	}
	for _, in := range b.Inputs {
		sec.Sentences = append(sec.Sentences, breakevenSentence(b, in))
	}
	sec.Note = fmt.Sprintf("Each input was fixed at values across its search range, in %s and the baseline alike, every other uncertain input drawn as assumed, on the same %s trials (seed %d) at every value. The break-even is where the mean difference (%s − baseline) crosses zero, interpolated between the values either side; ± is its Monte Carlo standard error. The assumed range is the input's 5th to 95th percentile.",
		b.Option, Count(float64(b.Trials)), b.Seed, b.Option)
	sec.Table = table{
		Header: []string{"Input", "What it is", "Assumed (5th to 95th percentile)", "Option better", "Searched"},
		Right:  []bool{false, false, true, true, true},
		Code:   []bool{true},
		Class:  "breakeven",
	}
	for _, in := range b.Inputs {
		f := breakevenFormat(in, b.Currency)
		better := "nowhere searched"
		if d := curveDiff(b, in); (d > 0) == b.HigherIsBetter && d != 0 {
			better = "everywhere searched"
		}
		if in.Found {
			side := "below "
			if in.Pays == "above" {
				side = "above "
			}
			better = side + f.value(in.Value) + " ± " + f.se(in.SE)
		}
		sec.Table.Rows = append(sec.Table.Rows, row{Cells: []string{in.Name, in.Label, f.value(in.P5) + " to " + f.value(in.P95), better,
			f.bound(in.SearchLow) + " to " + f.bound(in.SearchHigh)}})
	}
	return sec
}

// breakevenMarkdown is breakeven.md: the section of report.md on its own,
// with the chart beside it as breakeven.png.
func breakevenMarkdown(b *results.Breakeven) string {
	var w strings.Builder
	fmt.Fprintf(&w, "# What would have to be true: %s\n\n", mdText(b.Option))
	facts := fmt.Sprintf("%s against the baseline on %s. Monte Carlo simulation: %s trials at each value, seed %d. Amounts in %s.",
		b.Option, metricInWords(b.Metric), Count(float64(b.Trials)), b.Seed, currencyCode(b.Currency))
	if b.Scenario != "" {
		facts = b.Scenario + ": " + facts
	}
	fmt.Fprintf(&w, "%s\n\n", mdText(facts))
	var fig *Chart
	if len(b.Inputs) > 0 {
		fig = &Chart{Name: "breakeven", Title: breakevenFigure(b).Title, Caption: breakevenCaption(b)}
	}
	mdBreakeven(&w, buildBreakeven(b, fig), "")
	return w.String()
}

// breakevenCSV is breakeven.csv: one row per input and value evaluated
// (one row with the value columns empty for an input with no curve), the
// input's break-even repeated on each, the numbers in full precision and
// an infinite search bound empty.
func breakevenCSV(b *results.Breakeven) string {
	var w strings.Builder
	cw := csvfile.NewWriter(&w)
	cw.Write([]string{"input", "label", "unit", "distribution", "p5", "p50", "p95", "swing", "search_low", "search_high",
		"found", "breakeven", "breakeven_se", "pays", "value", "mean_diff", "mean_diff_se"})
	num := func(v float64) string {
		if math.IsInf(v, 0) {
			return ""
		}
		return fnums(v)[0]
	}
	for _, in := range b.Inputs {
		head := []string{in.Name, in.Label, in.Unit, in.Dist, num(in.P5), num(in.P50), num(in.P95), num(in.Swing), num(in.SearchLow), num(in.SearchHigh),
			strconv.FormatBool(in.Found), "", "", ""}
		if in.Found {
			head[11], head[12], head[13] = num(in.Value), num(in.SE), in.Pays
		}
		if len(in.Curve) == 0 {
			cw.Write(append(head, "", "", ""))
		}
		for _, p := range in.Curve {
			cw.Write(append(head[:len(head):len(head)], fnums(p.Value, p.MeanDiff, p.SE)...))
		}
	}
	cw.Flush() // a strings.Builder does not fail
	return w.String()
}

// The chart.

// breakevenPanels is the most inputs the chart shows.
const breakevenPanels = 5

// breakevenFigure draws, per input (at most breakevenPanels), the paired
// mean difference against the input's value: the curve with its ±1.96
// standard-error band, the zero line, the assumed range shaded and the
// break-even marked; the panels share the difference axis. The title says
// what the chart shows for the decision.
func breakevenFigure(b *results.Breakeven) *chartFigure {
	inputs := b.Inputs[:min(len(b.Inputs), breakevenPanels)]
	m := chartMetric{Unit: axisOf(metricUnit(b.Metric))}
	dunit := chartDiffUnit(m)
	color := optionColor(1)
	lo, hi := 0.0, 0.0
	for _, in := range inputs {
		for _, p := range in.Curve {
			lo, hi = min(lo, p.MeanDiff-1.96*p.SE), max(hi, p.MeanDiff+1.96*p.SE)
		}
	}
	panels := make([]breakevenPanel, len(inputs))
	for i, in := range inputs {
		panels[i] = newBreakevenPanel(b, in, dunit, lo, hi)
	}
	metric := metricInWords(b.Metric)
	short := metricShort(b.Metric)
	yLabel := upperFirst(short) + ", option − baseline"
	switch dunit {
	case axisMoney:
		yLabel += " (" + currencyCode(b.Currency) + ")"
	case axisPoints:
		yLabel += " (percentage points)"
	}
	note := "csplan"
	if b.Scenario != "" {
		note += " · " + b.Scenario
	}
	note += fmt.Sprintf(" · %s trials at each value, seed %d", Count(float64(b.Trials)), b.Seed)
	side := "Above"
	if !b.HigherIsBetter {
		side = "Below"
	}
	return &chartFigure{
		Title: breakevenTitle(b, inputs),
		Subtitle: fmt.Sprintf("Mean difference in %s, %s − baseline, with one input fixed at each value and the others drawn as assumed. %s the dashed line the option is better.",
			metric, b.Option, side),
		Legend: []legendItem{
			{Label: "mean difference, ±1.96 standard errors", Color: color, Kind: swatchLineBand},
			{Label: "assumed range (5th to 95th percentile)", Color: assumedKey, Kind: swatchBar},
			{Label: "no difference", Color: inkColor, Kind: swatchLine, Dashes: zeroDashes},
			{Label: "break-even", Color: inkColor, Kind: swatchDot, Glyph: diamondGlyph{}},
		},
		Note: note,
		Body: func(c draw.Canvas) { drawBreakevenBody(c, yLabel, panels) },
	}
}

// metricUnit is the catalogue's unit of a metric, money for a segment's CLV
// and a plain number for one it does not know.
func metricUnit(key string) results.Unit {
	if q, ok := results.MetricByKey(key); ok {
		return q.Unit
	}
	return results.Number
}

// breakevenTitle says what the chart means for the decision: where the
// option stops (or starts) paying when a break-even lies inside an
// assumed range, else that the answer holds.
func breakevenTitle(b *results.Breakeven, inputs []results.BreakevenInput) string {
	better := b.MeanDiff != 0 && (b.MeanDiff > 0) == b.HigherIsBetter
	hinges := false
	for _, in := range inputs {
		hinges = hinges || inside(in)
	}
	switch {
	case hinges && better:
		return "Where " + b.Option + " stops paying"
	case hinges:
		return "What would make " + b.Option + " pay"
	case better && len(inputs) == 1:
		return b.Option + " pays on average across the assumed range"
	case better:
		return b.Option + " pays on average across the assumed range of every input shown"
	case len(inputs) == 1:
		return b.Option + " does not pay on average anywhere in the assumed range"
	}
	return b.Option + " does not pay on average anywhere in the assumed ranges"
}

// Colours and dashes of the break-even chart: black for the references,
// the assumed range a light grey over the grid lines, and its legend key
// the same grey opaque (the legend draws bars at theme.BarAlpha).
var (
	inkColor     = optionColor(7)
	assumedShade = withAlpha(inkColor, 0.1)
	assumedKey   = color.NRGBA{R: 0xe3, G: 0xe3, B: 0xe3, A: 0xff}
	zeroDashes   = []vg.Length{vg.Points(4), vg.Points(3)}
)

// breakevenPanel is one input's plot and the header above it.
type breakevenPanel struct {
	plot       *plot.Plot
	name, stat string
}

// newBreakevenPanel plots in's curve on a difference axis from lo to hi
// (widened to round ticks), its values on the horizontal axis in the
// input's unit.
func newBreakevenPanel(b *results.Breakeven, in results.BreakevenInput, dunit axisUnit, lo, hi float64) breakevenPanel {
	f := breakevenFormat(in, b.Currency)
	color := optionColor(1)
	p := theme.newPlot("", "")
	xs := []float64{in.P5, in.P95}
	for _, pt := range in.Curve {
		xs = append(xs, pt.Value)
	}
	if in.Found {
		xs = append(xs, in.Value)
	}
	p.X.Min, p.X.Max = xs[0], xs[0]
	for _, x := range xs {
		p.X.Min, p.X.Max = min(p.X.Min, x), max(p.X.Max, x)
	}
	if p.X.Max == p.X.Min {
		pad := math.Max(math.Abs(p.X.Max)*0.05, 1e-9)
		p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	}
	p.X.Tick.Marker = f.axis()
	fitValueAxis(&p.Y, lo, hi, valueTicks{Unit: dunit, Currency: b.Currency, Signed: true}, 6)
	ymin, ymax := p.Y.Min, p.Y.Max

	p.Add(&plotter.Polygon{XYs: []plotter.XYs{{{X: in.P5, Y: ymin}, {X: in.P95, Y: ymin}, {X: in.P95, Y: ymax}, {X: in.P5, Y: ymax}}}, Color: assumedShade})
	if len(in.Curve) > 0 {
		mid, band := make(plotter.XYs, len(in.Curve)), [2]plotter.XYs{make(plotter.XYs, len(in.Curve)), make(plotter.XYs, len(in.Curve))}
		for i, pt := range in.Curve {
			mid[i] = plotter.XY{X: pt.Value, Y: pt.MeanDiff}
			band[0][i] = plotter.XY{X: pt.Value, Y: pt.MeanDiff - 1.96*pt.SE}
			band[1][i] = plotter.XY{X: pt.Value, Y: pt.MeanDiff + 1.96*pt.SE}
		}
		p.Add(newBand(band[0], band[1], withAlpha(color, theme.BandOnlyAlpha)))
		p.Add(newLine(plotter.XYs{{X: p.X.Min, Y: 0}, {X: p.X.Max, Y: 0}}, draw.LineStyle{Color: inkColor, Width: 1.2, Dashes: zeroDashes}))
		p.Add(newLine(mid, draw.LineStyle{Color: color, Width: theme.LineWidth}))
		p.Add(unpad(&plotter.Scatter{XYs: mid, GlyphStyle: draw.GlyphStyle{Color: color, Radius: 2.2, Shape: draw.CircleGlyph{}}}))
	}
	stat := fmt.Sprintf("no break-even from %s to %s", f.bound(in.SearchLow), f.bound(in.SearchHigh))
	if in.Found {
		stat = fmt.Sprintf("pays %s %s (± %s)", in.Pays, f.value(in.Value), f.se(in.SE))
		at := plotter.XYs{{X: in.Value, Y: 0}}
		if in.SE > 0 {
			p.Add(unpad(&plotter.XErrorBars{XYs: at, XErrors: plotter.XErrors{{Low: -1.96 * in.SE, High: 1.96 * in.SE}},
				LineStyle: draw.LineStyle{Color: inkColor, Width: theme.WhiskerWidth * 0.75}, CapWidth: 7}))
		}
		p.Add(newLine(plotter.XYs{{X: in.Value, Y: ymin}, {X: in.Value, Y: 0}}, draw.LineStyle{Color: inkColor, Width: 0.8, Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}),
			unpad(&plotter.Scatter{XYs: at, GlyphStyle: draw.GlyphStyle{Color: theme.Background, Radius: theme.MarkerRadius + 1.5, Shape: diamondGlyph{}}}),
			unpad(&plotter.Scatter{XYs: at, GlyphStyle: draw.GlyphStyle{Color: inkColor, Radius: theme.MarkerRadius, Shape: diamondGlyph{}}}))
	}
	return breakevenPanel{plot: p, name: inputTitle(in), stat: stat}
}

// breakevenColumns is how many columns n panels take: one row up to
// three, then two rows.
func breakevenColumns(n int) int {
	if n <= 3 {
		return max(n, 1)
	}
	return (n + 1) / 2
}

// drawBreakevenBody draws the difference axis's label up the left edge
// and the panels beside it, each under a two-line header (the input, its
// break-even), their data areas lined up.
func drawBreakevenBody(c draw.Canvas, yLabel string, panels []breakevenPanel) {
	lsty := theme.style(theme.AxisLabelSize, false, theme.Muted)
	lsty.XAlign, lsty.YAlign, lsty.Rotation = draw.XCenter, draw.YTop, math.Pi/2
	c.FillText(lsty, vg.Point{X: c.Min.X, Y: (c.Min.Y + c.Max.Y) / 2}, fitText(lsty, yLabel, c.Max.Y-c.Min.Y))
	c.Min.X += lsty.Height(yLabel) + theme.Gap

	cols := breakevenColumns(len(panels))
	rows := (len(panels) + cols - 1) / cols
	head := theme.panelHeaderHeight(2) + theme.Gap + theme.TickSize/2
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadTop: head, PadY: head + theme.PanelGapY, PadX: theme.PanelGapX * 1.5}
	plots := make([]*plot.Plot, len(panels))
	for i, pn := range panels {
		plots[i] = pn.plot
	}
	canvases := alignPanels(c, tiles, plots)
	for i, pn := range panels {
		tile := tiles.At(c, i%cols, i/cols)
		name := fitPath(theme.style(theme.PanelTitleSize, true, theme.Ink), pn.name, tile.Max.X-tile.Min.X)
		theme.drawPanelHeader(tile, tile.Max.Y+head, nil, name, pn.stat, 2)
		pn.plot.Draw(canvases[i])
	}
}
