// Package sim is the csplan engine: it simulates a customer book month by
// month, account by account, over many trials, and aggregates the results. It
// knows nothing of YAML, files or plots; package scenarios builds its Model.
package sim

import (
	"slices"

	"csplan/sim/dist"
)

// Mode selects how a model is evaluated.
type Mode int

const (
	// MonteCarlo simulates accounts individually over many trials.
	MonteCarlo Mode = iota
	// Expected computes the deterministic expected-value path: every
	// assumption at its mean, survival weights instead of draws.
	Expected
)

func (m Mode) String() string {
	if m == Expected {
		return "expected"
	}
	return "monte-carlo"
}

// NetRate is the expected-mode convention for combining churn and expansion
// in one period.
type NetRate int

const (
	// Multiplicative is the expectation of the account-level model: a churned
	// account is gone and survivors grow, factor (1 − churn)(1 + expansion).
	Multiplicative NetRate = iota
	// Additive is spreadsheet arithmetic: factor (1 + expansion − churn).
	Additive
)

func (n NetRate) String() string {
	if n == Additive {
		return "additive"
	}
	return "multiplicative"
}

// Assumption is a per-trial uncertain input: its distribution is sampled once
// per trial (uncertainty about the world, not about one account). Name is the
// input's path in the scenario, used for sensitivity and correlations.
type Assumption struct {
	Name string
	Dist dist.Dist
}

// Fixed returns an assumption that is the same in every trial.
func Fixed(name string, v float64) Assumption { return Assumption{name, dist.Const(v)} }

// Model is one fully specified variant of a scenario (the baseline or one
// option), with every default applied.
type Model struct {
	Horizon     int // months simulated, month 1 is the first
	Segments    []Segment
	Team        Team
	Response    Response
	Economics   Economics
	Valuation   Valuation
	SecondOrder SecondOrder
	// Correlations are rank correlations between per-trial assumptions,
	// named by Assumption.Name.
	Correlations []Correlation
	// FixedCoverage, when set, is the CSM coverage of every account in
	// every month; otherwise accounts are fully covered until the team
	// model computes coverage.
	FixedCoverage *float64
	// Pools, when set, split the CS team: each pool is a team of its own
	// that serves the segments it lists (every served segment in exactly
	// one), and Team is not used.
	Pools []Pool
}

// Pool is a CS team that serves some segments only.
type Pool struct {
	Name     string
	Segments []int // indices into Model.Segments
	Team     Team
}

// poolCount is how many teams the model has: its pools, or Team alone.
func (m *Model) poolCount() int { return max(1, len(m.Pools)) }

// poolTeam is team p of the model.
func (m *Model) poolTeam(p int) *Team {
	if len(m.Pools) == 0 {
		return &m.Team
	}
	return &m.Pools[p].Team
}

// poolOf is the pool that serves segment i (0 without pools).
func (m *Model) poolOf(i int) int {
	for p := range m.Pools {
		if slices.Contains(m.Pools[p].Segments, i) {
			return p
		}
	}
	return 0
}

// teamActive reports whether some team of the model serves accounts with
// coverage the team decides (not FixedCoverage).
func (m *Model) teamActive() bool {
	if m.FixedCoverage != nil {
		return false
	}
	for p := range m.poolCount() {
		if m.poolTeam(p).Active() {
			return true
		}
	}
	return false
}

// Cadence is how often an expansion or contraction opportunity arrives.
type Cadence int

const (
	Monthly Cadence = iota
	Quarterly
	Annually
	AtRenewal
)

var cadenceNames = [...]string{"monthly", "quarterly", "annual", "at_renewal"}

func (c Cadence) String() string { return cadenceNames[c] }

// Months is the spacing of opportunities in months; 0 for AtRenewal.
func (c Cadence) Months() int {
	switch c {
	case Monthly:
		return 1
	case Quarterly:
		return 3
	case Annually:
		return 12
	}
	return 0
}

// Movement is an upsell or a contraction motion: opportunities at a cadence,
// each taken with a probability, of a size that is a fraction of current MRR.
type Movement struct {
	Cadence     Cadence
	Probability Assumption // per opportunity, sampled per trial
	Size        dist.Dist  // per event
}

// Active reports whether the movement can ever happen.
func (m Movement) Active() bool {
	return m.Size != nil && !(m.Probability.Dist.Fixed() && m.Probability.Dist.Mean() == 0)
}

// ChurnTiming says when an account can churn.
type ChurnTiming int

const (
	// AtRenewalChurn: an account churns only at the end of its contract term.
	AtRenewalChurn ChurnTiming = iota
	// Hazard: an account can churn in any month.
	Hazard
)

