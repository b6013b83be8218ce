package report

// The one chart theme of csplan: slide geometry, fonts, sizes, palette and
// line widths, the styled plot every chart starts from, the figure frame
// (title, subtitle, legend, footnote) drawn around the plots, and the
// renderer that writes a figure as SVG, PNG and PDF. New charts (capacity,
// sweep, tornado, retention, Pareto) build a figure from these pieces and
// look like the rest without restating any style.

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"strings"

	xfont "golang.org/x/image/font"
	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Slide geometry: a 16:9 page of 10 × 5.625 in. At 160 dpi the PNG is
// 1600 × 900 px, a full-width slide image; the SVG is 720 × 405 pt and
// scales freely in HTML.
const (
	slideWidth  = 10 * vg.Inch
	slideHeight = 5.625 * vg.Inch
	slideDPI    = 160
)

// chartTheme holds every style decision of the charts in one place.
type chartTheme struct {
	Font font.Font // typeface; sizes below

	TitleSize, SubtitleSize, LegendSize, NoteSize vg.Length
	PanelTitleSize, AxisLabelSize, TickSize       vg.Length
	ValueSize                                     vg.Length // numbers written on the data

	Ink, Muted, Faint, Grid, Background color.Color

	LineWidth    vg.Length // a median or chartExpected path
	WhiskerWidth vg.Length // an interval
	GridWidth    vg.Length
	AxisWidth    vg.Length
	MarkerRadius vg.Length

	// Band opacities: the 90 % band is lighter than the 50 % band; with a
	// single band (90 %) the middle value is used.
	Band90Alpha, Band50Alpha, BandOnlyAlpha float64
	BarAlpha                                float64

	Margin         vg.Length // around the whole chartFigure
	Gap            vg.Length // between title, subtitle, legend and body
	SwatchWidth    vg.Length // legend sample
	LegendItemGap  vg.Length // between legend items in a row
	PanelGapX      vg.Length // between small multiples
	PanelGapY      vg.Length
	MaxMonthLabels int     // most labelled ticks on a time axis
	MinAxisSpan    float64 // a value axis spans at least this share of its largest level
	TargetTicks    int     // about this many labelled ticks on a value axis
}

// theme is the csplan theme. Liberation Sans is metric-compatible with Arial,
// so the SVG falls back to Arial or Helvetica where it is not installed
// without moving any text (see svgFontFallback).
var theme = chartTheme{
	Font: font.Font{Typeface: "Liberation", Variant: "Sans"},

	TitleSize:      18,
	SubtitleSize:   11.5,
	LegendSize:     11.5,
	NoteSize:       9,
	PanelTitleSize: 11.5,
	AxisLabelSize:  11,
	TickSize:       10.5,
	ValueSize:      10,

	Ink:        color.NRGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff},
	Muted:      color.NRGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff},
	Faint:      color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff},
	Grid:       color.NRGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff},
	Background: color.White,

	LineWidth:    2.25,
	WhiskerWidth: 2,
	GridWidth:    0.6,
	AxisWidth:    0.8,
	MarkerRadius: 4.5,

	Band90Alpha:   0.08,
	Band50Alpha:   0.15,
	BandOnlyAlpha: 0.18,
	BarAlpha:      0.85,

	Margin:         16,
	Gap:            6,
	SwatchWidth:    24,
	LegendItemGap:  20,
	PanelGapX:      22,
	PanelGapY:      14,
	MaxMonthLabels: 7,
	MinAxisSpan:    0.1,
	TargetTicks:    5,
}

