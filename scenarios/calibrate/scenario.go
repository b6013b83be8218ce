package calibrate

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ScenarioOptions shape the written scenario.
type ScenarioOptions struct {
	Horizon int // months; default 36
	Trials  int // default 2000
	Seed    int64
	// AccountsFile names the accounts file of Book, relative to the
	// scenario, from which each segment reads its opening book; "" draws
	// the book from the fitted ACV instead.
	AccountsFile string
}

// Scenario writes c as a commented scenario YAML: one segment per history
// segment, starting the month after the history ends. Every fitted number
// has its standard error in a comment beside it, and the uncertainty of
// each per-trial rate is a distribution: beta (mean, sd = SE) for
// probabilities, normal (mean, sd = SE, above 1 % of the mean) for the sBG α and β (with their
// rank correlation), normal (mean, sd = SE, min 0) for arrival rates.
// Amounts drawn per account or event (ACV, upsell size) are the fitted
// distributions themselves.
func Scenario(c *Calibration, opt ScenarioOptions) []byte {
	if opt.Horizon <= 0 {
		opt.Horizon = 36
	}
	if opt.Trials <= 0 {
		opt.Trials = 2000
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	w := &yw{}
	w.writeProvenance(c)
	w.writeSettings(c, opt)
	w.line(0, "segments:")
	var corrs []string
	for _, s := range c.Segments {
		w.writeSegment(c, s, opt.AccountsFile, &corrs)
	}
	w.line(0, "")
	w.writeAcquisition(c)
	if len(corrs) > 0 {
		w.line(0, "correlations:                          # the sBG estimates of α and β move together")
		for _, cr := range corrs {
			w.line(1, "%s", cr)
		}
	}
	return []byte(w.b.String())
}

// writeProvenance writes the comments at the top: where the numbers come
// from, how their uncertainty is carried, and the calibration's warnings.
func (w *yw) writeProvenance(c *Calibration) {
	if c.Last == 0 {
		w.line(0, "# Calibrated by `csplan calibrate` from the cohort table %s.", c.History)
	} else {
		w.line(0, "# Calibrated by `csplan calibrate` from %s (%s to %s).", c.History, c.First, c.Last)
	}
	w.line(0, "# Every fitted number has its standard error (±) or sample size in a comment.")
	w.line(0, "# Per-trial rates carry their uncertainty as distributions (sd = standard")
	w.line(0, "# error): each simulated future draws rates the history is consistent with.")
	w.line(0, "# Replace what you know better; docs/history.md explains each fit.")
	for _, warn := range c.Warnings {
		w.wrap("# Note: " + warn)
	}
	w.line(0, "")
}

// writeSettings writes the scenario's name, description, start and run
// settings.
func (w *yw) writeSettings(c *Calibration, opt ScenarioOptions) {
	w.line(0, "name: %s", yamlText("Calibrated from "+c.History))
	w.line(0, "description: %s", yamlText(scenarioDescription(c)))
	start, startNote := c.Last+1, "the month after the history"
	if c.Last == 0 { // a cohort table has no calendar
		now := time.Now()
		start, startNote = Month(now.Year()*12+int(now.Month())), "next month: the table has no calendar"
	}
	w.line(0, "start: %s                     # %s", start, startNote)
	w.line(0, "horizon_months: %d", opt.Horizon)
	w.line(0, "trials: %d", opt.Trials)
	w.line(0, "seed: %d", opt.Seed)
	w.line(0, "")
}

// scenarioDescription says what book the scenario holds and what its
// fits come from.
func scenarioDescription(c *Calibration) string {
	accounts := 0
	for _, s := range c.Segments {
		accounts += s.Accounts
	}
	if c.Last == 0 && len(c.Segments) == 1 && c.Segments[0].Cohort {
		t := c.Segments[0].Table
		return fmt.Sprintf("A cohort of %s accounts followed from its start, with churn fitted to %ss 1 to %d of a cohort survival table.",
			thousands(float64(accounts)), t.Unit, t.Fitted)
	}
	return fmt.Sprintf("The book as of %s (%s accounts, %d segments) with churn, expansion and new accounts fitted to %s to %s.",
		c.Last, thousands(float64(accounts)), len(c.Segments), c.First, c.Last)
}

// writeSegment writes one segment: its book, contract, churn, upsell and
// contraction; the rank correlation of its sBG fit, if any, goes to corrs.
func (w *yw) writeSegment(c *Calibration, s SegmentFit, accountsFile string, corrs *[]string) {
	name := s.Scenario
	w.line(1, "- name: %s", yamlText(name))
	exact := accountsFile != "" && !s.Cohort && s.Accounts > 0
	switch {
	case s.Cohort:
		t := s.Table
		w.kv(2, "accounts", strconv.Itoa(s.Accounts), fmt.Sprintf("the cohort at %s 0 of the table; %s remain at %s %d", t.Unit, thousands(t.End), t.Unit, t.Last))
	case exact:
		w.kv(2, "accounts_file", yamlText(accountsFile), fmt.Sprintf("its %s accounts paying in %s, MRR %s: month 0 is the history's last month", thousands(float64(s.Accounts)), c.Last, money(s.MRR)))
	default:
		w.kv(2, "accounts", strconv.Itoa(s.Accounts), fmt.Sprintf("paying in %s, MRR %s", c.Last, money(s.MRR)))
	}
	if s.Accounts > 0 && s.BookACV.N == 0 && !exact {
		w.kv(2, "acv", "12k", "placeholder: the input has no revenue; replace with your ACV")
	} else if s.Accounts > 0 && !exact {
		w.kv(2, "acv", acvText(s.BookACV), "ACV (12 × MRR) of the book in "+c.Last.String()+": "+lognormalNote(s.BookACV))
	}
	ch := s.Churn
	w.line(2, "contract:")
	w.kv(3, "term_months", strconv.Itoa(ch.Term), ch.TermNote)
	switch {
	case ch.Term > 1 && s.Cohort:
		w.kv(3, "first_renewal", strconv.Itoa(ch.Term+1), "one cohort starting in month 1: renewals at months 13, 25, ...")
	case ch.Term > 1 && exact:
		w.kv(3, "first_renewal", "file", "each account's next renewal, a term after the start of its current spell")
	case ch.Term > 1:
		w.kv(3, "first_renewal", "spread", "renewals of the book spread over the year")
	}
	if s.Tenure > 0 && !s.Cohort && !exact { // else each account's tenure is in the file
		note := "median months as customers of the book in " + c.Last.String() + ": under sBG a tenured book churns less"
		if s.Censored {
			note = "at least: most of the book was there when the history starts; " + note
		}
		w.kv(3, "tenure_months", strconv.Itoa(s.Tenure), note)
	}
	w.writeChurn(name, ch, corrs)
	w.writeMovement("upsell", s.Upsell, false)
	w.writeMovement("contraction", s.Contract, true)
	w.kv(2, "touch", "digital", "no CS team in a calibrated scenario; see the Pareto tiers to add one")
}

// writeAcquisition writes the new accounts a month of the segments that
// gained any in the history.
func (w *yw) writeAcquisition(c *Calibration) {
	var acq []SegmentFit
	for _, s := range c.Segments {
		if s.NewAccounts > 0 {
			acq = append(acq, s)
		}
	}
	if len(acq) == 0 {
		return
	}
	w.line(0, "acquisition:")
	for _, s := range acq {
		w.line(1, "%s:", yamlText(s.Scenario))
		w.kv(2, "per_month", normalText(s.NewPerMonth), fmt.Sprintf("%s new accounts in %d months: %s ± %s a month",
			thousands(float64(s.NewAccounts)), int(c.Last-c.First), num(s.NewPerMonth.Value), num(s.NewPerMonth.SE)))
		w.kv(2, "acv", acvText(s.NewACV), "new accounts' first-month ACV: "+lognormalNote(s.NewACV))
	}
	w.line(0, "")
}

func (w *yw) writeChurn(name string, ch ChurnFit, corrs *[]string) {
	period := periodName(ch.Term)
	lost, cens, survived := ch.Life.Totals()
	basis := fmt.Sprintf("%s accounts with a known start: %s left, %s still paying", thousands(lost+cens), thousands(lost), thousands(cens))
	switch {
	case ch.Opening && ch.Observed > 0:
		basis = fmt.Sprintf("every account (%s, the %s with a known start too few to fit on, the opening book as if it started with the history): %s left", thousands(lost+cens), thousands(float64(ch.Observed)), thousands(lost))
	case ch.Opening:
		basis = fmt.Sprintf("the opening book (%s accounts, no known starts): %s left", thousands(lost+cens), thousands(lost))
	}
	timing := "renewal"
	if ch.Term == 1 {
		timing = "hazard"
	}
	w.line(2, "churn:%s# fitted on %s", pad(8, 48), basis)
	switch {
	case ch.Chosen == ModelNone:
		upper := yearly(Estimate{ch.Upper95, 0}, ch.Term).Value
		w.kv(3, rateKey(ch.Term), fmt.Sprintf("{uniform: {min: 0%%, max: %s}}", pct(upper)),
			fmt.Sprintf("no churn in %s %s-periods at risk: 95 %% upper bound %s a %s", thousands(survived), period, pct(ch.Upper95), period)+perYearNote(upper, ch.Term))
	case ch.Chosen == ModelTenure:
		w.writeTenure(ch)
	case ch.Chosen == ModelSBG:
		f := ch.SBG
		w.line(3, "sbg:%s# shifted-beta-geometric, chosen by %s", pad(10, 48), aicNote(ch))
		w.kv(4, "alpha", posText(f.Alpha), fmt.Sprintf("α %s ± %s (maximum likelihood, SE from the observed information)", num(f.Alpha.Value), num(f.Alpha.SE)))
		w.kv(4, "beta", posText(f.Beta), fmt.Sprintf("β %s ± %s; mean churn a %s %s", num(f.Beta.Value), num(f.Beta.SE), period, pct(f.MeanChurn())))
		if !math.IsNaN(f.Corr) && f.Alpha.SE > 0 && f.Beta.SE > 0 {
			rho := math.Round(f.Corr*100) / 100
			rho = math.Max(-0.99, math.Min(0.99, rho))
			*corrs = append(*corrs, fmt.Sprintf("- {between: [segments.%s.churn.sbg.alpha, segments.%s.churn.sbg.beta], rank: %s}", name, name, num(rho)))
		}
	default:
		p := ch.Const.P
		note := fmt.Sprintf("constant rate a %s: %s ± %s; chosen by %s", period, pct(p.Value), pct(p.SE), aicNote(ch))
		if ch.SBG == nil && ch.SBGNote != "" {
			note += "; sBG not fitted: " + ch.SBGNote
		}
		w.kv(3, rateKey(ch.Term), probText(yearly(p, ch.Term)), note+perYearNote(yearly(p, ch.Term).Value, ch.Term))
	}
	w.kv(3, "timing", timing, map[string]string{"hazard": "an account can leave in any month", "renewal": "accounts leave at renewal"}[timing])
}

// aicNote lists the AIC of each churn model fitted: the lowest is chosen.
func aicNote(ch ChurnFit) string {
	parts := []string{"constant " + num1(ch.Const.AIC)}
	if ch.SBG != nil {
		parts = append(parts, "sBG "+num1(ch.SBG.AIC))
	}
	if ch.Tenure != nil {
		parts = append(parts, "by tenure "+num1(ch.Tenure.AIC))
	}
	return "AIC (" + strings.Join(parts, ", ") + ")"
}

// writeTenure writes the hazard by tenure: its table, ten periods a line,
// and its scale.
func (w *yw) writeTenure(ch ChurnFit) {
	f := ch.Tenure
	period := periodName(ch.Term)
	lost, _, _ := ch.Life.Totals()
	w.line(3, "by_tenure:%s# hazard by tenure from Kaplan-Meier, chosen by %s", pad(16, 48), aicNote(ch))
	after := fmt.Sprintf("the last, %s, holding for every later one", pct(f.Tail()))
	if f.TailFrom < f.Data {
		after = fmt.Sprintf("then %s a %s for every later one, the rate over %ss %d to %d", pct(f.Tail()), period, period, f.TailFrom, f.Data)
	}
	w.line(4, "# churn in %ss 1 to %d of tenure (each with at least %d accounts at risk), %s", period, f.Data, MinAtRisk, after)
	var cells []string
	for _, p := range f.Periods {
		cells = append(cells, pct(p))
	}
	for i := 0; i < len(cells); i += 10 {
		head, tail := "  ", ","
		if i == 0 {
			head = "periods: ["
		}
		if i+10 >= len(cells) {
			tail = "]"
		}
		w.line(4, "%s%s%s", head, strings.Join(cells[i:min(i+10, len(cells))], ", "), tail)
	}
	w.kv(4, "scale", posText(f.Scale), fmt.Sprintf("the table's level: 1 ± 1/√%s losses", thousands(lost)))
}

// rateKey is the churn field a rate of a term's periods is written in:
// monthly for monthly contracts, annual for every other term (the engine
// turns an annual rate into one of the term's periods).
func rateKey(term int) string {
	if term == 1 {
		return "monthly"
	}
	return "annual"
}

// yearly is a churn rate of a term's periods as a rate a year (the rate
// itself for monthly and annual terms), with its standard error carried
// by the delta method: 1 − (1 − p)^(12/term).
func yearly(p Estimate, term int) Estimate {
	if term == 1 || term == 12 {
		return p
	}
	k := 12 / float64(term)
	return Estimate{1 - math.Pow(1-p.Value, k), p.SE * k * math.Pow(1-p.Value, k-1)}
}

// perYearNote says, for a term other than a month or a year, that the
// rate written is a year's.
func perYearNote(annual float64, term int) string {
	if term == 1 || term == 12 {
		return ""
	}
	return fmt.Sprintf("; written as %s a year, which the engine applies at each %d-month renewal", pct(annual), term)
}

// periodName is what one churn period of a term is called: month, year,
// 24-month period.
func periodName(term int) string {
	switch term {
	case 1:
		return "month"
	case 12:
		return "year"
	}
	return fmt.Sprintf("%d-month period", term)
}

func (w *yw) writeMovement(key string, m MovementFit, contraction bool) {
	if m.Events == 0 {
		w.kv(2, key, "{probability: 0}", fmt.Sprintf("none in %s opportunities", thousands(float64(m.Opportunities))))
		return
	}
	w.line(2, "%s:", key)
	w.kv(3, "cadence", m.Cadence, "when MRR changes happen in an account's tenure")
	w.kv(3, "probability", probText(m.Probability), fmt.Sprintf("%s of %s opportunities: %s ± %s",
		thousands(float64(m.Events)), thousands(float64(m.Opportunities)), pct(m.Probability.Value), pct(m.Probability.SE)))
	if contraction {
		w.kv(3, "size", fractionText(m.Size), "share of MRR lost per downgrade: "+lognormalNote(m.Size))
	} else {
		size, note := cappedSize(m.Size), "share of MRR added per upsell: "+lognormalNote(m.Size)
		if size != m.Size {
			note += fmt.Sprintf("; capped so that its 99.9th percentile is %s, the most a scenario takes in one event (the fit reaches %s: MRR this volatile is not upsell alone)",
				pct(maxUpsellSize), pct(math.Exp(m.Size.Mu.Value+z999*m.Size.Sigma.Value)))
		}
		w.kv(3, "size", sizeText(size), note)
	}
}

// maxUpsellSize is the largest upsell a scenario takes in one event, a
// share of MRR, at the 99.9th percentile of its distribution.
const maxUpsellSize = 10

// z999 is the standard normal's 99.9th percentile.
const z999 = 3.090232306167813

// cappedSize is the fitted size f, its spread narrowed (and, if need be,
// its median lowered) so that its 99.9th percentile is at most
// maxUpsellSize; f itself when it already is.
func cappedSize(f LogNormalFit) LogNormalFit {
	limit := math.Log(maxUpsellSize)
	if f.Mu.Value+z999*f.Sigma.Value <= limit {
		return f
	}
	if f.Mu.Value >= limit { // the median alone is past the limit
		f.Mu.Value, f.Sigma.Value = limit-z999*0.1, 0.1
		return f
	}
	f.Sigma.Value = (limit - f.Mu.Value) / z999
	return f
}

// Distributions of fitted numbers.

func probText(e Estimate) string {
	if e.Value <= 0 || e.Value >= 1 || !(e.SE > 0) || e.SE >= math.Sqrt(e.Value*(1-e.Value)) {
		return pct(e.Value)
	}
	return fmt.Sprintf("{beta: {mean: %s, sd: %s}}", pct(e.Value), pct(e.SE))
}

func posText(e Estimate) string {
	if !(e.SE > 0) || math.IsNaN(e.SE) {
		return num(e.Value)
	}
	// A normal kept above 1 % of the estimate: the field must stay
	// positive, and a lognormal reaches down to 0.
	return fmt.Sprintf("{normal: {mean: %s, sd: %s, min: %s}}", num(e.Value), num(e.SE), num(e.Value/100))
}

func normalText(e Estimate) string {
	if !(e.SE > 0) {
		return num(e.Value)
	}
	return fmt.Sprintf("{normal: {mean: %s, sd: %s, min: 0}}", num(e.Value), num(e.SE))
}

func acvText(f LogNormalFit) string {
	if f.N == 0 {
		return "0"
	}
	return lognormalText(f, num)
}

func sizeText(f LogNormalFit) string { return lognormalText(f, pct) }

// lognormalText writes a fitted lognormal as {lognormal: {median, p90}}
// with format, or as its median alone when the spread is negligible: one
// value, no spread, or a p90 that writes the same as the median (values
// equal up to rounding, such as upsells all of one share of MRR kept to
// the cent, fit a tiny but non-zero σ). A distribution whose p90 equals
// its median is invalid in a scenario.
func lognormalText(f LogNormalFit, format func(float64) string) string {
	median := format(f.Median())
	if f.N < 2 || !(f.Sigma.Value >= 1e-9) {
		return median
	}
	p90 := format(f.P90())
	if p90 == median {
		return median
	}
	return fmt.Sprintf("{lognormal: {median: %s, p90: %s}}", median, p90)
}

// fractionText is a contraction size, which must stay at or below 100 %:
// a beta with the lognormal fit's mean and sd, or the median alone.
func fractionText(f LogNormalFit) string {
	m := math.Min(f.Mean(), 0.99)
	sd := m * math.Sqrt(math.Max(0, math.Exp(f.Sigma.Value*f.Sigma.Value)-1))
	if f.N < 2 || sd < 1e-6 || sd >= 0.95*math.Sqrt(m*(1-m)) {
		return pct(math.Min(f.Median(), 1))
	}
	return fmt.Sprintf("{beta: {mean: %s, sd: %s}}", pct(m), pct(sd))
}

func lognormalNote(f LogNormalFit) string {
	if f.N == 0 {
		return "no data"
	}
	return fmt.Sprintf("lognormal, log mean %s ± %s, log sd %s ± %s, n %s", num(f.Mu.Value), num(f.Mu.SE), num(f.Sigma.Value), num(f.Sigma.SE), thousands(float64(f.N)))
}

// segmentName makes a history segment a scenario segment name (no dots,
// used in option paths).
func segmentName(s string) string { return strings.ReplaceAll(s, ".", "-") }

// Formatting.

type yw struct{ b strings.Builder }

func (w *yw) line(indent int, format string, a ...any) {
	w.b.WriteString(strings.Repeat("  ", indent))
	fmt.Fprintf(&w.b, format, a...)
	w.b.WriteByte('\n')
}

func (w *yw) wrap(s string) {
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && len(line)+1+len(word) > 78 {
			w.line(0, "%s", line)
			line = "#  "
		}
		if line != "" && line != "#  " {
			line += " "
		}
		line += word
	}
	w.line(0, "%s", line)
}