// Churn describes logo churn. Either Rate is the probability per period, or
// SBG gives each account its own propensity θ ~ Beta(Alpha, Beta) drawn when
// the account is created (shifted-beta-geometric), θ being its churn
// probability per period. The period is the contract term for AtRenewalChurn
// and one month for Hazard.
type Churn struct {
	Timing ChurnTiming
	Rate   Assumption
	// RateMonths is the period the stated rate covers (12 for an annual
	// rate, 1 for a monthly one); the engine converts it to the churn
	// period: 1 − (1 − rate)^(period / RateMonths).
	RateMonths int
	SBG        *SBG
	// Tenure, instead of a rate or sBG, gives the churn probability of
	// each period of tenure, as Kaplan-Meier measures it on a history.
	Tenure *TenureChurn
}

// TenureChurn is an empirical hazard by tenure: Periods[k−1] is the
// probability that an account that has survived k − 1 periods churns in
// its k-th, the last entry holding for every later period; every entry is
// multiplied by Scale (drawn per trial, at most 1 after it). It is a
// population hazard: a coverage multiplier multiplies it directly.
type TenureChurn struct {
	Periods []float64
	Scale   Assumption
}

// SBG are the shifted-beta-geometric heterogeneity parameters.
type SBG struct{ Alpha, Beta Assumption }

// Account is an existing account given explicitly (from an accounts file).
type Account struct {
	ID           string
	MRR          float64
	FirstRenewal int // month of its first renewal, 0 = use the segment's rule
	TenureMonths int // months it has been a customer, 0 = the segment's
}

// RenewalRule places existing accounts' first renewal.
type RenewalRule int

const (
	// Spread: the j-th account (0-based) first renews in month 1 + (j mod term).
	Spread RenewalRule = iota
	// AtMonth: every account first renews in Segment.FirstRenewalMonth.
	AtMonth
	// Given: each account's first renewal is given in its Account record.
	Given
)

// Meeting is one kind of recurring CS touch.
type Meeting struct {
	Name                 string
	PerYear, Hours, Prep float64
}

// Segment is a group of accounts sharing contract terms, churn and expansion
// behaviour and a CS touch model.
type Segment struct {
	Name string
	// Existing book: either explicit Accounts or Count accounts with ACV drawn
	// per account from ACV.
	Accounts []Account
	Count    int
	ACV      dist.Dist

	TermMonths int
	// TenureMonths is how long the existing accounts have been customers:
	// under sBG churn an account that has survived churns less (its
	// propensity's posterior given survival). 0: as if new.
	TenureMonths      int
	Renewal           RenewalRule
	FirstRenewalMonth int
	PriceIncrease     Assumption // fraction applied to the whole contract at a renewal
	// PriceEveryMonths is how often the price increases, in months, a
	// multiple of the term; 0: once a year, or at each renewal of a term
	// of a year or more (pricePeriod).
	PriceEveryMonths int
	// BillingMonths is how many months a bill covers, billed at the start
	// of each (1 monthly, 3 quarterly, 12 annual upfront), a divisor of the
	// term; 0: 12 when the term is a multiple of a year, else the term.
	BillingMonths int

	OnboardingSuccess Assumption // share of new accounts reaching first value
	OnboardingMonths  int
	// OnboardingStopNow: a failed onboarding ends the contract when
	// onboarding ends; otherwise (the default) the account pays the term it
	// signed to its end and does not renew.
	OnboardingStopNow bool

	Churn       Churn
	Contraction Movement
	Upsell      Movement

	// Touch: hours of CSM time each account needs per year; Digital segments
	// need none.
	Digital  bool
	Meetings []Meeting
	// OpportunityHours are the CSM hours each upsell or contraction
	// opportunity and each renewal takes per account, beside the meetings:
	// a more frequent motion uses more of the team's time.
	OpportunityHours OpportunityHours

	Acquisition Acquisition
}

// OpportunityHours are CSM hours per account for each upsell opportunity,
// contraction opportunity and renewal, drawn once per trial.
type OpportunityHours struct{ Upsell, Contraction, Renewal Assumption }

// HoursPerAccount is the CSM time one account of the segment needs per
// year, with its hours per opportunity at their means (hoursPerAccount).
func (s *Segment) HoursPerAccount() float64 {
	d := drawer{expected: true}
	return s.hoursPerAccount(&d)
}

// hoursPerAccount is the CSM time one account of the segment needs per
// year: its meetings, and its opportunities and renewals at their cadence,
// spread over the year as the meetings are, with the hours per
// opportunity d draws.
func (s *Segment) hoursPerAccount(d *drawer) float64 {
	h := 0.0
	for _, m := range s.Meetings {
		h += m.PerYear * (m.Hours + m.Prep)
	}
	o := &s.OpportunityHours
	if s.Upsell.Active() {
		h += d.draw(o.Upsell) * s.perYear(s.Upsell.Cadence)
	}
	if s.Contraction.Active() {
		h += d.draw(o.Contraction) * s.perYear(s.Contraction.Cadence)
	}
	return h + d.draw(o.Renewal)*s.perYear(AtRenewal)
}

