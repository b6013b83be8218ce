package calibrate

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"csplan/scenarios"
)

// z90 is the standard normal 90th percentile, for a lognormal's p90.
const z90 = 1.2815515655446004

// Options control a calibration.
type Options struct {
	// Term is the contract term in months (1 to MaxTerm); 0 detects it
	// from when churn happens.
	Term int
}

// MaxTerm is the longest contract term, in months, calibrate fits.
const MaxTerm = 60

// termCandidates are the terms detectTerm tries, longest first.
var termCandidates = []int{36, 24, 12, 6, 3}

// Calibration is everything learnt from a history.
type Calibration struct {
	History     string
	First, Last Month
	Segments    []SegmentFit
	Pareto      Pareto
	Warnings    []string
}

// SegmentFit is what one segment's history says.
type SegmentFit struct {
	Name     string
	Accounts int     // paying in the last month
	MRR      float64 // in the last month
	// Tenure is the median months as a customer of the accounts paying in
	// the last month, counting the month they started; Censored when more
	// than half were there from the history's first month (whose start it
	// does not show), so the tenure is at least that.
	Tenure   int
	Censored bool
	Churn    ChurnFit
	Upsell   MovementFit
	Contract MovementFit // contraction
	// BookACV is the ACV (12 × MRR) of the accounts paying in the last
	// month; NewACV that of new accounts in their first month.
	BookACV, NewACV LogNormalFit
	NewAccounts     int
	NewPerMonth     Estimate // Poisson rate, SE √n / months
	Cohort          bool     // fitted from a cohort survival table
	Table           CohortSummary
	// Scenario is the segment's name in the written scenario: its own,
	// dots made dashes, made unique (scenarioNames).
	Scenario string
}

// CohortSummary describes the cohort survival table a segment was fitted
// to. Accounts is then the cohort at period 0, not a count at the end.
type CohortSummary struct {
	Unit   string  // what a period is: year, month, period
	Last   int     // the table's last period
	Fitted int     // the fit used periods 1 to Fitted
	End    float64 // customers still there at period Last
}

// ChurnFit is the churn of one segment by tenure.
type ChurnFit struct {
	Term     int    // months per period: 1 or 12
	TermNote string // how the term was found
	// Observed is the number of accounts whose start the history shows
	// (the fits use them only); Opening is set when there were none, or,
	// in a history shorter than shortHistory months, fewer than
	// minChurnLosses of them left, and every account was taken as starting
	// no earlier than the history.
	Observed int
	Opening  bool
	Life     Lifetimes
	KM       []KMPoint
	SBG      *SBGFit // nil when it cannot be fitted
	SBGNote  string  // why not
	Const    ConstFit
	// Tenure is the empirical hazard by tenure, nil when it does not
	// apply (TenureNote says why).
	Tenure     *TenureFit
	TenureNote string
	Chosen     string  // "sbg", "constant", "tenure", or "none" (no churn seen)
	Upper95    float64 // with no churn: the 95 % upper bound of the rate
	// ConstGap, SBGGap and TenureGap are each model's gap to Kaplan-Meier
	// over the data (when the model was fitted).
	ConstGap, SBGGap, TenureGap KMGap
}

// Churn models, as ChurnFit.Chosen names them.
const (
	ModelNone     = "none"
	ModelConstant = "constant"
	ModelSBG      = "sbg"
	ModelTenure   = "tenure"
)

// ChosenGap is the chosen model's gap to Kaplan-Meier.
func (ch ChurnFit) ChosenGap() KMGap {
	switch ch.Chosen {
	case ModelSBG:
		return ch.SBGGap
	case ModelTenure:
		return ch.TenureGap
	}
	return ch.ConstGap
}

// MovementFit is an expansion or contraction motion: opportunities at a
// cadence, the share taken, and the size of one as a fraction of MRR.
type MovementFit struct {
	Cadence       string // monthly, quarterly, annual or at_renewal
	Opportunities int
	Events        int
	Probability   Estimate // events / opportunities, SE √(p(1 − p)/n)
	Size          LogNormalFit
}