// kv writes key: value with a comment at column 48 (or two spaces after).
func (w *yw) kv(indent int, key, value, comment string) {
	head := strings.Repeat("  ", indent) + key + ": " + value
	if comment == "" {
		w.b.WriteString(head + "\n")
		return
	}
	comment = strings.ReplaceAll(comment, "\n", " ")
	w.b.WriteString(head + strings.Repeat(" ", max(2, 48-len([]rune(head)))) + "# " + comment + "\n")
}

func pad(used, col int) string { return strings.Repeat(" ", max(2, col-used)) }

// num writes v with four significant digits and no exponent.
func num(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		if math.IsNaN(v) {
			return "n/a"
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	d := 3 - int(math.Floor(math.Log10(math.Abs(v))))
	p := math.Pow10(d)
	r := math.Round(v*p) / p
	out := strconv.FormatFloat(r, 'f', max(0, d), 64)
	if strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	return out
}

func num1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// pct writes a fraction as a percentage with three significant digits.
func pct(v float64) string {
	return num(100*v) + "%"
}

func money(v float64) string { return thousands(v) }

// thousands writes v rounded to a whole number with thousands separators.
// It formats the float itself, never an integer conversion, so no value
// overflows.
func thousands(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	r := math.Round(v)
	s := strconv.FormatFloat(math.Abs(r), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if r < 0 {
		s = "-" + s
	}
	return s
}

// yamlText writes s as a YAML scalar, quoted only where YAML needs it.
func yamlText(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(string(b), "\n")
}