// perYear is how many opportunities a year a cadence gives an account of
// the segment.
func (s *Segment) perYear(c Cadence) float64 {
	if m := c.Months(); m > 0 {
		return 12 / float64(m)
	}
	return 12 / float64(max(1, s.TermMonths))
}

// Arrivals is the count distribution of new logos in a month.
type Arrivals int

const (
	Poisson Arrivals = iota
	// Deterministic arrivals accumulate the rate and add a logo whenever the
	// running total crosses a whole number.
	Deterministic
)

// Acquisition of new logos into a segment.
type Acquisition struct {
	PerMonth Assumption // mean new logos per month
	Growth   Assumption // annual growth of the arrival rate
	Arrivals Arrivals
	ACV      dist.Dist // ACV of new logos; nil means the segment's ACV
}

// Assignment is how a short-handed team spreads its hours.
type Assignment int

const (
	// Priority covers the highest-MRR accounts fully first.
	Priority Assignment = iota
	// Even gives every account the same share of the hours needed.
	Even
)

// Step is a change of CSM headcount from a month on.
type Step struct {
	Month int
	CSMs  int
}

// Team is the CS team.
type Team struct {
	CSMs            int    // headcount in month 1
	Plan            []Step // later changes, sorted by month
	HoursPerYear    float64
	Productivity    Assumption
	LoadedCost      Assumption // per CSM per year
	HiringCost      Assumption // per hire
	RampMonths      int
	Attrition       Assumption // annual rate
	HiringLagMonths int
	Assignment      Assignment
	// Handoff is what a CSM's departure (attrition or a cut) does to the
	// accounts they served: they are handed to another CSM and, for
	// Handoff.Months from the month of the departure, churn and win
	// upsells at these multipliers.
	Handoff Handoff
}

// Handoff is the disruption of accounts whose CSM leaves.
type Handoff struct {
	Months        int
	Churn, Upsell Assumption // multipliers, drawn per trial
}

// Curve is a piecewise linear function of coverage in [0, 1].
type Curve struct{ X, Y []float64 }

// At evaluates the curve at x, clamping outside the points.
func (c Curve) At(x float64) float64 {
	n := len(c.X)
	if n == 0 {
		return 1
	}
	if x <= c.X[0] {
		return c.Y[0]
	}
	for i := 1; i < n; i++ {
		if x <= c.X[i] {
			t := (x - c.X[i-1]) / (c.X[i] - c.X[i-1])
			return c.Y[i-1] + t*(c.Y[i]-c.Y[i-1])
		}
	}
	return c.Y[n-1]
}

// Response maps an account's CSM coverage to multipliers of its churn, upsell
// probability and onboarding success.
type Response struct {
	Churn, Upsell, Onboarding Curve
	// Attrition is the team's attrition multiplier by load, the hours the
	// served accounts need over the hours the team has (1 and below: no
	// change): an overloaded team loses CSMs faster.
	Attrition Curve
	// MemoryMonths is how far back an event looks at coverage: a churn
	// opportunity or an upsell opportunity responds to the mean coverage of
	// the months since the account's last renewal (or its start), up to and
	// including the event's month, at most MemoryMonths of them; onboarding
	// to the mean over its onboarding months, at most as many. 0 or 1: the
	// event's month alone.
	MemoryMonths int
	// Uncertain are the points of the curves whose multiplier is a
	// per-trial assumption (the curve's Y holds its mean): drawn once per
	// trial, the same draw in every option, like any other input.
	Uncertain []UncertainPoint
}

// ResponseCurve names one of the response curves.
type ResponseCurve int

const (
	ChurnResponse ResponseCurve = iota
	UpsellResponse
	OnboardingResponse
	AttritionResponse
)

// UncertainPoint is a point of a response curve whose multiplier is a
// per-trial assumption.
type UncertainPoint struct {
	Curve ResponseCurve
	Point int // index into the curve's X and Y
	Y     Assumption
}

// curve returns the curve c names.
func (r *Response) curve(c ResponseCurve) *Curve {
	switch c {
	case UpsellResponse:
		return &r.Upsell
	case OnboardingResponse:
		return &r.Onboarding
	case AttritionResponse:
		return &r.Attrition
	}
	return &r.Churn
}