// okabeIto is the Okabe-Ito palette, distinguishable with every common
// colour-vision deficiency, ordered so the first options get the colours
// that read best on white (yellow last, black kept for reference lines).
var okabeIto = []color.NRGBA{
	{R: 0x00, G: 0x72, B: 0xB2, A: 0xff}, // blue
	{R: 0xE6, G: 0x9F, B: 0x00, A: 0xff}, // orange
	{R: 0x00, G: 0x9E, B: 0x73, A: 0xff}, // bluish green
	{R: 0xD5, G: 0x5E, B: 0x00, A: 0xff}, // vermillion
	{R: 0xCC, G: 0x79, B: 0xA7, A: 0xff}, // reddish purple
	{R: 0x56, G: 0xB4, B: 0xE9, A: 0xff}, // sky blue
	{R: 0xF0, G: 0xE4, B: 0x42, A: 0xff}, // yellow
	{R: 0x00, G: 0x00, B: 0x00, A: 0xff}, // black
}

// optionColor is the colour of option i (0 is the baseline) in every chart.
func optionColor(i int) color.NRGBA { return okabeIto[i%len(okabeIto)] }

// optionGlyph is the marker shape of option i, so options stay apart in
// greyscale print as well as by colour.
func optionGlyph(i int) draw.GlyphDrawer {
	glyphs := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, diamondGlyph{}, invertedPyramidGlyph{}}
	return glyphs[i%len(glyphs)]
}

// diamondGlyph is a filled diamond.
type diamondGlyph struct{}

func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetColor(sty.Color)
	r := sty.Radius * 1.25
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	c.Fill(p)
}

// invertedPyramidGlyph is a filled triangle pointing down.
type invertedPyramidGlyph struct{}

func (invertedPyramidGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetColor(sty.Color)
	r := sty.Radius * 1.2
	var p vg.Path
	p.Move(vg.Point{X: pt.X - r, Y: pt.Y + r*0.6})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y + r*0.6})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Close()
	c.Fill(p)
}

// withAlpha is c at opacity a (0..1).
func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(math.Round(a * 255))
	return c
}

// style is a text style of the theme's typeface, anchored at its top left.
func (t *chartTheme) style(size vg.Length, bold bool, c color.Color) text.Style {
	f := t.Font
	f.Size = size
	if bold {
		f.Weight = xfont.WeightBold
	}
	return text.Style{Color: c, Font: f, XAlign: draw.XLeft, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
}

// newPlot is a plot in the theme: sans-serif text, horizontal grid lines
// at the value ticks, no box, a light time/category axis, no legend (the
// figure draws one outside the data). Callers set the tick markers.
func (t *chartTheme) newPlot(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the chartFigure paints the page once
	p.Title.TextStyle = t.style(t.PanelTitleSize, true, t.Ink)
	p.Title.TextStyle.XAlign = draw.XCenter
	p.Title.Padding = 6
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = t.style(t.AxisLabelSize, false, nil).Font
		a.Label.TextStyle.Color = t.Muted
		a.Label.Padding = 4
		a.Tick.Label.Font = t.style(t.TickSize, false, nil).Font
		a.Tick.Label.Color = t.Ink
		a.Tick.Color = t.Faint
		a.Tick.Width = t.AxisWidth
		a.Tick.Length = 5
		a.Color = t.Faint
		a.Width = t.AxisWidth
	}
	// The value axis is read through grid lines: no axis line, no tick marks.
	p.Y.Width = 0
	p.Y.Tick.Length = 0
	p.Y.Padding = 2
	p.Add(t.grid())
	return p
}

// grid draws horizontal lines at the labelled ticks of the value axis.
func (t *chartTheme) grid() plot.Plotter {
	return gridLines{sty: draw.LineStyle{Color: t.Grid, Width: t.GridWidth}}
}

// gridLines rather than plotter.Grid, which compares a tick's position
// with the data area's edges exactly: a grid line on the top tick, where
// fitValueAxis ends every value axis, lands a rounding error outside in
// about one layout in thirty and would be left out.
type gridLines struct{ sty draw.LineStyle }

func (g gridLines) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		if tk.IsMinor() {
			continue
		}
		if y := trY(tk.Value); y >= c.Min.Y-0.01 && y <= c.Max.Y+0.01 {
			c.StrokeLine2(g.sty, c.Min.X, y, c.Max.X, y)
		}
	}
}

