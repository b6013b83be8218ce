package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"csplan/results"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// WriteSweep renders a sweep into dir: sweep.csv, and its chart as
// sweep.png and sweep.svg: the metric against the input with its median
// and 90 % band (one input), or a heat map of its mean (two inputs), the
// best point marked.
func WriteSweep(dir string, sw *results.Sweep) error {
	if len(sw.Points) == 0 {
		return fmt.Errorf("report: the sweep has no points")
	}
	m := sweepMetric(sw)
	var fig *chartFigure
	if len(sw.Parameters) == 1 {
		fig = sweepLine(sw, m)
	} else {
		fig = sweepHeat(sw, m)
	}
	if err := writeFigure(dir, "sweep", fig); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "sweep.csv"), []byte(sweepCSV(sw)), 0o644)
}

// writeFigure renders fig into dir as NAME.svg and NAME.png.
func writeFigure(dir, name string, fig *chartFigure) error {
	svg, png, _, err := theme.render(fig, false)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".svg"), svg, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

// sweepMetric finds how the sweep's metric is shown, as in the other charts.
func sweepMetric(sw *results.Sweep) chartMetric {
	r := &results.Results{Currency: sw.Currency, Options: []results.Option{{Metrics: sw.Points[0].Metrics}}}
	for _, m := range chartMetrics(r) {
		if m.Key == sw.Metric {
			// No calendar (the sweep's results carry none), but when it
			// is taken: "Gross profit over the horizon".
			m.Label = upperFirst(metricInWords(sw.Metric))
			return m
		}
	}
	return chartMetric{Key: sw.Metric, Unit: axisNumber, Short: sw.Metric, Label: sw.Metric}
}

func sweepSource(sw *results.Sweep) string {
	return fmt.Sprintf("csplan · %s · %s trials a point, seed %d, every point on the same random draws", sw.Scenario, Count(float64(sw.Trials)), sw.Seed)
}

func sweepLine(sw *results.Sweep, m chartMetric) *chartFigure {
	best := sw.Points[sw.Best]
	p := theme.newPlot(sweepLabel(sw, 0), m.Label+unitSuffix(m.Unit, sw.Currency))
	c := optionColor(0)
	xy := func(f func(results.Summary) float64) plotter.XYs {
		out := make(plotter.XYs, len(sw.Points))
		for i, pt := range sw.Points {
			out[i] = plotter.XY{X: pt.Numbers[0], Y: f(pt.Metrics[sw.Metric])}
		}
		return out
	}
	mc := sw.Mode != "expected"
	if mc {
		p.Add(newBand(xy(func(s results.Summary) float64 { return s.P5 }), xy(func(s results.Summary) float64 { return s.P95 }),
			withAlpha(c, theme.BandOnlyAlpha)))
	}
	centre := func(s results.Summary) float64 { return s.P50 }
	if !mc {
		centre = func(s results.Summary) float64 { return s.Mean }
	}
	p.Add(newLine(xy(centre), draw.LineStyle{Color: c, Width: theme.LineWidth}))
	today, hasToday := sweepToday(sw)
	todayDashes := []vg.Length{vg.Points(5), vg.Points(3)}
	if hasToday {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, pt := range sw.Points {
			s := pt.Metrics[sw.Metric]
			lo, hi = math.Min(lo, math.Min(s.P5, centre(s))), math.Max(hi, math.Max(s.P95, centre(s)))
		}
		p.Add(newLine(plotter.XYs{{X: today, Y: lo}, {X: today, Y: hi}}, draw.LineStyle{Color: mutedColor, Width: vg.Points(1.5), Dashes: todayDashes}))
	}
	p.Add(&plotter.Scatter{XYs: plotter.XYs{{X: best.Numbers[0], Y: centre(best.Metrics[sw.Metric])}},
		GlyphStyle: draw.GlyphStyle{Color: optionColor(3), Radius: vg.Points(6), Shape: draw.CircleGlyph{}}})
	fitValueAxis(&p.Y, p.Y.Min, p.Y.Max, valueTicks{Unit: m.Unit, Currency: sw.Currency}, 7)
	p.X.Tick.Marker = sweepTicks{sw: sw}
	what := "median with 90 % band"
	if !mc {
		what = "expected path"
	}
	bestText := fmt.Sprintf("Best: %s = %s, mean %s", sweepLabel(sw, 0), best.Values[0],
		chartValue(best.Metrics[sw.Metric].Mean, m.Unit, sw.Currency, false))
	if beats := sweepBeats(sw, best); beats != "" {
		bestText += "; beats " + beats
	}
	legend := []legendItem{{Label: m.Label + ", " + what, Color: c, Kind: swatchLineBand}, {Label: bestText, Color: optionColor(3), Kind: swatchDot, Glyph: draw.CircleGlyph{}}}
	if hasToday {
		legend = append(legend, legendItem{Label: fmt.Sprintf("Today: %s = %s (the scenario's baseline)", sweepLabel(sw, 0), sw.Today[0]), Color: mutedColor, Kind: swatchLine, Dashes: todayDashes})
	}
	return &chartFigure{
		Title: sweepTitle(sw, m, best),
		Subtitle: fmt.Sprintf("Line: %s over the trials at each point; the dot marks the point with the best mean.%s",
			strings.Replace(what, " with 90 % band", " (shading: 90 % of trials)", 1), sweepEdgeText(sw, " ")),
		Legend: legend,
		Note:   sweepSource(sw),
		Body:   func(c draw.Canvas) { p.Draw(c) },
	}
}