// draw returns the trial's response curves: r itself when none of its
// multipliers is uncertain; otherwise buf, holding r with each uncertain
// point drawn.
func (r *Response) draw(d *drawer, buf *Response) *Response {
	if len(r.Uncertain) == 0 {
		return r
	}
	ys := [...][]float64{buf.Churn.Y, buf.Upsell.Y, buf.Onboarding.Y, buf.Attrition.Y}
	*buf = *r
	for c := range ys {
		cv := buf.curve(ResponseCurve(c))
		cv.Y = append(ys[c][:0], cv.Y...)
	}
	for _, u := range r.Uncertain {
		buf.curve(u.Curve).Y[u.Point] = d.draw(u.Y)
	}
	return buf
}

// CostBasis selects how acquisition cost is charged.
type CostBasis int

const (
	PerNewARR CostBasis = iota // CAC ratio × new ARR
	PerLogo                    // a fixed cost per new logo
)

// Economics are the cost assumptions.
type Economics struct {
	GrossMarginExCS    Assumption // gross margin before CS cost
	CostToServe        Assumption // share of revenue
	CACBasis           CostBasis
	CAC                Assumption // ratio per $ of new ARR, or money per logo
	ReferralCACFactor  Assumption // referred logos cost this share of normal CAC
	ExpansionCostRatio Assumption // CEC: cost per $ of price-increase ARR
	UpsellCostRatio    Assumption // CUC: cost per $ of upsell ARR
	// UpsellCostOnTop charges CUC on upsell that CSMs work on too; by
	// default their salaries (CS cost) already pay for it, so CUC is charged
	// only on upsell in segments no CS team serves.
	UpsellCostOnTop bool
	DiscountRate    Assumption // annual
	// Free cash flow = contribution − operating cost − tax: operating cost
	// (G&A, R&D: what contribution leaves out) as a share of revenue plus
	// an amount a month, and tax at TaxRate on a month's positive profit.
	// OperatingCostOfOpening takes the share of the opening book's monthly
	// revenue, a fixed amount each month, rather than of each month's.
	OperatingCostRatio, OperatingCostMonthly Assumption
	OperatingCostOfOpening                   bool
	TaxRate                                  Assumption
}

// ValuationMethod names how the business is valued at the horizon.
type ValuationMethod int

const (
	ARRMultiple ValuationMethod = iota
	DCF
	CustomerBased
)

var valuationNames = [...]string{"arr_multiple", "dcf", "customer_based"}

func (v ValuationMethod) String() string { return valuationNames[v] }

// Terminal value rule of a DCF valuation.
type Terminal int

const (
	Gordon Terminal = iota
	ExitMultiple
)

// Valuation assumptions.
type Valuation struct {
	Method ValuationMethod
	// ARR multiple: Base at ReferenceNRR and ReferenceGrowth, plus PerNRRPoint
	// per point (0.01) of NRR and PerGrowthPoint per point of ARR growth
	// above them; or, when Table is set, interpolated in NRR from the table.
	Base, PerNRRPoint, PerGrowthPoint Assumption
	ReferenceNRR, ReferenceGrowth     float64
	Table                             Curve // x: NRR, y: multiple
	MinMultiple                       float64
	// DCF
	Terminal       Terminal
	TerminalGrowth Assumption
	ExitMultiple   Assumption
	// Customer based: value of future cohorts included.
	FutureCohorts bool
	// DCFBeside values the business by DCF too when the method is another
	// (the dcf_value metric), so a report can show what a method that does
	// not see cost leaves out. The DCF inputs must then give a value in
	// every trial (a Gordon terminal needs the rate above the growth).
	DCFBeside bool
}

// SecondOrder are referral and champion effects.
type SecondOrder struct {
	Enabled            bool
	AdvocateShare      Assumption // share of healthy accounts that are advocates
	ReferralsPerYear   Assumption // referrals per advocate per year
	ReferralConversion Assumption // share of referrals that become logos
	ChampionTurnover   Assumption // annual rate per account
	ChampionChurnMult  Assumption // churn multiplier after the champion leaves
	ChampionRiskMonths int
	Reonboarding       bool
	ChampionMoveWin    Assumption // probability a departed champion brings the product along
}

// Correlation is a rank correlation between two per-trial assumptions.
type Correlation struct {
	A, B string
	Rho  float64
}

// Settings are how a model is run, apart from what it is.
type Settings struct {
	Trials  int
	Seed    uint64
	Mode    Mode
	NetRate NetRate
	Workers int // 0 = GOMAXPROCS
	// LHS samples the per-trial assumptions by Latin hypercube: each
	// input's trials fall one in each of Trials equal-probability strata,
	// in an order shuffled per input.
	LHS bool

	check checks // ways to run the engine that tests compare
}

// checks are ways to run the same model that must give the same numbers:
// tests set them to compare the engine's paths with each other.
type checks struct {
	lockstep    bool // every trial with a team runs the served book in lockstep
	pathBooking bool // every account is booked event by event, no calendars
	noReuse     bool // nothing is reused between options of a trial
}
