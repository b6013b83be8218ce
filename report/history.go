package report

// Charts of a company's history (csplan kpi and csplan calibrate): NRR and
// GRR over time, retention by tenure against the fitted models, and the
// Pareto of accounts by MRR. They take plain numbers, so this package does
// not depend on the fitting code.

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

var dashed = []vg.Length{vg.Points(6), vg.Points(4)}

// grrDashes are GRR's short dashes, over NRR, which shows between them.
var grrDashes = []vg.Length{vg.Points(4), vg.Points(4)}

// RetentionTrend is NRR and GRR measured over Window months, ending at
// each month from Start (YYYY-MM) on.
type RetentionTrend struct {
	Source   string // shown in the footnote: the history file
	Start    string
	NRR, GRR []float64
	Window   int
}

// RetentionTrendChart draws NRR and GRR over time with the K1 benchmark
// (NRR about 104 % a year) as a dashed line.
func RetentionTrendChart(t RetentionTrend) (Chart, error) {
	if len(t.NRR) == 0 {
		return Chart{}, fmt.Errorf("report: no NRR to chart (the history needs at least two months)")
	}
	p := theme.newPlot("Month end", "Retention of the starting MRR")
	p.X.Tick.Marker = monthTicks{Start: t.Start}
	bench := math.Pow(1.04, float64(t.Window)/12)
	p.Add(newLine(plotter.XYs{{X: 1, Y: bench}, {X: float64(len(t.NRR)), Y: bench}},
		draw.LineStyle{Color: theme.Faint, Width: theme.LineWidth * 0.7, Dashes: dashed}))
	// NRR under GRR, which is short-dashed on top: without expansion the
	// two are equal, and GRR drawn under NRR was hidden.
	p.Add(newLine(indexXYs(1, t.NRR), draw.LineStyle{Color: optionColor(0), Width: theme.LineWidth}))
	p.Add(newLine(indexXYs(1, t.GRR), draw.LineStyle{Color: optionColor(1), Width: theme.LineWidth, Dashes: grrDashes}))
	lo, hi := bench, bench
	for i := range t.NRR {
		lo, hi = math.Min(lo, math.Min(t.NRR[i], t.GRR[i])), math.Max(hi, math.Max(t.NRR[i], t.GRR[i]))
	}
	fitValueAxis(&p.Y, lo, hi, valueTicks{Unit: axisRate}, 7)
	over := "12 months"
	if t.Window == 1 {
		over = "one month (the history is shorter than 13 months)"
	}
	last := len(t.NRR) - 1
	fig := chartFigure{
		Title:    fmt.Sprintf("Net and gross revenue retention: NRR %s, GRR %s at %s", Percent(t.NRR[last]), Percent(t.GRR[last]), MonthLabel(t.Start, last+1)),
		Subtitle: fmt.Sprintf("MRR at each month end from the accounts paying %s earlier, over their MRR then. NRR includes expansion; GRR caps each account at its starting MRR.", over),
		Legend: []legendItem{
			{Label: "NRR", Color: optionColor(0), Kind: swatchLine},
			{Label: "GRR", Color: optionColor(1), Kind: swatchLine, Dashes: grrDashes},
			{Label: fmt.Sprintf("NRR benchmark %s (104 %% a year, OpenView)", Percent(bench)), Color: withAlpha(color.NRGBA{0x99, 0x99, 0x99, 0xff}, 1), Kind: swatchLine, Dashes: dashed},
		},
		Note: "csplan kpi · " + t.Source,
		Body: func(c draw.Canvas) { p.Draw(c) },
	}
	return renderHistory("nrr-grr", fig)
}

// RetentionFit is one segment's retention by tenure: the Kaplan-Meier
// estimate with its 95 % interval and the fitted models' curves.
type RetentionFit struct {
	Source  string
	Segment string
	Unit    string // "month" or "year": the contract term
	KM      []float64
	Lower   []float64
	Upper   []float64
	Models  []RetentionModel
	Known   int // accounts the curve is estimated on
	// Thin is how many later periods are left out for having fewer than
	// MinAtRisk accounts at risk.
	Thin, MinAtRisk int
}

// RetentionModel is a fitted survival curve S(0..n).
type RetentionModel struct {
	Name     string
	Survival []float64
	Chosen   bool
}

