package sim

import (
	"math"
	"slices"

	"csplan/sim/dist"
)

// segRun is a segment in a trial: its resolved inputs, the distributions
// its accounts draw from, and what its simulation leaves behind.
type segRun struct {
	segInputs
	seg                    *Segment
	upSize, coSize, newACV dist.Dist         // from seg, so covered by its content
	so                     *secondOrder      // &second when the model has second-order effects
	cache                  responseCache     // the lockstep stepper's coverage responses
	sbgSurv                []float64         // sBG survival by period (Monte Carlo, sbgDirect)
	thetaCache             map[int][]float64 // posteriorNodes by period (expected mode)
	cumHaz                 []float64         // by-tenure cumulative hazard by period, at churnMult (Monte Carlo)
	segOutput
	// mrrLevel is the MRR its calendars add (summarise), for its CLV;
	// newLevel the part of it from new logos.
	mrrLevel, newLevel []float64
}

// segInputs are a segment's per-trial inputs, drawn and converted to the
// per-opportunity probabilities the steppers use: every number the
// simulation of its accounts reads, apart from its Segment's content. The
// value is comparable, and the segment cache (reuse.go) keys by it
// directly, so an input added here is in the key.
type segInputs struct {
	key  uint64 // stream key of the segment (from its name)
	idx  int    // position in the model's segments
	pool int    // the team that serves it (Model.Pools; 0 without)
	term int

	// churn
	hazard    bool
	churnStep int     // months between churn opportunities
	logKeep   float64 // log(1 − p) of the per-opportunity churn probability
	sbg       bool
	sbgDirect bool // θ is not modified: draw the churn time by inversion
	alpha     float64
	beta      float64
	// table: churn by tenure (Churn.Tenure), its entries times tableScale.
	table      bool
	tableScale float64
	churnMult  float64 // coverage multipliers at the model's fixed coverage
	upMult     float64
	onbMult    float64

	priceInc         float64
	pricePeriod      int     // months between price increases, a multiple of term
	billEvery        int     // months a bill covers, a divisor of term
	upQ, coQ         float64 // per-opportunity probabilities after coverage
	logUpKeep        float64
	logCoKeep        float64
	upEvery, coEvery int // cadence in months, 0 = at renewal
	onbSuccess       float64
	onbMonths        int     // months of onboarding (≥ 1)
	onbStopNow       bool    // a failed onboarding churns when it ends, not at the renewal
	memory           int     // months of coverage an event responds to (Response.MemoryMonths)
	lambda, growth   float64 // arrivals per month and its annual growth
	// monotone: an account's MRR never falls before it churns (no
	// contraction, no price cut), which allows calendar booking.
	monotone bool
	// Before any coverage multiplier, for the lockstep stepper.
	baseChurn, baseUp, onbSuccessBase float64
	hoursPerAccount                   float64 // CSM hours per account per year
	salaried                          bool    // a CS team serves it, so its upsell work is in CS cost

	hasSecond bool
	second    secondOrder

	// Hand-off: for handMonths from a CSM's departure, the accounts they
	// served churn at handChurn times and win upsells at handUp times the
	// rate; teamKey identifies the trial's departures (teamPath.left),
	// which decide when hand-offs happen, so that a segment is reused only
	// under the same departures.
	handMonths        int
	handChurn, handUp float64
	teamKey           uint64
}

// secondOrder are a trial's referral and champion parameters (nil when the
// model has none).
type secondOrder struct {
	referrals  float64 // referred logos per advocate per month (× conversion)
	share      float64 // advocates among active accounts
	champLog   float64 // log(1 − monthly probability the champion leaves)
	champMult  float64 // churn multiplier while the champion is gone
	riskMonths int
	reonboard  bool
	moveWin    float64 // probability a departed champion brings a new logo
}

func drawSecondOrder(m *Model, d *drawer) *secondOrder {
	s := &m.SecondOrder
	if !s.Enabled {
		return nil
	}
	turnover := d.draw(s.ChampionTurnover)
	return &secondOrder{
		referrals: d.draw(s.ReferralsPerYear) / 12 * d.draw(s.ReferralConversion),
		share:     d.draw(s.AdvocateShare),
		champLog:  logKeep(1 - math.Pow(1-turnover, 1.0/12)),
		champMult: d.draw(s.ChampionChurnMult), riskMonths: s.ChampionRiskMonths, reonboard: s.Reonboarding,
		moveWin: d.draw(s.ChampionMoveWin),
	}
}

