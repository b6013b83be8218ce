package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"csplan/results"
)

// document is what report.md and report.html say, built once from the
// results and rendered by Markdown and HTML.
type document struct {
	Title, Question, Facts string

	AnswerIntro string
	Answers     []answer
	AnswerNotes []string
	Diffs       *table // nil when there is only a baseline

	// KeyCharts are in the main report; Charts, the others, in the
	// appendix.
	KeyCharts, Charts []Chart

	MetricsNote string
	Metrics     table

	Sensitivity *sensitivitySection // nil when the results carry none
	Breakeven   *breakevenSection   // nil when the results carry none
	Payback     *paybackSection     // nil without options
	Bridge      *bridgeSection      // nil without options

	Options []optionInfo

	AssumptionsIntro string
	Assumptions      []assumptionGroup
	// KeyAssumptions are the uncertain inputs, for the main report (the
	// appendix has every input).
	KeyAssumptionsIntro string
	KeyAssumptions      []assumptionGroup

	Repro    []fact
	SE       *table // nil in expected mode
	SENote   string
	MeanCI   *table // nil in expected mode or without options
	Warnings []string
}

// meanCINote introduces the table of 95 % intervals of the mean differences.
const meanCINote = "The 95 % interval of each mean difference: where the average difference would lie if the simulation were run with many more trials. It is narrower than the 90 % interval in the answer, which describes how much the difference varies from one simulated future to another."

// answer is one sentence: Pre, the option's name in bold, Post.
type answer struct{ Verdict, Pre, Option, Post string }

// table is a table of formatted cells. Right marks right-aligned (numeric)
// columns, Code columns shown as code (input paths). Class is the HTML
// table's class, if any.
type table struct {
	Header      []string
	Right, Code []bool
	Rows        []row
	Class       string
}

// IsCode reports whether column i is shown as code.
func (t table) IsCode(i int) bool { return i < len(t.Code) && t.Code[i] }

// row is one table row; First marks the first row of a group (a new
// metric), drawn with a rule above it. Kind is an assumption's kind.
type row struct {
	Cells []string
	First bool
	Kind  string
}

type optionInfo struct {
	Name, Description string
	Baseline          bool
	Changes           []results.Change
}

// assumptionGroup is the inputs under one path prefix: rows of input (the
// path after the prefix), value and kind.
type assumptionGroup struct {
	Title, Prefix string
	Rows          []row
}

// fact is one line of the reproducibility section.
type fact struct {
	Label, Value string
	Code         bool
}

// kindLabels say in words how each kind of input is used.
var kindLabels = map[string]string{
	"per-trial": "uncertain, per trial",
	"per-event": "random, per account or event",
	"fixed":     "fixed",
}

// buildDocument states r section by section, with the charts (the tornado
// chart in the sensitivity section, the break-even chart in its own).
func buildDocument(r *results.Results, charts []Chart) document {
	d := document{Title: r.Scenario, Question: r.Question, Facts: runFacts(r)}
	var tornado, breakeven, payback *Chart
	d.Charts, tornado = splitChart(charts, "tornado")
	d.Charts, breakeven = splitChart(d.Charts, "breakeven")
	d.Charts, payback = splitChart(d.Charts, "payback")
	for _, name := range keyCharts {
		var c *Chart
		if d.Charts, c = splitChart(d.Charts, name); c == nil && name == "differences" {
			// Without options there are no differences: the levels.
			d.Charts, c = splitChart(d.Charts, "comparison")
		}
		if c != nil {
			d.KeyCharts = append(d.KeyCharts, *c)
		}
	}
	var bridges []Chart
	for k := 1; k < len(r.Options); k++ {
		var b *Chart
		if d.Charts, b = splitChart(d.Charts, fmt.Sprintf("bridge-%d", k)); b != nil {
			bridges = append(bridges, *b)
		}
	}
	if len(r.Options) > 1 {
		d.Payback = buildPayback(r, payback)
		d.Bridge = buildBridge(r, bridges)
	}
	if r.Sensitivity != nil {
		d.Sensitivity = buildSensitivity(r.Sensitivity, metricPhrase(metricQuantity(r.Sensitivity.Metric), r), tornado)
	}
	if r.Breakeven != nil {
		d.Breakeven = buildBreakeven(r.Breakeven, breakeven)
	}
	metrics, zero := dropZero(r, metricsOf(r))
	d.addAnswer(r, metrics)
	if len(zero) > 0 {
		d.AnswerNotes = append(d.AnswerNotes, fmt.Sprintf("Left out of the tables, as 0 in every option and trial: %s.", strings.Join(zero, "; ")))
	}
	d.MetricsNote, d.Metrics = headlineMetrics(r, metrics)
	d.MetricsNote += textbookCLVNote(r)
	d.Options = optionInfos(r)
	d.Assumptions, d.AssumptionsIntro = groupAssumptions(r.Assumptions), assumptionsIntro(r.Assumptions)
	d.KeyAssumptions, d.KeyAssumptionsIntro = keyAssumptions(r.Assumptions)
	d.addReproducibility(r, metrics)
	d.Warnings = r.Warnings
	return d
}

// dropZero leaves out the metrics that are 0 in every option and trial
// (second-order revenue in a scenario without referrals), and names them.
func dropZero(r *results.Results, metrics []quantity) (kept []quantity, zero []string) {
	for _, q := range metrics {
		all := true
		for _, o := range r.Options {
			if s, ok := o.Metrics[q.key]; ok && (s.Mean != 0 || s.P5 != 0 || s.P95 != 0 || s.SD != 0) {
				all = false
			}
		}
		if all && len(r.Options) > 0 {
			zero = append(zero, metricLabel(q, r))
			continue
		}
		kept = append(kept, q)
	}
	return kept, zero
}

