package scenarios

// The scenario file format. Each struct mirrors one YAML mapping; the tags
// drive decoding, validation, defaults, the JSON Schema and option paths, so
// the format is described once:
//
//	yaml     field name
//	kind     how a number is read (see kinds in values.go)
//	default  value used when the field is absent, written as in YAML
//	required the field must be present
//	min, max bounds of a whole number
//	enum     allowed words
//	doc      one line for the schema and the docs

// File is a whole scenario file.
type File struct {
	Name          string                     `yaml:"name" required:"true" pattern:"\\S" doc:"Name of the scenario, shown on every chart and report"`
	Description   string                     `yaml:"description" doc:"What the scenario is about"`
	Question      string                     `yaml:"question" doc:"The question the scenario answers, shown at the top of the report"`
	Currency      string                     `yaml:"currency" default:"USD" pattern:"^[A-Z]{3}$" doc:"Currency of every money amount (ISO code)"`
	Start         MonthRef                   `yaml:"start" label:"first month" required:"true" doc:"First simulated month, YYYY-MM"`
	FiscalYear    int                        `yaml:"fiscal_year_start" label:"first month of the fiscal year" kind:"int" default:"1" min:"1" max:"12" doc:"Month the fiscal year starts in, 1 (January) to 12, for the report's money by fiscal year; a fiscal year is named by the calendar year it ends in (FY2028 for April 2027 to March 2028)"`
	HorizonMonths int                        `yaml:"horizon_months" label:"months simulated" kind:"int" default:"36" min:"1" max:"240" doc:"Months simulated"`
	Trials        int                        `yaml:"trials" kind:"int" default:"10000" min:"1" max:"10000000" doc:"Monte Carlo trials"`
	Seed          int64                      `yaml:"seed" kind:"int" default:"1" doc:"Random seed; the same seed gives the same results"`
	Mode          string                     `yaml:"mode" default:"monte-carlo" enum:"monte-carlo,expected" doc:"monte-carlo simulates accounts; expected computes the deterministic expected path"`
	NetRate       string                     `yaml:"net_rate" default:"multiplicative" enum:"multiplicative,additive" doc:"Expected mode only: multiplicative (1 - churn)(1 + upsell) per period, or additive 1 + upsell - churn (spreadsheet arithmetic)"`
	Sampling      string                     `yaml:"sampling" default:"random" enum:"random,lhs" doc:"How per-trial assumptions are sampled: random, or lhs (Latin hypercube: each input's trials spread evenly over its quantiles)"`
	Segments      []SegmentSpec              `yaml:"segments" label:"segments" required:"true" doc:"Segments of the customer book"`
	Acquisition   map[string]AcquisitionSpec `yaml:"acquisition" label:"new logos" doc:"New logos per segment, keyed by segment name"`
	Team          *TeamSpec                  `yaml:"team" doc:"The CS team; without it every account is fully covered and CS costs nothing"`
	Response      ResponseSpec               `yaml:"coverage_response" doc:"How CSM coverage (0 to 1) multiplies churn, upsell probability and onboarding success"`
	Economics     EconomicsSpec              `yaml:"economics" doc:"Cost and margin assumptions"`
	Valuation     ValuationSpec              `yaml:"valuation" doc:"How the business is valued at the horizon"`
	SecondOrder   *SecondOrderSpec           `yaml:"second_order" doc:"Referrals and champion moves; absent means none"`
	Correlations  []CorrelationSpec          `yaml:"correlations" label:"correlation" doc:"Rank correlations between uncertain (per-trial) inputs"`
	Options       []OptionSpec               `yaml:"options" doc:"Variants of the baseline to compare"`
	Optimize      *OptimizeSpec              `yaml:"optimize" doc:"What csplan optimize chooses (team size per pool, cadence, touch model, any input), for which objective, under which budget and constraints"`
}