// legendKind is how a legend sample is drawn.
type legendKind int

const (
	swatchLine     legendKind = iota // a line
	swatchLineBand                   // a line over its translucent band
	swatchMarker                     // a marker on an interval
	swatchDot                        // a marker alone
	swatchBar                        // a filled block
)

// legendItem is one entry of a figure's legend.
type legendItem struct {
	Label  string
	Color  color.NRGBA
	Kind   legendKind
	Glyph  draw.GlyphDrawer // swatchMarker
	Dashes []vg.Length      // swatchLine, swatchLineBand
}

// figure is a chart page: a title that says what the chart shows, a
// subtitle with how to read it, a legend above the data (so it never covers
// any), the body with one or more plots, and a footnote with the source.
type chartFigure struct {
	Title    string
	Subtitle string
	Legend   []legendItem
	Note     string
	Body     func(c draw.Canvas)
}

// render writes f as SVG and PNG, and as PDF when pdf is set.
func (t *chartTheme) render(f *chartFigure, pdf bool) (svgOut, pngOut, pdfOut []byte, err error) {
	if svgOut, err = t.svg(f); err != nil {
		return nil, nil, nil, err
	}
	img := vgimg.NewWith(vgimg.UseWH(slideWidth, slideHeight), vgimg.UseDPI(slideDPI))
	if pngOut, err = t.encode(f, pngCanvas{img}); err != nil {
		return nil, nil, nil, err
	}
	if pdf {
		if pdfOut, err = t.encode(f, pdfCanvas{vgpdf.New(slideWidth, slideHeight)}); err != nil {
			return nil, nil, nil, err
		}
	}
	return svgOut, pngOut, pdfOut, nil
}

// svg renders f as SVG.
func (t *chartTheme) svg(f *chartFigure) ([]byte, error) {
	b, err := t.encode(f, vgsvg.New(slideWidth, slideHeight))
	return outlineText(svgFontFallback(b)), err
}

// encode draws f on c and returns what c writes. A panic in the plotting
// library (it panics on some degenerate input) is returned as an error.
func (t *chartTheme) encode(f *chartFigure, c vg.CanvasWriterTo) (out []byte, err error) {
	defer func() {
		if e := recover(); e != nil {
			out, err = nil, fmt.Errorf("drawing %q: %v", f.Title, e)
		}
	}()
	t.drawFigure(f, draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// pngCanvas writes PNG with the fastest compression: encoding is most of
// the time of a chart, and better compression saves only a few per cent.
type pngCanvas struct{ *vgimg.Canvas }

func (c pngCanvas) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(cw, c.Image())
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// pdfCanvas works around two limits of vgpdf (with go-pdf/fpdf). Every
// font it embeds is written as the same font file, so a page with two
// faces shows the glyphs of one with the widths of the other; and text is
// passed to fpdf as UTF-8 where fpdf expects code page 1252. The PDF
// therefore sets all text in the regular face (bold titles become
// regular) and encodes it in code page 1252, writing a minus sign as an
// en dash and characters outside the code page as "?".
type pdfCanvas struct{ *vgpdf.Canvas }

func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfont.WeightNormal {
		regular := f.Font
		regular.Weight = xfont.WeightNormal
		f = font.DefaultCache.Lookup(regular, regular.Size)
	}
	c.Canvas.FillString(f, pt, cp1252(s))
}

func cp1252(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r == '−' {
			r = '–'
		}
		if c, ok := charmap.Windows1252.EncodeRune(r); ok {
			b = append(b, c)
		} else {
			b = append(b, '?')
		}
	}
	return string(b)
}

// svgFontFallback lets viewers without Liberation Sans use a
// metric-compatible font instead of their default serif.
func svgFontFallback(svg []byte) []byte {
	return bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
}