// keyAssumptions are the uncertain inputs (drawn per trial), the ones the
// answer's intervals come from, grouped as the full list is.
func keyAssumptions(as []results.Assumption) ([]assumptionGroup, string) {
	var key []results.Assumption
	for _, a := range as {
		if a.Kind == "per-trial" {
			key = append(key, a)
		}
	}
	if len(key) == 0 {
		return nil, "No input is uncertain: every one is fixed or drawn per account or event. The appendix lists them all."
	}
	return groupAssumptions(key), fmt.Sprintf("The %s uncertain inputs, each drawn once per trial (the same draw for every option): the answer's intervals come from them and from the randomness of accounts and events. The appendix lists every input.", Count(float64(len(key))))
}

// keyCharts are the charts of the main report, besides the bridges and the
// payback (the appendix has the rest): a report stays short by default.
// The differences come before the levels: the decision turns on them.
var keyCharts = []string{"arr-fan", "differences"}

// appendixIntro opens the appendix.
const appendixIntro = "Everything below supports the answer above: every metric's difference from the baseline, the other charts, the headline metrics, the options, every input and how to reproduce the run."

// splitChart parts the chart of the given name, which belongs to a section
// of its own (the tornado chart to the sensitivity, the break-even chart
// to what would have to be true), from the others.
func splitChart(charts []Chart, name string) (others []Chart, chart *Chart) {
	for _, c := range charts {
		if c.Name == name {
			chart = &c
			continue
		}
		others = append(others, c)
	}
	return others, chart
}

// runPeriod is the simulated period: "36 months, Jan 2027 to Dec 2029", or
// the months alone when the results have no start month.
func runPeriod(r *results.Results) string {
	h := r.HorizonMonths
	if _, ok := monthDate(r.Start, 1); ok {
		return fmt.Sprintf("%s, %s to %s", Plural(h, "month"), MonthLabel(r.Start, 1), MonthLabel(r.Start, h))
	}
	return Plural(h, "month")
}

// runFacts says how the numbers were made: the mode, trials, period and
// currency.
func runFacts(r *results.Results) string {
	period, cur := runPeriod(r), currencyCode(r.Currency)
	if r.Mode != "expected" {
		facts := fmt.Sprintf("Monte Carlo simulation: %s trials over %s. Amounts in %s.", Count(float64(r.Trials)), period, cur)
		if len(r.Compared) > 0 {
			first, _, _ := strings.Cut(r.File, " ")
			facts += fmt.Sprintf(" The options of %s are compared with %s's baseline in one run, on the same random draws: their differences are paired trial by trial.", joinAnd(r.Compared), first)
		}
		return facts
	}
	return fmt.Sprintf("Expected path (%s net rate) over %s; no uncertainty is simulated. Amounts in %s.", r.NetRate, period, cur)
}

// primaryMetric is the metric the answer is given in: ARR at the horizon,
// or else the first metric.
func primaryMetric(metrics []quantity) quantity {
	for _, q := range metrics {
		if q.key == results.ARREnd {
			return q
		}
	}
	if len(metrics) > 0 {
		return metrics[0]
	}
	return quantity{}
}

// addAnswer states the answer: each option against the baseline in the
// primary metric with what it costs and how it moves the valuation, notes
// on reading the intervals, and every metric's difference in a table.
func (d *document) addAnswer(r *results.Results, metrics []quantity) {
	primary := primaryMetric(metrics)
	phrase := metricPhrase(primary, r)
	if len(r.Options) == 1 {
		d.AnswerIntro = "The scenario has no options to compare with the baseline."
		d.Answers = []answer{baselineAnswer(r, primary, phrase)}
		return
	}
	mc := r.Mode != "expected"
	d.AnswerIntro = fmt.Sprintf("Each option against the baseline (%s):", lowerFirst(describeBaseline(r.Options[0])))
	anyMean, anyTrial := false, false
	for _, o := range r.Options[1:] {
		c := compare(o.VsBaseline[primary.key], mc)
		anyMean = anyMean || c.intervalKind == meanCI95
		anyTrial = anyTrial || c.intervalKind == perTrial90
		a := optionAnswer(r, o, primary, phrase, c)
		a.Verdict = verdict(r, o)
		money := bridgeSentence(r, o)
		if money == "" {
			money = costSentence(r, o)
		}
		a.Post += money + paybackSentence(r, o) + hingeSentence(r.Breakeven, o.Name) + valuationSentence(r, o)
		d.Answers = append(d.Answers, a)
	}
	d.AnswerNotes = answerNotes(mc, anyMean, anyTrial)
	if mc && r.Breakeven == nil {
		d.AnswerNotes = append(d.AnswerNotes, "What the answer hinges on is not measured in this run: rerun it with --breakeven to find, for the most uncertain inputs, the value at which the option would pay, and whether that value lies inside the range assumed.")
	}
	if t := diffTable(r, metrics); len(t.Rows) > 0 {
		d.Diffs = t
	}
}

// answerNotes say how to read the answers' differences: paired trials, the
// interval given (per-trial where the results carry a histogram of
// differences, of the mean where they do not) and when a difference is
// clear.
func answerNotes(mc, anyMean, anyTrial bool) []string {
	if !mc {
		return []string{"Expected mode follows one deterministic expected path, so the differences carry no interval."}
	}
	paired := "Every option is simulated on the same random draws as the baseline, so each trial gives one paired difference."
	if anyTrial {
		paired += " The 90 % interval runs from the 5th to the 95th percentile of these per-trial differences: in 90 % of the simulated futures the difference falls inside it. Its ends are read from the histogram of differences in results.json and are accurate to about one bin width."
	}
	notes := []string{paired}
	if anyMean {
		notes = append(notes, "Where the results carry no histogram of differences, the interval given is the 95 % interval of the mean difference: it measures how precisely the average is known, not how much the difference varies between trials.")
	}
	return append(notes, "A difference is called clear when at least 95 % of the trials lie on the side of its mean, which is when its whole interval lies on that side of zero. Shares count the trials in which the option is higher or lower; the rest are ties (within 1e-12 of each other, the same sum added in another order). How precisely each average is known is under Reproducibility.")
}