// SegmentSpec is one segment of the book.
type SegmentSpec struct {
	Name          string            `yaml:"name" required:"true" doc:"Segment name, used in option paths (segments.NAME.field)"`
	Accounts      *int              `yaml:"accounts" label:"accounts at the start" kind:"int" max:"10000000" doc:"Number of existing accounts (with acv), or use accounts_file"`
	AccountsFile  string            `yaml:"accounts_file" label:"accounts file" doc:"CSV of existing accounts (columns id, acv or mrr, optional first_renewal as a month number or a date, tenure_months, segment; common CRM headers are recognised), relative to the scenario file"`
	AccountsCols  map[string]string `yaml:"accounts_columns" label:"columns of the accounts file" doc:"Which of the accounts file's own headers is id, segment, acv, mrr, first_renewal or tenure_months ({mrr: \"Monthly Amount\"}); with it, columns csplan does not read are left alone"`
	ACV           *Param            `yaml:"acv" label:"ACV" kind:"money" doc:"Annual contract value, drawn per account"`
	Contract      ContractSpec      `yaml:"contract" doc:"Contract term and renewal timing"`
	PriceIncrease Param             `yaml:"price_increase" label:"price increase" kind:"frac" default:"0" doc:"Price increase on the whole contract, once a year at a renewal (per trial)"`
	PriceMonths   int               `yaml:"price_increase_months" label:"months between price increases" kind:"int" default:"0" max:"120" doc:"Months between price increases, a multiple of the term; 0: once a year (at each renewal for terms of a year or more)"`
	Onboarding    OnboardingSpec    `yaml:"onboarding" doc:"Onboarding of new accounts"`
	Churn         ChurnSpec         `yaml:"churn" doc:"Logo churn"`
	Contraction   MovementSpec      `yaml:"contraction" label:"contraction" doc:"Downgrades: opportunities at a cadence, probability per opportunity, size as a fraction of MRR lost"`
	Upsell        MovementSpec      `yaml:"upsell" label:"upsell" doc:"Upsell and cross-sell: opportunities at a cadence, probability per opportunity, size as a fraction of MRR added"`
	Touch         TouchSpec         `yaml:"touch" label:"touch model" default:"digital" doc:"CS touch model: digital, or meetings per year with meeting and preparation hours"`
}

// ContractSpec is the contract term and when existing accounts renew.
type ContractSpec struct {
	TermMonths   int         `yaml:"term_months" label:"contract term" kind:"int" default:"12" min:"1" max:"60" doc:"Contract term in months (1 for monthly contracts)"`
	FirstRenewal RenewalSpec `yaml:"first_renewal" label:"first renewal of the book" default:"spread" doc:"First renewal of existing accounts: spread (evenly over the term), a month number (all renew then; 1 = all at the first month), or file (from accounts_file)"`
	TenureMonths int         `yaml:"tenure_months" label:"tenure of the book" kind:"int" default:"0" max:"600" doc:"How long the existing accounts have been customers, in months (an accounts_file tenure_months column gives it per account): under sBG churn a tenured book churns less; 0 = as if new"`
	Billing      string      `yaml:"billing" label:"billing" enum:"annual_upfront,quarterly,monthly" doc:"When customers pay, for the cash flow: annual_upfront, quarterly or monthly, each bill at the start of its period, a period that divides the term; default annual_upfront for terms of whole years, else one bill per term"`
}

// OnboardingSpec is the onboarding of new accounts.
type OnboardingSpec struct {
	Success Param  `yaml:"success" label:"onboarding success" kind:"prob" default:"100%" doc:"Share of new accounts reaching first value (per trial); the rest churn when onboarding ends"`
	Months  int    `yaml:"months" label:"onboarding months" kind:"int" default:"0" max:"24" doc:"Months of onboarding"`
	Failure string `yaml:"failure" label:"a failed onboarding" default:"stop_at_renewal" enum:"stop_at_renewal,stop_now" doc:"A failed onboarding: stop_at_renewal (the account pays the term it signed and does not renew) or stop_now (the contract ends when onboarding ends)"`
}

