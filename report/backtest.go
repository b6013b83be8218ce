package report

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"csplan/results"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BacktestFan is a forecast from a cut month against what happened: per
// month after the cut (from First, YYYY-MM), the forecast's quantiles and
// the actual value, and the months before the cut as history.
type BacktestFan struct {
	Source   string // the history file, for the footnote
	What     string // "ARR" or "Customers"
	Money    bool   // values are money in Currency
	Currency string
	Until    string    // the last month fitted
	First    string    // the first month forecast
	Before   []float64 // actuals of the months before First, ending at Until
	Actual   []float64
	P5, P25  []float64
	P50      []float64
	P75, P95 []float64
	In50     int // months whose actual is inside the middle 50 %
	In90     int
}

// BacktestFanChart draws the forecast's median with its 50 % and 90 %
// bands, and the actuals over it: the history up to the cut and what came
// after, each month marked.
func BacktestFanChart(f BacktestFan) (Chart, error) {
	n := len(f.Actual)
	if n == 0 || len(f.P50) != n {
		return Chart{}, fmt.Errorf("report: no forecast to chart")
	}
	unit := axisCount
	if f.Money {
		unit = axisMoney
	}
	p := theme.newPlot("Month end", f.What+unitSuffix(unit, f.Currency))
	before := len(f.Before)
	p.X.Tick.Marker = monthTicks{Start: monthBefore(f.First, before)}
	// x = 1 is the first month shown: the history's months before the cut,
	// then the forecast's from before + 1.
	at := func(vs []float64) plotter.XYs { return indexXYs(before+1, vs) }
	c := optionColor(0)
	p.Add(newBand(at(f.P5), at(f.P95), withAlpha(c, theme.Band90Alpha)))
	p.Add(newBand(at(f.P25), at(f.P75), withAlpha(c, theme.Band50Alpha)))
	p.Add(newLine(at(f.P50), draw.LineStyle{Color: c, Width: theme.LineWidth}))
	ink := color.NRGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	if before > 0 {
		hist := append(append([]float64(nil), f.Before...), f.Actual[0])
		p.Add(newLine(indexXYs(1, hist), draw.LineStyle{Color: ink, Width: theme.LineWidth * 0.8}))
	}
	p.Add(newLine(at(f.Actual), draw.LineStyle{Color: ink, Width: theme.LineWidth * 0.8}))
	p.Add(&plotter.Scatter{XYs: at(f.Actual), GlyphStyle: draw.GlyphStyle{Color: ink, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}})
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, vs := range [][]float64{f.Before, f.Actual, f.P5, f.P95} {
		for _, v := range vs {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	fitValueAxis(&p.Y, lo, hi, valueTicks{Unit: unit, Currency: f.Currency}, 7)
	value := func(v float64) string { return chartValue(v, unit, f.Currency, false) }
	fig := chartFigure{
		Title: fmt.Sprintf("%s inside the forecast's 90 %% band in %d of %d months, its 50 %% band in %d: fitted to %s, %s by %s against %s forecast",
			f.What, f.In90, n, f.In50, MonthLabel(f.Until, 1), value(f.Actual[n-1]), MonthLabel(f.First, n), value(f.P50[n-1])),
		Subtitle: "A scenario calibrated on the history up to the cut, run forward; the line and bands are its median and middle 50 % and 90 % of trials, the dots what the history shows. Nominally 50 % and 90 % of months fall inside; months in a row are not independent.",
		Legend: []legendItem{
			{Label: "Forecast: median, 50 % and 90 % bands", Color: c, Kind: swatchLineBand},
			{Label: "Actual", Color: ink, Kind: swatchMarker, Glyph: draw.CircleGlyph{}},
		},
		Note: "csplan backtest · " + f.Source,
		Body: func(cv draw.Canvas) { p.Draw(cv) },
	}
	return renderHistory("backtest-"+map[bool]string{true: results.SeriesARR, false: "customers"}[f.Money], fig)
}

// monthBefore is the month k months before first (YYYY-MM).
func monthBefore(first string, k int) string {
	t, ok := monthDate(first, 1)
	if !ok {
		return first
	}
	return t.AddDate(0, -k, 0).Format("2006-01")
}

// BacktestHorizon is, per month ahead of the cut (1, 2, ...), the share
// of cuts whose actual fell inside the forecast's 50 % and 90 % bands.
type BacktestHorizon struct {
	Source     string
	What       string
	Cuts       []int // how many cuts forecast that far ahead
	In50, In90 []float64
}

// minCoverageCuts is the fewest cuts a month ahead needs for its share to
// be drawn.
const minCoverageCuts = 3

// BacktestHorizonChart draws the coverage of the 50 % and 90 % bands by
// months ahead against their nominal shares.
func BacktestHorizonChart(h BacktestHorizon) (Chart, error) {
	if len(h.In50) == 0 {
		return Chart{}, fmt.Errorf("report: no coverage to chart")
	}
	// A share of one or two cuts is 0, 50 or 100 %: the months ahead that
	// fewer than minCoverageCuts cuts reach are left out (cuts only thin
	// out with the months ahead), unless no month has enough.
	shown := len(h.In50)
	for k, c := range h.Cuts {
		if c < minCoverageCuts {
			shown = k
			break
		}
	}
	left := ""
	if shown == 0 {
		shown = len(h.In50)
	} else if shown < len(h.In50) {
		left = fmt.Sprintf(" Months ahead that fewer than %d cuts reach (from %d on) are left out.", minCoverageCuts, shown+1)
	}
	h.In50, h.In90, h.Cuts = h.In50[:shown], h.In90[:shown], h.Cuts[:shown]
	p := theme.newPlot("Months ahead of the cut", "Share of cuts inside the band")
	for i, nominal := range []float64{0.5, 0.9} {
		p.Add(newLine(plotter.XYs{{X: 1, Y: nominal}, {X: float64(len(h.In50)), Y: nominal}},
			draw.LineStyle{Color: optionColor(i), Width: theme.LineWidth * 0.7, Dashes: dashed}))
	}
	for i, vs := range [][]float64{h.In50, h.In90} {
		p.Add(newLine(indexXYs(1, vs), draw.LineStyle{Color: optionColor(i), Width: theme.LineWidth}))
		p.Add(&plotter.Scatter{XYs: indexXYs(1, vs), GlyphStyle: draw.GlyphStyle{Color: optionColor(i), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}})
	}
	fitValueAxis(&p.Y, 0, 1, valueTicks{Unit: axisRate}, 6)
	n := len(h.In50)
	var ticks []plot.Tick
	for k, step := 1, max(1, (n+7)/8); k <= n; k += step {
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: strconv.Itoa(k)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = 0.5, float64(n)+0.5
	fig := chartFigure{
		Title:    fmt.Sprintf("%s: share of cuts inside the forecast's bands, by months ahead", h.What),
		Subtitle: fmt.Sprintf("Each cut fits the history up to it and forecasts the rest; %d cuts forecast one month ahead, %d the furthest shown. Dashed: the nominal shares, 50%% and 90%%.%s", h.Cuts[0], h.Cuts[len(h.Cuts)-1], left),
		Legend: []legendItem{
			{Label: "Inside the 50 % band", Color: optionColor(0), Kind: swatchLine},
			{Label: "Inside the 90 % band", Color: optionColor(1), Kind: swatchLine},
		},
		Note: "csplan backtest · " + h.Source,
		Body: func(c draw.Canvas) { p.Draw(c) },
	}
	return renderHistory("backtest-coverage", fig)
}