// RetentionChart draws actual retention by tenure (Kaplan-Meier, with its
// 95 % band) against the fitted models, the chosen one solid and wide.
func RetentionChart(r RetentionFit) (Chart, error) {
	if len(r.KM) < 2 {
		return Chart{}, fmt.Errorf("report: segment %s has no retention curve (no tenure observed)", r.Segment)
	}
	p := theme.newPlot("Tenure ("+r.Unit+"s)", "Share of accounts still paying")
	black := okabeIto[7]
	p.Add(newBand(indexXYs(0, r.Lower), indexXYs(0, r.Upper), withAlpha(black, theme.BandOnlyAlpha*0.7)))
	legend := []legendItem{{Label: "Actual (Kaplan-Meier) with 95 % interval", Color: black, Kind: swatchLineBand}}
	n := len(r.KM) - 1
	for i, m := range r.Models {
		c := optionColor(i)
		sty := draw.LineStyle{Color: c, Width: theme.LineWidth}
		label := m.Name
		if !m.Chosen {
			sty.Dashes = dashed
		} else {
			// Wide, under Kaplan-Meier's line: a model that follows it
			// (the hazard by tenure does over the data) shows as its halo.
			sty.Width *= 3
			label += " (chosen by AIC)"
		}
		sv := m.Survival
		if len(sv) > n+1 {
			sv = sv[:n+1]
		}
		p.Add(newLine(indexXYs(0, sv), sty))
		legend = append(legend, legendItem{Label: label, Color: c, Kind: swatchLine, Dashes: sty.Dashes})
	}
	p.Add(newLine(indexXYs(0, r.KM), draw.LineStyle{Color: black, Width: theme.LineWidth}))
	p.X.Min, p.X.Max = 0, float64(n)
	p.X.Tick.Marker = valueTicks{Unit: axisCount}
	fitValueAxis(&p.Y, 0, 1, valueTicks{Unit: axisRate}, 7)
	fig := chartFigure{
		Title:    fmt.Sprintf("%s: retention by tenure, actual against fitted (%s after %s)", r.Segment, Percent(r.KM[n]), Plural(n, r.Unit)),
		Subtitle: fmt.Sprintf("Share of %s accounts with a known start still paying after each %s of tenure; the models are fitted by maximum likelihood.%s", Count(float64(r.Known)), r.Unit, thinNote(r)),
		Legend:   legend,
		Note:     "csplan calibrate · " + r.Source,
		Body:     func(c draw.Canvas) { p.Draw(c) },
	}
	return renderHistory("retention-"+r.Segment, fig)
}

// thinNote says how many periods a retention chart leaves out, and why.
func thinNote(r RetentionFit) string {
	if r.Thin == 0 {
		return ""
	}
	verb := "are"
	if r.Thin == 1 {
		verb = "is"
	}
	return fmt.Sprintf(" %s after the last shown, with fewer than %d accounts at risk, %s left out.", Plural(r.Thin, r.Unit), r.MinAtRisk, verb)
}

// ParetoBook is the book ranked by MRR, largest first, with touch tiers.
type ParetoBook struct {
	Source   string
	Month    string
	Currency string
	MRR      []float64 // descending
	Tiers    []ParetoTier
}

// ParetoTier is one suggested touch tier of the Pareto.
type ParetoTier struct {
	Name     string
	Accounts int
	Share    float64 // of MRR
}

// ParetoChart draws MRR per account in descending order (bars, or a filled
// profile when there are more accounts than fit as bars) with the
// cumulative share of MRR as a line on its own axis at the right, and the
// touch tiers marked.
func ParetoChart(b ParetoBook) (Chart, error) {
	n := len(b.MRR)
	if n == 0 {
		return Chart{}, fmt.Errorf("report: no paying accounts to rank")
	}
	total := 0.0
	for _, v := range b.MRR {
		total += v
	}
	p := theme.newPlot("Accounts ranked by MRR", "MRR per account ("+currencyCode(b.Currency)+")")
	fitValueAxis(&p.Y, 0, b.MRR[0], valueTicks{Unit: axisMoney, Currency: b.Currency}, 7)
	p.X.Min, p.X.Max = 0, float64(n)
	p.X.Tick.Marker = valueTicks{Unit: axisCount}
	p.Add(paretoBars(b.MRR))
	p.Add(cumulativeShare(b.MRR, total, p.Y.Min, p.Y.Max))
	p.Add(tierMarks(b.Tiers, p.Y.Min, p.Y.Max)...)
	legend := []legendItem{
		{Label: "MRR of each account", Color: optionColor(0), Kind: swatchBar},
		{Label: "Cumulative share of MRR (right axis)", Color: optionColor(3), Kind: swatchLine},
	}
	sub := ""
	if len(b.Tiers) == 3 {
		t := b.Tiers
		sub = fmt.Sprintf("Suggested tiers: high touch, the top %s accounts, hold %s of MRR; low touch, the next %s, bring that to %s; the other %s are digital.",
			Count(float64(t[0].Accounts)), Percent(t[0].Share), Count(float64(t[1].Accounts)), Percent(t[0].Share+t[1].Share), Count(float64(t[2].Accounts)))
	}
	fig := chartFigure{
		Title:    fmt.Sprintf("Revenue concentration in %s: %s accounts, %s MRR", b.Month, Count(float64(n)), Money(total, b.Currency)),
		Subtitle: sub,
		Legend:   legend,
		Note:     "csplan calibrate · " + b.Source,
		Body: func(c draw.Canvas) {
			c.Max.X -= 40 // room for the right axis
			p.Draw(c)
			drawShareAxis(p.DataCanvas(c))
		},
	}
	return renderHistory("pareto", fig)
}

