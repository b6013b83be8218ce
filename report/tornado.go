package report

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"

	"csplan/results"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// WriteSensitivity renders a sensitivity analysis into dir: tornado.png and
// tornado.svg, sensitivity.md and sensitivity.csv.
func WriteSensitivity(dir string, s *results.Sensitivity) error {
	if len(s.Inputs) == 0 {
		return fmt.Errorf("report: the sensitivity has no inputs")
	}
	if err := writeFigure(dir, "tornado", tornadoFigure(s)); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "sensitivity.md"), []byte(sensitivityMarkdown(s)), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "sensitivity.csv"), []byte(sensitivityCSV(s)), 0o644)
}

// tornadoChart is the tornado chart of the sensitivity analysis r carries,
// if it has one with inputs.
func tornadoChart(r *results.Results) *chartSpec {
	s := r.Sensitivity
	if s == nil || len(s.Inputs) == 0 {
		return nil
	}
	return &chartSpec{name: "tornado", caption: tornadoCaption(s), fig: *tornadoFigure(s)}
}

// tornadoCaption says how to read the tornado chart.
func tornadoCaption(s *results.Sensitivity) string {
	m := sensitivityUnit(s)
	c := fmt.Sprintf("Each bar runs from the mean %s with the input at its 10th percentile to the mean with it at its 90th, the widest swing on top; the dashed line is the mean with every input at its median (%s).",
		m.Short, chartValue(s.Median, m.Unit, s.Currency, false))
	if n := len(s.Inputs); n > tornadoRows {
		c += fmt.Sprintf(" The chart shows the %d of the %d inputs with the widest swings; the table lists them all.", tornadoRows, n)
	}
	return c
}

// tornadoRows is the most inputs a tornado chart shows.
const tornadoRows = 15

// sensitivityUnit finds how the metric is written, as in the other charts.
func sensitivityUnit(s *results.Sensitivity) chartMetric {
	r := &results.Results{Currency: s.Currency, Options: []results.Option{{Metrics: map[string]results.Summary{s.Metric: s.Full}}}}
	for _, m := range chartMetrics(r) {
		if m.Key == s.Metric {
			m.Label = strings.SplitN(m.Label, ",", 2)[0]
			return m
		}
	}
	return chartMetric{Key: s.Metric, Unit: axisNumber, Short: s.Metric, Label: s.Metric}
}

// inputUnit is the unit of an uncertain input's values, read from its
// distribution as the scenario writes it: a rate where it is written in
// percent, money where it carries the currency, a plain number otherwise
// (and for a distribution written without units).
func inputUnit(dist, currency string) unit {
	currency = currencyCode(currency)
	sym := currencySymbols[currency]
	switch {
	case strings.Contains(dist, "%"):
		return unitRate
	case strings.Contains(dist, " "+currency) || sym != "" && strings.Contains(dist, sym):
		return unitMoney
	}
	return unitNumber
}

// inputValue writes a value of an input in its unit: plain numbers with
// three significant digits (7.34, 10.7), from a thousand on as counts.
func inputValue(u unit, v float64, currency string) string {
	switch {
	case u != unitNumber:
		return u.format(v, currency)
	case math.Abs(v) < 1000:
		return chartValue(v, axisNumber, currency, false)
	}
	return Count(v)
}

// fitPath shortens an input path that is too wide by its middle, keeping
// its first part and as much of its end as fits: segments.…region.upsell.probability.
func fitPath(sty text.Style, path string, width vg.Length) string {
	if sty.Width(path) <= width {
		return path
	}
	head, _, ok := strings.Cut(path, ".")
	if !ok {
		return fitText(sty, path, width)
	}
	head += ".…"
	tail := []rune(path[len(head)-len("…"):])
	for len(tail) > 1 && sty.Width(head+string(tail)) > width {
		tail = tail[1:]
	}
	if sty.Width(head+string(tail)) > width {
		return fitText(sty, path, width)
	}
	return head + string(tail)
}

// Correlation writes a rank correlation with two decimals and a true minus
// sign, and no sign on one that rounds to zero.
func Correlation(v float64) string {
	t := fmt.Sprintf("%.2f", v)
	if t == "-0.00" {
		return "0.00" // no sign on a correlation that rounds to zero
	}
	return strings.Replace(t, "-", "−", 1)
}

