package report

// The answer of csplan optimize: the best plan in the board's words (what
// to do, how sure, against today and the runner-up, what binds it), the
// finalists, every plan screened as CSV, the efficient frontier as a chart,
// and the best plan as an option to paste into the scenario.

import (
	"cmp"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"csplan/internal/csvfile"
	"csplan/results"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// WriteOptimize renders an optimization into dir: optimize.csv (every
// plan screened, with the finalists' Monte Carlo numbers),
// optimized-option.yaml (the best plan, when one is feasible) and the
// frontier chart optimize-frontier.png and .svg.
func WriteOptimize(dir string, o *results.Optimize) error {
	if err := writeFigure(dir, "optimize-frontier", frontierFigure(o)); err != nil {
		return err
	}
	if o.Option != "" {
		head := "# The best plan csplan optimize found for " + o.Scenario + ": paste it under the\n# scenario's options: (add the line options: first if it has none).\n"
		if err := os.WriteFile(filepath.Join(dir, "optimized-option.yaml"), []byte(head+o.Option), 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "optimize.csv"), []byte(optimizeCSV(o)), 0o644)
}

// OptimizeText writes the answer for a terminal.
func OptimizeText(w io.Writer, o *results.Optimize) error {
	for _, l := range optimizeLines(o) {
		for _, wl := range wrapWords(l, textWidth) {
			fmt.Fprintln(w, wl)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Finalists, %s each on the same random numbers:\n", Plural(o.Trials, "trial"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"  plan", objectiveName(o), "95 % interval", "CS cost"}
	for _, c := range o.Constraints {
		head = append(head, constraintShort(o, c))
	}
	fmt.Fprintln(tw, strings.Join(append(head, "feasible"), "\t"))
	for k, f := range o.Finalists {
		mark := "  "
		if k == o.Best {
			mark = "* "
		}
		row := []string{mark + planText(o, f.Values, f.Today), optValue(o, f.Objective.Value),
			optValue(o, f.Objective.Lo) + " to " + optValue(o, f.Objective.Hi), Money(f.CSCost, o.Currency)}
		for c, ch := range f.Checks {
			row = append(row, checkText(o, o.Constraints[c], ch))
		}
		row = append(row, map[bool]string{true: "yes", false: "no"}[f.Feasible])
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

// optimizeLines are the answer's sentences: the problem, the best plan
// and how sure it is, what binds, and how the search went.
func optimizeLines(o *results.Optimize) []string {
	feasible := 0
	for _, c := range o.Candidates {
		if c.Feasible {
			feasible++
		}
	}
	lines := []string{fmt.Sprintf("%s: the plan with the %s of %s%s.", o.Scenario, objectiveGoal(o), Plural(len(o.Candidates), "plan"), constraintsText(o))}
	if o.Best < 0 {
		if o.Closest >= 0 {
			lines = append(lines, "Infeasible: "+closestText(o))
		}
		return append(lines, searchText(o, feasible))
	}
	b := o.Finalists[o.Best]
	lines = append(lines, fmt.Sprintf("Best: %s, with %s %s (95 %% interval %s to %s).", planText(o, b.Values, false),
		objectiveName(o), optValue(o, b.Objective.Value), optValue(o, b.Objective.Lo), optValue(o, b.Objective.Hi)))
	if b.Today {
		lines = append(lines, "That is today's plan: no combination of the values tried does better.")
	}
	for _, key := range []string{"today", "runner_up"} {
		if v, ok := o.Versus[key]; ok && !(key == "runner_up" && o.RunnerUp == o.Today) {
			lines = append(lines, versusText(o, key, v))
		}
	}
	for _, bd := range o.Binding {
		lines = append(lines, bindingText(o, bd))
	}
	return append(lines, searchText(o, feasible))
}

// objectiveGoal says what the optimizer looks for: "highest mean
// contribution", "lowest 10th percentile of CS cost".
func objectiveGoal(o *results.Optimize) string {
	way := "highest"
	if !o.Objective.Maximize {
		way = "lowest"
	}
	return way + " " + objectiveName(o)
}

// objectiveName is the objective as a noun phrase: "mean contribution",
// "10th percentile of contribution".
func objectiveName(o *results.Optimize) string {
	q, _ := results.MetricByKey(o.Objective.Metric)
	noun := q.Short // "contribution", "CSM coverage", "NRR"
	if o.Objective.Statistic == "mean" || o.Objective.Statistic == "" {
		return "mean " + noun
	}
	return ordinal(strings.TrimPrefix(o.Objective.Statistic, "p")) + " percentile of " + noun
}

// ordinal writes "10" as "10th", "1" as "1st".
func ordinal(n string) string {
	switch {
	case strings.HasSuffix(n, "11"), strings.HasSuffix(n, "12"), strings.HasSuffix(n, "13"):
		return n + "th"
	case strings.HasSuffix(n, "1"):
		return n + "st"
	case strings.HasSuffix(n, "2"):
		return n + "nd"
	case strings.HasSuffix(n, "3"):
		return n + "rd"
	}
	return n + "th"
}

// optValue writes a value of the objective's metric in its unit.
func optValue(o *results.Optimize, v float64) string {
	q, _ := results.MetricByKey(o.Objective.Metric)
	return chartValue(v, axisOf(q.Unit), o.Currency, false)
}

// diffAxis is how a difference of a metric of unit u is written: rates
// in percentage points.
func diffAxis(u results.Unit) axisUnit {
	if u == results.Rate {
		return axisPoints
	}
	return axisOf(u)
}

// planText writes a plan's values with their inputs' names: "CSMs 14,
// enterprise upsell cadence quarterly", and "(today)" for today's.
func planText(o *results.Optimize, vals []string, today bool) string {
	var parts []string
	for j, v := range o.Variables {
		name := vals[j]
		if k := index(v.Values, name); k >= 0 && k < len(v.Names) {
			name = v.Names[k]
		}
		parts = append(parts, v.Label+" "+name)
	}
	s := strings.Join(parts, ", ")
	if today {
		s += " (today)"
	}
	return s
}

// constraintsText lists the constraints after the problem: ", with CS
// cost at most $2.5M in every fiscal year and ...".
func constraintsText(o *results.Optimize) string {
	if len(o.Constraints) == 0 {
		return ", with no constraint"
	}
	var parts []string
	for _, c := range o.Constraints {
		parts = append(parts, constraintText(o, c))
	}
	conf := ""
	for _, c := range o.Constraints {
		if c.Kind != "budget" {
			conf = fmt.Sprintf(" (each met with %s confidence)", Percent(o.Confidence))
		}
	}
	return fmt.Sprintf(", with %s%s", strings.Join(parts, ", and "), conf)
}

// constraintText says a constraint in words.
func constraintText(o *results.Optimize, c results.OptConstraint) string {
	q, _ := results.MetricByKey(c.Metric)
	bound := chartValue(c.Bound, axisOf(q.Unit), o.Currency, false)
	way := "at least"
	if c.AtMost {
		way = "at most"
	}
	switch c.Kind {
	case "budget":
		return fmt.Sprintf("CS cost at most %s in every fiscal year", bound)
	case "chance":
		return fmt.Sprintf("%s %s %s in at least %s of trials", q.Noun, way, bound, Percent(c.Probability))
	}
	return fmt.Sprintf("a mean %s %s %s", q.Noun, way, bound)
}

// constraintShort heads a constraint's column: "CS budget", "GRR ≥ 90.0%".
func constraintShort(o *results.Optimize, c results.OptConstraint) string {
	if c.Kind == "budget" {
		return "CS cost, worst year"
	}
	q, _ := results.MetricByKey(c.Metric)
	op := "≥"
	if c.AtMost {
		op = "≤"
	}
	s := fmt.Sprintf("%s %s %s", q.Short, op, chartValue(c.Bound, axisOf(q.Unit), o.Currency, false))
	if c.Kind == "chance" {
		return s + ", share of trials"
	}
	return s + ", mean"
}

// checkText writes one check of a finalist: "$2.4M of $2.5M, FY2028",
// "$272k of $400k, FY2027 (3 months)" (a year the run holds part of gets
// its share of the budget), "83.1%".
func checkText(o *results.Optimize, c results.OptConstraint, ch results.OptCheck) string {
	switch c.Kind {
	case "budget":
		return Money(ch.Value, o.Currency) + " of " + Money(ch.Bound, o.Currency) + ", " + ch.Year
	case "chance":
		return Percent(ch.Value)
	}
	q, _ := results.MetricByKey(c.Metric)
	return chartValue(ch.Value, axisOf(q.Unit), o.Currency, false)
}

// versusText compares the best plan with today's or the runner-up.
func versusText(o *results.Optimize, key string, v results.OptVs) string {
	q, _ := results.MetricByKey(o.Objective.Metric)
	who := "today's plan"
	if key == "runner_up" {
		who = "the runner-up"
	}
	d := v.MeanDiff
	clear := "a clear difference"
	if d.Lo <= 0 && d.Hi >= 0 {
		clear = "no clear difference"
	}
	u := diffAxis(q.Unit)
	return fmt.Sprintf("Against %s (%s): %s %s on average (95 %% interval %s to %s, %s), better in %s of trials.",
		who, planText(o, v.Values, false), chartValue(d.Value, u, o.Currency, true), q.Short,
		chartValue(d.Lo, u, o.Currency, true), chartValue(d.Hi, u, o.Currency, true), clear, Percent(v.PBetter))
}

// bindingText says what relaxing a binding constraint would buy.
func bindingText(o *results.Optimize, b results.OptBinding) string {
	c := o.Constraints[b.Constraint]
	q, _ := results.MetricByKey(o.Objective.Metric)
	gain := chartValue(b.Gain, diffAxis(q.Unit), o.Currency, false)
	if c.Kind == "budget" {
		return fmt.Sprintf("The budget binds: %s more a year (%s) would buy %s more %s on the expected path, with %s.",
			Money(b.Step, o.Currency), Money(c.Bound+b.Step, o.Currency), gain, q.Short, planText(o, b.Values, false))
	}
	f := o.Finalists[b.Finalist]
	text := constraintText(o, c)
	return fmt.Sprintf("%s binds: it rules out %s, whose %s is %s better but which %s.", upperFirst(text),
		planText(o, b.Values, false), objectiveName(o), gain, missText(o, c, f.Checks[b.Constraint]))
}

// closestText says which plan comes closest when none is feasible, and
// what it misses.
func closestText(o *results.Optimize) string {
	f := o.Finalists[o.Closest]
	var misses []string
	for c, ch := range f.Checks {
		if !ch.Holds {
			misses = append(misses, missText(o, o.Constraints[c], ch))
		}
	}
	return fmt.Sprintf("no plan meets every constraint. The closest, %s, %s.", planText(o, f.Values, f.Today), strings.Join(misses, ", and "))
}

// missText says what a check measured against its constraint.
func missText(o *results.Optimize, c results.OptConstraint, ch results.OptCheck) string {
	q, _ := results.MetricByKey(c.Metric)
	way := "at least"
	if c.AtMost {
		way = "at most"
	}
	conf := Percent(o.Confidence)
	switch c.Kind {
	case "budget":
		return fmt.Sprintf("spends %s on CS in %s against a budget of %s for it", Money(ch.Value, o.Currency), ch.Year, Money(ch.Bound, o.Currency))
	case "chance":
		s := fmt.Sprintf("has %s %s %s in %s of trials (%s needed; with %s confidence the share is at least %s)",
			q.Noun, way, chartValue(c.Bound, axisOf(q.Unit), o.Currency, false), Percent(ch.Value), Percent(c.Probability), conf, Percent(ch.Bound))
		if ch.Value >= c.Probability {
			s += ", short only for want of trials: more --trials would narrow that bound"
		}
		return s
	}
	return fmt.Sprintf("has a mean %s of %s (%s %s needed with %s confidence)", q.Noun, chartValue(ch.Value, axisOf(q.Unit), o.Currency, false),
		way, chartValue(c.Bound, axisOf(q.Unit), o.Currency, false), conf)
}

// searchText says how the search went: the screen and the rounds.
func searchText(o *results.Optimize, feasible int) string {
	var rounds []string
	for _, r := range o.Rounds {
		rounds = append(rounds, fmt.Sprintf("%s on %s", Plural(r.Candidates, "plan"), Plural(r.Trials, "trial")))
	}
	return fmt.Sprintf("Search: %s screened on their expected path, %s of them within the budget and mean constraints there; Monte Carlo rounds of successive halving, today's plan alongside: %s.",
		Plural(len(o.Candidates), "plan"), Count(float64(feasible)), strings.Join(rounds, ", "))
}

// optimizeCSV is every plan screened: its values, the objective and CS
// cost on its expected path, whether it met the constraints there, the
// last round it ran in, and for the finalists their Monte Carlo numbers.
func optimizeCSV(o *results.Optimize) string {
	var b strings.Builder
	w := csvfile.NewWriter(&b)
	head := []string{}
	for _, v := range o.Variables {
		head = append(head, v.Path)
	}
	head = append(head, "expected_"+o.Objective.Metric, "expected_"+results.CSCostTotal, "feasible_expected", "today", "last_round",
		"finalist", o.Objective.Statistic+"_"+o.Objective.Metric, "lo95", "hi95", "feasible", "best")
	w.Write(head)
	fin := map[int]int{}
	for k, f := range o.Finalists {
		fin[f.Candidate] = k
	}
	for i, c := range o.Candidates {
		row := append([]string{}, c.Values...)
		row = append(row, csvNum(c.Objective), csvNum(c.CSCost), csvBool(c.Feasible), csvBool(c.Today), fmt.Sprint(c.Round))
		if k, ok := fin[i]; ok {
			f := o.Finalists[k]
			row = append(row, "yes", csvNum(f.Objective.Value), csvNum(f.Objective.Lo), csvNum(f.Objective.Hi), csvBool(f.Feasible), csvBool(k == o.Best))
		} else {
			row = append(row, "no", "", "", "", "", "")
		}
		w.Write(row)
	}
	w.Flush()
	return b.String()
}

func csvNum(v float64) string { return fmt.Sprintf("%.6g", v) }

func csvBool(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// labelledBy says what the frontier's dot labels are, when it writes them:
// " (labelled by CSMs)".
func labelledBy(o *results.Optimize) string {
	if len(o.Variables) != 1 || len(o.Candidates) > maxLabelledPlans {
		return ""
	}
	return " (labelled by " + cmp.Or(o.Variables[0].Label, o.Variables[0].Path) + ")"
}

// finalistOrder is the order the frontier draws the finalists in: the
// best last, on top of the finalists beside it.
func finalistOrder(o *results.Optimize) []int {
	order := make([]int, 0, len(o.Finalists))
	for k := range o.Finalists {
		if k != o.Best {
			order = append(order, k)
		}
	}
	if o.Best >= 0 {
		order = append(order, o.Best)
	}
	return order
}

// planLabels writes, with one variable and few plans, each plan's value
// under its dot, so a reader can tell 6 CSMs from 10 (their costs spread
// them out); nil with more, where the table names the finalists.
func planLabels(o *results.Optimize) *plotter.Labels {
	if labelledBy(o) == "" {
		return nil
	}
	var at plotter.XYs
	var names []string
	for _, c := range o.Candidates {
		at, names = append(at, plotter.XY{X: c.CSCost, Y: c.Objective}), append(names, c.Values[0])
	}
	// Below and to the right of the dot, clear of a finalist's interval
	// and of the frontier's step up to it.
	sty := valueLabelStyle()
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
	return &plotter.Labels{XYs: at, Labels: names, TextStyle: slices.Repeat([]text.Style{sty}, len(names)), Offset: vg.Point{X: 2 * valueLabelGap, Y: -valueLabelGap}}
}

// maxLabelledPlans is the most plans of one variable whose dots the
// frontier labels with their values.
const maxLabelledPlans = 15

// frontierFigure is the efficient frontier: every plan screened, CS cost
// over the horizon against the objective on its expected path (filled
// within the budget and mean constraints there, hollow outside), the
// frontier of the feasible ones (the best objective for at most that
// cost), the finalists with their Monte Carlo 95 % intervals, and today's
// plan and the best marked.
func frontierFigure(o *results.Optimize) *chartFigure {
	q, _ := results.MetricByKey(o.Objective.Metric)
	unit := axisOf(q.Unit)
	p := theme.newPlot("CS cost over the horizon ("+currencyCode(o.Currency)+")", upperFirst(objectiveName(o))+unitSuffix(unit, o.Currency))
	muted := withAlpha(mutedColor, 0.55)
	blue, best, today := optionColor(0), optionColor(3), color.NRGBA{0x22, 0x22, 0x22, 0xff}
	var in, out plotter.XYs
	for _, c := range o.Candidates {
		pt := plotter.XY{X: c.CSCost, Y: c.Objective}
		if c.Feasible {
			in = append(in, pt)
		} else {
			out = append(out, pt)
		}
	}
	small := vg.Points(2.6)
	if len(out) > 0 {
		p.Add(&plotter.Scatter{XYs: out, GlyphStyle: draw.GlyphStyle{Color: muted, Radius: small, Shape: draw.RingGlyph{}}})
	}
	// The frontier is the most objective for the cost; when the objective
	// is minimised (a cost itself), there is none to draw.
	if len(in) > 0 && o.Objective.Maximize {
		p.Add(newLine(frontier(in), draw.LineStyle{Color: withAlpha(blue, 0.8), Width: vg.Points(1.5)}))
	}
	if len(in) > 0 {
		p.Add(&plotter.Scatter{XYs: in, GlyphStyle: draw.GlyphStyle{Color: withAlpha(blue, 0.6), Radius: small, Shape: draw.CircleGlyph{}}})
	}
	if labels := planLabels(o); labels != nil {
		p.Add(labels)
	}
	for _, k := range finalistOrder(o) {
		f := o.Finalists[k]
		c := blue
		switch {
		case k == o.Best:
			c = best
		case f.Today:
			c = today
		}
		x := f.CSCost
		p.Add(newLine(plotter.XYs{{X: x, Y: f.Objective.Lo}, {X: x, Y: f.Objective.Hi}}, draw.LineStyle{Color: c, Width: vg.Points(2)}))
		shape := draw.GlyphDrawer(draw.CircleGlyph{})
		if f.Today {
			shape = draw.BoxGlyph{}
		}
		p.Add(&plotter.Scatter{XYs: plotter.XYs{{X: x, Y: f.Objective.Value}}, GlyphStyle: draw.GlyphStyle{Color: c, Radius: vg.Points(5), Shape: shape}})
	}
	fitValueAxis(&p.Y, p.Y.Min, p.Y.Max, valueTicks{Unit: unit, Currency: o.Currency}, 7)
	fitValueAxis(&p.X, p.X.Min, p.X.Max, valueTicks{Unit: axisMoney, Currency: o.Currency}, 7)
	legend := []legendItem{{Label: "A plan within the budget and mean constraints on its expected path", Color: withAlpha(blue, 0.6), Kind: swatchDot, Glyph: draw.CircleGlyph{}}}
	if len(out) > 0 {
		legend = append(legend, legendItem{Label: "Outside them", Color: muted, Kind: swatchDot, Glyph: draw.RingGlyph{}})
	}
	if o.Objective.Maximize {
		legend = append(legend, legendItem{Label: "Frontier: the most for the cost", Color: blue, Kind: swatchLine})
	}
	legend = append(legend, []legendItem{
		{Label: "Finalist, Monte Carlo mean and 95 % interval", Color: blue, Kind: swatchMarker, Glyph: draw.CircleGlyph{}},
		{Label: "Today's plan", Color: today, Kind: swatchMarker, Glyph: draw.BoxGlyph{}},
	}...)
	if o.Best >= 0 {
		legend = append(legend, legendItem{Label: "Best: " + planText(o, o.Finalists[o.Best].Values, false), Color: best, Kind: swatchMarker, Glyph: draw.CircleGlyph{}})
	}
	return &chartFigure{
		Title:    frontierTitle(o),
		Subtitle: fmt.Sprintf("Each dot is one of %d plans%s: its CS cost over the horizon against its %s, on its expected path; finalists from %s trials on the same random numbers.", len(o.Candidates), labelledBy(o), objectiveName(o), Count(float64(o.Trials))),
		Legend:   legend,
		Note:     fmt.Sprintf("csplan optimize · %s · seed %d", o.Scenario, o.Seed),
		Body:     func(c draw.Canvas) { p.Draw(c) },
	}
}

// frontierTitle says the answer: the best plan and what it gains against
// today, or that none is feasible.
func frontierTitle(o *results.Optimize) string {
	if o.Best < 0 {
		return "No plan meets every constraint"
	}
	b := o.Finalists[o.Best]
	if b.Today {
		return "Today's plan is the best of the plans tried"
	}
	s := "Best: " + planText(o, b.Values, false)
	if v, ok := o.Versus["today"]; ok {
		q, _ := results.MetricByKey(o.Objective.Metric)
		s += fmt.Sprintf(", %s %s against today on average", chartValue(v.MeanDiff.Value, diffAxis(q.Unit), o.Currency, true), q.Short)
	}
	return s
}

// frontier is the upper envelope of pts by cost: for each cost, the most
// of the objective any plan that costs no more reaches, as steps.
func frontier(pts plotter.XYs) plotter.XYs {
	s := append(plotter.XYs(nil), pts...)
	sort.Slice(s, func(i, j int) bool { return s[i].X < s[j].X || (s[i].X == s[j].X && s[i].Y > s[j].Y) })
	var out plotter.XYs
	for _, pt := range s {
		if len(out) > 0 {
			last := out[len(out)-1].Y
			if pt.Y <= last {
				continue
			}
			out = append(out, plotter.XY{X: pt.X, Y: last})
		}
		out = append(out, pt)
	}
	return out
}
