package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"image/color"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"csplan/results"
)

// The gross-profit bridge: how an option's difference from the baseline in
// gross profit over the horizon is made, driver by driver, as a sentence
// and a waterfall chart.

// bridgeLegNames name the legs as a chart's rows do.
var bridgeLegNames = map[string]string{
	results.BridgeOpening:     "Opening book",
	results.BridgeNew:         "New logos",
	results.BridgeSecondOrder: "Referrals and champion moves",
	results.BridgeUpsell:      "Upsell",
	results.BridgePrice:       "Price increases",
	results.BridgeContraction: "Contraction",
	results.BridgeChurn:       "Churn",
	results.BridgeCSCost:      "CS cost",
}

// otherDrivers names, in a sentence, the legs too small to name.
const otherDrivers = "other drivers"

// bridgeLegPhrase says where a leg's money comes from or goes, in a
// sentence: "to churn", "from more upsell".
func bridgeLegPhrase(driver string, gain bool) string {
	if driver == otherDrivers {
		if gain {
			return "from other drivers"
		}
		return "to other drivers"
	}
	more := map[string][2]string{ // [gain, loss]
		results.BridgeOpening:     {"from the opening book", "to the opening book"},
		results.BridgeNew:         {"from more new logos", "to fewer new logos"},
		results.BridgeSecondOrder: {"from more referrals and champion moves", "to fewer referrals and champion moves"},
		results.BridgeUpsell:      {"from more upsell", "to missed upsell"},
		results.BridgePrice:       {"from more price increases", "to fewer price increases"},
		results.BridgeContraction: {"from less contraction", "to more contraction"},
		results.BridgeChurn:       {"from less churn", "to churn"},
	}[driver]
	if gain {
		return more[0]
	}
	return more[1]
}

// bridgeLegs are an option's legs that move gross profit, largest first;
// legs smaller than a thousandth of the largest are left out.
func bridgeLegs(o results.Option) []results.BridgeLeg {
	big := 0.0
	for _, l := range o.Bridge {
		big = math.Max(big, math.Abs(l.MeanDiff))
	}
	var out []results.BridgeLeg
	for _, l := range o.Bridge {
		if big > 0 && math.Abs(l.MeanDiff) >= big*1e-3 {
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return math.Abs(out[i].MeanDiff) > math.Abs(out[j].MeanDiff) })
	return out
}

// bridgeSentence says how the option's gross profit differs, in the
// bridge's terms: "It saves $1.31M of CS cost and loses $1.79M of gross
// profit to churn ($1.2M) and missed upsell ($590k): net −$482k over the
// 36 months (higher in 17 % of trials)." Empty without a bridge.
func bridgeSentence(r *results.Results, o results.Option) string {
	legs := bridgeLegs(o)
	gp, ok := o.VsBaseline[results.GrossProfitTotal]
	if len(legs) == 0 || !ok {
		return ""
	}
	// A sentence names the legs of at least 1 % of the largest, and counts
	// the smaller ones as other drivers, so that its sums still add up; the
	// chart and the table show them all.
	big := math.Abs(legs[0].MeanDiff)
	var small [2]float64 // gains, losses
	for len(legs) > 1 && math.Abs(legs[len(legs)-1].MeanDiff) < big/100 {
		if v := legs[len(legs)-1].MeanDiff; v > 0 {
			small[0] += v
		} else {
			small[1] += v
		}
		legs = legs[:len(legs)-1]
	}
	cur := r.Currency
	var parts []string
	var gains, losses []results.BridgeLeg
	for _, l := range legs {
		switch {
		case l.Driver == results.BridgeCSCost && l.MeanDiff > 0:
			parts = append(parts, "saves "+Money(l.MeanDiff, cur)+" of CS cost")
		case l.Driver == results.BridgeCSCost:
			parts = append(parts, "adds "+Money(-l.MeanDiff, cur)+" of CS cost")
		case l.MeanDiff > 0:
			gains = append(gains, l)
		default:
			losses = append(losses, l)
		}
	}
	// Small legs on a side with named ones; alone they are under the
	// sentence's rounding.
	if small[0] != 0 && len(gains) > 0 {
		gains = append(gains, results.BridgeLeg{Driver: otherDrivers, MeanDiff: small[0]})
	}
	if small[1] != 0 && len(losses) > 0 {
		losses = append(losses, results.BridgeLeg{Driver: otherDrivers, MeanDiff: small[1]})
	}
	if s := legList(gains, true, cur); s != "" {
		parts = append(parts, "gains "+s)
	}
	if s := legList(losses, false, cur); s != "" {
		parts = append(parts, "loses "+s)
	}
	s := " It " + joinAnd(parts) + fmt.Sprintf(": net %s of gross profit over the %d months", signedMoney(gp.MeanDiff, cur), r.HorizonMonths)
	if r.Mode == "expected" {
		return s + "."
	}
	return s + fmt.Sprintf(" (higher in %s).", shareOfTrials(gp.PBetter))
}