// headlineMetrics is the table of every metric per option: median, 90 %
// interval and mean with its standard error, or the expected value.
// textbookCLVNote compares the baseline's CLV per segment with the
// textbook's steady-state CLV and says why they differ; empty when the
// results carry no textbook CLV.
func textbookCLVNote(r *results.Results) string {
	if len(r.Options) == 0 || len(r.Options[0].TextbookCLV) == 0 {
		return ""
	}
	o := r.Options[0]
	var parts []string
	for _, seg := range slices.Sorted(maps.Keys(o.TextbookCLV)) {
		s, ok := o.Metrics[results.CLVPrefix+seg]
		if !ok {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s against csplan's %s", seg, Money(o.TextbookCLV[seg], r.Currency), Money(s.Mean, r.Currency)))
	}
	if len(parts) == 0 {
		return ""
	}
	return " For comparison, the textbook CLV of the baseline (an account's ARR × margin ÷ annual churn, discounted) is " +
		strings.Join(parts, "; ") + ". csplan's CLV differs because it follows each segment's price increases, upsell and contraction, " +
		"charges its share of the CS team's cost, lets churn fall with tenure under sBG, and counts at most 20 years."
}

func headlineMetrics(r *results.Results, metrics []quantity) (string, table) {
	mc := r.Mode != "expected"
	note := "Values on the expected path."
	t := table{Header: []string{"Metric", "Option", "Expected value"}, Right: []bool{false, false, true}}
	if mc {
		note = "Median and 90 % interval (5th to 95th percentile) of each metric over the trials; mean ± its Monte Carlo standard error."
		t = table{Header: []string{"Metric", "Option", "Median", "90 % interval", "Mean ± SE"}, Right: []bool{false, false, true, true, true}}
	}
	cur := currencyCode(r.Currency)
	for _, q := range metrics {
		for i, o := range r.Options {
			label := ""
			if i == 0 {
				label = metricLabel(q, r)
			}
			cells := []string{label, o.Name}
			s, ok := o.Metrics[q.key]
			month, noBase := noRetentionBase(r, o)
			switch {
			case !ok:
				cells = append(cells, "–")
				if mc {
					cells = append(cells, "–", "–")
				}
			case noBase && (q.key == results.NRR12m || q.key == results.GRR12m):
				// Nothing to retain: undefined, not 0 %.
				cells = append(cells, "undefined")
				if mc {
					cells = append(cells, "no revenue in "+MonthLabel(r.Start, month), "–")
				}
			case mc:
				cells = append(cells, q.unit.format(s.P50, cur),
					q.unit.format(s.P5, cur)+" to "+q.unit.format(s.P95, cur),
					q.unit.format(s.Mean, cur)+" ± "+q.unit.magnitude(s.SE, cur))
			default:
				cells = append(cells, q.unit.format(s.Mean, cur))
			}
			t.Rows = append(t.Rows, row{Cells: cells, First: i == 0})
		}
	}
	return note, t
}

// optionInfos lists the options with what each changes.
func optionInfos(r *results.Results) []optionInfo {
	infos := make([]optionInfo, len(r.Options))
	for i, o := range r.Options {
		infos[i] = optionInfo{Name: o.Name, Description: o.Description, Baseline: i == 0, Changes: o.Changes}
	}
	return infos
}

// assumptionsIntro counts the inputs by kind.
func assumptionsIntro(as []results.Assumption) string {
	if len(as) == 0 {
		return "The results do not list the scenario's inputs."
	}
	counts := map[string]int{}
	for _, a := range as {
		counts[a.Kind]++
	}
	var parts []string
	for _, k := range []struct{ kind, say string }{
		{"per-trial", "uncertain (drawn once per trial, the same draw for every option)"},
		{"per-event", "random per account or event (such as a contract's value or an upsell's size)"},
		{"fixed", "fixed"},
	} {
		if n := counts[k.kind]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", Count(float64(n)), k.say))
		}
	}
	if n := len(as) - counts["per-trial"] - counts["per-event"] - counts["fixed"]; n > 0 {
		parts = append(parts, fmt.Sprintf("%s of another kind", Count(float64(n))))
	}
	list := parts[0]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	return fmt.Sprintf("Every input of the baseline, %s in all: %s.", Count(float64(len(as))), list)
}

// addReproducibility states how to rerun the results and how precise they
// are: each mean's standard error and each mean difference's 95 %
// interval (none in expected mode).
func (d *document) addReproducibility(r *results.Results, metrics []quantity) {
	d.Repro = reproFacts(r)
	if r.Mode == "expected" {
		d.SENote = "Expected mode computes one deterministic path: there is no sampling error."
		return
	}
	d.SENote = "Monte Carlo standard error of each mean: another seed would typically move the mean by about this much. Four times the trials halve it. Reruns with the same scenario, seed, trials and csplan version give the same numbers whatever the number of workers."
	d.SE = seTable(r, metrics)
	if t := meanCITable(r, metrics); len(r.Options) > 1 && len(t.Rows) > 0 {
		d.MeanCI = t
	}
}

// reproFacts are what a rerun needs: mode, trials and seed, period,
// currency, version and the command.
func reproFacts(r *results.Results) []fact {
	seed := fmt.Sprint(r.Seed)
	version := r.Version
	if version == "" {
		version = "not recorded"
	}
	mc := r.Mode != "expected"
	facts := []fact{{Label: "Mode", Value: fmt.Sprintf("expected path (%s net rate)", r.NetRate)}}
	if mc {
		facts = []fact{
			{Label: "Mode", Value: "Monte Carlo"},
			{Label: "Trials", Value: Count(float64(r.Trials))},
			{Label: "Seed", Value: seed},
		}
	}
	facts = append(facts,
		fact{Label: "Period", Value: runPeriod(r)},
		fact{Label: "Currency", Value: currencyCode(r.Currency)},
		fact{Label: "csplan version", Value: version},
	)
	file := cmp.Or(r.File, "SCENARIO.yaml")
	rerun := "csplan run " + file + " -o OUT --mode expected"
	if mc {
		rerun = fmt.Sprintf("csplan run %s -o OUT --seed %s --trials %d", file, seed, r.Trials)
	}
	return append(facts, fact{Label: "Rerun", Value: rerun, Code: true})
}