// tornadoFigure draws one bar per input from the metric at the input's
// 10th percentile to the metric at its 90th, about the value with every
// input at its median; widest swing on top. Each bar's values are written
// at its ends, in room kept free for them beside the plotting area, so
// they meet neither the input names nor the edge. An input whose two ends
// lie on the same side of the median gets the nearer bar drawn thinner
// over the farther one, and both values at the far end.
func tornadoFigure(s *results.Sensitivity) *chartFigure {
	m := sensitivityUnit(s)
	val := func(v float64) string { return chartValue(v, m.Unit, s.Currency, false) }
	t := &tornado{s: s, unit: m.Unit, inputs: s.Inputs[:min(len(s.Inputs), tornadoRows)]}
	t.lo, t.hi = tornadoRange(s.Median, t.inputs)
	t.ends = tornadoEnds(s.Median, t.inputs, val)
	return &chartFigure{
		Title: fmt.Sprintf("What moves the baseline's %s most", m.Short),
		Subtitle: fmt.Sprintf("Mean %s with one input at its 10th or 90th percentile and the others at their medians; dashed: all at medians (%s). %s trials a point on the same random draws.",
			m.Short, val(s.Median), Count(float64(s.Trials))),
		Legend: []legendItem{{Label: "input at its 10th percentile", Color: optionColor(1), Kind: swatchBar},
			{Label: "input at its 90th percentile", Color: optionColor(0), Kind: swatchBar}},
		Note: fmt.Sprintf("csplan · %s · seed %d", s.Scenario, s.Seed),
		Body: t.draw,
	}
}

// tornado is what a tornado chart shows: the inputs, the range of the
// value axis, and the values written at the ends of each input's bars.
type tornado struct {
	s      *results.Sensitivity
	unit   axisUnit
	inputs []results.SensitivityInput
	lo, hi float64
	ends   []barEnds
}

// barEnds are the values written left and right of an input's bars.
type barEnds struct{ left, right string }

// tornadoRange is the range of the value axis: the median and every bar's
// ends, widened about a single value.
func tornadoRange(median float64, inputs []results.SensitivityInput) (lo, hi float64) {
	lo, hi = median, median
	for _, in := range inputs {
		lo, hi = min(lo, in.Low, in.High), max(hi, in.Low, in.High)
	}
	if hi == lo {
		pad := math.Max(1, math.Abs(hi)*0.05)
		lo, hi = lo-pad, hi+pad
	}
	return lo, hi
}

// tornadoEnds writes each input's values at the ends of its bars: one
// at each end beyond the median, both at the far end where both lie on
// one side, "no change" where both are the median.
func tornadoEnds(median float64, inputs []results.SensitivityInput, val func(float64) string) []barEnds {
	ends := make([]barEnds, len(inputs))
	for i, in := range inputs {
		a, b := min(in.Low, in.High), max(in.Low, in.High)
		switch {
		case a > median: // both right of the median
			ends[i].right = val(a) + " · " + val(b)
			if a == b {
				ends[i].right = val(b)
			}
		case b < median: // both left of it
			ends[i].left = val(a) + " · " + val(b)
			if a == b {
				ends[i].left = val(a)
			}
		case a == b: // both at the median
			ends[i].right = "no change"
		default: // one end each side, or one at the median (said in the subtitle)
			if a < median {
				ends[i].left = val(a)
			}
			if b > median {
				ends[i].right = val(b)
			}
		}
	}
	return ends
}

// tornadoArea is where a tornado chart draws on its canvas: input names
// left of left, the value axis along bottom from left to right, the bars
// from x0 to x1 (room for the values at their ends beside them), a row of
// height rowH per input down from top.
type tornadoArea struct {
	left, right, bottom, top vg.Length
	x0, x1, rowH, base       vg.Length // base: the median's x
	gap                      vg.Length // between a bar and its value
	lo, hi                   float64
}

// x is the position of value v.
func (a *tornadoArea) x(v float64) vg.Length {
	return a.x0 + vg.Length((v-a.lo)/(a.hi-a.lo))*(a.x1-a.x0)
}

// value is the value at position px.
func (a *tornadoArea) value(px vg.Length) float64 {
	return a.lo + float64((px-a.x0)/(a.x1-a.x0))*(a.hi-a.lo)
}

// area lays t out on c.
func (t *tornado) area(c draw.Canvas) *tornadoArea {
	value := theme.style(theme.ValueSize, false, theme.Muted)
	a := &tornadoArea{gap: vg.Points(4), left: c.Min.X + vg.Points(230), right: c.Max.X - vg.Points(10),
		bottom: c.Min.Y + vg.Points(36), top: c.Max.Y, lo: t.lo, hi: t.hi}
	var roomL, roomR vg.Length
	for _, e := range t.ends {
		roomL, roomR = max(roomL, value.Width(e.left)), max(roomR, value.Width(e.right))
	}
	a.x0, a.x1 = a.left+roomL+2*a.gap, a.right-roomR-2*a.gap
	a.rowH = (a.top - a.bottom) / vg.Length(len(t.inputs))
	a.base = a.x(t.s.Median)
	return a
}