// sweepTitle says the sweep's message: where the metric is best of the
// values tried ("Gross profit is best at CSMs = 14 of the values tried"),
// and today's value when it differs.
func sweepTitle(sw *results.Sweep, m chartMetric, best results.SweepPoint) string {
	var at, today []string
	for j := range sw.Parameters {
		at = append(at, sweepLabel(sw, j)+" = "+best.Values[j])
		if j < len(sw.Today) && sw.Today[j] != "" && sw.Today[j] != best.Values[j] {
			today = append(today, sw.Today[j])
		}
	}
	title := fmt.Sprintf("%s is best at %s of the values tried", m.Label, strings.Join(at, " and "))
	if len(today) == len(sw.Parameters) {
		title += "; today " + strings.Join(today, " and ")
	}
	return title
}

// sweepLabel names the sweep's parameter j in words, by its path for a
// sweep without labels.
func sweepLabel(sw *results.Sweep, j int) string {
	if j < len(sw.Labels) && sw.Labels[j] != "" {
		return sw.Labels[j]
	}
	return sw.Parameters[j]
}

// sweepToday is where today's value of a one-input sweep's parameter
// (the baseline's) lies on the input axis, if the sweep knows it.
func sweepToday(sw *results.Sweep) (float64, bool) {
	if len(sw.Today) == 0 || sw.Today[0] == "" || len(sw.TodayNumbers) == 0 {
		return 0, false
	}
	for _, pt := range sw.Points { // a word's place is its point's
		if pt.Values[0] == sw.Today[0] {
			return pt.Numbers[0], true
		}
	}
	x := sw.TodayNumbers[0]
	return x, x != 0 || sw.Today[0] == "0"
}