// ChurnSpec is logo churn: a rate, or shifted-beta-geometric heterogeneity.
type ChurnSpec struct {
	Annual   *Param      `yaml:"annual" label:"annual churn" kind:"prob" doc:"Share of accounts lost per year (per trial)"`
	Monthly  *Param      `yaml:"monthly" label:"monthly churn" kind:"prob" doc:"Share of accounts lost per month (per trial)"`
	SBG      *SBGSpec    `yaml:"sbg" doc:"Shifted-beta-geometric: each account's churn probability per period ~ Beta(alpha, beta), instead of a rate"`
	ByTenure *TenureSpec `yaml:"by_tenure" doc:"Empirical hazard by tenure: the churn probability of each period of an account's tenure, instead of a rate (calibrate writes it from Kaplan-Meier)"`
	Timing   string      `yaml:"timing" label:"churn timing" enum:"renewal,hazard" doc:"renewal: churn only at contract end (default for terms over a month); hazard: churn in any month"`
}

// TenureSpec is an empirical churn hazard by tenure.
type TenureSpec struct {
	Periods []float64 `yaml:"periods" label:"churn by tenure" kind:"prob" required:"true" doc:"Churn probability in the 1st, 2nd, ... period of tenure (a period is the contract term, or a month with timing: hazard); the last holds for every later period"`
	Scale   Param     `yaml:"scale" label:"churn by tenure scale" kind:"pos" default:"1" doc:"Multiplies every period's churn probability (per trial): the uncertainty of the table's level"`
}

// SBGSpec are the shifted-beta-geometric parameters.
type SBGSpec struct {
	Alpha Param `yaml:"alpha" label:"churn sBG alpha" kind:"pos" required:"true" doc:"Beta alpha of the churn propensity"`
	Beta  Param `yaml:"beta" label:"churn sBG beta" kind:"pos" required:"true" doc:"Beta beta of the churn propensity"`
}

// MovementSpec is an upsell or contraction motion.
type MovementSpec struct {
	Cadence     string `yaml:"cadence" label:"%s cadence" default:"annual" enum:"monthly,quarterly,annual,at_renewal" doc:"How often an opportunity arrives"`
	Probability Param  `yaml:"probability" label:"%s probability" kind:"prob" default:"0" doc:"Probability an opportunity is taken (per trial)"`
	Size        *Param `yaml:"size" label:"%s size" kind:"frac" doc:"Size of one event as a fraction of current MRR (per event)"`
}

// MeetingSpec is one recurring CS meeting type.
type MeetingSpec struct {
	PerYear float64 `yaml:"per_year" label:"meetings a year" kind:"real" required:"true" doc:"Meetings per account per year"`
	Hours   float64 `yaml:"hours" label:"hours a meeting" unit:"h" kind:"real" required:"true" doc:"Hours in the meeting"`
	Prep    float64 `yaml:"prep" label:"preparation hours a meeting" unit:"h" kind:"real" default:"0" doc:"Preparation and follow-up hours per meeting"`
}

// AcquisitionSpec is the arrival of new logos into one segment.
type AcquisitionSpec struct {
	PerMonth Param  `yaml:"per_month" label:"new logos a month" kind:"real" required:"true" doc:"Mean new logos per month (per trial)"`
	Arrivals string `yaml:"arrivals" label:"arrivals of new logos" default:"poisson" enum:"poisson,deterministic" doc:"Count of new logos in a month: poisson, or deterministic (the rate accumulated)"`
	Growth   Param  `yaml:"growth" label:"yearly growth of new logos" kind:"rate" default:"0" doc:"Annual growth of the arrival rate (per trial)"`
	ACV      *Param `yaml:"acv" label:"ACV of new logos" kind:"money" doc:"ACV of new logos; the segment's acv when absent"`
}