// referralRate is the mean number of referred logos a month brings a
// segment with active accounts the month before: its advocates times the
// referrals each makes a month that convert.
func (so *secondOrder) referralRate(active float64) float64 {
	return so.share * active * so.referrals
}

// nextDeparture is the month after month t in which an account's champion
// next leaves, drawn from the account's champion stream (a geometric number
// of months at the monthly turnover rate), capped at h + 1 (never).
func (so *secondOrder) nextDeparture(st *stream, t, h int) int {
	return min(t+geometric(st, so.champLog), h+1)
}

// riskRun describes month mo for an account whose champions leave in the
// (ascending) departure months: see windowRun, with windows of
// riskMonths.
func (so *secondOrder) riskRun(departures []int32, mo int) int {
	return windowRun(departures, mo, so.riskMonths)
}

// windowRun describes month mo for windows of months months opening at
// the (ascending) start months: inside a window (a start t with t ≤ mo <
// t + months) it returns −end, end being the month the windows around mo
// close; outside one, the month the next one opens (math.MaxInt32: none).
func windowRun(starts []int32, mo, months int) int {
	for i, t := range starts {
		start := int(t)
		if start > mo {
			return start
		}
		if end := start + months; mo < end {
			for _, u := range starts[i+1:] {
				if int(u) >= end {
					break
				}
				end = max(end, int(u)+months)
			}
			return -end
		}
	}
	return math.MaxInt32
}

// raisesChurn reports whether a champion's departure raises the churn of
// the account (for riskMonths), which re-onboarding prevents.
func (so *secondOrder) raisesChurn() bool {
	return so != nil && !so.reonboard && so.champMult != 1
}

// drawer resolves per-trial assumptions: in Monte Carlo mode from the
// assumption's own stream, in expected mode at its mean.
type drawer struct {
	trial    uint64 // trialKey of the trial
	expected bool
	cop      *copula   // rank correlations, if any
	corr     []float64 // the trial's correlated uniforms, drawn on first use
	lhs      *lhs      // Latin hypercube design, if any
	index    int       // the trial's number, for the design
}

func (d *drawer) draw(a Assumption) float64 {
	if a.Dist == nil {
		return 0
	}
	if d.expected || a.Dist.Fixed() {
		return a.Dist.Mean()
	}
	if d.cop != nil {
		if i, ok := d.cop.index[a.Name]; ok {
			if d.corr == nil {
				d.corr = d.cop.uniforms(d, make([]float64, 0, len(d.cop.names)))
			}
			return a.Dist.Quantile(d.corr[i])
		}
	}
	return a.Dist.Quantile(d.uniform(a.Name))
}

// uniform is the trial's uniform for an input: from the input's own
// stream, moved into its stratum under Latin hypercube sampling.
func (d *drawer) uniform(name string) float64 {
	st := newStream(subKey(d.trial, nameKey(name)), purposeAssumption)
	u := st.Uniform()
	if d.lhs != nil {
		u = d.lhs.stratify(name, d.index, u)
	}
	return u
}

// coverage is the CSM coverage every account gets until the team model
// computes it per account: full, unless the model fixes it.
func (m *Model) coverage() float64 {
	if m.FixedCoverage != nil {
		return *m.FixedCoverage
	}
	return 1
}

func curveAt(c Curve, x float64) float64 {
	if len(c.X) == 0 {
		return 1
	}
	return c.At(x)
}

// logKeep returns log(1 − p), the log-probability of not taking one
// opportunity; −Inf when p ≥ 1.
func logKeep(p float64) float64 {
	if p >= 1 {
		return math.Inf(-1)
	}
	return math.Log1p(-p)
}