// LogNormalFit is a lognormal fitted by maximum likelihood to positive
// values: log values have mean Mu and sd Sigma (SEs σ/√n and σ/√(2n)).
type LogNormalFit struct {
	N         int
	Mu, Sigma Estimate
}

// Median is e^μ.
func (f LogNormalFit) Median() float64 { return math.Exp(f.Mu.Value) }

// P90 is e^(μ + 1.2816 σ).
func (f LogNormalFit) P90() float64 { return math.Exp(f.Mu.Value + z90*f.Sigma.Value) }

// Mean is e^(μ + σ²/2).
func (f LogNormalFit) Mean() float64 { return math.Exp(f.Mu.Value + f.Sigma.Value*f.Sigma.Value/2) }

// FitLogNormal fits a lognormal to the positive values of xs.
func FitLogNormal(xs []float64) LogNormalFit {
	var f LogNormalFit
	sum := 0.0
	for _, x := range xs {
		if x > 0 {
			sum += math.Log(x)
			f.N++
		}
	}
	if f.N == 0 {
		return f
	}
	n := float64(f.N)
	mu := sum / n
	ss := 0.0
	for _, x := range xs {
		if x > 0 {
			d := math.Log(x) - mu
			ss += d * d
		}
	}
	sd := math.Sqrt(ss / n)
	if sd < 1e-9 {
		sd = 0
	}
	f.Mu = Estimate{mu, sd / math.Sqrt(n)}
	f.Sigma = Estimate{sd, sd / math.Sqrt(2*n)}
	return f
}

// Calibrate fits every segment of h.
func Calibrate(h *History, opt Options) (*Calibration, error) {
	if opt.Term < 0 || opt.Term > MaxTerm {
		return nil, fmt.Errorf("term %d: use a number of months from 1 (monthly contracts) to %d, or 0 to detect it", opt.Term, MaxTerm)
	}
	if msg := scenarios.CheckYear(int(h.Last+1) / 12); msg != "" {
		return nil, fmt.Errorf("%s: the history ends in %s, and the calibrated scenario would start the month after, %s: %s", h.Name, h.Last, h.Last+1, msg)
	}
	c := &Calibration{History: h.Name, First: h.First, Last: h.Last}
	if h.Last == h.First {
		c.Warnings = append(c.Warnings, "the history covers one month: nothing can be learnt about churn or expansion; the scenario carries the book only")
	}
	bySeg := make([][]*Account, len(h.Segments))
	for i := range h.Accounts {
		a := &h.Accounts[i]
		bySeg[a.Segment] = append(bySeg[a.Segment], a)
	}
	for si, name := range h.Segments {
		c.Segments = append(c.Segments, fitSegment(h, name, bySeg[si], opt, &c.Warnings))
	}
	scenarioNames(c)
	c.Pareto = NewPareto(h)
	c.Warnings = append(c.Warnings, HistoryWarnings(h)...)
	return c, nil
}

// HistoryWarnings are what reading a history found that changes what its
// KPIs and fits mean: an export that looks like a snapshot, rows dropped
// or added up, reactivations, merged spellings and segment changes. kpi
// and calibrate both print them.
func HistoryWarnings(h *History) []string {
	var out []string
	if w := snapshotWarning(h); w != "" {
		out = append(out, w)
	}
	if h.Repeats > 0 {
		out = append(out, fmt.Sprintf("%d rows repeated another row of the same account, month and MRR and were dropped (--duplicates identical)", h.Repeats))
	}
	if h.Summed > 0 {
		out = append(out, fmt.Sprintf("%d rows were added to another row of the same account and month (--duplicates sum)", h.Summed))
	}
	if h.Reactivations > 0 {
		out = append(out, fmt.Sprintf("%d reactivations (an account paying again after months without MRR): churn is fitted on each account's first spell; the returns count as reactivated MRR in the KPIs", h.Reactivations))
	}
	if h.Spellings > 0 {
		out = append(out, fmt.Sprintf("%d segment names differ from an earlier one only in case and are read as it (segments: %s)", h.Spellings, strings.Join(h.Segments, ", ")))
	}
	if h.SegmentChanges > 0 {
		out = append(out, fmt.Sprintf("%d accounts change segment; each is kept in the segment of its latest row", h.SegmentChanges))
	}
	return out
}