// seTable is each metric's standard error per option.
func seTable(r *results.Results, metrics []quantity) *table {
	cur := currencyCode(r.Currency)
	se := &table{Header: []string{"Metric"}, Right: []bool{false}}
	for _, o := range r.Options {
		se.Header = append(se.Header, o.Name)
		se.Right = append(se.Right, true)
	}
	for _, q := range metrics {
		cells := []string{metricLabel(q, r)}
		for _, o := range r.Options {
			if s, ok := o.Metrics[q.key]; ok {
				cells = append(cells, "±"+q.unit.magnitude(s.SE, cur))
			} else {
				cells = append(cells, "–")
			}
		}
		se.Rows = append(se.Rows, row{Cells: cells})
	}
	return se
}

func describeBaseline(o results.Option) string {
	if o.Description != "" {
		return strings.TrimSuffix(o.Description, ".")
	}
	return o.Name
}

// lowerFirst lowers the first letter of s unless it starts an acronym (ARR).
func lowerFirst(s string) string {
	if len(s) > 1 && strings.ToUpper(s[:2]) == s[:2] {
		return s
	}
	return strings.ToLower(s[:min(1, len(s))]) + s[min(1, len(s)):]
}

// horizonLabel is the calendar month of the horizon, or "month N".
func horizonLabel(r *results.Results) string {
	return MonthLabel(r.Start, r.HorizonMonths)
}

// metricLabel is a metric's name in tables, with the horizon's month where
// the metric is taken at the horizon.
func metricLabel(q quantity, r *results.Results) string {
	switch q.key {
	case results.Valuation:
		if m := valuationMethod(r); m != "" {
			return fmt.Sprintf("Valuation, %s (%s)", horizonLabel(r), m)
		}
		return "Valuation, " + horizonLabel(r)
	case results.DCFValue:
		return "DCF value, " + horizonLabel(r)
	}
	if strings.HasSuffix(q.label, " at horizon") {
		return strings.TrimSuffix(q.label, " at horizon") + ", " + horizonLabel(r)
	}
	if q.key == results.RevenueTotal {
		return fmt.Sprintf("Revenue, %d months", r.HorizonMonths)
	}
	return q.label
}

// metricQuantity is how the metric key is named and shown.
func metricQuantity(key string) quantity {
	for _, q := range metricOrder {
		if q.key == key {
			return q
		}
	}
	if seg, ok := segmentCLV(key); ok {
		return quantity{key, segmentCLVLabel(seg), unitMoney}
	}
	return quantity{key, key, unitNumber}
}

// metricPhrase is how a sentence names a metric.
func metricPhrase(q quantity, r *results.Results) string {
	h := r.HorizonMonths
	switch q.key {
	case results.ARREnd:
		if _, ok := monthDate(r.Start, h); ok {
			return fmt.Sprintf("ARR in %s (month %d)", horizonLabel(r), h)
		}
		return fmt.Sprintf("ARR at month %d", h)
	case results.RevenueTotal:
		return fmt.Sprintf("total revenue over the %d months", h)
	case results.LogosEnd:
		return "the number of customers in " + horizonLabel(r)
	}
	return lowerFirst(q.label)
}

func baselineAnswer(r *results.Results, q quantity, phrase string) answer {
	cur := r.Currency
	o := r.Options[0]
	s := o.Metrics[q.key]
	from := ""
	if ps := o.Series[results.SeriesARR]; q.key == results.ARREnd && len(ps) > 0 && ps[0].Month == 0 {
		v := ps[0].Mean
		if r.Mode != "expected" {
			v = ps[0].P50
		}
		from = fmt.Sprintf(", from %s in %s", q.unit.format(v, cur), MonthLabel(r.Start, 0))
	}
	if r.Mode == "expected" {
		return answer{Option: o.Name, Post: fmt.Sprintf(": %s is %s on the expected path%s.", phrase, q.unit.format(s.Mean, cur), from)}
	}
	return answer{Option: o.Name, Post: fmt.Sprintf(": %s is %s (median; 90 %% interval %s to %s)%s.",
		phrase, q.unit.format(s.P50, cur), q.unit.format(s.P5, cur), q.unit.format(s.P95, cur), from)}
}

func optionAnswer(r *results.Results, o results.Option, q quantity, phrase string, c comparison) answer {
	cur := r.Currency
	a := answer{Pre: "With ", Option: o.Name}
	if _, ok := o.VsBaseline[q.key]; !ok {
		a.Post = fmt.Sprintf(", the results hold no comparison of %s with the baseline.", phrase)
		return a
	}
	if !c.monteCarlo {
		if c.verdict == "no difference" {
			a.Post = fmt.Sprintf(", %s is the same as in the baseline (%s) on the expected path.", phrase, q.unit.format(o.Metrics[q.key].Mean, cur))
			return a
		}
		a.Post = fmt.Sprintf(", %s is %s %s than in the baseline (%s against %s) on the expected path.", phrase,
			q.unit.magnitude(c.mean, cur), c.verdict, q.unit.format(o.Metrics[q.key].Mean, cur), q.unit.format(r.Options[0].Metrics[q.key].Mean, cur))
		return a
	}
	switch c.verdict {
	case "no difference":
		a.Post = fmt.Sprintf(", %s is the same as in the baseline in every one of the %s.", phrase, Plural(r.Trials, "trial"))
		if r.Trials == 1 {
			a.Post = fmt.Sprintf(", %s is the same as in the baseline in the one trial.", phrase)
		}
	case "higher", "lower":
		lo, hi := c.lo, c.hi
		if c.verdict == "lower" {
			lo, hi = -hi, -lo
		}
		share := c.higher
		if c.verdict == "lower" {
			share = c.lower
		}
		a.Post = fmt.Sprintf(", %s is %s %s than in the baseline on average (%s %s to %s); it is %s in %s.", phrase,
			q.unit.magnitude(c.mean, cur), c.verdict, c.intervalKind, q.unit.magnitude(lo, cur), q.unit.magnitude(hi, cur), c.verdict, shareOfTrials(share))
	default:
		a.Post = fmt.Sprintf(", there is no clear difference in %s: the %s runs from %s to %s (average %s); it is higher in %s and lower in %s.", phrase,
			c.intervalKind, q.unit.signed(c.lo, cur), q.unit.signed(c.hi, cur), q.unit.signed(c.mean, cur), shareOfTrials(c.higher), shareOfTrials(c.lower))
	}
	return a
}