// drawFigure lays out and draws f on c.
func (t *chartTheme) drawFigure(f *chartFigure, c draw.Canvas) {
	c.SetColor(t.Background)
	c.Fill(c.Rectangle.Path())
	in := draw.Crop(c, t.Margin, -t.Margin, t.Margin*0.75, -t.Margin)
	width := in.Max.X - in.Min.X
	x, y := in.Min.X, in.Max.Y

	y = t.drawLines(in, x, y, t.style(t.TitleSize, true, t.Ink), wrapText(t.style(t.TitleSize, true, t.Ink), f.Title, width))
	if f.Subtitle != "" {
		y -= t.Gap * 0.5
		sty := t.style(t.SubtitleSize, false, t.Muted)
		y = t.drawLines(in, x, y, sty, wrapText(sty, f.Subtitle, width))
	}
	if len(f.Legend) > 0 {
		y -= t.Gap
		y = t.drawLegend(in, x, y, width, f.Legend)
	}
	y -= t.Gap * 1.5

	bottom := in.Min.Y
	if f.Note != "" {
		sty := t.style(t.NoteSize, false, t.Muted)
		lines := wrapText(sty, f.Note, width)
		h := sty.Height("X") * vg.Length(len(lines))
		t.drawLines(in, x, bottom+h, sty, lines)
		bottom += h + 2*t.Gap
	}
	body := in
	body.Min.Y, body.Max.Y = bottom, y
	if f.Body != nil {
		f.Body(body)
	}
}

// drawLines writes lines top-down from (x, y) and returns the y below them.
func (t *chartTheme) drawLines(c draw.Canvas, x, y vg.Length, sty text.Style, lines []string) vg.Length {
	lh := sty.Height("X")
	for _, l := range lines {
		c.FillText(sty, vg.Point{X: x, Y: y}, l)
		y -= lh
	}
	return y
}

// drawLegend flows the items left to right in rows of the given width and
// returns the y below the last row.
func (t *chartTheme) drawLegend(c draw.Canvas, x0, y vg.Length, width vg.Length, items []legendItem) vg.Length {
	sty := t.style(t.LegendSize, false, t.Ink)
	sty.YAlign = draw.YCenter
	rowH := sty.Height("X") * 1.15
	sw, gap := t.SwatchWidth, sty.Width(" ")
	x := x0
	first := true
	for _, it := range items {
		label := fitText(sty, it.Label, width-sw-gap)
		w := sw + gap + sty.Width(label)
		if !first && x+w > x0+width {
			x, y = x0, y-rowH
		}
		mid := y - rowH/2
		t.drawSwatch(c, it, vg.Rectangle{Min: vg.Point{X: x, Y: mid - rowH*0.32}, Max: vg.Point{X: x + sw, Y: mid + rowH*0.32}})
		c.FillText(sty, vg.Point{X: x + sw + gap, Y: mid}, label)
		x += w + t.LegendItemGap
		first = false
	}
	return y - rowH
}

// drawSwatch draws a legend sample in r.
func (t *chartTheme) drawSwatch(c draw.Canvas, it legendItem, r vg.Rectangle) {
	midY := (r.Min.Y + r.Max.Y) / 2
	line := draw.LineStyle{Color: it.Color, Width: t.LineWidth, Dashes: it.Dashes}
	switch it.Kind {
	case swatchLineBand:
		c.FillPolygon(withAlpha(it.Color, t.Band90Alpha+t.Band50Alpha), rectPoints(r))
		c.StrokeLine2(line, r.Min.X, midY, r.Max.X, midY)
	case swatchLine:
		c.StrokeLine2(line, r.Min.X, midY, r.Max.X, midY)
	case swatchMarker, swatchDot:
		if it.Kind == swatchMarker {
			c.StrokeLine2(draw.LineStyle{Color: it.Color, Width: t.WhiskerWidth}, r.Min.X, midY, r.Max.X, midY)
		}
		g := it.Glyph
		if g == nil {
			g = draw.CircleGlyph{}
		}
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: it.Color, Radius: t.MarkerRadius, Shape: g}, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: midY})
	case swatchBar:
		c.FillPolygon(withAlpha(it.Color, t.BarAlpha), rectPoints(r))
	}
}