// legList is "$1.79M of gross profit to churn ($1.2M) and missed upsell
// ($590k)": the legs' total, then each leg (at most three named, the rest
// as other drivers).
func legList(legs []results.BridgeLeg, gain bool, cur string) string {
	if len(legs) == 0 {
		return ""
	}
	total := 0.0
	for _, l := range legs {
		total += math.Abs(l.MeanDiff)
	}
	if len(legs) == 1 {
		return fmt.Sprintf("%s of gross profit %s", Money(total, cur), bridgeLegPhrase(legs[0].Driver, gain))
	}
	var named []string
	rest := 0.0
	for i, l := range legs {
		if i < 3 {
			named = append(named, fmt.Sprintf("%s (%s)", strings.TrimPrefix(strings.TrimPrefix(bridgeLegPhrase(l.Driver, gain), "to "), "from "), Money(math.Abs(l.MeanDiff), cur)))
			continue
		}
		rest += math.Abs(l.MeanDiff)
	}
	if rest > 0 {
		named = append(named, fmt.Sprintf("other drivers (%s)", Money(rest, cur)))
	}
	way := "to"
	if gain {
		way = "from"
	}
	return fmt.Sprintf("%s of gross profit %s %s", Money(total, cur), way, joinAnd(named))
}

// joinAnd joins words as a sentence lists them: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// signedMoney is an amount with its sign: "+$240k", "−$482k".
func signedMoney(v float64, cur string) string { return unitMoney.signed(v, cur) }

// bridgeCharts are the waterfall charts of each option's bridge, one per
// option: bridge-1, bridge-2, ...
func bridgeCharts(r *results.Results) []*chartSpec {
	var out []*chartSpec
	for k, o := range r.Options {
		if k == 0 || len(bridgeLegs(o)) == 0 {
			continue
		}
		gp := o.VsBaseline[results.GrossProfitTotal].MeanDiff
		w := &waterfall{legs: bridgeLegs(o), net: gp, currency: r.Currency}
		title := bridgeTitle(r, o, gp)
		out = append(out, &chartSpec{
			name: fmt.Sprintf("bridge-%d", k),
			caption: fmt.Sprintf("How the gross profit of %s over %s differs from the baseline's, driver by driver: each bar starts where the one above it ends, and the last is the net difference. Means over the trials; each driver's margin is the trial's gross margin before CS less cost to serve.",
				o.Name, chartSpan(r)),
			fig: chartFigure{
				Title:    title,
				Subtitle: fmt.Sprintf("Gross profit, %s: %s less the baseline, by driver. Mean over %s.", chartSpan(r), o.Name, trialsPhrase(r)),
				Legend: []legendItem{{Label: "adds gross profit", Color: gainColor, Kind: swatchBar},
					{Label: "takes it away", Color: lossColor, Kind: swatchBar}, {Label: "net difference", Color: netColor, Kind: swatchBar}},
				Note: chartSource(r),
				Body: w.draw,
			},
		})
	}
	return out
}