// verdict says in a few words whether an option pays, on gross profit over
// the horizon (the bridge's net), by the report's one certainty rule: it
// pays, or does not, when the 90 % interval of the paired differences
// lies on one side of none; otherwise it leans one way when at least 80 %
// of trials do, and has no clear answer when fewer do. "" for an option
// without a gross-profit comparison.
func verdict(r *results.Results, o results.Option) string {
	d, ok := o.VsBaseline[results.GrossProfitTotal]
	if !ok {
		return ""
	}
	over := "over the " + Plural(r.HorizonMonths, "month")
	c := compare(d, r.Mode != "expected")
	switch {
	case c.verdict == "no difference":
		return "Makes no difference to gross profit " + over + "."
	case c.verdict == "higher":
		return "Pays: more gross profit " + over + "."
	case c.verdict == "lower":
		return "Does not pay: less gross profit " + over + "."
	case c.lower >= leanShare:
		return fmt.Sprintf("Leans against: less gross profit %s in %s of trials, short of the 95 %% that makes a difference clear.", over, shareShort(c.lower))
	case c.higher >= leanShare:
		return fmt.Sprintf("Leans for: more gross profit %s in %s of trials, short of the 95 %% that makes a difference clear.", over, shareShort(c.higher))
	}
	return fmt.Sprintf("No clear answer: more gross profit %s in %s of trials, less in %s.", over, shareShort(c.higher), shareShort(c.lower))
}

// leanShare is the share of trials from which an unclear difference leans
// one way.
const leanShare = 0.8

// costSentence adds, for an option that changes CS cost (a headcount cut
// or hire), what it saves or costs and whether it pays off: the share of
// trials in which gross profit over the horizon is higher than the
// baseline's. A cost that differs only by the noise of the team's
// attrition (an option that leaves the team alone changes its load a
// little), with no clear difference, gets no sentence.
func costSentence(r *results.Results, o results.Option) string {
	cost, ok1 := o.VsBaseline[results.CSCostTotal]
	profit, ok2 := o.VsBaseline[results.GrossProfitTotal]
	if !ok1 || !ok2 || cost.MeanDiff == 0 {
		return ""
	}
	if v := compare(cost, r.Mode != "expected").verdict; v != "higher" && v != "lower" {
		return ""
	}
	cur := r.Currency
	way := "saves"
	if cost.MeanDiff > 0 {
		way = "adds"
	}
	s := fmt.Sprintf(" It %s %s of CS cost over the %d months", way, Money(math.Abs(cost.MeanDiff), cur), r.HorizonMonths)
	change := "raises"
	if profit.MeanDiff < 0 {
		change = "lowers"
	}
	s += fmt.Sprintf(" and %s gross profit by %s on average", change, Money(math.Abs(profit.MeanDiff), cur))
	if r.Mode == "expected" {
		return s + "."
	}
	return s + fmt.Sprintf("; it pays off (higher gross profit) in %s.", shareOfTrials(profit.PBetter))
}

// valuationMethods name the valuation methods of the scenario's
// valuation.method as a reader knows them.
var valuationMethods = map[string]string{"arr_multiple": "ARR multiple", "dcf": "DCF", "customer_based": "customer-based"}

// valuationMethod is the method the results' valuation uses, in words, or
// "" when the results do not say.
func valuationMethod(r *results.Results) string {
	for _, a := range r.Assumptions {
		if a.Path == "valuation.method" {
			return valuationMethods[strings.Trim(a.Value, "`\" ")]
		}
	}
	return ""
}

// valuationSentence adds how the option moves the valuation at the
// horizon, where the results carry one, and beside a method that does not
// see cost (the ARR multiple) how it moves the value of its free cash flow.
func valuationSentence(r *results.Results, o results.Option) string {
	s := moveSentence(r, o, results.Valuation, "the valuation")
	if s == "" {
		return ""
	}
	if valuationMethod(r) != "ARR multiple" {
		return s
	}
	s += " The valuation is by ARR multiple, a market convention that does not see cost" + multipleSplit(r, o)
	if dcf := moveSentence(r, o, results.DCFValue, "the value"); dcf != "" {
		dcf = strings.Replace(dcf, " It ", " valued by its free cash flow (DCF) instead, the option ", 1)
		return s + ";" + strings.Replace(dcf, " Its effect ", " valued by its free cash flow (DCF) instead, its effect ", 1)
	}
	return s + "."
}

// multipleSplit says how much of an option's change in a valuation by ARR
// multiple comes from its ARR and how much from the multiple (which rises
// with NRR and growth), from the means: V = ARR × m, so V_o − V_b =
// (ARR_o − ARR_b) × m_b + ARR_o × (m_o − m_b), m = mean V / mean ARR. A cut
// that lost $613k of ARR lost $12.5M of value, and the reader could not
// see why; "" without both means.
func multipleSplit(r *results.Results, o results.Option) string {
	base := r.Options[0]
	arrB, arrO := base.Metrics[results.ARREnd].Mean, o.Metrics[results.ARREnd].Mean
	vB, vO := base.Metrics[results.Valuation].Mean, o.Metrics[results.Valuation].Mean
	if arrB <= 0 || arrO <= 0 || vB == vO {
		return ""
	}
	mB, mO := vB/arrB, vO/arrO
	cur := r.Currency
	fromARR, fromMult := (arrO-arrB)*mB, arrO*(mO-mB)
	more := "more"
	if arrO < arrB {
		more = "less"
	}
	higher := "higher"
	if mO < mB {
		higher = "lower"
	}
	return fmt.Sprintf(" (of its %s, %s is %s %s ARR at the baseline's multiple of %.2f × and %s a multiple %.2f × %s, since the multiple rises with NRR and growth)",
		signedMoney(vO-vB, cur), signedMoney(fromARR, cur), Money(math.Abs(arrO-arrB), cur), more, mB, signedMoney(fromMult, cur), math.Abs(mO-mB), higher)
}