// TeamSpec is the CS team.
type TeamSpec struct {
	CSMs            int                 `yaml:"csms" label:"CSMs" kind:"int" max:"100000" doc:"CSM headcount at the start (required; with pools, in each pool)"`
	Plan            []StepSpec          `yaml:"plan" label:"headcount change" doc:"Headcount changes: from a month on, the team has this many CSMs"`
	HoursPerYear    float64             `yaml:"hours_per_year" label:"hours a CSM works a year" kind:"pos" default:"2080" doc:"Working hours per CSM per year (40 h x 52 weeks)"`
	Productivity    Param               `yaml:"productivity" label:"CSM productivity" kind:"prob" default:"70%" doc:"Share of working hours spent with accounts (per trial)"`
	LoadedCost      Param               `yaml:"loaded_cost" label:"CSM loaded cost" kind:"money" default:"150k" doc:"Fully loaded cost per CSM per year (per trial)"`
	HiringCost      Param               `yaml:"hiring_cost" label:"hiring cost" kind:"money" default:"20k" doc:"One-off cost of a hire (per trial)"`
	RampMonths      int                 `yaml:"ramp_months" label:"months to ramp a hire" kind:"int" default:"3" max:"36" doc:"Months for a new hire to reach full productivity (linear ramp)"`
	Attrition       Param               `yaml:"attrition" label:"CSM attrition" kind:"prob" default:"0" doc:"Annual share of CSMs who leave (per trial); they are backfilled after the hiring lag"`
	HiringLagMonths int                 `yaml:"hiring_lag_months" label:"months to backfill" kind:"int" default:"3" max:"24" doc:"Months from a departure to the backfill's start"`
	Assignment      string              `yaml:"assignment" label:"assignment of hours" default:"priority" enum:"priority,even" doc:"When hours are short: priority covers the highest-MRR accounts first; even spreads hours equally"`
	Handoff         HandoffSpec         `yaml:"handoff" doc:"What a CSM's departure (attrition or a cut) does to the accounts handed to another CSM"`
	AttritionLoad   CurveSpec           `yaml:"attrition_load" label:"attrition multiplier" default:"[[1, 1.0], [1.5, 2.0]]" doc:"Attrition multiplier by load (hours the accounts need over the hours the team has), from [1, 1]: an overloaded team loses CSMs faster"`
	Pools           map[string]TeamSpec `yaml:"pools" label:"pools" doc:"Teams of their own, by name, each serving the segments it lists (segments: [NAME, ...]) with its own CSMs, plan, hours and cost; a field a pool does not give is the team's"`
	Segments        []string            `yaml:"segments" label:"segments served" doc:"In a pool: the names of the segments it serves"`
}

// HandoffSpec is the disruption of accounts whose CSM leaves.
type HandoffSpec struct {
	Months int   `yaml:"months" label:"hand-off months" kind:"int" default:"3" max:"60" doc:"Months the disruption lasts from the month the CSM leaves (0: none)"`
	Churn  Param `yaml:"churn" label:"hand-off churn multiplier" kind:"raise" default:"{pert: {min: 1.0, mode: 1.2, max: 1.5}}" doc:"Churn multiplier of a handed-off account during those months, at least 1 (per trial)"`
	Upsell Param `yaml:"upsell" label:"hand-off upsell multiplier" kind:"lower" default:"{pert: {min: 0.5, mode: 0.8, max: 1.0}}" doc:"Upsell probability multiplier of a handed-off account during those months, at most 1 (per trial)"`
}

// StepSpec is one headcount change.
type StepSpec struct {
	From MonthRef `yaml:"from" label:"month of the change" required:"true" doc:"First month of the change, YYYY-MM or a month number"`
	CSMs int      `yaml:"csms" label:"CSMs from that month" kind:"int" required:"true" max:"100000" doc:"Headcount from that month on"`
}

// ResponseSpec are the coverage response curves.
type ResponseSpec struct {
	Churn        CurveSpec `yaml:"churn" label:"churn multiplier" default:"[[0, 2.0], [0.5, 1.4], [1, 1.0]]" doc:"Churn multiplier by coverage; must not rise with coverage"`
	Upsell       CurveSpec `yaml:"upsell" label:"upsell multiplier" default:"[[0, 0.3], [1, 1.0]]" doc:"Upsell probability multiplier by coverage; must not fall with coverage"`
	Onboarding   CurveSpec `yaml:"onboarding" label:"onboarding multiplier" default:"[[0, 0.85], [1, 1.0]]" doc:"Onboarding success multiplier by coverage; must not fall with coverage"`
	MemoryMonths int       `yaml:"memory_months" label:"months of coverage remembered" kind:"int" default:"12" min:"1" max:"60" doc:"Months of coverage an event responds to: a renewal or an upsell opportunity responds to the mean coverage since the account's last renewal (or its start), at most this many months; onboarding to its onboarding months. 1: the event's month alone"`
}