// scenarioNames gives each segment its name in the written scenario: its
// history name with dots made dashes (paths use dots), and where two would
// then be one name, as a scenario counts names (case and spaces at either
// end aside), the later ones numbered; with several segments "all", which
// names the whole book in KPIs and backtests, is taken too. A name is
// noted when it changes.
func scenarioNames(c *Calibration) {
	used := map[string]bool{}
	if len(c.Segments) > 1 {
		used[Unsegmented] = true
	}
	fold := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	for i := range c.Segments {
		s := &c.Segments[i]
		base := segmentName(s.Name)
		if strings.TrimSpace(base) == "" {
			base = "segment"
		}
		name := base
		for k := 2; used[fold(name)]; k++ {
			name = fmt.Sprintf("%s-%d", base, k)
		}
		used[fold(name)] = true
		s.Scenario = name
		if name != segmentName(s.Name) {
			c.Warnings = append(c.Warnings, fmt.Sprintf("segment %q is named %q in the scenario: its name is taken", s.Name, name))
		}
	}
}

// firstSpellEnd is the last month of an account's first run of paying
// months.
func firstSpellEnd(a *Account) Month {
	for i, v := range a.MRR {
		if v == 0 {
			return a.Start + Month(i) - 1
		}
	}
	return a.End()
}

// fitSegment fits one segment's book, churn, new accounts, upsell and
// contraction.
func fitSegment(h *History, name string, accts []*Account, opt Options, warn *[]string) SegmentFit {
	s := SegmentFit{Name: name}
	var bookACV, newACV []float64
	var observed []*Account // the accounts that start within the history
	for _, a := range accts {
		if v := a.At(h.Last); v > 0 {
			s.Accounts++
			s.MRR += v
			bookACV = append(bookACV, 12*v)
		}
		if a.Start > h.First {
			observed = append(observed, a)
			newACV = append(newACV, 12*a.MRR[0])
		}
	}
	s.BookACV, s.NewACV = FitLogNormal(bookACV), FitLogNormal(newACV)
	s.Tenure, s.Censored = bookTenure(h, accts)
	s.NewAccounts = len(observed)
	if months := float64(h.Last - h.First); months > 0 {
		n := float64(len(observed))
		s.NewPerMonth = Estimate{n / months, math.Sqrt(n) / months}
	}
	s.Churn = fitChurn(h, name, accts, observed, opt, warn)
	s.Upsell, s.Contract = fitMovements(h, accts, observed, s.Churn.Term)
	return s
}

// bookTenure is the median tenure in months of the accounts paying in the
// history's last month, and whether it is censored (see SegmentFit).
func bookTenure(h *History, accts []*Account) (months int, censored bool) {
	var t []int
	atStart := 0
	for _, a := range accts {
		if a.At(h.Last) > 0 {
			t = append(t, int(h.Last-a.Start)+1)
			if a.Start <= h.First {
				atStart++
			}
		}
	}
	if len(t) == 0 {
		return 0, false
	}
	sort.Ints(t)
	return t[(len(t)-1)/2], 2*atStart > len(t)
}

// minChurnLosses is the fewest losses among the accounts that start within
// a short history (shorter than shortHistory months) for churn to be
// fitted on them alone.
const (
	minChurnLosses = 10
	shortHistory   = 12
)

// losses counts the accounts whose first spell ends before the history
// does.
func losses(h *History, accts []*Account) int {
	n := 0
	for _, a := range accts {
		if firstSpellEnd(a) < h.Last {
			n++
		}
	}
	return n
}