// paretoBars is MRR per account, largest first, as a bar per account, or
// as a filled profile when there are more accounts than fit as bars.
func paretoBars(mrr []float64) *plotter.Polygon {
	n := len(mrr)
	bars := &plotter.Polygon{Color: withAlpha(optionColor(0), theme.BarAlpha)}
	if n <= 150 {
		const gap = 0.15 // of an account's width, between bars
		for i, v := range mrr {
			x0, x1 := float64(i)+gap/2, float64(i+1)-gap/2
			bars.XYs = append(bars.XYs, plotter.XYs{{X: x0, Y: 0}, {X: x1, Y: 0}, {X: x1, Y: v}, {X: x0, Y: v}})
		}
		return bars
	}
	profile := plotter.XYs{{X: 0, Y: 0}}
	for i := 0; i < n; i += max(1, n/2000) {
		profile = append(profile, plotter.XY{X: float64(i), Y: mrr[i]})
	}
	profile = append(profile, plotter.XY{X: float64(n), Y: mrr[n-1]}, plotter.XY{X: float64(n), Y: 0})
	bars.XYs = []plotter.XYs{profile}
	return bars
}

// cumulativeShare is the running share of total MRR, drawn over the height
// of the value axis from lo (0 %) to hi (100 %), as the right axis reads it.
func cumulativeShare(mrr []float64, total, lo, hi float64) unpadded {
	n := len(mrr)
	yOf := func(share float64) float64 { return lo + share*(hi-lo) }
	xys := plotter.XYs{{X: 0, Y: yOf(0)}}
	cum := 0.0
	step := max(1, n/2000)
	for i, v := range mrr {
		cum += v
		if (i+1)%step == 0 || i == n-1 {
			xys = append(xys, plotter.XY{X: float64(i + 1), Y: yOf(cum / total)})
		}
	}
	return newLine(xys, draw.LineStyle{Color: optionColor(3), Width: theme.LineWidth})
}

// tierMarks are the touch tiers: a dashed line where each but the last
// ends, and each one's name at the top of its first account, over the
// height of the value axis from lo to hi.
func tierMarks(tiers []ParetoTier, lo, hi float64) []plot.Plotter {
	var marks []plot.Plotter
	sty := theme.style(theme.ValueSize, false, theme.Muted)
	at := 0
	for i, t := range tiers {
		x0 := float64(at)
		at += t.Accounts
		if i < len(tiers)-1 {
			x := float64(at)
			marks = append(marks, newLine(plotter.XYs{{X: x, Y: lo}, {X: x, Y: hi}},
				draw.LineStyle{Color: theme.Faint, Width: theme.AxisWidth, Dashes: dashed}))
		}
		marks = append(marks, &plotter.Labels{XYs: plotter.XYs{{X: x0, Y: hi}}, Labels: []string{t.Name},
			TextStyle: []text.Style{sty}, Offset: vg.Point{X: 4, Y: -2}})
	}
	return marks
}

// drawShareAxis labels the cumulative share on the right of the data area
// c, from 0 % at its bottom to 100 % at its top.
func drawShareAxis(c draw.Canvas) {
	sty := theme.style(theme.TickSize, false, theme.Ink)
	sty.YAlign = draw.YCenter
	for _, s := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.FillText(sty, vg.Point{X: c.Max.X + 6, Y: c.Min.Y + vg.Length(s)*(c.Max.Y-c.Min.Y)}, fmt.Sprintf("%.0f%%", 100*s))
	}
}

// renderHistory renders a history chart as SVG and PNG.
func renderHistory(name string, fig chartFigure) (Chart, error) {
	svg, png, _, err := theme.render(&fig, false)
	if err != nil {
		return Chart{}, err
	}
	return Chart{Name: name, Title: fig.Title, SVG: svg, PNG: png}, nil
}