// EconomicsSpec are cost assumptions.
type EconomicsSpec struct {
	GrossMarginExCS    Param    `yaml:"gross_margin_ex_cs" label:"gross margin before CS" kind:"prob" default:"80%" doc:"Gross margin before CS team cost (per trial)"`
	CostToServe        Param    `yaml:"cost_to_serve" label:"cost to serve" kind:"prob" default:"0%" doc:"Other cost of serving customers as a share of revenue (per trial)"`
	CAC                CACSpec  `yaml:"cac" doc:"Acquisition cost: ratio per $ of new ARR, or per logo"`
	ReferralCACFactor  Param    `yaml:"referral_cac_factor" label:"CAC of a referred logo" kind:"frac" default:"25%" doc:"Referred logos cost this share of normal CAC"`
	ExpansionCostRatio Param    `yaml:"expansion_cost_ratio" label:"cost of price-increase ARR (CEC)" kind:"frac" default:"0" doc:"CEC: cost per $ of ARR from price increases (per trial)"`
	UpsellCostRatio    Param    `yaml:"upsell_cost_ratio" label:"cost of upsell ARR (CUC)" kind:"frac" default:"0.28" doc:"CUC: cost per $ of ARR from upsell (per trial)"`
	UpsellCost         string   `yaml:"upsell_cost" label:"upsell cost" default:"in_salaries" enum:"in_salaries,on_top" doc:"Upsell in segments a CS team serves: in_salaries (the CSMs' cost already pays for it; CUC only on the others) or on_top (CUC on all upsell)"`
	DiscountRate       Param    `yaml:"discount_rate" label:"discount rate" kind:"frac" default:"10%" doc:"Annual discount rate for CLV and DCF"`
	OperatingCost      OpexSpec `yaml:"operating_cost" doc:"Operating cost besides the cost of revenue, CS, acquisition and expansion (G&A, R&D), for free cash flow and DCF"`
	TaxRate            Param    `yaml:"tax_rate" label:"tax rate" kind:"prob" default:"21%" doc:"Tax on a month's positive profit, for free cash flow and DCF (per trial; default the US federal rate)"`
}

// OpexSpec is operating cost: a share of revenue, an amount a month, or both.
type OpexSpec struct {
	Ratio    Param  `yaml:"ratio" label:"operating cost ratio" kind:"frac" default:"30%" doc:"Share of revenue (per trial; default 30%: R&D about 20% and G&A about 10%, as in public SaaS companies)"`
	Of       string `yaml:"of" label:"operating cost base" default:"opening_revenue" enum:"opening_revenue,revenue" doc:"opening_revenue: the ratio of the opening book's monthly revenue, a fixed amount each month (revenue an option loses saves no operating cost); revenue: of each month's revenue"`
	PerMonth Param  `yaml:"per_month" label:"operating cost a month" kind:"money" default:"0" doc:"Amount a month (per trial)"`
}

// CACSpec is acquisition cost.
type CACSpec struct {
	Ratio   *Param `yaml:"ratio" label:"CAC per $ of new ARR" kind:"frac" doc:"Sales and marketing per $ of new ARR (default 1.18)"`
	PerLogo *Param `yaml:"per_logo" label:"CAC per new logo" kind:"money" doc:"Sales and marketing per new logo"`
}

// ValuationSpec is the valuation method and its inputs.
type ValuationSpec struct {
	Method        string            `yaml:"method" label:"valuation method" default:"arr_multiple" enum:"arr_multiple,dcf,customer_based" doc:"arr_multiple, dcf or customer_based"`
	Multiple      MultipleSpec      `yaml:"multiple" doc:"ARR multiple as a function of NRR and growth"`
	DCF           DCFSpec           `yaml:"dcf" doc:"Discounted cash flow"`
	CustomerBased CustomerBasedSpec `yaml:"customer_based" doc:"Customer-based valuation"`
}