// resolve draws a trial's assumptions for every segment of m, under the
// trial's response curves resp.
func resolve(m *Model, resp *Response, d *drawer, out []segRun) []segRun {
	out = out[:0]
	cov := m.coverage()
	churnMult := curveAt(resp.Churn, cov)
	upMult := curveAt(resp.Upsell, cov)
	onbMult := curveAt(resp.Onboarding, cov)
	so := drawSecondOrder(m, d)
	for i := range m.Segments {
		s := &m.Segments[i]
		r := segRun{seg: s, segInputs: segInputs{key: nameKey(s.Name), term: s.TermMonths, churnMult: churnMult, upMult: upMult, onbMult: onbMult, idx: i, pool: m.poolOf(i)}}
		if so != nil {
			r.hasSecond, r.second = true, *so
		}
		r.hazard = s.Churn.Timing == Hazard
		r.churnStep = s.TermMonths
		if r.hazard {
			r.churnStep = 1
		}
		if s.Churn.SBG != nil {
			r.sbg = true
			r.alpha, r.beta = d.draw(s.Churn.SBG.Alpha), d.draw(s.Churn.SBG.Beta)
			r.sbgDirect = churnMult == 1
		} else if t := s.Churn.Tenure; t != nil {
			r.table, r.tableScale = true, d.draw(t.Scale)
		} else {
			rate := d.draw(s.Churn.Rate)
			months := s.Churn.RateMonths
			if months == 0 {
				months = 12
			}
			r.baseChurn = 1 - math.Pow(1-rate, float64(r.churnStep)/float64(months))
		}
		r.priceInc = d.draw(s.PriceIncrease)
		r.pricePeriod = s.pricePeriod()
		r.billEvery = s.billingPeriod()
		if s.Upsell.Active() {
			r.baseUp = d.draw(s.Upsell.Probability)
			r.upSize = s.Upsell.Size
		}
		r.onbSuccessBase = d.draw(s.OnboardingSuccess)
		// The model's fixed coverage gives every account the same
		// probabilities.
		var rs response
		rs.set(&r, resp, cov)
		if !r.sbg && !r.table {
			r.logKeep = -rs.lChurn
		}
		r.upQ = rs.pUp
		r.onbSuccess = rs.pOnb
		if s.Contraction.Active() {
			r.coQ = math.Min(1, d.draw(s.Contraction.Probability))
			r.coSize = s.Contraction.Size
		}
		r.logUpKeep, r.logCoKeep = logKeep(r.upQ), logKeep(r.coQ)
		r.monotone = r.priceInc >= 0 && r.coQ == 0
		r.upEvery, r.coEvery = s.Upsell.Cadence.Months(), s.Contraction.Cadence.Months()
		r.resolveService(m, d)
		r.onbMonths = max(1, s.OnboardingMonths)
		r.onbStopNow = s.OnboardingStopNow
		r.memory = max(1, resp.MemoryMonths)
		if s.Acquisition.PerMonth.Dist != nil {
			r.lambda = d.draw(s.Acquisition.PerMonth)
			r.growth = d.draw(s.Acquisition.Growth)
		}
		r.newACV = s.ACV
		if s.Acquisition.ACV != nil {
			r.newACV = s.Acquisition.ACV
		}
		out = append(out, r)
	}
	for i := range out {
		if out[i].hasSecond {
			out[i].so = &out[i].second
		}
	}
	return out
}

// tableChurn is the churn probability of an account's k-th churn period
// (k ≥ 1, counting the periods of its tenure) under a by-tenure table
// before any coverage multiplier: the table's k-th entry, its last past
// its end, times the trial's scale, at most 1. Every engine reads the
// table through it.
func (r *segRun) tableChurn(k int) float64 {
	p := r.seg.Churn.Tenure.Periods
	return min(1, r.tableScale*p[max(1, min(k, len(p)))-1])
}

// tableHazard is a by-tenure period's churn probability p under the
// multiplier mult, and its hazard −log(1 − p), capped at certainHazard so
// that sums of hazards stay finite.
func (r *segRun) tableHazard(k int, mult float64) (p, lam float64) {
	p = min(1, r.tableChurn(k)*mult)
	return p, min(certainHazard, -math.Log1p(-p))
}

// certainHazard stands for the infinite hazard of a certain event: an
// exponential threshold exceeds it with probability e^−745, which is 0 in
// float64.
const certainHazard = 745.0