// trialsPhrase is "1,000 trials", or "the expected path".
func trialsPhrase(r *results.Results) string {
	if chartExpected(r) {
		return "the expected path"
	}
	return Count(float64(r.Trials)) + " trials"
}

// bridgeTitle is the chart's message: "Cut 3 CSMs in April saves $1.31M of
// CS cost but loses $1.79M of gross profit: net −$482k".
func bridgeTitle(r *results.Results, o results.Option, net float64) string {
	cur := r.Currency
	saved, lost, gained := 0.0, 0.0, 0.0
	for _, l := range o.Bridge {
		switch {
		case l.Driver == results.BridgeCSCost:
			saved = l.MeanDiff
		case l.MeanDiff < 0:
			lost -= l.MeanDiff
		default:
			gained += l.MeanDiff
		}
	}
	switch {
	case saved > 0 && lost > gained:
		return fmt.Sprintf("%s saves %s of CS cost but loses %s of gross profit: net %s", o.Name, Money(saved, cur), Money(lost-gained, cur), signedMoney(net, cur))
	case saved < 0 && gained > lost:
		return fmt.Sprintf("%s costs %s more and gains %s of gross profit: net %s", o.Name, Money(-saved, cur), Money(gained-lost, cur), signedMoney(net, cur))
	}
	return fmt.Sprintf("%s: %s of gross profit against the baseline", o.Name, signedMoney(net, cur))
}

var (
	gainColor = okabeIto[2] // bluish green
	lossColor = okabeIto[3] // vermillion
	netColor  = okabeIto[7] // black: blue and orange are the options'
)

// waterfall is a horizontal waterfall: one row per leg, each bar from the
// running total before it to after it, and the net from zero.
type waterfall struct {
	legs     []results.BridgeLeg
	net      float64
	currency string
}

// draw lays the rows out like the tornado chart's (names left, values
// beside the bars' ends, the value axis below) and draws them.
func (w *waterfall) draw(c draw.Canvas) {
	type bar struct {
		name     string
		from, to float64
		color    color.NRGBA
	}
	var bars []bar
	cum := 0.0
	for _, l := range w.legs {
		col := gainColor
		if l.MeanDiff < 0 {
			col = lossColor
		}
		bars = append(bars, bar{bridgeLegNames[l.Driver], cum, cum + l.MeanDiff, col})
		cum += l.MeanDiff
	}
	bars = append(bars, bar{"Net: gross profit", 0, w.net, netColor})
	lo, hi := 0.0, 0.0
	for _, b := range bars {
		lo, hi = min(lo, b.from, b.to), max(hi, b.from, b.to)
	}
	if hi == lo {
		hi = lo + 1
	}
	value := theme.style(theme.ValueSize, false, theme.Muted)
	label := func(b bar) string { return chartValue(b.to-b.from, axisMoney, w.currency, true) }
	room := vg.Length(0)
	for _, b := range bars {
		room = max(room, value.Width(label(b)))
	}
	a := &tornadoArea{gap: vg.Points(4), left: c.Min.X + vg.Points(190), right: c.Max.X - vg.Points(10),
		bottom: c.Min.Y + vg.Points(36), top: c.Max.Y, lo: lo, hi: hi}
	a.x0, a.x1 = a.left+room+2*a.gap, a.right-room-2*a.gap
	a.rowH = (a.top - a.bottom) / vg.Length(len(bars))
	a.base = a.x(0)
	names := theme.style(theme.TickSize, false, theme.Ink)
	names.XAlign, names.YAlign = draw.XRight, draw.YCenter
	value.YAlign = draw.YCenter
	for i, b := range bars {
		yc := a.top - (vg.Length(i)+0.5)*a.rowH
		x0, x1 := min(a.x(b.from), a.x(b.to)), max(a.x(b.from), a.x(b.to))
		h := a.rowH * 0.6
		c.FillPolygon(withAlpha(b.color, theme.BarAlpha), rectPoints(vg.Rectangle{Min: vg.Point{X: x0, Y: yc - h/2}, Max: vg.Point{X: max(x1, x0+vg.Points(1)), Y: yc + h/2}}))
		c.FillText(names, vg.Point{X: a.left - vg.Points(8), Y: yc}, fitPath(names, b.name, vg.Points(180)))
		if b.to >= b.from {
			value.XAlign = draw.XLeft
			c.FillText(value, vg.Point{X: x1 + a.gap, Y: yc}, label(b))
		} else {
			value.XAlign = draw.XRight
			c.FillText(value, vg.Point{X: x0 - a.gap, Y: yc}, label(b))
		}
		if i+1 < len(bars)-1 { // a thin connector to the next leg's start
			c.StrokeLine2(draw.LineStyle{Color: theme.Faint, Width: vg.Points(0.6)}, a.x(b.to), yc-h/2, a.x(b.to), yc-a.rowH+h/2)
		}
	}
	c.StrokeLine2(draw.LineStyle{Color: theme.Ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}, a.base, a.bottom, a.base, a.top)
	(&tornado{unit: axisMoney, s: &results.Sensitivity{Currency: w.currency}}).drawAxis(c, a)
}