// MultipleSpec is the ARR-multiple valuation.
type MultipleSpec struct {
	Base            Param      `yaml:"base" label:"base ARR multiple" kind:"real" default:"6" doc:"ARR multiple at the reference NRR and growth (per trial)"`
	PerNRRPoint     Param      `yaml:"per_nrr_point" label:"multiple per NRR point" kind:"rate" default:"0.25" doc:"Multiple added per point of NRR above the reference"`
	PerGrowthPoint  Param      `yaml:"per_growth_point" label:"multiple per growth point" kind:"rate" default:"0.1" doc:"Multiple added per point of ARR growth above the reference"`
	ReferenceNRR    float64    `yaml:"reference_nrr" label:"reference NRR" kind:"frac" default:"100%" doc:"NRR at which the multiple is base"`
	ReferenceGrowth float64    `yaml:"reference_growth" label:"reference growth" kind:"rate" default:"20%" doc:"Annual ARR growth at which the multiple is base"`
	Table           *CurveSpec `yaml:"table" label:"ARR multiple by NRR" doc:"Instead of the linear form: [[nrr, multiple], ...] interpolated in NRR"`
	Min             float64    `yaml:"min" label:"lowest ARR multiple" kind:"real" default:"1" doc:"Floor of the multiple"`
}

// DCFSpec is the discounted-cash-flow valuation.
type DCFSpec struct {
	Terminal       string `yaml:"terminal" label:"terminal value" default:"gordon" enum:"gordon,exit_multiple" doc:"Terminal value: Gordon growth or an exit multiple of ARR"`
	TerminalGrowth Param  `yaml:"terminal_growth" label:"terminal growth" kind:"rate" default:"3%" doc:"Perpetual growth after the horizon (Gordon)"`
	ExitMultiple   Param  `yaml:"exit_multiple" label:"exit ARR multiple" kind:"real" default:"5" doc:"ARR multiple at the horizon (exit_multiple)"`
}

// CustomerBasedSpec is the customer-based valuation.
type CustomerBasedSpec struct {
	FutureCohorts bool `yaml:"future_cohorts" label:"value of future cohorts" default:"true" doc:"Include the value of cohorts acquired after the horizon"`
}

// SecondOrderSpec are referral and champion effects.
type SecondOrderSpec struct {
	AdvocateShare      *Param `yaml:"advocate_share" label:"advocate share" kind:"prob" doc:"Share of healthy accounts that are advocates (default 20%), or give nps"`
	NPS                *Param `yaml:"nps" label:"NPS" kind:"nps" doc:"Net promoter score (-100 to 100); advocate share = promoters = (70 + NPS) / 200, assuming 30% passives"`
	ReferralsPerYear   Param  `yaml:"referrals_per_year" label:"referrals per advocate a year" kind:"real" default:"0.5" doc:"Referrals per advocate per year (per trial)"`
	ReferralConversion Param  `yaml:"referral_conversion" label:"referral conversion" kind:"prob" default:"20%" doc:"Share of referrals that become logos (about 4x other leads)"`
	ChampionTurnover   Param  `yaml:"champion_turnover" label:"champion turnover" kind:"prob" default:"10%" doc:"Annual probability an account's champion leaves"`
	ChampionChurnMult  Param  `yaml:"champion_churn_multiplier" label:"churn multiplier without a champion" kind:"real" default:"2" doc:"Churn multiplier while the account has lost its champion"`
	ChampionRiskMonths int    `yaml:"champion_risk_months" label:"months at risk without a champion" kind:"int" default:"6" max:"60" doc:"Months the raised churn lasts"`
	Reonboarding       bool   `yaml:"reonboarding" label:"re-onboarding after a champion leaves" default:"false" doc:"A re-onboarding play removes the raised churn"`
	ChampionMoveWin    Param  `yaml:"champion_move_win" label:"win when a champion moves" kind:"prob" default:"10%" doc:"Probability a departed champion brings the product to a new company"`
}

// CorrelationSpec is one rank correlation between two uncertain inputs.
type CorrelationSpec struct {
	Between []string `yaml:"between" required:"true" doc:"The two inputs, by path (segments.NAME.churn.annual)"`
	Rank    float64  `yaml:"rank" kind:"corr" required:"true" doc:"Spearman rank correlation"`
}

// OptionSpec is a named variant of the baseline.
type OptionSpec struct {
	Name        string  `yaml:"name" required:"true" doc:"Option name, shown in charts and reports"`
	Description string  `yaml:"description" doc:"What the option does"`
	Set         SetSpec `yaml:"set" required:"true" doc:"Overrides of baseline fields by path, e.g. team.csms or segments.enterprise.upsell.cadence"`
}
