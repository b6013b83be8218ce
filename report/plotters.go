package report

// The charts draw their data with gonum/plot's own plotter types; these
// helpers build them from csplan's data in the theme's styles.

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"csplan/results"
)

// seriesXYs is one statistic of a series by month.
func seriesXYs(pts []results.Point, y func(results.Point) float64) plotter.XYs {
	xys := make(plotter.XYs, len(pts))
	for i, pt := range pts {
		xys[i] = plotter.XY{X: float64(pt.Month), Y: y(pt)}
	}
	return xys
}

// indexXYs places values at x = first, first+1, ...
func indexXYs(first int, values []float64) plotter.XYs {
	xys := make(plotter.XYs, len(values))
	for i, v := range values {
		xys[i] = plotter.XY{X: float64(first + i), Y: v}
	}
	return xys
}

// unpadded is a gonum plotter that leaves the layout to the axes. gonum
// pads the data area so that a line's width or a marker's radius fits
// inside it at the ends of the data; the charts instead end their axes at
// the data (a time axis at the first and last month, a value axis on a
// labelled grid line) and let the marks reach over the edge.
type unpadded struct {
	plot.Plotter
	plot.DataRanger
}

func unpad(p interface {
	plot.Plotter
	plot.DataRanger
}) unpadded {
	return unpadded{p, p}
}

// newLine is a line through xys.
func newLine(xys plotter.XYs, sty draw.LineStyle) unpadded {
	return unpad(&plotter.Line{XYs: xys, LineStyle: sty})
}

// newBand fills the area between two lines over the same xs, lo and hi.
func newBand(lo, hi plotter.XYs, c color.Color) *plotter.Polygon {
	ring := make(plotter.XYs, 0, len(lo)+len(hi))
	ring = append(ring, hi...)
	for i := len(lo) - 1; i >= 0; i-- {
		ring = append(ring, lo[i])
	}
	return &plotter.Polygon{XYs: []plotter.XYs{ring}, Color: c}
}
