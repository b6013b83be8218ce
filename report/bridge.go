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
	results.BridgeCSCost:      "CS cost saved", // a cost added is a negative saving
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

// bridgeSides are the option's bridge as its sentence and its chart's
// title state it: the CS cost leg (0 without one), and the named gains and
// losses, largest first. A leg under 1 % of the largest is counted as
// other drivers on a side with named legs, so that the sums still add up,
// and left out on a side without, where it is under the rounding; the
// chart and the table show every leg.
func bridgeSides(o results.Option) (cost float64, gains, losses []results.BridgeLeg) {
	legs := bridgeLegs(o)
	if len(legs) == 0 {
		return 0, nil, nil
	}
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
	for _, l := range legs {
		switch {
		case l.Driver == results.BridgeCSCost:
			cost = l.MeanDiff
		case l.MeanDiff > 0:
			gains = append(gains, l)
		default:
			losses = append(losses, l)
		}
	}
	if small[0] != 0 && len(gains) > 0 {
		gains = append(gains, results.BridgeLeg{Driver: otherDrivers, MeanDiff: small[0]})
	}
	if small[1] != 0 && len(losses) > 0 {
		losses = append(losses, results.BridgeLeg{Driver: otherDrivers, MeanDiff: small[1]})
	}
	return cost, gains, losses
}

// legSum is the size of a side's legs together.
func legSum(legs []results.BridgeLeg) float64 {
	sum := 0.0
	for _, l := range legs {
		sum += math.Abs(l.MeanDiff)
	}
	return sum
}