// bridgeSection is the "Where the difference comes from" section: each
// option's waterfall and a table of every leg.
type bridgeSection struct {
	Figures []Chart
	Note    string
	Table   table
	// Segments is every option's gross-profit difference by segment.
	Segments table
	// ARR is every option's ARR bridge: ARR at the start, the flows of the
	// run, ARR at the horizon.
	ARR     table
	ARRNote string
}

// buildBridge is the section, when any option carries a bridge.
func buildBridge(r *results.Results, charts []Chart) *bridgeSection {
	sec := &bridgeSection{Figures: charts}
	t := table{Header: []string{"Driver"}, Right: []bool{false}}
	var opts []results.Option
	for _, o := range r.Options[1:] {
		if len(o.Bridge) > 0 {
			opts = append(opts, o)
			t.Header, t.Right = append(t.Header, o.Name), append(t.Right, true)
		}
	}
	if len(opts) == 0 {
		return nil
	}
	mc := !chartExpected(r)
	for i, l := range opts[0].Bridge {
		cells := []string{bridgeLegNames[l.Driver]}
		any := false
		for _, o := range opts {
			v := o.Bridge[i]
			any = any || v.MeanDiff != 0
			cell := unitMoney.signed(v.MeanDiff, r.Currency)
			if mc && v.CI95[0] != v.CI95[1] {
				cell += " ± " + Money((v.CI95[1]-v.CI95[0])/2, r.Currency)
			}
			cells = append(cells, cell)
		}
		if any {
			t.Rows = append(t.Rows, row{Cells: cells})
		}
	}
	net := []string{"Net: gross profit"}
	for _, o := range opts {
		net = append(net, unitMoney.signed(o.VsBaseline[results.GrossProfitTotal].MeanDiff, r.Currency))
	}
	t.Rows = append(t.Rows, row{Cells: net, First: true})
	sec.Table = t
	sec.Segments = segmentBridge(r, opts)
	sec.ARR, sec.ARRNote = arrBridge(r)
	sec.Note = "Gross profit over the horizon, each option less the baseline, split by where the money comes from: each flow of MRR (new logos, upsell, price increases, contraction, churn) earns its margin (gross margin before CS less cost to serve) for the months left after it, and the CS cost counts as it is paid; the drivers add up to the net difference. Means over the trials, with the 95 % interval of each mean; drivers that are zero for every option are left out."
	return sec
}