// panelHeaderHeight is the height of a small multiple's header of 1 or 2
// lines.
func (t *chartTheme) panelHeaderHeight(lines int) vg.Length {
	return t.style(t.PanelTitleSize, true, t.Ink).Height("X") * vg.Length(lines)
}

// panelHeaderFits reports whether a header fits width on one line.
func (t *chartTheme) panelHeaderFits(width vg.Length, name, rest string) bool {
	bold := t.style(t.PanelTitleSize, true, t.Ink)
	plain := t.style(t.PanelTitleSize, false, t.Ink)
	return bold.Height("X")*0.65+bold.Width(" "+name+": ")+plain.Width(rest) <= width
}

// drawPanelHeader writes a small multiple's header at top, left-aligned in
// c: a colour key, the name in bold and what it shows, on one line or with
// what it shows on a second line.
func (t *chartTheme) drawPanelHeader(c draw.Canvas, top vg.Length, key color.Color, name, rest string, lines int) {
	bold := t.style(t.PanelTitleSize, true, t.Ink)
	plain := t.style(t.PanelTitleSize, false, t.Ink)
	x := c.Min.X
	if key != nil {
		sw := bold.Height("X") * 0.65
		mid := top - bold.Height("X")*0.5
		c.FillPolygon(key, rectPoints(vg.Rectangle{Min: vg.Point{X: x, Y: mid - sw/2}, Max: vg.Point{X: x + sw, Y: mid + sw/2}}))
		x += sw + bold.Width(" ")
	}
	if rest != "" && lines == 1 {
		name += ":"
	}
	c.FillText(bold, vg.Point{X: x, Y: top}, fitText(bold, name, c.Max.X-x))
	if lines == 1 {
		x += bold.Width(name) + plain.Width(" ")
	} else {
		top -= bold.Height("X")
	}
	c.FillText(plain, vg.Point{X: x, Y: top}, fitText(plain, rest, c.Max.X-x))
}

func rectPoints(r vg.Rectangle) []vg.Point {
	return []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
}

// wrap breaks s into lines no wider than width at spaces.
func wrapText(sty text.Style, s string, width vg.Length) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && sty.Width(line+" "+w) > width {
				lines = append(lines, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		lines = append(lines, line)
	}
	return lines
}