// sweepTodayText says today's values of the parameters, after sep, or "".
func sweepTodayText(sw *results.Sweep, sep string) string {
	var parts []string
	for j, v := range sw.Today {
		if v != "" {
			parts = append(parts, sweepLabel(sw, j)+" = "+v)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return sep + "Today (the baseline): " + strings.Join(parts, ", ") + "."
}

// sweepEdgeText warns, after sep, that the best point is at the edge of
// the grid and which way to extend it, or is "".
func sweepEdgeText(sw *results.Sweep, sep string) string {
	var parts []string
	for _, e := range sw.Edges {
		parts = append(parts, fmt.Sprintf("%s = %s is the %s value tried; extend the range %s %s", e.Parameter, e.Value,
			map[string]string{"below": "lowest", "above": "highest"}[e.Extend], e.Extend, e.Value))
	}
	if len(parts) == 0 {
		return ""
	}
	return sep + "The best may lie outside the grid: " + strings.Join(parts, "; ") + "."
}

// sweepBeats says in how many of the same trials the point pt beats each
// of its neighbours: "9 in 87 % of trials, 11 in 64 %".
func sweepBeats(sw *results.Sweep, pt results.SweepPoint) string {
	var parts []string
	for i, b := range pt.Beats {
		share := sharePercent(b.Share)
		if i == 0 {
			share = strings.Replace(shareOfTrials(b.Share), " %", "%", 1)
		}
		parts = append(parts, strings.Join(b.Values, ", ")+" in "+share)
	}
	return strings.Join(parts, ", ")
}

// SweepNotes writes, after the sweep's one-line summary (SweepText), the
// best point's paired comparison with its neighbours, today's values and
// the warning when the best point is at the edge of the grid.
func SweepNotes(w io.Writer, sw *results.Sweep) error {
	best := sw.Points[sw.Best]
	if len(best.Beats) > 0 && sw.Mode != "expected" {
		fmt.Fprintf(w, "  on the same trials, the best beats its neighbours: %s\n", sweepBeats(sw, best))
		for _, b := range best.Beats {
			sign := ""
			if b.MeanDiff > 0 {
				sign = "+"
			}
			fmt.Fprintf(w, "    mean difference from %s: %s%s\n", strings.Join(b.Values, ", "), sign, FormatMetric(sw.Metric, b.MeanDiff, sw.Currency))
		}
	}
	if t := sweepTodayText(sw, ""); t != "" {
		fmt.Fprintf(w, "  %s\n", strings.ToLower(t[:1])+t[1:])
	}
	if e := sweepEdgeText(sw, ""); e != "" {
		_, err := fmt.Fprintf(w, "  warning: %s\n", strings.ToLower(e[:1])+e[1:])
		return err
	}
	return nil
}

func unitSuffix(u axisUnit, currency string) string {
	if u == axisMoney {
		return " (" + currencyCode(currency) + ")"
	}
	return ""
}

// sweepTicks labels the input axis at the sweep's own points (thinned to
// about ten labels).
type sweepTicks struct{ sw *results.Sweep }

func (t sweepTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	seen := map[float64]bool{}
	var xs []results.SweepPoint
	for _, pt := range t.sw.Points {
		if !seen[pt.Numbers[0]] {
			seen[pt.Numbers[0]] = true
			xs = append(xs, pt)
		}
	}
	every := max1((len(xs) + 9) / 10)
	for i, pt := range xs {
		label := ""
		if i%every == 0 {
			label = pt.Values[0]
		}
		ticks = append(ticks, plot.Tick{Value: pt.Numbers[0], Label: label})
	}
	return ticks
}

func max1(n int) int { return int(math.Max(1, float64(n))) }

// sweepHeat is a grid of cells, first input across and second up, coloured
// by the mean of the metric and labelled with it.
func sweepHeat(sw *results.Sweep, m chartMetric) *chartFigure {
	var xs, ys []string
	for _, pt := range sw.Points {
		if !contains(xs, pt.Values[0]) {
			xs = append(xs, pt.Values[0])
		}
		if !contains(ys, pt.Values[1]) {
			ys = append(ys, pt.Values[1])
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pt := range sw.Points {
		v := pt.Metrics[sw.Metric].Mean
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	body := func(c draw.Canvas) {
		labelSty := theme.style(theme.TickSize, false, theme.Ink)
		axisSty := theme.style(theme.AxisLabelSize, false, theme.Muted)
		left, bottom, top := c.Min.X+vg.Points(90), c.Min.Y+vg.Points(40), c.Max.Y-vg.Points(18)
		w := (c.Max.X - left) / vg.Length(len(xs))
		h := (top - bottom) / vg.Length(len(ys))
		for i, pt := range sw.Points {
			xi, yi := index(xs, pt.Values[0]), index(ys, pt.Values[1])
			v := pt.Metrics[sw.Metric].Mean
			t := 0.5
			if hi > lo {
				t = (v - lo) / (hi - lo)
			}
			cell := vg.Rectangle{Min: vg.Point{X: left + vg.Length(xi)*w, Y: bottom + vg.Length(yi)*h}}
			cell.Max = vg.Point{X: cell.Min.X + w - 1, Y: cell.Min.Y + h - 1}
			c.FillPolygon(heatColor(t), rectPoints(cell))
			if i == sw.Best {
				c.StrokeLines(draw.LineStyle{Color: theme.Ink, Width: vg.Points(2.5)}, append(rectPoints(cell), cell.Min))
			}
			sty := labelSty
			sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
			if t < 0.45 {
				sty.Color = color.White
			}
			c.FillText(sty, vg.Point{X: (cell.Min.X + cell.Max.X) / 2, Y: (cell.Min.Y + cell.Max.Y) / 2}, chartValue(v, m.Unit, sw.Currency, false))
		}
		for i, x := range xs {
			sty := labelSty
			sty.XAlign = draw.XCenter
			c.FillText(sty, vg.Point{X: left + (vg.Length(i)+0.5)*w, Y: bottom - vg.Points(14)}, x)
		}
		for i, y := range ys {
			sty := labelSty
			sty.XAlign, sty.YAlign = draw.XRight, draw.YCenter
			c.FillText(sty, vg.Point{X: left - vg.Points(6), Y: bottom + (vg.Length(i)+0.5)*h}, y)
		}
		ax := axisSty
		ax.XAlign = draw.XCenter
		c.FillText(ax, vg.Point{X: (left + c.Max.X) / 2, Y: c.Min.Y + vg.Points(4)}, sweepLabel(sw, 0))
		ay := axisSty
		ay.XAlign, ay.YAlign = draw.XRight, draw.YBottom
		c.FillText(ay, vg.Point{X: left - vg.Points(6), Y: top + vg.Points(4)}, sweepLabel(sw, 1)+" ↓")
	}
	best := sw.Points[sw.Best]
	return &chartFigure{
		Title: sweepTitle(sw, m, best),
		Subtitle: fmt.Sprintf("Each cell: the mean over the trials; darker is lower. The outlined cell is the best: %s = %s, %s = %s.%s%s",
			sweepLabel(sw, 0), best.Values[0], sweepLabel(sw, 1), best.Values[1], sweepTodayText(sw, " "), sweepEdgeText(sw, " ")),
		Note: sweepSource(sw),
		Body: body,
	}
}

// heatColor runs from a dark blue (t = 0) to a light yellow (t = 1), a
// sequential scale readable in grey and by colour-blind readers.
func heatColor(t float64) color.NRGBA {
	lerp := func(a, b uint8) uint8 { return uint8(float64(a) + t*(float64(b)-float64(a))) }
	return color.NRGBA{R: lerp(0x1f, 0xf7), G: lerp(0x3a, 0xe8), B: lerp(0x6e, 0x9a), A: 255}
}

func contains(s []string, v string) bool { return index(s, v) >= 0 }

func index(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// convergenceChart shows a run to precision: the metric's mean after each
// round of trials with its 95 % interval.
func convergenceChart(r *results.Results) *chartSpec {
	cv := r.Convergence
	if cv == nil || len(cv.Rounds) < 2 {
		return nil
	}
	m := chartMetric{Key: cv.Metric, Unit: axisNumber, Short: cv.Metric, Label: cv.Metric}
	for _, x := range chartMetrics(r) {
		if x.Key == cv.Metric {
			m = x
		}
	}
	var mid, lo, hi plotter.XYs
	for _, rd := range cv.Rounds {
		x := float64(rd.Trials)
		mid = append(mid, plotter.XY{X: x, Y: rd.Mean})
		lo = append(lo, plotter.XY{X: x, Y: rd.Mean - 1.96*rd.SE})
		hi = append(hi, plotter.XY{X: x, Y: rd.Mean + 1.96*rd.SE})
	}
	p := theme.newPlot("Trials", m.Label+unitSuffix(m.Unit, r.Currency))
	c := optionColor(0)
	p.Add(newBand(lo, hi, withAlpha(c, theme.BandOnlyAlpha)))
	p.Add(newLine(mid, draw.LineStyle{Color: c, Width: theme.LineWidth}))
	fitValueAxis(&p.Y, p.Y.Min, p.Y.Max, valueTicks{Unit: m.Unit, Currency: r.Currency}, 7)
	p.X.Tick.Marker = valueTicks{Unit: axisCount}
	state := "reached"
	if !cv.Converged {
		state = "not reached"
	}
	fig := chartFigure{
		Title: fmt.Sprintf("Convergence of the baseline's %s", m.Short),
		Subtitle: fmt.Sprintf("Mean after each round of trials with its 95 %% interval. Target: ±%s of the mean for the mean and every difference; %s (±%s after %s trials).",
			Percent(cv.Target), state, Percent(cv.Achieved), Count(float64(cv.Rounds[len(cv.Rounds)-1].Trials))),
		Legend: []legendItem{{Label: "mean, with its 95 % interval", Color: c, Kind: swatchLineBand}},
		Note:   chartSource(r),
		Body:   func(cv draw.Canvas) { p.Draw(cv) },
	}
	return &chartSpec{name: "convergence", caption: fig.Subtitle, fig: fig}
}

// mutedColor is the theme's muted grey, for the mark of today's value.
var mutedColor = color.NRGBAModel.Convert(theme.Muted).(color.NRGBA)