// moveSentence says how the option moves a money metric at the horizon, by
// the difference table's rule: "raises"/"lowers" when the trials agree,
// "not clear" when they go both ways.
func moveSentence(r *results.Results, o results.Option, key, noun string) string {
	v, ok := o.VsBaseline[key]
	if !ok || v.MeanDiff == 0 {
		return ""
	}
	way := "raises"
	if v.MeanDiff < 0 {
		way = "lowers"
	}
	s := fmt.Sprintf(" It %s %s in %s by %s on average", way, noun, horizonLabel(r), Money(math.Abs(v.MeanDiff), r.Currency))
	if r.Mode == "expected" {
		return s + "."
	}
	if c := compare(v, true); c.verdict != "higher" && c.verdict != "lower" {
		// As the difference table reads it: the trials go both ways.
		return fmt.Sprintf(" Its effect on %s in %s is not clear: %s on average, higher in %s.", noun, horizonLabel(r),
			Money(v.MeanDiff, r.Currency), shareOfTrials(v.PBetter))
	}
	return s + fmt.Sprintf(" (higher in %s).", shareOfTrials(v.PBetter))
}

// diffTable is every metric's difference from the baseline, per option.
func diffTable(r *results.Results, metrics []quantity) *table {
	cur := r.Currency
	mc := r.Mode != "expected"
	t := &table{}
	if mc {
		t.Header = []string{"Metric", "Option", "Average difference", "90 % interval", "Higher in", "Lower in", "Reading"}
		t.Right = []bool{false, false, true, true, true, true, false}
	} else {
		t.Header = []string{"Metric", "Option", "Difference", "Option value", "Baseline value", "Reading"}
		t.Right = []bool{false, false, true, true, true, false}
	}
	forEachDiff(r, metrics, t, func(q quantity, o results.Option, d results.Diff) []string {
		c := compare(d, mc)
		if !mc {
			return []string{q.unit.signed(c.mean, cur), q.unit.format(o.Metrics[q.key].Mean, cur),
				q.unit.format(r.Options[0].Metrics[q.key].Mean, cur), c.reading()}
		}
		per := "–"
		if c.intervalKind == perTrial90 {
			per = q.unit.signed(c.lo, cur) + " to " + q.unit.signed(c.hi, cur)
		}
		return []string{q.unit.signed(c.mean, cur), per, sharePercent(c.higher), sharePercent(c.lower), c.reading()}
	})
	return t
}

// meanCITable is the 95 % interval of every mean difference: the Monte
// Carlo precision of the comparisons.
func meanCITable(r *results.Results, metrics []quantity) *table {
	cur := r.Currency
	t := &table{
		Header: []string{"Metric", "Option", "Mean difference", "95 % interval of the mean difference"},
		Right:  []bool{false, false, true, true},
	}
	forEachDiff(r, metrics, t, func(q quantity, _ results.Option, d results.Diff) []string {
		return []string{q.unit.signed(d.MeanDiff, cur), q.unit.signed(d.CI95[0], cur) + " to " + q.unit.signed(d.CI95[1], cur)}
	})
	return t
}

// forEachDiff adds to t a row per metric and option (but the baseline),
// the metric named on its first row, the other cells from cells ("–" where
// the option has no comparison). A metric no option compares with the
// baseline is left out: results.json carries vs_baseline only for some
// metrics (not, for one, the per-segment clv_SEGMENT), and a group of
// rows of dashes would read as a comparison that came out empty.
func forEachDiff(r *results.Results, metrics []quantity, t *table, cells func(quantity, results.Option, results.Diff) []string) {
	for _, q := range metrics {
		if !slices.ContainsFunc(r.Options[1:], func(o results.Option) bool { _, ok := o.VsBaseline[q.key]; return ok }) {
			continue
		}
		for i, o := range r.Options[1:] {
			label := ""
			if i == 0 {
				label = metricLabel(q, r)
			}
			rc := []string{label, o.Name}
			if d, ok := o.VsBaseline[q.key]; ok {
				rc = append(rc, cells(q, o, d)...)
			} else {
				for range t.Header[2:] {
					rc = append(rc, "–")
				}
			}
			t.Rows = append(t.Rows, row{Cells: rc, First: i == 0})
		}
	}
}

// groupTitles name the top-level sections of a scenario.
var groupTitles = map[string]string{
	"segments":          "Segment",
	"acquisition":       "Acquisition",
	"team":              "CS team",
	"coverage_response": "Coverage response",
	"economics":         "Economics",
	"valuation":         "Valuation", // the scenario's section, not the metric
	"correlations":      "Correlations",
}

