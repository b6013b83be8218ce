package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"csplan/results"

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

// tornadoFigure draws one bar per input from the metric at the input's
// 10th percentile to the metric at its 90th, about the value with every
// input at its median; widest swing on top.
func tornadoFigure(s *results.Sensitivity) *chartFigure {
	m := sensitivityUnit(s)
	inputs := s.Inputs
	if len(inputs) > 15 {
		inputs = inputs[:15]
	}
	lo, hi := s.Median, s.Median
	for _, in := range inputs {
		lo, hi = math.Min(lo, math.Min(in.Low, in.High)), math.Max(hi, math.Max(in.Low, in.High))
	}
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = math.Max(1, math.Abs(hi)*0.05)
	}
	lo, hi = lo-pad, hi+pad
	lowColor, highColor := optionColor(1), optionColor(0)
	body := func(c draw.Canvas) {
		label := theme.style(theme.TickSize, false, theme.Ink)
		value := theme.style(theme.TickSize*0.9, false, theme.Muted)
		left := c.Min.X + vg.Points(230)
		right := c.Max.X - vg.Points(10)
		bottom := c.Min.Y + vg.Points(36)
		top := c.Max.Y
		x := func(v float64) vg.Length { return left + vg.Length((v-lo)/(hi-lo))*(right-left) }
		rowH := (top - bottom) / vg.Length(len(inputs))
		for i, in := range inputs {
			yc := top - (vg.Length(i)+0.5)*rowH
			h := rowH * 0.6
			for _, end := range []struct {
				v   float64
				col interface{ RGBA() (r, g, b, a uint32) }
				p   float64
			}{{in.Low, lowColor, in.P10}, {in.High, highColor, in.P90}} {
				a, b := x(s.Median), x(end.v)
				if b < a {
					a, b = b, a
				}
				rect := vg.Rectangle{Min: vg.Point{X: a, Y: yc - h/2}, Max: vg.Point{X: b, Y: yc + h/2}}
				if b-a > 0.5 {
					c.FillPolygon(end.col, rectPoints(rect))
				}
			}
			sty := label
			sty.XAlign, sty.YAlign = draw.XRight, draw.YCenter
			c.FillText(sty, vg.Point{X: left - vg.Points(8), Y: yc}, fitText(sty, in.Name, vg.Points(220)))
			vs := value
			vs.YAlign = draw.YCenter
			lowX, highX := x(in.Low), x(in.High)
			if in.Swing > 0 {
				vs.XAlign = draw.XRight
				c.FillText(vs, vg.Point{X: math32Min(lowX, highX) - vg.Points(4), Y: yc}, chartValue(math.Min(in.Low, in.High), m.Unit, s.Currency, false))
				vs.XAlign = draw.XLeft
				c.FillText(vs, vg.Point{X: math32Max(lowX, highX) + vg.Points(4), Y: yc}, chartValue(math.Max(in.Low, in.High), m.Unit, s.Currency, false))
			}
		}
		// The median line and the value axis.
		base := x(s.Median)
		c.StrokeLine2(draw.LineStyle{Color: theme.Ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}, base, bottom, base, top)
		axis := draw.LineStyle{Color: theme.Faint, Width: theme.AxisWidth}
		c.StrokeLine2(axis, left, bottom, right, bottom)
		for _, tk := range (valueTicks{Unit: m.Unit, Currency: s.Currency, Target: 6}).Ticks(lo, hi) {
			if tk.Label == "" {
				continue
			}
			tx := x(tk.Value)
			c.StrokeLine2(axis, tx, bottom, tx, bottom-vg.Points(4))
			sty := label
			sty.XAlign = draw.XCenter
			c.FillText(sty, vg.Point{X: tx, Y: bottom - vg.Points(16)}, tk.Label)
		}
	}
	return &chartFigure{
		Title: fmt.Sprintf("What moves %s most", m.Short),
		Subtitle: fmt.Sprintf("Mean %s with one input at its 10th (left colour) or 90th percentile (right colour) and the others at their medians; dashed: all at medians (%s). %s trials a point on the same random draws.",
			m.Short, chartValue(s.Median, m.Unit, s.Currency, false), Count(float64(s.Trials))),
		Legend: []legendItem{{Label: "input at its 10th percentile", Color: lowColor, Kind: swatchBar},
			{Label: "input at its 90th percentile", Color: highColor, Kind: swatchBar}},
		Note: fmt.Sprintf("csplan · %s · seed %d", s.Scenario, s.Seed),
		Body: body,
	}
}

func math32Min(a, b vg.Length) vg.Length { return vg.Length(math.Min(float64(a), float64(b))) }
func math32Max(a, b vg.Length) vg.Length { return vg.Length(math.Max(float64(a), float64(b))) }

func sensitivityMarkdown(s *results.Sensitivity) string {
	m := sensitivityUnit(s)
	f := func(v float64) string { return chartValue(v, m.Unit, s.Currency, false) }
	var b strings.Builder
	fmt.Fprintf(&b, "## Sensitivity of %s\n\n", m.Short)
	fmt.Fprintf(&b, "%s. Each input was set to its 10th and 90th percentile with every other uncertain input at its median, on the same %s trials (seed %d); with all inputs at their medians the mean is %s. The rank correlation and the share of variance come from the full Monte Carlo run (mean %s), the share being each input's squared rank correlation over their sum.\n\n",
		"![Tornado chart](tornado.png)", Count(float64(s.Trials)), s.Seed, f(s.Median), f(s.Full.Mean))
	b.WriteString("| Input | Distribution | At its P10 | At its P90 | Swing | Rank correlation | Share of variance |\n|---|---|---:|---:|---:|---:|---:|\n")
	for _, in := range s.Inputs {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %.2f | %s |\n", mdEscaper.Replace(in.Name), mdEscaper.Replace(in.Dist), f(in.Low), f(in.High), f(in.Swing), in.RankCorrelation, Percent(in.VarianceShare))
	}
	return b.String()
}

func sensitivityCSV(s *results.Sensitivity) string {
	var b strings.Builder
	b.WriteString("input,distribution,p10,p90,metric_at_p10,metric_at_p90,swing,rank_correlation,variance_share\n")
	g := func(v float64) string { return fmt.Sprint(v) }
	for _, in := range s.Inputs {
		fmt.Fprintf(&b, "%q,%q,%s,%s,%s,%s,%s,%s,%s\n", in.Name, in.Dist, g(in.P10), g(in.P90), g(in.Low), g(in.High), g(in.Swing), g(in.RankCorrelation), g(in.VarianceShare))
	}
	return b.String()
}
