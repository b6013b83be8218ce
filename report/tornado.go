package report

import (
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
	svg, png, _, err := theme.render(tornadoFigure(s), false)
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{"tornado.svg": svg, "tornado.png": png,
		"sensitivity.md": []byte(sensitivityMarkdown(s)), "sensitivity.csv": []byte(sensitivityCSV(s))} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
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
	inputs := s.Inputs[:min(len(s.Inputs), tornadoRows)]
	lo, hi := s.Median, s.Median
	for _, in := range inputs {
		lo, hi = min(lo, in.Low, in.High), max(hi, in.Low, in.High)
	}
	if hi == lo {
		pad := math.Max(1, math.Abs(hi)*0.05)
		lo, hi = lo-pad, hi+pad
	}
	val := func(v float64) string { return chartValue(v, m.Unit, s.Currency, false) }
	// The values written left and right of each bar.
	type ends struct{ left, right string }
	labels := make([]ends, len(inputs))
	for i, in := range inputs {
		a, b := min(in.Low, in.High), max(in.Low, in.High)
		switch {
		case a > s.Median: // both right of the median
			labels[i].right = val(a) + " · " + val(b)
			if a == b {
				labels[i].right = val(b)
			}
		case b < s.Median: // both left of it
			labels[i].left = val(a) + " · " + val(b)
			if a == b {
				labels[i].left = val(a)
			}
		case a == b: // both at the median
			labels[i].right = "no change"
		default: // one end each side, or one at the median (said in the subtitle)
			if a < s.Median {
				labels[i].left = val(a)
			}
			if b > s.Median {
				labels[i].right = val(b)
			}
		}
	}
	lowColor, highColor := withAlpha(optionColor(1), theme.BarAlpha), withAlpha(optionColor(0), theme.BarAlpha)
	body := func(c draw.Canvas) {
		label := theme.style(theme.TickSize, false, theme.Ink)
		value := theme.style(theme.ValueSize, false, theme.Muted)
		gap := vg.Points(4)
		left := c.Min.X + vg.Points(230)
		right := c.Max.X - vg.Points(10)
		bottom := c.Min.Y + vg.Points(36)
		top := c.Max.Y
		var roomL, roomR vg.Length
		for _, l := range labels {
			roomL, roomR = max(roomL, value.Width(l.left)), max(roomR, value.Width(l.right))
		}
		x0, x1 := left+roomL+2*gap, right-roomR-2*gap
		x := func(v float64) vg.Length { return x0 + vg.Length((v-lo)/(hi-lo))*(x1-x0) }
		rowH := (top - bottom) / vg.Length(len(inputs))
		base := x(s.Median)
		for i, in := range inputs {
			yc := top - (vg.Length(i)+0.5)*rowH
			h := rowH * 0.6
			bars := []struct {
				v     float64
				color color.NRGBA
			}{{in.Low, lowColor}, {in.High, highColor}}
			// The farther end first, so that the nearer stays in view.
			if math.Abs(bars[0].v-s.Median) < math.Abs(bars[1].v-s.Median) {
				bars[0], bars[1] = bars[1], bars[0]
			}
			sameSide := (in.Low-s.Median)*(in.High-s.Median) > 0
			for j, bar := range bars {
				a, b := min(base, x(bar.v)), max(base, x(bar.v))
				bh := h
				if j == 1 && sameSide {
					bh = h * 0.5
				}
				if b-a > 0.5 {
					rect := rectPoints(vg.Rectangle{Min: vg.Point{X: a, Y: yc - bh/2}, Max: vg.Point{X: b, Y: yc + bh/2}})
					if j == 1 && sameSide { // keep its colour off the bar beneath
						c.FillPolygon(theme.Background, rect)
					}
					c.FillPolygon(bar.color, rect)
				}
			}
			sty := label
			sty.XAlign, sty.YAlign = draw.XRight, draw.YCenter
			c.FillText(sty, vg.Point{X: left - vg.Points(8), Y: yc}, fitPath(sty, in.Name, vg.Points(220)))
			vs := value
			vs.YAlign = draw.YCenter
			if l := labels[i].left; l != "" {
				vs.XAlign = draw.XRight
				c.FillText(vs, vg.Point{X: min(base, x(in.Low), x(in.High)) - gap, Y: yc}, l)
			}
			if l := labels[i].right; l != "" {
				vs.XAlign = draw.XLeft
				c.FillText(vs, vg.Point{X: max(base, x(in.Low), x(in.High)) + gap, Y: yc}, l)
			}
		}
		// The median line and the value axis, ticked across its whole
		// width.
		c.StrokeLine2(draw.LineStyle{Color: theme.Ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}, base, bottom, base, top)
		axis := draw.LineStyle{Color: theme.Faint, Width: theme.AxisWidth}
		c.StrokeLine2(axis, left, bottom, right, bottom)
		at := func(px vg.Length) float64 { return lo + float64((px-x0)/(x1-x0))*(hi-lo) }
		for _, tk := range (valueTicks{Unit: m.Unit, Currency: s.Currency, Target: 6}).Ticks(at(left), at(right)) {
			tx := x(tk.Value)
			if tk.Label == "" || tx < left || tx > right {
				continue
			}
			c.StrokeLine2(axis, tx, bottom, tx, bottom-vg.Points(4))
			sty := label
			sty.XAlign = draw.XCenter
			c.FillText(sty, vg.Point{X: tx, Y: bottom - vg.Points(16)}, tk.Label)
		}
	}
	return &chartFigure{
		Title: fmt.Sprintf("What moves %s most", m.Short),
		Subtitle: fmt.Sprintf("Mean %s with one input at its 10th or 90th percentile and the others at their medians; dashed: all at medians (%s). %s trials a point on the same random draws.",
			m.Short, val(s.Median), Count(float64(s.Trials))),
		Legend: []legendItem{{Label: "input at its 10th percentile", Color: optionColor(1), Kind: swatchBar},
			{Label: "input at its 90th percentile", Color: optionColor(0), Kind: swatchBar}},
		Note: fmt.Sprintf("csplan · %s · seed %d", s.Scenario, s.Seed),
		Body: body,
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
		sec.Pre, sec.Input = fmt.Sprintf("Of the %s uncertain inputs, ", Count(float64(n))), in.Name
		sec.Post = fmt.Sprintf(" moves %s most: from %s at its 10th percentile (%s) to %s at its 90th (%s), every other input at its median.",
			phrase, f(in.Low), iv(in.P10), f(in.High), iv(in.P90))
		if n == 1 {
			sec.Pre = "The only uncertain input, "
			sec.Post = fmt.Sprintf(", moves %s from %s at its 10th percentile (%s) to %s at its 90th (%s).", phrase, f(in.Low), iv(in.P10), f(in.High), iv(in.P90))
		}
	}
	what := strings.ToUpper(m.Short[:1]) + m.Short[1:]
	sec.Note = fmt.Sprintf("P10 and P90 are each input's 10th and 90th percentiles. %[1]s at P10 and at P90 is the mean %[2]s over the same %[3]s trials (seed %[4]d) with the input there and every other uncertain input at its median; the swing is the distance between the two. Rank correlation and share of variance come from a full Monte Carlo run (mean %[2]s %[5]s): the share is the input's squared rank correlation over the sum of them all, which leaves interactions out.",
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