// bridgeSentence says how the option's gross profit differs, in the
// bridge's terms: "It saves $1.31M of CS cost and loses $1.79M of gross
// profit to churn ($1.2M) and missed upsell ($590k): net −$482k over the
// 36 months (higher in 17 % of trials)." Empty without a bridge.
func bridgeSentence(r *results.Results, o results.Option) string {
	gp, ok := o.VsBaseline[results.GrossProfitTotal]
	cost, gains, losses := bridgeSides(o)
	if !ok || (cost == 0 && len(gains) == 0 && len(losses) == 0) {
		return ""
	}
	cur := r.Currency
	var parts []string
	switch {
	case cost > 0:
		parts = append(parts, "saves "+Money(cost, cur)+" of CS cost")
	case cost < 0:
		parts = append(parts, "adds "+Money(-cost, cur)+" of CS cost")
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
		w := gpWaterfall(bridgeLegs(o), gp, r.Currency)
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

// bridgeTitle is the chart's message, in the sentence's terms
// (bridgeSides): "Cut 3 CSMs in April saves $1.31M of CS cost but loses
// $1.79M of gross profit: net −$482k"; a side the sentence names is named
// here with the same sum.
func bridgeTitle(r *results.Results, o results.Option, net float64) string {
	cur := r.Currency
	cost, gains, losses := bridgeSides(o)
	gained, lost := legSum(gains), legSum(losses)
	// A CS cost that moves by less than a hundredth of the rest is noise
	// of the simulated team, not a saving or a cost.
	if math.Abs(cost) < 0.01*(lost+gained) {
		cost = 0
	}
	switch {
	case cost > 0 && lost > gained && gained > 0:
		return fmt.Sprintf("%s saves %s of CS cost and gains %s but loses %s of gross profit: net %s", o.Name, Money(cost, cur), Money(gained, cur), Money(lost, cur), signedMoney(net, cur))
	case cost > 0 && lost > gained:
		return fmt.Sprintf("%s saves %s of CS cost but loses %s of gross profit: net %s", o.Name, Money(cost, cur), Money(lost, cur), signedMoney(net, cur))
	case cost < 0 && gained > lost && lost > 0:
		return fmt.Sprintf("%s costs %s more and loses %s but gains %s of gross profit: net %s", o.Name, Money(-cost, cur), Money(lost, cur), Money(gained, cur), signedMoney(net, cur))
	case cost < 0 && gained > lost:
		return fmt.Sprintf("%s costs %s more and gains %s of gross profit: net %s", o.Name, Money(-cost, cur), Money(gained, cur), signedMoney(net, cur))
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
	bars     []wbar
	currency string
}

// wbar is a bar of a waterfall, from one value to another.
type wbar struct {
	name     string
	from, to float64
	color    color.NRGBA
	level    bool // a level (ARR at a month), written without a sign
}

// flows are the bars of legs, each starting where the one before ends
// (from start), gains and losses in their colours; and the total reached.
func flows(start float64, names []string, values []float64) ([]wbar, float64) {
	var bars []wbar
	cum := start
	for i, v := range values {
		col := gainColor
		if v < 0 {
			col = lossColor
		}
		bars = append(bars, wbar{name: names[i], from: cum, to: cum + v, color: col})
		cum += v
	}
	return bars, cum
}

// legName names a leg of a gross-profit bridge; the CS cost leg by which
// way it moves gross profit, so that its sign reads as the other legs'
// ("CS cost saved +$1.37M", not "CS cost +$1.37M" beside a table where a
// lower cost is −$1.37M).
func legName(l results.BridgeLeg) string {
	if l.Driver == results.BridgeCSCost {
		if l.MeanDiff >= 0 {
			return "CS cost saved"
		}
		return "CS cost added"
	}
	return bridgeLegNames[l.Driver]
}

// gpWaterfall is an option's gross-profit bridge: its legs, then the net.
func gpWaterfall(legs []results.BridgeLeg, net float64, currency string) *waterfall {
	var names []string
	var values []float64
	for _, l := range legs {
		names, values = append(names, legName(l)), append(values, l.MeanDiff)
	}
	bars, _ := flows(0, names, values)
	return &waterfall{bars: append(bars, wbar{name: "Net: gross profit", to: net, color: netColor}), currency: currency}
}

// draw lays the rows out like the tornado chart's (names left, values
// beside the bars' ends, the value axis below) and draws them.
func (w *waterfall) draw(c draw.Canvas) {
	bars := w.bars
	lo, hi := 0.0, 0.0
	for _, b := range bars {
		lo, hi = min(lo, b.from, b.to), max(hi, b.from, b.to)
	}
	if hi == lo {
		hi = lo + 1
	}
	value := theme.style(theme.ValueSize, false, theme.Muted)
	label := func(b wbar) string {
		if b.level {
			return chartValue(b.to-b.from, axisMoney, w.currency, false)
		}
		return chartValue(b.to-b.from, axisMoney, w.currency, true)
	}
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

// arrFlow is a leg of an option's ARR bridge: a name and its value.
type arrFlow struct {
	name  string
	value float64
}

// arrFlows are an option's ARR bridge from its series' means: ARR at the
// start, 12 × the MRR of the new logos, upsell and price increases added
// and the contraction and churn lost over the run, and ARR at the
// horizon, which they add up to.
func arrFlows(r *results.Results, o results.Option) (start float64, legs []arrFlow, end float64) {
	sum := func(key string) float64 { return 12 * seriesSum(o, key, 1, r.HorizonMonths) }
	at := func(m int) float64 {
		for _, p := range o.Series[results.SeriesMRR] {
			if p.Month == m {
				return 12 * p.Mean
			}
		}
		return 0
	}
	legs = []arrFlow{{"New logos", sum(results.SeriesNewMRR)}}
	if _, split := r.Options[0].Series[results.SeriesPriceMRR]; split {
		legs = append(legs, arrFlow{"Upsell", sum(results.SeriesExpansionMRR) - sum(results.SeriesPriceMRR)},
			arrFlow{"Price increases", sum(results.SeriesPriceMRR)})
	} else {
		legs = append(legs, arrFlow{"Upsell and price increases", sum(results.SeriesExpansionMRR)})
	}
	legs = append(legs, arrFlow{"Contraction", -sum(results.SeriesContractionMRR)}, arrFlow{"Churn", -sum(results.SeriesChurnedMRR)})
	return at(0), legs, at(r.HorizonMonths)
}

// arrBridge is each option's ARR bridge (arrFlows) as a table.
func arrBridge(r *results.Results) (table, string) {
	t := table{Header: []string{""}, Right: []bool{false}}
	var cols [][]string
	for _, o := range r.Options {
		t.Header, t.Right = append(t.Header, o.Name), append(t.Right, true)
		start, legs, end := arrFlows(r, o)
		col := []string{Money(start, r.Currency)}
		for _, l := range legs {
			col = append(col, unitMoney.signed(l.value, r.Currency))
		}
		cols = append(cols, append(col, Money(end, r.Currency)))
	}
	_, legs, _ := arrFlows(r, r.Options[0])
	names := []string{"ARR, " + MonthLabel(r.Start, 0)}
	for _, l := range legs {
		names = append(names, l.name)
	}
	names = append(names, "ARR, "+MonthLabel(r.Start, r.HorizonMonths))
	for i, name := range names {
		cells := []string{name}
		for _, col := range cols {
			cells = append(cells, col[i])
		}
		t.Rows = append(t.Rows, row{Cells: cells, First: i == len(names)-1})
	}
	return t, "Each option's ARR from the opening book to the horizon: the ARR of the new logos that joined, the upsell and price increases added, and the contraction and churn lost over the run (12 × their MRR), means over the trials."
}

// arrBridgeCharts are each option's ARR bridge as a waterfall, from the
// opening book's ARR to the horizon's, and each other option's difference
// from the baseline's, flow by flow, to the difference in ARR at the
// horizon.
func arrBridgeCharts(r *results.Results) []*chartSpec {
	var out []*chartSpec
	end := MonthLabel(r.Start, r.HorizonMonths)
	base0, baseLegs, baseEnd := arrFlows(r, r.Options[0])
	for k, o := range r.Options {
		start, legs, stop := arrFlows(r, o)
		if stop == 0 && start == 0 {
			continue
		}
		names, values := make([]string, len(legs)), make([]float64, len(legs))
		for i, l := range legs {
			names[i], values[i] = l.name, l.value
		}
		bars, _ := flows(start, names, values)
		bars = append([]wbar{{name: "ARR, " + MonthLabel(r.Start, 0), to: start, color: netColor, level: true}}, bars...)
		bars = append(bars, wbar{name: "ARR, " + end, to: stop, color: netColor, level: true})
		big := biggestFlows(legs, r.Currency)
		out = append(out, &chartSpec{name: fmt.Sprintf("arr-bridge-%d", k),
			caption: fmt.Sprintf("The ARR of %s from the opening book to %s: each bar starts where the one above it ends. Means over %s.", o.Name, end, trialsPhrase(r)),
			fig: chartFigure{
				Title:    fmt.Sprintf("%s: ARR from %s to %s by %s; %s", o.Name, chartValue(start, axisMoney, r.Currency, false), chartValue(stop, axisMoney, r.Currency, false), end, big),
				Subtitle: fmt.Sprintf("ARR from the opening book to %s: 12 × the MRR each flow adds or takes over the run. Mean over %s.", end, trialsPhrase(r)),
				Legend: []legendItem{{Label: "adds ARR", Color: gainColor, Kind: swatchBar}, {Label: "takes it away", Color: lossColor, Kind: swatchBar},
					{Label: "ARR", Color: netColor, Kind: swatchBar}},
				Note: chartSource(r),
				Body: (&waterfall{bars: bars, currency: r.Currency}).draw,
			}})
		if k == 0 {
			continue
		}
		diffs := make([]arrFlow, len(legs))
		for i, l := range legs {
			names[i], values[i] = l.name, l.value-baseLegs[i].value
			diffs[i] = arrFlow{l.name, values[i]}
		}
		if d := (start - base0); math.Abs(d) > 0.5 { // another book: its own leg
			names, values = append([]string{"Opening book"}, names...), append([]float64{d}, values...)
		}
		bars, _ = flows(0, names, values)
		net := stop - baseEnd
		bars = append(bars, wbar{name: "Net: ARR, " + end, to: net, color: netColor})
		out = append(out, &chartSpec{name: fmt.Sprintf("arr-diff-bridge-%d", k),
			caption: fmt.Sprintf("How the ARR of %s in %s differs from the baseline's, flow by flow: each bar starts where the one above it ends, and the last is the net difference. Means over %s.", o.Name, end, trialsPhrase(r)),
			fig: chartFigure{
				Title:    fmt.Sprintf("%s: %s of ARR against the baseline by %s; %s", o.Name, chartValue(net, axisMoney, r.Currency, true), end, biggestFlows(diffs, r.Currency)),
				Subtitle: fmt.Sprintf("ARR in %s: %s less the baseline, by flow (12 × the MRR it adds or takes over the run). Mean over %s.", end, o.Name, trialsPhrase(r)),
				Legend: []legendItem{{Label: "adds ARR", Color: gainColor, Kind: swatchBar}, {Label: "takes it away", Color: lossColor, Kind: swatchBar},
					{Label: "net difference", Color: netColor, Kind: swatchBar}},
				Note: chartSource(r),
				Body: (&waterfall{bars: bars, currency: r.Currency}).draw,
			}})
	}
	return out
}

// flowVerb agrees a verb with a flow's name: new logos add, churn takes.
func flowVerb(name, v string) string {
	if strings.HasSuffix(name, "s") {
		return v
	}
	return v + "s"
}

// biggestFlows names the largest flow that adds and the largest that takes
// away, each when at least a tenth of the largest of all ("new logos add
// $25.1M, churn takes $14.3M").
func biggestFlows(legs []arrFlow, currency string) string {
	add, take := -1, -1
	for i, l := range legs {
		if l.value > 0 && (add < 0 || l.value > legs[add].value) {
			add = i
		}
		if l.value < 0 && (take < 0 || l.value < legs[take].value) {
			take = i
		}
	}
	big := 0.0
	for _, l := range legs {
		big = math.Max(big, math.Abs(l.value))
	}
	// A flow under a tenth of the largest is not the story.
	if add >= 0 && legs[add].value < big/10 {
		add = -1
	}
	if take >= 0 && -legs[take].value < big/10 {
		take = -1
	}
	var parts []string
	if add >= 0 {
		parts = append(parts, fmt.Sprintf("%s %s %s", lowerFirst(legs[add].name), flowVerb(legs[add].name, "add"), chartValue(legs[add].value, axisMoney, currency, false)))
	}
	if take >= 0 {
		parts = append(parts, fmt.Sprintf("%s %s %s", lowerFirst(legs[take].name), flowVerb(legs[take].name, "take"), chartValue(-legs[take].value, axisMoney, currency, false)))
	}
	if len(parts) == 0 {
		return "no flow moves it"
	}
	return strings.Join(parts, ", ")
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