// fitChurn fits churn on the accounts that start within the history (on
// every account when none do, or when in a history of under a year fewer
// than minChurnLosses of them have left and the book lost more): the
// contract term, the lifetimes in
// terms, Kaplan-Meier, a constant rate and the sBG model, and the choice
// between them.
func fitChurn(h *History, name string, accts, observed []*Account, opt Options, warn *[]string) ChurnFit {
	var ch ChurnFit
	ch.Observed = len(observed)
	fitOn := observed
	switch lostIn, lostAll := losses(h, observed), losses(h, accts); {
	case len(observed) == 0 && h.Last > h.First:
		fitOn, ch.Opening = accts, true
		*warn = append(*warn, fmt.Sprintf("segment %s: no account starts within the history, so churn is fitted on the opening book as if it started in %s; a mature book churns less than new accounts, so the fitted churn is likely too low for new ones", name, h.First))
	case lostIn < minChurnLosses && lostAll > lostIn && h.Last > h.First && int(h.Last-h.First) < shortHistory:
		// A history of a few months: the few accounts that start within
		// it say next to nothing about churn (three months gave 22 % to
		// 63 % a month against the book's 1 %), the opening book more.
		// Longer, the entrants' few losses are still the honest basis:
		// a book taken as new would understate churn.
		fitOn, ch.Opening = accts, true
		*warn = append(*warn, fmt.Sprintf("segment %s: only %d of the %d accounts that start within the history have left, too few to fit churn on, so it is fitted on every account (%d losses) as if the opening book started in %s; a mature book churns less than new accounts, so the fitted churn is likely too low for new ones", name, lostIn, len(observed), lostAll, h.First))
	default:
		if w := leftOutWarning(h, name, accts, observed); w != "" {
			*warn = append(*warn, w)
		}
	}
	ch.Term, ch.TermNote = opt.Term, "given with --term"
	if opt.Term == 0 {
		ch.Term, ch.TermNote = detectTerm(h, fitOn)
	}
	for _, a := range fitOn {
		end := firstSpellEnd(a)
		n := int(end-a.Start) + 1
		if end < h.Last {
			ch.Life.addLost((n + ch.Term - 1) / ch.Term)
		} else {
			ch.Life.addCensored((n - 1) / ch.Term)
		}
	}
	ch.fit()
	if w := gapWarning(name, ch); w != "" {
		*warn = append(*warn, w)
	}
	return ch
}

// fit fits every churn model to the lifetimes, measures each against
// Kaplan-Meier, and chooses among them.
func (ch *ChurnFit) fit() {
	ch.KM = KaplanMeier(ch.Life)
	ch.Const = FitConst(ch.Life)
	ch.choose()
	if ch.Chosen == ModelNone {
		return
	}
	p := ch.Const.P.Value
	ch.ConstGap = GapToKM(ch.KM, func(t int) float64 { return math.Pow(1-p, float64(t)) })
	if ch.SBG != nil {
		ch.SBGGap = GapToKM(ch.KM, ch.SBG.Survival)
	}
	if ch.Tenure != nil {
		ch.TenureGap = GapToKM(ch.KM, ch.Tenure.Survival)
	}
}

// gapWarning says when the chosen churn model lies outside Kaplan-Meier's
// 95 % band: churn moves with tenure in a way neither model follows.
func gapWarning(name string, ch ChurnFit) string {
	g := ch.ChosenGap()
	if ch.Chosen == ModelNone || !g.Outside {
		return ""
	}
	model := modelNames[ch.Chosen]
	return fmt.Sprintf("segment %s: the chosen %s keeps %s of accounts after %d %ss where Kaplan-Meier keeps %s (95 %% band %s to %s): churn moves with tenure in a way the fitted models do not follow (a hazard that rises, or a lock-in before the first renewal), so forecasts of this segment drift by about that much; csplan backtest shows how much",
		name, model, pct(g.Model), g.OutAt, periodName(ch.Term), pct(g.KM), pct(g.Lo), pct(g.High))
}

// modelNames are the churn models as a sentence names them.
var modelNames = map[string]string{ModelSBG: "sBG model", ModelConstant: "constant rate", ModelTenure: "hazard by tenure"}