// draw draws t on c: per input its bars, name and values, then the
// median's dashed line and the value axis.
func (t *tornado) draw(c draw.Canvas) {
	a := t.area(c)
	for i, in := range t.inputs {
		yc := a.top - (vg.Length(i)+0.5)*a.rowH
		t.drawBars(c, a, in, yc)
		t.drawRowText(c, a, in, t.ends[i], yc)
	}
	c.StrokeLine2(draw.LineStyle{Color: theme.Ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}, a.base, a.bottom, a.base, a.top)
	t.drawAxis(c, a)
}

// drawBars draws an input's two bars from the median, centred on yc: the
// farther end first, so that the nearer stays in view, thinner where both
// lie on one side.
func (t *tornado) drawBars(c draw.Canvas, a *tornadoArea, in results.SensitivityInput, yc vg.Length) {
	median := t.s.Median
	bars := []struct {
		v     float64
		color color.NRGBA
	}{{in.Low, withAlpha(optionColor(1), theme.BarAlpha)}, {in.High, withAlpha(optionColor(0), theme.BarAlpha)}}
	if math.Abs(bars[0].v-median) < math.Abs(bars[1].v-median) {
		bars[0], bars[1] = bars[1], bars[0]
	}
	sameSide := (in.Low-median)*(in.High-median) > 0
	h := a.rowH * 0.6
	for j, bar := range bars {
		x0, x1 := min(a.base, a.x(bar.v)), max(a.base, a.x(bar.v))
		bh := h
		if j == 1 && sameSide {
			bh = h * 0.5
		}
		if x1-x0 > 0.5 {
			rect := rectPoints(vg.Rectangle{Min: vg.Point{X: x0, Y: yc - bh/2}, Max: vg.Point{X: x1, Y: yc + bh/2}})
			if j == 1 && sameSide { // keep its colour off the bar beneath
				c.FillPolygon(theme.Background, rect)
			}
			c.FillPolygon(bar.color, rect)
		}
	}
}

// sensitivityTitle names an input on the tornado chart: in words when the
// results say what it is, else by its path.
func sensitivityTitle(in results.SensitivityInput) string {
	if in.Label == "" {
		return in.Name
	}
	return upperFirst(in.Label)
}

// drawRowText writes an input's name left of the plotting area and its
// values beside its bars' ends.
func (t *tornado) drawRowText(c draw.Canvas, a *tornadoArea, in results.SensitivityInput, e barEnds, yc vg.Length) {
	sty := theme.style(theme.TickSize, false, theme.Ink)
	sty.XAlign, sty.YAlign = draw.XRight, draw.YCenter
	c.FillText(sty, vg.Point{X: a.left - vg.Points(8), Y: yc}, fitPath(sty, sensitivityTitle(in), vg.Points(220)))
	vs := theme.style(theme.ValueSize, false, theme.Muted)
	vs.YAlign = draw.YCenter
	if e.left != "" {
		vs.XAlign = draw.XRight
		c.FillText(vs, vg.Point{X: min(a.base, a.x(in.Low), a.x(in.High)) - a.gap, Y: yc}, e.left)
	}
	if e.right != "" {
		vs.XAlign = draw.XLeft
		c.FillText(vs, vg.Point{X: max(a.base, a.x(in.Low), a.x(in.High)) + a.gap, Y: yc}, e.right)
	}
}

// drawAxis draws the value axis under the bars, ticked across its whole
// width.
func (t *tornado) drawAxis(c draw.Canvas, a *tornadoArea) {
	axis := draw.LineStyle{Color: theme.Faint, Width: theme.AxisWidth}
	c.StrokeLine2(axis, a.left, a.bottom, a.right, a.bottom)
	sty := theme.style(theme.TickSize, false, theme.Ink)
	sty.XAlign = draw.XCenter
	for _, tk := range (valueTicks{Unit: t.unit, Currency: t.s.Currency, Target: 6}).Ticks(a.value(a.left), a.value(a.right)) {
		tx := a.x(tk.Value)
		if tk.Label == "" || tx < a.left || tx > a.right {
			continue
		}
		c.StrokeLine2(axis, tx, a.bottom, tx, a.bottom-vg.Points(4))
		c.FillText(sty, vg.Point{X: tx, Y: a.bottom - vg.Points(16)}, tk.Label)
	}
}