// fitText shortens s with an ellipsis until it fits width.
func fitText(sty text.Style, s string, width vg.Length) string {
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && sty.Width(string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// panelTile is tile i of n small multiples in cols columns inside c.
func panelTile(c draw.Canvas, i, n, cols int, gapX, gapY vg.Length) draw.Canvas {
	rows := (n + cols - 1) / cols
	return draw.Tiles{Rows: rows, Cols: cols, PadX: gapX, PadY: gapY}.At(c, i%cols, i/cols)
}

// Value axes. Each ticker labels about theme.TargetTicks ticks at round steps
// (1, 2, 2.5 or 5 times a power of ten) in the unit of the quantity, so no
// axis shows a raw 1e+06.

// axisUnit is how the numbers on a value axis are written.
type axisUnit int

const (
	axisMoney  axisUnit = iota // $1.2M, $350k
	axisRate                   // a fraction written as a percentage: 85%
	axisPoints                 // a difference of fractions in percentage points: +0.5 pp
	axisCount                  // accounts: 3,300
	axisShare                  // a share of trials: 20%
	axisNumber                 // anything else
)

// valueTicks is a plot.Ticker for a value axis in a unit. Signed writes
// a plus on positive values (differences).
type valueTicks struct {
	Unit     axisUnit
	Currency string
	Signed   bool
	Target   int // about this many intervals; 0 means theme.TargetTicks
}

// Ticks returns the labelled ticks in [min, max].
func (vt valueTicks) Ticks(min, max float64) []plot.Tick {
	target := vt.Target
	if target == 0 {
		target = theme.TargetTicks
	}
	step := niceStep(max-min, target, vt.Unit == axisCount)
	if step == 0 {
		return nil
	}
	var vals []float64
	for k := math.Ceil(min/step - 1e-9); k*step <= max+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		vals = append(vals, v)
	}
	// Money is written in one unit (k, M or B) along the axis, the unit of
	// its largest tick, with the decimals the step needs: $0, $0.5M, $1.0M.
	scale := 0.0
	for _, v := range vals {
		scale = math.Max(scale, math.Abs(v))
	}
	ticks := make([]plot.Tick, len(vals))
	for i, v := range vals {
		ticks[i] = plot.Tick{Value: v, Label: vt.label(v, step, scale)}
	}
	return ticks
}

// label writes tick v of an axis with the given step; scale is the largest
// tick in absolute value.
func (vt valueTicks) label(v, step, scale float64) string {
	sign := ""
	if vt.Signed && v > 0 {
		sign = "+"
	}
	switch vt.Unit {
	case axisMoney:
		return sign + moneyTick(v, step, scale, vt.Currency)
	case axisRate, axisShare:
		return sign + fixedDecimals(100*v, 100*step) + "%"
	case axisPoints:
		return sign + fixedDecimals(100*v, 100*step) + " pp"
	case axisCount:
		if step >= 1 {
			return sign + Count(v)
		}
		return sign + fixedDecimals(v, step)
	default:
		return sign + fixedDecimals(v, step)
	}
}

// moneyTick writes v in the unit (k, M, B) of scale with as many decimals
// as step needs, and the currency as Money writes it: $52.5M, 350 SEK.
func moneyTick(v, step, scale float64, currency string) string {
	unit, suffix := 1.0, ""
	switch {
	case scale >= 1e9:
		unit, suffix = 1e9, "B"
	case scale >= 1e6:
		unit, suffix = 1e6, "M"
	case scale >= 1e3:
		unit, suffix = 1e3, "k"
	}
	num := fixedDecimals(math.Abs(v)/unit, step/unit) + suffix
	if v == 0 {
		num = "0"
	}
	// The currency's place and symbol, from Money's own writing of 1.
	one := Money(1, currency)
	i := strings.Index(one, "1")
	s := one[:i] + num + one[i+1:]
	if v < 0 && !zeroText(num) {
		s = "−" + s
	}
	return s
}

// fixedDecimals writes v with the decimals that step needs (at most 6), a true
// minus sign, and no negative zero.
func fixedDecimals(v, step float64) string {
	d := 0
	for ; d < 6; d++ {
		s := step * math.Pow10(d)
		if math.Abs(s-math.Round(s)) < 1e-6*math.Max(1, s) {
			break
		}
	}
	s := fmt.Sprintf("%.*f", d, v)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return strings.Replace(s, "-", "−", 1)
}

// niceStep is a round step (1, 2, 2.5 or 5 × 10^k) giving about target
// intervals over span; integer steps only for counts.
func niceStep(span float64, target int, integer bool) float64 {
	if !(span > 0) || math.IsInf(span, 0) {
		return 0
	}
	raw := span / float64(target)
	mag := math.Pow10(int(math.Floor(math.Log10(raw))))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		s := m * mag
		if integer && s < 1 {
			continue
		}
		if integer && m == 2.5 && mag < 10 {
			continue
		}
		if s >= raw*0.999 {
			return s
		}
	}
	return 10 * mag
}