// churnOpportunities returns the month of an account's first churn
// opportunity and the months between them: at each renewal, or every
// month from the month after joining for a hazard.
func (r *segRun) churnOpportunities(join, firstRenewal int) (first, step int) {
	if !r.hazard {
		return firstRenewal, r.term
	}
	if r.term > 1 {
		return join + 1, 1
	}
	return firstRenewal, 1
}

// anchor is the start of an account's contract, from which upsell and
// contraction opportunities count: its join month, or for the opening book
// one term before its first renewal.
func (r *segRun) anchor(join, firstRenewal int) int {
	if join > 0 {
		return join
	}
	return firstRenewal - r.term
}

// attritionMult is month m's attrition multiplier: the trial's load curve
// (Response.Attrition) at the load of month m − 1, the hours its served
// accounts needed over the hours the team had; 1 in month 1 and without
// a curve.
func (w *worker) attritionMult(resp *Response, m int) float64 {
	if len(resp.Attrition.X) == 0 || m < 2 {
		return 1
	}
	need, hours := w.stats[m-1].need, w.team.hours[m-1]
	load := 0.0
	switch {
	case need > 0 && hours > 0:
		load = need / hours
	case need > 0:
		load = math.Inf(1)
	}
	return curveAt(resp.Attrition, load)
}

// loadAttrition reports whether load can change the trial's attrition.
func (w *worker) loadAttrition(resp *Response) bool {
	return w.team.rate > 0 && slices.ContainsFunc(resp.Attrition.Y, func(y float64) bool { return y != 1 })
}

// resolveService draws what the segment's CS team does for it: the hours
// its accounts need, whether the team's salaries pay for its upsell work,
// and what a hand-off does to its accounts.
func (r *segRun) resolveService(m *Model, d *drawer) {
	s := r.seg
	if !s.Digital {
		r.hoursPerAccount = s.hoursPerAccount(d)
	}
	t := m.poolTeam(r.pool)
	on := t.Active() && m.FixedCoverage == nil
	r.salaried = r.hoursPerAccount > 0 && on
	if on && t.Handoff.Months > 0 && !s.Digital {
		r.handMonths, r.handChurn, r.handUp = t.Handoff.Months, d.draw(t.Handoff.Churn), d.draw(t.Handoff.Upsell)
	}
}

// handoffs reports whether hand-offs change anything for the segment's
// accounts in a trial whose team has the departures of tp.
func (r *segRun) handoffs(tp *teamPath) bool {
	return r.handMonths > 0 && (r.handChurn != 1 || r.handUp != 1) && len(tp.departs) > 0
}

// handedOff reports whether an account is handed to another CSM in a month
// in which a share q of the CSMs left, drawing the next uniform of its
// hand-off stream: one draw for each month with departures after it
// joined, in order, so the draws do not depend on which later months have
// departures.
func handedOff(st *stream, q float64) bool { return st.Uniform() < q }

// coverageFrom is the first month whose coverage an event in month m of an
// account responds to (coverage memory; the event responds to the mean
// coverage of months coverageFrom to m): the month after the account's
// last renewal before m (or after it joined; join 0 is the opening book),
// at most r.memory months back, never before month 1. Renewals fall every
// term months from firstRenewal, so for the opening book the contract
// began one term before its first renewal.
func (r *segRun) coverageFrom(join, firstRenewal, m int) int {
	if r.memory <= 1 {
		return m
	}
	last := firstRenewal + floorDiv(m-1-firstRenewal, r.term)*r.term
	return min(m, max(1, join+1, m-r.memory+1, last+1))
}

// onboarding returns the month in which a new account's onboarding is
// decided, its last onboarding month (a failure churns the month after),
// and the first month whose coverage the decision responds to: the
// onboarding months, at most r.memory of them.
func (r *segRun) onboarding(join int) (decided, from int) {
	decided = join + r.onbMonths - 1
	return decided, max(join, decided-r.memory+1)
}

// floorDiv is a / b rounded down, b > 0.
func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// failedChurn is the month a new account that joined in join and failed
// onboarding churns: its first renewal once onboarding is over (it pays
// the contract it signed to its end and does not renew), or with
// onbStopNow the month after onboarding ends. For a monthly term the two
// are the same.
func (r *segRun) failedChurn(join int) int {
	end := join + r.onbMonths
	if r.onbStopNow {
		return end
	}
	return join + (r.onbMonths+r.term-1)/r.term*r.term
}