// sensitivitySection is a sensitivity analysis as documents state it: the
// answer (Pre, the input's path, Post), the tornado chart, how the numbers
// were made, and a row per input.
type sensitivitySection struct {
	Pre, Input, Post string
	Figure           *Chart // nil when not rendered
	Note             string
	Table            table
}

// buildSensitivity states s, naming the metric in sentences as phrase
// ("valuation", "ARR in Dec 2029 (month 36)").
func buildSensitivity(s *results.Sensitivity, phrase string, figure *Chart) *sensitivitySection {
	m, q, cur := sensitivityUnit(s), metricQuantity(s.Metric), s.Currency
	f := func(v float64) string { return q.unit.format(v, cur) }
	sec := &sensitivitySection{Figure: figure}
	n := len(s.Inputs)
	switch {
	case n == 0:
		sec.Pre = fmt.Sprintf("The sensitivity analysis of %s found no uncertain inputs.", phrase)
	case s.Inputs[0].Swing == 0:
		sec.Pre = fmt.Sprintf("None of the %s uncertain inputs moves %s: it is %s with any one of them at its 10th or 90th percentile and the others at their medians.", Count(float64(n)), phrase, f(s.Median))
	default:
		in := s.Inputs[0]
		u := inputUnit(in.Dist, cur)
		iv := func(v float64) string { return inputValue(u, v, cur) }
		sec.Pre, sec.Input = fmt.Sprintf("Of the %s uncertain inputs, ", Count(float64(n))), cmp.Or(in.Label, in.Name)
		sec.Post = fmt.Sprintf(" moves %s most: from %s at its 10th percentile (%s) to %s at its 90th (%s), every other input at its median.",
			phrase, f(in.Low), iv(in.P10), f(in.High), iv(in.P90))
		if n == 1 {
			sec.Pre = "The only uncertain input, "
			sec.Post = fmt.Sprintf(", moves %s from %s at its 10th percentile (%s) to %s at its 90th (%s).", phrase, f(in.Low), iv(in.P10), f(in.High), iv(in.P90))
		}
	}
	what := strings.ToUpper(m.Short[:1]) + m.Short[1:]
	sec.Note = fmt.Sprintf("This ranks what moves the baseline's %[2]s, not an option's difference from it: what a decision hinges on is in What would have to be true (--breakeven). P10 and P90 are each input's 10th and 90th percentiles. %[1]s at P10 and at P90 is the mean %[2]s over the same %[3]s trials (seed %[4]d) with the input there and every other uncertain input at its median; the swing is the distance between the two. Rank correlation and share of variance come from a full Monte Carlo run (mean %[2]s %[5]s): the share is the input's squared rank correlation over the sum of them all, which leaves interactions out.",
		what, m.Short, Count(float64(s.Trials)), s.Seed, f(s.Full.Mean))
	sec.Table = table{
		Header: []string{"Input", "Distribution", "P10", "P90", what + " at P10", what + " at P90", "Swing", "Rank correlation", "Share of variance"},
		Right:  []bool{false, false, true, true, true, true, true, true, true},
		Code:   []bool{true, true},
		Class:  "sensitivity",
	}
	for _, in := range s.Inputs {
		u := inputUnit(in.Dist, cur)
		sec.Table.Rows = append(sec.Table.Rows, row{Cells: []string{in.Name, in.Dist, inputValue(u, in.P10, cur), inputValue(u, in.P90, cur),
			f(in.Low), f(in.High), q.unit.magnitude(in.Swing, cur), Correlation(in.RankCorrelation), Percent(in.VarianceShare)}})
	}
	return sec
}

// sensitivityMarkdown is sensitivity.md: the section of report.md on its
// own, with the chart beside it as tornado.png.
func sensitivityMarkdown(s *results.Sensitivity) string {
	m := sensitivityUnit(s)
	var b strings.Builder
	fmt.Fprintf(&b, "## Sensitivity of %s\n\n", m.Short)
	mdSensitivity(&b, buildSensitivity(s, m.Short, &Chart{Name: "tornado", Title: tornadoFigure(s).Title, Caption: tornadoCaption(s)}), "")
	return b.String()
}

// SensitivitySwing formats an input's swing in the metric's unit, as the
// report's table does ("$39.7M", "4.2 pts").
func SensitivitySwing(s *results.Sensitivity, swing float64) string {
	return metricQuantity(s.Metric).unit.magnitude(swing, s.Currency)
}