// choose picks the churn model: none without losses (with the 95 % upper
// bound of the rate), else the one of lowest AIC among the constant rate,
// the sBG model and the hazard by tenure, of those that can be fitted.
func (ch *ChurnFit) choose() {
	lost, _, survived := ch.Life.Totals()
	if lost == 0 {
		ch.Chosen = ModelNone
		ch.Upper95 = Upper95(survived)
		ch.SBGNote, ch.TenureNote = "no churn observed", "no churn observed"
		return
	}
	ch.Chosen = ModelConstant
	best := ch.Const.AIC
	if fit, err := FitSBG(ch.Life); err != nil {
		ch.SBGNote = err.Error()
	} else {
		ch.SBG = fit
		if fit.AIC < best {
			ch.Chosen, best = ModelSBG, fit.AIC
		}
	}
	if fit, err := FitTenure(ch.KM, ch.Term); err != nil {
		ch.TenureNote = err.Error()
	} else {
		ch.Tenure = fit
		if fit.AIC < best {
			ch.Chosen = ModelTenure
		}
	}
}

// detectTerm finds the contract term from when accounts leave: the
// longest of termCandidates at whose whole multiples at least 80 % of the
// losses of accounts with a known start fall (at least 3 losses, and some
// account kept for a whole term), else 1 (monthly contracts).
func detectTerm(h *History, accts []*Account) (int, string) {
	var lives []int // months paid by the accounts that left
	longest := 0
	for _, a := range accts {
		end := firstSpellEnd(a)
		n := int(end-a.Start) + 1
		longest = max(longest, n)
		if end < h.Last {
			lives = append(lives, n)
		}
	}
	lost := len(lives)
	if lost == 0 {
		return 1, "no churn observed: the term cannot be told, monthly assumed (override with --term N)"
	}
	at := func(term int) int {
		k := 0
		for _, n := range lives {
			if n%term == 0 {
				k++
			}
		}
		return k
	}
	for _, term := range termCandidates {
		if k := at(term); lost >= 3 && longest >= term && float64(k) >= 0.8*float64(lost) {
			return term, fmt.Sprintf("%d of %d accounts that left did so at a %d-month renewal: %s", k, lost, term, termName(term))
		}
	}
	return 1, fmt.Sprintf("%d of %d accounts that left did so at a 12-month renewal: monthly contracts", at(12), lost)
}

// termName names contracts of a term: monthly, annual, 24-month.
func termName(term int) string {
	switch term {
	case 1:
		return "monthly contracts"
	case 12:
		return "annual contracts"
	}
	return fmt.Sprintf("%d-month contracts", term)
}

// fitMovements finds the cadence of MRR changes among accounts with a
// known start (the month of tenure they happen in), then the probability
// per opportunity and the size of upsells and contractions. Monthly
// motions count every pair of consecutive paying months of every account
// as an opportunity; other cadences count the pairs at that tenure.
func fitMovements(h *History, accts, observed []*Account, term int) (up, down MovementFit) {
	every, cadence := movementCadence(observed, term)
	pool := accts
	if every > 1 {
		pool = observed
	}
	up.Cadence, down.Cadence = cadence, cadence
	var ups, downs []float64
	up.Opportunities, ups, downs = movements(pool, every)
	down.Opportunities = up.Opportunities
	up.fit(ups)
	down.fit(downs)
	return up, down
}

// movementCadence is how often MRR changes among the accounts with a known
// start: every 12 months (annual, or at_renewal with annual contracts)
// or 3 (quarterly) when at least 80 % of the changes fall at such a
// month of tenure, else every month.
func movementCadence(observed []*Account, term int) (every int, cadence string) {
	var at3, at12, all int
	for _, a := range observed {
		for i := 1; i < len(a.MRR); i++ {
			if a.MRR[i] > 0 && a.MRR[i-1] > 0 && a.MRR[i] != a.MRR[i-1] {
				all++
				switch {
				case i%12 == 0:
					at12++
					fallthrough
				case i%3 == 0:
					at3++
				}
			}
		}
	}
	switch {
	case all >= 3 && float64(at12) >= 0.8*float64(all):
		if term == 12 {
			return 12, "at_renewal"
		}
		return 12, "annual"
	case all >= 3 && float64(at3) >= 0.8*float64(all):
		return 3, "quarterly"
	}
	return 1, "monthly"
}