// onboardingFails reports whether a new account, drawing u, fails
// onboarding when it succeeds with probability success; it then churns
// in the month failedChurn gives.
func (r *segRun) onboardingFails(u, success float64) bool { return success < 1 && u >= success }

// renewed is an account's MRR after a renewal: the price increase applies
// to the whole contract, earlier upsells included.
func (r *segRun) renewed(mrr float64) float64 { return mrr * (1 + r.priceInc) }

// priceFrom is the first month the price of an account that joined in
// join (0: the opening book) and first renews in firstRenewal increases:
// one price period after its contract began (anchor), at a renewal. For a
// term of a year or more that is its first renewal; for monthly contracts
// a year after it joined (the opening book, whose start is not known: a
// year after its term began, month 12 for monthly contracts).
func (r *segRun) priceFrom(join, firstRenewal int) int {
	return r.anchor(join, firstRenewal) + r.pricePeriod
}

// repriced reports whether month mo is a price increase of an account
// whose first one is in month from (priceFrom): every price period.
func (r *segRun) repriced(mo, from int) bool {
	return mo >= from && (mo-from)%r.pricePeriod == 0
}

// billingPeriod is the months a bill covers (BillingMonths): by default a
// year for terms of whole years, billed upfront, else the term.
func (s *Segment) billingPeriod() int {
	term := max(1, s.TermMonths)
	switch {
	case s.BillingMonths > 0:
		return s.BillingMonths
	case term%12 == 0:
		return 12
	}
	return term
}

// billPhase is how far month mo is into its bill's period for an account
// whose contract started in month anchor (segRun.anchor): 0 in a month a
// bill is due.
func (r *segRun) billPhase(mo, anchor int) int {
	return ((mo-anchor)%r.billEvery + r.billEvery) % r.billEvery
}

// pricePeriod is the months between price increases (PriceEveryMonths):
// by default once a year, at the first renewal a year or more after the
// last (the smallest multiple of the term of at least 12 months).
func (s *Segment) pricePeriod() int {
	term := max(1, s.TermMonths)
	if s.PriceEveryMonths > 0 {
		return s.PriceEveryMonths
	}
	return (12 + term - 1) / term * term
}

// arrivalRate is the mean number of new logos in month m (1-based).
func (r *segRun) arrivalRate(m int) float64 {
	if r.growth == 0 {
		return r.lambda
	}
	return r.lambda * math.Pow(1+r.growth, float64(m-1)/12)
}

// tenure is how many churn periods account j of the existing book has
// survived: with a tenure of n months (its own, or the segment's), the
// months it has been a customer when the run starts, its first one
// counted, it has had the churn opportunities of months 2 to n (its
// renewals, or every month as a hazard), so (n − 1) over the months of a
// churn period: a customer of 12 months on an annual contract is at its
// first renewal, of 13 past it. This is how Kaplan-Meier counts the
// periods of an account still paying (calibrate's lifetimes).
func (r *segRun) tenure(j int) int {
	s := r.seg
	months := s.TenureMonths
	if j < len(s.Accounts) && s.Accounts[j].TenureMonths > 0 {
		months = s.Accounts[j].TenureMonths
	}
	return max(0, months-1) / r.churnStep
}

// maxTenure is the longest tenure of the existing book, in churn periods.
func (r *segRun) maxTenure() int {
	t := r.tenure(len(r.seg.Accounts))
	for j := range r.seg.Accounts {
		t = max(t, r.tenure(j))
	}
	return t
}

// firstRenewal is the month account j of the existing book first renews.
func (r *segRun) firstRenewal(j int) int {
	s := r.seg
	switch s.Renewal {
	case AtMonth:
		return s.FirstRenewalMonth
	case Given:
		if j < len(s.Accounts) && s.Accounts[j].FirstRenewal > 0 {
			return s.Accounts[j].FirstRenewal
		}
	}
	return SpreadRenewal(j, r.term)
}

// SpreadRenewal is the month of the run in which the j-th (from 0) of
// accounts whose renewals are spread over a term of term months first
// renews: 1 + j mod term. The rule of first_renewal: spread, and of a
// calibrated book's accounts whose start the history hides.
func SpreadRenewal(j, term int) int { return 1 + j%term }