// arrBridge is each option's ARR bridge from its series' means: ARR at the
// start, plus 12 × the MRR of new logos, upsell and price increases, less
// contraction and churn, over the run, which is ARR at the horizon.
func arrBridge(r *results.Results) (table, string) {
	sum := func(o results.Option, key string) float64 { return 12 * seriesSum(o, key, 1, r.HorizonMonths) }
	at := func(o results.Option, m int) float64 {
		for _, p := range o.Series[results.SeriesMRR] {
			if p.Month == m {
				return 12 * p.Mean
			}
		}
		return 0
	}
	_, split := r.Options[0].Series[results.SeriesPriceMRR]
	rows := []struct {
		name string
		v    func(o results.Option) float64
	}{
		{"ARR, " + MonthLabel(r.Start, 0), func(o results.Option) float64 { return at(o, 0) }},
		{"New logos", func(o results.Option) float64 { return sum(o, results.SeriesNewMRR) }},
		{"Upsell", func(o results.Option) float64 {
			return sum(o, results.SeriesExpansionMRR) - sum(o, results.SeriesPriceMRR)
		}},
		{"Price increases", func(o results.Option) float64 { return sum(o, results.SeriesPriceMRR) }},
		{"Contraction", func(o results.Option) float64 { return -sum(o, results.SeriesContractionMRR) }},
		{"Churn", func(o results.Option) float64 { return -sum(o, results.SeriesChurnedMRR) }},
		{"ARR, " + MonthLabel(r.Start, r.HorizonMonths), func(o results.Option) float64 { return at(o, r.HorizonMonths) }},
	}
	if !split {
		rows[2].name = "Upsell and price increases"
		rows = append(rows[:3], rows[4:]...)
	}
	t := table{Header: []string{""}, Right: []bool{false}}
	for _, o := range r.Options {
		t.Header, t.Right = append(t.Header, o.Name), append(t.Right, true)
	}
	for i, leg := range rows {
		cells := []string{leg.name}
		for _, o := range r.Options {
			v := leg.v(o)
			cell := Money(v, r.Currency)
			if i > 0 && i < len(rows)-1 {
				cell = unitMoney.signed(v, r.Currency)
			}
			cells = append(cells, cell)
		}
		t.Rows = append(t.Rows, row{Cells: cells, First: i == len(rows)-1})
	}
	return t, "Each option's ARR from the opening book to the horizon: the ARR of the new logos that joined, the upsell and price increases added, and the contraction and churn lost over the run (12 × their MRR), means over the trials."
}

// segmentBridge is the table of each option's gross-profit difference by
// segment, with the 95 % interval of each mean; the CS cost no segment
// carries is a row when it is not 0.
func segmentBridge(r *results.Results, opts []results.Option) table {
	t := table{Header: []string{"Segment"}, Right: []bool{false}}
	var names []string
	for _, o := range opts {
		t.Header, t.Right = append(t.Header, o.Name), append(t.Right, true)
		for _, l := range o.SegmentBridge {
			if !slices.Contains(names, l.Driver) {
				names = append(names, l.Driver)
			}
		}
	}
	mc := !chartExpected(r)
	for _, name := range names {
		label := name
		if name == results.BridgeUnallocated {
			label = "CS cost no segment carries"
		}
		cells, any := []string{label}, false
		for _, o := range opts {
			cell := "–"
			for _, l := range o.SegmentBridge {
				if l.Driver != name {
					continue
				}
				any = any || math.Abs(l.MeanDiff) >= 0.005 // a cent
				cell = unitMoney.signed(l.MeanDiff, r.Currency)
				if mc && l.CI95[0] != l.CI95[1] {
					cell += " ± " + Money((l.CI95[1]-l.CI95[0])/2, r.Currency)
				}
			}
			cells = append(cells, cell)
		}
		if any || name != results.BridgeUnallocated {
			t.Rows = append(t.Rows, row{Cells: cells})
		}
	}
	return t
}