// movements counts the opportunities, pairs of paying months every
// months of tenure apart, in the accounts of pool, and the relative sizes
// of the upsells and contractions among them.
func movements(pool []*Account, every int) (opportunities int, ups, downs []float64) {
	for _, a := range pool {
		for i := 1; i < len(a.MRR); i++ {
			if every > 1 && i%every != 0 {
				continue
			}
			prev, cur := a.MRR[i-1], a.MRR[i]
			if prev <= 0 || cur <= 0 {
				continue
			}
			opportunities++
			switch {
			case cur > prev*(1+1e-9):
				ups = append(ups, cur/prev-1)
			case cur < prev*(1-1e-9):
				downs = append(downs, 1-cur/prev)
			}
		}
	}
	return opportunities, ups, downs
}

// fit estimates the probability of a movement per opportunity and the
// distribution of its sizes.
func (m *MovementFit) fit(sizes []float64) {
	m.Events = len(sizes)
	if n := float64(m.Opportunities); n > 0 {
		p := float64(m.Events) / n
		m.Probability = Estimate{p, math.Sqrt(p * (1 - p) / n)}
	}
	m.Size = FitLogNormal(sizes)
}

// Pareto is the book in the last month by MRR, largest first, with
// suggested touch tiers: about the top 10 % of accounts high touch, the
// next 20 % low touch, the rest digital.
type Pareto struct {
	Month Month
	MRR   []float64 // descending
	IDs   []string
	Tiers []Tier
	Total float64
}

// Tier is one touch tier of the Pareto.
type Tier struct {
	Name       string
	Accounts   int
	MinMRR     float64 // the threshold: the smallest MRR in the tier
	MRR, Share float64 // the tier's MRR and its share of the book
}

// NewPareto ranks the accounts paying in the last month of h.
func NewPareto(h *History) Pareto {
	p := Pareto{Month: h.Last}
	type acc struct {
		id  string
		mrr float64
	}
	var as []acc
	for i := range h.Accounts {
		if v := h.Accounts[i].At(h.Last); v > 0 {
			as = append(as, acc{h.Accounts[i].ID, v})
		}
	}
	sort.SliceStable(as, func(i, j int) bool {
		if as[i].mrr != as[j].mrr {
			return as[i].mrr > as[j].mrr
		}
		return as[i].id < as[j].id
	})
	for _, a := range as {
		p.MRR = append(p.MRR, a.mrr)
		p.IDs = append(p.IDs, a.id)
		p.Total += a.mrr
	}
	n := len(as)
	cuts := []struct {
		name  string
		share float64
	}{{"high touch", 0.10}, {"low touch", 0.30}, {"digital", 1}}
	lo := 0
	for _, c := range cuts {
		hi := int(math.Round(c.share * float64(n)))
		if c.share == 1 {
			hi = n
		}
		hi = max(hi, min(lo+1, n))
		t := Tier{Name: c.name, Accounts: hi - lo}
		for _, v := range p.MRR[lo:hi] {
			t.MRR += v
		}
		if hi > lo {
			t.MinMRR = p.MRR[hi-1]
		}
		if p.Total > 0 {
			t.Share = t.MRR / p.Total
		}
		p.Tiers = append(p.Tiers, t)
		lo = hi
	}
	return p
}

// CalibrateCohort fits a cohort survival table on its first periods
// (0 or more than the table holds: all of them). The term is 12 months
// when the table counts years, else 1.
func CalibrateCohort(c *Cohort, periods int) *Calibration {
	n := len(c.Survivors) - 1
	if periods <= 0 || periods > n {
		periods = n
	}
	s := SegmentFit{Name: "cohort", Accounts: int(math.Round(c.Survivors[0])), Cohort: true,
		Table: CohortSummary{Unit: c.Unit, Last: n, Fitted: periods, End: c.Survivors[n]}}
	ch := &s.Churn
	ch.Term, ch.TermNote = 1, "the table counts "+c.Unit+"s"
	if c.Unit == "year" || c.Unit == "years" {
		ch.Term = 12
	}
	ch.Life = CohortLifetimes(c).Truncate(periods)
	ch.Observed = s.Accounts
	ch.fit()
	cal := &Calibration{History: c.Name, Segments: []SegmentFit{s},
		Warnings: []string{fmt.Sprintf("fitted on %ss 1 to %d of a cohort survival table; the table has no revenue, so ACV is a placeholder", c.Unit, periods)}}
	scenarioNames(cal)
	return cal
}