// fitValueAxis sets a value axis to vt's ticks over data in [lo, hi]: the
// axis is widened to the ticks around the data, so the data starts and ends
// on a labelled grid line, choosing among 3 to maxTicks intervals the tick
// step that wastes the least room. The axis spans at least
// theme.MinAxisSpan of the largest level, so a change of a few per cent is
// not blown up to the full height of the chart.
func fitValueAxis(a *plot.Axis, lo, hi float64, vt valueTicks, maxTicks int) {
	if m := math.Max(math.Abs(lo), math.Abs(hi)); hi-lo < theme.MinAxisSpan*m {
		mid, half := (lo+hi)/2, theme.MinAxisSpan*m/2
		nlo, nhi := mid-half, mid+half
		if lo >= 0 && nlo < 0 { // levels that are never negative stay so
			nlo, nhi = 0, 2*half
		}
		lo, hi = nlo, nhi
	}
	if lo == hi { // zero
		lo, hi = -1, 1
	}
	integer := vt.Unit == axisCount
	bestA, bestB, bestT := lo, hi, 0
	// Tick counts in order of preference: near theme.TargetTicks first, so
	// of two equally tight ranges the one with the usual count wins.
	for _, t := range []int{theme.TargetTicks, theme.TargetTicks - 1, theme.TargetTicks + 1, theme.TargetTicks - 2, theme.TargetTicks + 2} {
		if t < 2 || t > maxTicks {
			continue
		}
		// Widening the range can call for a longer step: repeat until the
		// ticker, given the widened range, picks the step it was cut to.
		step := niceStep(hi-lo, t, integer)
		a, b := lo, hi
		for range 6 {
			a, b = math.Floor(lo/step+1e-9)*step, math.Ceil(hi/step-1e-9)*step
			next := niceStep(b-a, t, integer)
			if next == step {
				break
			}
			step = next
		}
		if niceStep(b-a, t, integer) != step {
			continue
		}
		if bestT == 0 || b-a < bestB-bestA-1e-9*(hi-lo) {
			bestA, bestB, bestT = a, b, t
		}
	}
	if bestT == 0 {
		bestT = min(theme.TargetTicks, maxTicks)
	}
	vt.Target = bestT
	a.Min, a.Max, a.Tick.Marker = bestA, bestB, vt
}

// monthTicks is a plot.Ticker for a time axis in simulation months (0 is
// the opening book, the month before Start): labels are calendar months at
// a calendar-aligned step (every 1, 3, 6, 12, 24 or 60 months) chosen so
// at most theme.MaxMonthLabels are written; other months are minor ticks.
type monthTicks struct{ Start string }

// Ticks returns the month ticks in [min, max].
func (mt monthTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := int(math.Ceil(min)), int(math.Floor(max))
	if hi < lo {
		return nil
	}
	// index is the calendar month of simulation month m counted from year 0,
	// so that steps fall on January, quarters and halves.
	base := 1 // without a start, label months 0, 6, 12, ...
	if y, mo, ok := parseStart(mt.Start); ok {
		base = y*12 + mo - 1
	}
	index := func(m int) int { return base + m - 1 }
	step := 60
	for _, s := range []int{1, 3, 6, 12, 24, 60} {
		if (hi-lo)/s+1 <= theme.MaxMonthLabels {
			step = s
			break
		}
	}
	minor := 1
	switch {
	case step >= 24:
		minor = 12
	case step == 12 && hi-lo > 48:
		minor = 3
	}
	var ticks []plot.Tick
	for m := lo; m <= hi; m++ {
		i := index(m)
		switch {
		case modPos(i, step) == 0:
			ticks = append(ticks, plot.Tick{Value: float64(m), Label: MonthLabel(mt.Start, m)})
		case modPos(i, minor) == 0:
			ticks = append(ticks, plot.Tick{Value: float64(m)})
		}
	}
	return ticks
}

func modPos(a, b int) int { return ((a % b) + b) % b }

// parseStart reads "YYYY-MM".
func parseStart(s string) (year, month int, ok bool) {
	if _, err := fmt.Sscanf(s, "%4d-%2d", &year, &month); err != nil || month < 1 || month > 12 {
		return 0, 0, false
	}
	return year, month, true
}

// noTicks hides an axis's ticks and labels (a category axis whose
// categories the legend names).
type noTicks struct{}

func (noTicks) Ticks(min, max float64) []plot.Tick { return nil }