// assumptionName is an input's label for a table under its group's title: the
// segment's name, which the title gives, left out; its path in the group
// for a result without labels.
func assumptionName(a results.Assumption, parts []string, input string) string {
	if a.Label == "" {
		return input
	}
	name := a.Label
	if (parts[0] == "segments" || parts[0] == "acquisition") && len(parts) > 2 {
		name = strings.TrimPrefix(name, parts[1]+" ")
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// groupAssumptions groups inputs by section (segments and acquisition by
// segment), in the order the sections first appear; inputs at the top level
// form a "Simulation" group.
func groupAssumptions(as []results.Assumption) []assumptionGroup {
	var groups []assumptionGroup
	index := map[string]int{}
	for _, a := range as {
		parts := strings.Split(a.Path, ".")
		head := parts[0]
		if i := strings.IndexByte(head, '['); i > 0 {
			head = head[:i]
		}
		prefix, title := "", "Simulation"
		switch {
		case len(parts) == 1 && head == parts[0]:
		case (head == "segments" || head == "acquisition") && len(parts) > 2:
			prefix = parts[0] + "." + parts[1] + "."
			title = groupTitles[head] + ": " + parts[1]
		default:
			if len(parts) > 1 {
				prefix = head + "."
			}
			title = groupTitles[head]
			if title == "" {
				title = strings.ReplaceAll(head, "_", " ")
				title = strings.ToUpper(title[:1]) + title[1:]
			}
		}
		i, ok := index[title]
		if !ok {
			i = len(groups)
			index[title] = i
			groups = append(groups, assumptionGroup{Title: title, Prefix: prefix})
		}
		input := strings.TrimPrefix(a.Path, prefix)
		kind := kindLabels[a.Kind]
		if kind == "" {
			kind = a.Kind
		}
		groups[i].Rows = append(groups[i].Rows, row{Cells: []string{assumptionName(a, parts, input), input, a.Value, kind}, Kind: a.Kind})
	}
	return groups
}

// Markdown writes report.md: the question, the answer, the charts (linked
// as charts/NAME.png), the tables, the assumptions and how to reproduce.
func Markdown(w io.Writer, r *results.Results, charts []Chart) error {
	d := buildDocument(r, charts)
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# %s\n\n", mdText(d.Title))
	if d.Question != "" {
		fmt.Fprintf(b, "**Question:** %s\n\n", mdText(d.Question))
	}
	fmt.Fprintf(b, "%s\n\n", d.Facts)
	mdAnswer(b, &d)
	if d.Bridge != nil {
		fmt.Fprintf(b, "## Where the difference comes from\n\n")
		for _, c := range d.Bridge.Figures {
			mdChart(b, c, "charts/")
		}
		fmt.Fprintf(b, "%s\n\n", mdText(d.Bridge.Note))
		mdTable(b, d.Bridge.Table)
		if len(d.Bridge.Segments.Rows) > 0 {
			fmt.Fprintf(b, "#### By segment\n\n")
			mdTable(b, d.Bridge.Segments)
		}
		fmt.Fprintf(b, "#### ARR from start to horizon\n\n%s\n\n", mdText(d.Bridge.ARRNote))
		mdTable(b, d.Bridge.ARR)
	}
	if d.Payback != nil {
		fmt.Fprintf(b, "## When it pays back\n\n")
		mdPayback(b, d.Payback, "charts/")
	}
	if d.Breakeven != nil {
		fmt.Fprintf(b, "## What would have to be true\n\n")
		mdBreakeven(b, d.Breakeven, "charts/")
	}
	mdCharts(b, "Key charts", d.KeyCharts)
	mdAssumptions(b, "Key assumptions", d.KeyAssumptionsIntro, d.KeyAssumptions)

	fmt.Fprintf(b, "## Appendix\n\n%s\n\n", appendixIntro)
	if d.Diffs != nil {
		fmt.Fprintf(b, "## Differences from the baseline\n\n")
		mdTable(b, *d.Diffs)
	}
	mdCharts(b, "More charts", d.Charts)
	fmt.Fprintf(b, "## Headline metrics\n\n%s\n\n", d.MetricsNote)
	mdTable(b, d.Metrics)
	if d.Sensitivity != nil {
		fmt.Fprintf(b, "## Sensitivity\n\n")
		mdSensitivity(b, d.Sensitivity, "charts/")
	}
	mdOptions(b, d.Options)
	mdAssumptions(b, "Assumptions", d.AssumptionsIntro, d.Assumptions)
	mdReproducibility(b, &d)
	return b.Flush()
}

// mdAnswer writes the answer: a sentence per option, the notes on reading
// them and the table of differences.
func mdAnswer(w io.Writer, d *document) {
	fmt.Fprintf(w, "## Answer\n\n%s\n\n", mdText(d.AnswerIntro))
	for _, a := range d.Answers {
		verdict := ""
		if a.Verdict != "" {
			verdict = "**" + mdText(a.Verdict) + "** "
		}
		fmt.Fprintf(w, "- %s%s**%s**%s\n", verdict, a.Pre, mdText(a.Option), mdText(a.Post))
	}
	fmt.Fprintf(w, "\n")
	for _, n := range d.AnswerNotes {
		fmt.Fprintf(w, "%s\n\n", n)
	}
}

// mdCharts writes a section of charts under heading.
func mdCharts(w io.Writer, heading string, charts []Chart) {
	if len(charts) == 0 {
		return
	}
	fmt.Fprintf(w, "## %s\n\n", heading)
	for _, c := range charts {
		mdChart(w, c, "charts/")
	}
}

// mdOptions lists the options with their descriptions and changed inputs.
func mdOptions(w io.Writer, options []optionInfo) {
	fmt.Fprintf(w, "## Options\n\n")
	for _, o := range options {
		desc := o.Description
		if desc == "" && o.Baseline {
			desc = "the scenario as written"
		}
		fmt.Fprintf(w, "- **%s**", mdText(o.Name))
		if desc != "" {
			fmt.Fprintf(w, ": %s", mdText(desc))
		}
		fmt.Fprintf(w, "\n")
		switch {
		case o.Baseline:
		case len(o.Changes) == 0:
			fmt.Fprintf(w, "  - The results do not list this option's changed inputs.\n")
		default:
			for _, c := range o.Changes {
				fmt.Fprintf(w, "  - %s: %s\n", mdCode(c.Path), mdCode(c.Value))
			}
		}
	}
	fmt.Fprintf(w, "\n")
}

// mdAssumptions writes a table of inputs per group.
func mdAssumptions(w io.Writer, heading, intro string, groups []assumptionGroup) {
	fmt.Fprintf(w, "## %s\n\n%s\n\n", heading, intro)
	for _, g := range groups {
		if g.Prefix != "" {
			fmt.Fprintf(w, "### %s (%s)\n\n", mdText(g.Title), mdCode(g.Prefix+"*"))
		} else {
			fmt.Fprintf(w, "### %s\n\n", mdText(g.Title))
		}
		mdTable(w, table{Header: []string{"Input", "Path", "Value or distribution", "Kind"}, Code: []bool{false, true, true, false}, Rows: g.Rows})
	}
}

// mdReproducibility writes how to rerun, the precision tables and the
// warnings.
func mdReproducibility(w io.Writer, d *document) {
	fmt.Fprintf(w, "## Reproducibility\n\n")
	for _, f := range d.Repro {
		v := mdText(f.Value)
		if f.Code {
			v = mdCode(f.Value)
		}
		fmt.Fprintf(w, "- **%s:** %s\n", f.Label, v)
	}
	fmt.Fprintf(w, "\n%s\n\n", d.SENote)
	if d.SE != nil {
		mdTable(w, *d.SE)
	}
	if d.MeanCI != nil {
		fmt.Fprintf(w, "%s\n\n", meanCINote)
		mdTable(w, *d.MeanCI)
	}
	fmt.Fprintf(w, "### Warnings\n\n")
	if len(d.Warnings) == 0 {
		fmt.Fprintf(w, "None.\n")
	}
	for _, warning := range d.Warnings {
		fmt.Fprintf(w, "- %s\n", mdText(warning))
	}
}

// mdChart writes a chart's title, its image (dir + NAME.png) and caption.
func mdChart(w io.Writer, c Chart, dir string) {
	fmt.Fprintf(w, "### %s\n\n![%s](%s%s.png)\n\n", mdText(c.Title), mdText(c.Title), dir, c.Name)
	if c.Caption != "" {
		fmt.Fprintf(w, "*%s*\n\n", mdText(c.Caption))
	}
}

// mdSensitivity writes a sensitivity section's body: the answer, the
// tornado chart (dir + tornado.png), how it was measured and the table.
func mdSensitivity(w io.Writer, sec *sensitivitySection, dir string) {
	answer := mdText(sec.Pre)
	if sec.Input != "" {
		answer += mdCode(sec.Input) + mdText(sec.Post)
	}
	fmt.Fprintf(w, "%s\n\n", answer)
	if sec.Figure != nil {
		mdChart(w, *sec.Figure, dir)
	}
	fmt.Fprintf(w, "%s\n\n", mdText(sec.Note))
	mdTable(w, sec.Table)
}

// mdBreakeven writes a break-even section's body: the difference with
// every input as assumed, a sentence per input, the chart (dir +
// breakeven.png), how it was measured and the table.
func mdBreakeven(w io.Writer, sec *breakevenSection, dir string) {
	fmt.Fprintf(w, "%s %s\n\n", mdText(sec.Lead), mdText(sec.ListIntro))
	for _, s := range sec.Sentences {
		fmt.Fprintf(w, "- %s\n", mdText(s))
	}
	if len(sec.Sentences) > 0 {
		fmt.Fprintf(w, "\n")
	}
	if sec.Figure != nil {
		mdChart(w, *sec.Figure, dir)
	}
	fmt.Fprintf(w, "%s\n\n", mdText(sec.Note))
	if len(sec.Table.Rows) > 0 {
		mdTable(w, sec.Table)
	}
}

// mdTable writes a GitHub-flavoured Markdown table with its columns padded
// so that the source reads as a table too.
func mdTable(w io.Writer, t table) {
	n := len(t.Header)
	cells := make([][]string, 0, len(t.Rows)+1)
	head := make([]string, n)
	for i, h := range t.Header {
		head[i] = mdCell(h)
	}
	cells = append(cells, head)
	for _, r := range t.Rows {
		c := make([]string, n)
		for i := range n {
			s := ""
			if i < len(r.Cells) {
				s = r.Cells[i]
			}
			switch {
			case s == "":
			case t.IsCode(i):
				s = strings.ReplaceAll(mdCode(s), "|", `\|`)
			default:
				s = mdCell(s)
			}
			c[i] = s
		}
		cells = append(cells, c)
	}
	width := make([]int, n)
	for _, c := range cells {
		for i, s := range c {
			width[i] = max(width[i], utf8.RuneCountInString(s), 3)
		}
	}
	right := func(i int) bool { return i < len(t.Right) && t.Right[i] }
	line := func(c []string) {
		var b strings.Builder
		b.WriteString("|")
		for i, s := range c {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(s))
			if right(i) {
				b.WriteString(" " + pad + s + " |")
			} else {
				b.WriteString(" " + s + pad + " |")
			}
		}
		fmt.Fprintln(w, b.String())
	}
	line(cells[0])
	var b strings.Builder
	b.WriteString("|")
	for i := range n {
		if right(i) {
			b.WriteString(" " + strings.Repeat("-", width[i]-1) + ": |")
		} else {
			b.WriteString(" " + strings.Repeat("-", width[i]) + " |")
		}
	}
	fmt.Fprintln(w, b.String())
	for _, c := range cells[1:] {
		line(c)
	}
	fmt.Fprintln(w)
}

// mdEscaper escapes the characters Markdown reads as markup wherever they
// are: backslash, code, emphasis and links.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)

// mdLineBreaks makes text one line: csplan writes every piece of user
// text (a name, a description, a question) inline, in a heading, a list
// item or a table cell, where a line break would end it and let the next
// line start a heading, a list or a table of its own.
var mdLineBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")

// mdEntity is a character reference (&gt;, &#62;, &#x3E;), which Markdown
// would show as the character it names.
var mdEntity = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// mdEscape escapes s for Markdown with backslashes, so that the reader sees
// s as written: the characters of mdEscaper always; "<" only where it
// would open an HTML tag, comment or autolink (a letter, "/", "!" or "?"
// follows), so that "<1%" stays as it is; "&" only where it starts a
// character reference; and, outside table cells, a ">" that starts the
// text (a block quote). A cell's text is inline, where ">" is plain text.
// Line breaks become spaces (mdLineBreaks).
func mdEscape(s string, cell bool) string {
	s = mdEscaper.Replace(mdLineBreaks.Replace(s))
	var b strings.Builder
	lineStart := true // only spaces since the start of a line
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '<' && i+1 < len(s) && mdTagStart(s[i+1]) ||
			c == '&' && mdEntity.MatchString(s[i:]) ||
			c == '>' && lineStart && !cell {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
		lineStart = c == '\n' || (lineStart && c == ' ')
	}
	return b.String()
}

// mdTagStart reports whether c after "<" makes it start HTML or an autolink.
func mdTagStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/' || c == '!' || c == '?'
}

// mdText escapes text for Markdown prose.
func mdText(s string) string { return mdEscape(s, false) }

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string { return strings.ReplaceAll(mdEscape(s, true), "|", `\|`) }

// mdCode writes s as an inline code span.
func mdCode(s string) string {
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}
