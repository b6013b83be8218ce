package results

// The catalogue of what results.json holds: every per-trial metric and
// every monthly series, with the words and unit to show it in and which
// way is better. It is the one place a metric's name is written; every
// package refers to metrics by the constants below.

// Unit is what a metric or series counts.
type Unit int

const (
	Money  Unit = iota // in the scenario's currency
	Rate               // a share or ratio: 0.861 is 86.1 %
	Count              // customers
	Number             // hours, CSMs, accounts per CSM
)

// Quantity is one metric or series of results.json.
type Quantity struct {
	Key   string // its name in results.json
	Label string // in tables and headings: "ARR at horizon"
	Unit  Unit
	// HigherIsBetter says which way is better when options are compared:
	// more of everything, except cost.
	HigherIsBetter bool
	// Noun names it in a sentence ("CS cost is lower by ..."), Short on a
	// chart's axis ("total revenue"), Title in a chart's title before its
	// When: "Revenue" + ", Jan 2027 to Dec 2029".
	Noun, Short, Title string
	When               When
	Description        string
}

// When is the time a metric refers to, as a chart title says it.
type When int

const (
	AtEnd    When = iota // a stock at the last month: "ARR at Dec 2029"
	OverSpan             // a total over the horizon: "Revenue, Jan 2027 to Dec 2029"
	Trailing             // the 12 months to the last: "NRR, 12 months to Dec 2029"
	Timeless             // no time: "Customer lifetime value"
)

// Metric keys.
const (
	ARREnd               = "arr_end"
	RevenueTotal         = "revenue_total"
	NRR12m               = "nrr_12m"
	GRR12m               = "grr_12m"
	LogosEnd             = "logos_end"
	CSCostTotal          = "cs_cost_total"
	CoverageMean         = "coverage_mean"
	GrossProfitTotal     = "gross_profit_total"
	AcquisitionCostTotal = "acquisition_cost_total"
	ContributionTotal    = "contribution_total"
	RetentionCostRatio   = "retention_cost_ratio"
	CLV                  = "clv"
	CLVBook              = "book_clv"
	CLVNew               = "new_logo_clv"
	Valuation            = "valuation"
	DCFValue             = "dcf_value"
	SecondOrderARR       = "second_order_arr"
	SecondOrderValuation = "second_order_valuation"
	// PaybackMonth is the per-trial payback month of an option in a
	// shard's part; results.json holds its summary as an option's payback.
	PaybackMonth = "payback_month"
	// The legs of an option's gross-profit bridge against the baseline.
	BridgeOpening     = "opening_book"
	BridgeNew         = "new_logos"
	BridgeSecondOrder = "second_order"
	BridgeUpsell      = "upsell"
	BridgePrice       = "price_increases"
	BridgeContraction = "contraction"
	BridgeChurn       = "churn"
	BridgeCSCost      = "cs_cost"
	// BridgeUnallocated is the leg of a segment bridge that no segment
	// carries: CS cost in a month with no served MRR.
	BridgeUnallocated = "not_allocated"
	// CLVPrefix starts the key of a segment's CLV: "clv_" + segment name.
	CLVPrefix = "clv_"
)

// Metrics are the per-trial metrics, in the order every document and
// spreadsheet shows them.
var Metrics = []Quantity{
	{ARREnd, "ARR at horizon", Money, true, "ARR at horizon", "ARR", "ARR", AtEnd,
		"annual recurring revenue (12 × MRR) in the last month"},
	{RevenueTotal, "Total revenue", Money, true, "Total revenue", "total revenue", "Revenue", OverSpan,
		"the sum of the monthly revenue over the horizon"},
	{NRR12m, "NRR, last 12 months", Rate, true, "NRR, last 12 months", "NRR", "NRR", Trailing,
		"net revenue retention over the last 12 months"},
	{GRR12m, "GRR, last 12 months", Rate, true, "GRR, last 12 months", "GRR", "GRR", Trailing,
		"gross revenue retention over the last 12 months"},
	{LogosEnd, "Customers at horizon", Count, true, "Customers at horizon", "customers", "Customers", AtEnd,
		"active accounts in the last month"},
	{CLV, "Customer lifetime value", Money, true, "Customer lifetime value", "customer lifetime value", "Customer lifetime value", Timeless,
		"mean discounted margin per account, the horizon and beyond"},
	{CLVBook, "CLV of the opening book", Money, true, "CLV of the opening book", "CLV of the opening book", "CLV of the opening book", Timeless,
		"customer lifetime value per account of the opening book"},
	{CLVNew, "CLV of new logos", Money, true, "CLV of new logos", "CLV of new logos", "CLV of new logos", Timeless,
		"customer lifetime value per new logo, from its join month (discounted to today)"},
	{CSCostTotal, "CS cost, total", Money, false, "CS cost", "CS cost", "CS cost", OverSpan,
		"CS team cost over the horizon: salaries and hiring"},
	{GrossProfitTotal, "Gross profit, total", Money, true, "Gross profit", "gross profit", "Gross profit", OverSpan,
		"revenue × margin less cost to serve and CS cost, over the horizon"},
	{CoverageMean, "Mean CSM coverage", Rate, true, "Mean CSM coverage", "CSM coverage", "Mean CSM coverage", OverSpan,
		"mean over the months of the served accounts' mean coverage"},
	{AcquisitionCostTotal, "Acquisition cost, total", Money, false, "Acquisition cost", "acquisition cost", "Acquisition cost", OverSpan,
		"sales and marketing cost of the new logos over the horizon"},
	{ContributionTotal, "Contribution, total", Money, true, "Contribution", "contribution", "Contribution", OverSpan,
		"gross profit less acquisition and expansion cost, over the horizon"},
	{RetentionCostRatio, "Retention cost ratio", Rate, false, "Retention cost ratio", "retention cost ratio", "Retention cost ratio", OverSpan,
		"(CS cost + cost to serve) / revenue over the horizon"},
	{SecondOrderARR, "Second-order ARR at horizon", Money, true, "Second-order ARR at horizon", "second-order ARR", "Second-order ARR", AtEnd,
		"ARR at the horizon of referred logos and champion moves"},
	{SecondOrderValuation, "Second-order share of valuation", Money, true, "Second-order share of valuation", "second-order valuation", "Second-order share of valuation", AtEnd,
		"the valuation's share of second-order ARR"},
	{Valuation, "Valuation", Money, true, "Valuation at horizon", "valuation", "Valuation", AtEnd,
		"the business's value at the horizon by the scenario's method"},
	{DCFValue, "DCF value", Money, true, "DCF value at horizon", "DCF value", "DCF value", AtEnd,
		"free cash flow to the horizon with interest, plus the value then of later free cash flow"},
}

// Series keys.
const (
	SeriesMRR                = "mrr"
	SeriesARR                = "arr"
	SeriesLogos              = "logos"
	SeriesRevenueCum         = "revenue_cum"
	SeriesNewMRR             = "new_mrr"
	SeriesExpansionMRR       = "expansion_mrr"
	SeriesPriceMRR           = "price_increase_mrr"
	SeriesContractionMRR     = "contraction_mrr"
	SeriesChurnedMRR         = "churned_mrr"
	SeriesNRR                = "nrr"
	SeriesGRR                = "grr"
	SeriesHoursNeeded        = "hours_needed"
	SeriesHoursAvailable     = "hours_available"
	SeriesUtilisation        = "utilisation"
	SeriesCoverage           = "coverage"
	SeriesCoverageBelow50    = "coverage_below_50"
	SeriesCSMs               = "csms"
	SeriesAccountsPerCSM     = "accounts_per_csm"
	SeriesCSCost             = "cs_cost"
	SeriesGrossProfit        = "gross_profit"
	SeriesAcquisitionCost    = "acquisition_cost"
	SeriesExpansionCost      = "expansion_cost"
	SeriesContribution       = "contribution"
	SeriesFreeCashFlow       = "free_cash_flow"
	SeriesBillings           = "billings"
	SeriesCashFlowCum        = "cash_flow_cum"
	SeriesGrossProfitCumDiff = "gross_profit_cum_diff"
)

// Series are the monthly series, in the order every document shows them.
// Their Noun, Short and Title are their Label; their When is the month.
var Series = []Quantity{
	{Key: SeriesARR, Label: "ARR", Unit: Money, HigherIsBetter: true, Noun: "ARR", Short: "ARR", Title: "ARR", Description: "annual recurring revenue: 12 × MRR"},
	{Key: SeriesMRR, Label: "MRR", Unit: Money, HigherIsBetter: true, Noun: "MRR", Short: "MRR", Title: "MRR", Description: "monthly recurring revenue at the end of the month"},
	{Key: SeriesLogos, Label: "Customers", Unit: Count, HigherIsBetter: true, Noun: "Customers", Short: "Customers", Title: "Customers", Description: "active accounts"},
	{Key: SeriesCSCost, Label: "CS cost", Unit: Money, HigherIsBetter: false, Noun: "CS cost", Short: "CS cost", Title: "CS cost", Description: "salaries of the CSMs employed and hiring cost"},
	{Key: SeriesRevenueCum, Label: "Cumulative revenue", Unit: Money, HigherIsBetter: true, Noun: "Cumulative revenue", Short: "Cumulative revenue", Title: "Cumulative revenue", Description: "revenue from month 1 to the month"},
	{Key: SeriesNewMRR, Label: "New MRR", Unit: Money, HigherIsBetter: true, Noun: "New MRR", Short: "New MRR", Title: "New MRR", Description: "MRR of the new logos that joined in the month"},
	{Key: SeriesExpansionMRR, Label: "Expansion MRR", Unit: Money, HigherIsBetter: true, Noun: "Expansion MRR", Short: "Expansion MRR", Title: "Expansion MRR", Description: "MRR added by price increases and upsells in the month"},
	{Key: SeriesPriceMRR, Label: "Price-increase MRR", Unit: Money, HigherIsBetter: true, Noun: "Price-increase MRR", Short: "Price-increase MRR", Title: "Price-increase MRR", Description: "the part of expansion MRR from price increases in the month"},
	{Key: SeriesContractionMRR, Label: "Contraction MRR", Unit: Money, HigherIsBetter: false, Noun: "Contraction MRR", Short: "Contraction MRR", Title: "Contraction MRR", Description: "MRR lost to contraction in the month"},
	{Key: SeriesChurnedMRR, Label: "Churned MRR", Unit: Money, HigherIsBetter: false, Noun: "Churned MRR", Short: "Churned MRR", Title: "Churned MRR", Description: "MRR of the accounts that churned in the month"},
	{Key: SeriesNRR, Label: "NRR, trailing 12 months", Unit: Rate, HigherIsBetter: true, Noun: "NRR, trailing 12 months", Short: "NRR, trailing 12 months", Title: "NRR, trailing 12 months", Description: "net revenue retention over the 12 months to the month"},
	{Key: SeriesGRR, Label: "GRR, trailing 12 months", Unit: Rate, HigherIsBetter: true, Noun: "GRR, trailing 12 months", Short: "GRR, trailing 12 months", Title: "GRR, trailing 12 months", Description: "gross revenue retention over the 12 months to the month"},
	{Key: SeriesGrossProfit, Label: "Gross profit", Unit: Money, HigherIsBetter: true, Noun: "Gross profit", Short: "Gross profit", Title: "Gross profit", Description: "revenue × margin less cost to serve and CS cost"},
	{Key: SeriesAcquisitionCost, Label: "Acquisition cost", Unit: Money, HigherIsBetter: false, Noun: "Acquisition cost", Short: "Acquisition cost", Title: "Acquisition cost", Description: "sales and marketing cost of the month's new logos"},
	{Key: SeriesExpansionCost, Label: "Expansion and upsell cost", Unit: Money, HigherIsBetter: false, Noun: "Expansion and upsell cost", Short: "Expansion and upsell cost", Title: "Expansion and upsell cost", Description: "cost of the ARR added by price increases and upsells"},
	{Key: SeriesContribution, Label: "Contribution", Unit: Money, HigherIsBetter: true, Noun: "Contribution", Short: "Contribution", Title: "Contribution", Description: "gross profit less acquisition and expansion cost"},
	{Key: SeriesFreeCashFlow, Label: "Free cash flow (accrual)", Unit: Money, HigherIsBetter: true, Noun: "Free cash flow", Short: "Free cash flow", Title: "Free cash flow", Description: "contribution less operating cost and tax, revenue counted when earned"},
	{Key: SeriesBillings, Label: "Billings", Unit: Money, HigherIsBetter: true, Noun: "Billings", Short: "Billings", Title: "Billings", Description: "what the month's bills ask of customers, by their billing terms (cash in)"},
	{Key: SeriesCashFlowCum, Label: "Cumulative cash flow", Unit: Money, HigherIsBetter: true, Noun: "Cumulative cash flow", Short: "Cumulative cash flow", Title: "Cumulative cash flow", Description: "free cash flow from month 1 to the month with revenue counted when billed"},
	{Key: SeriesGrossProfitCumDiff, Label: "Cumulative gross profit against the baseline", Unit: Money, HigherIsBetter: true, Noun: "Cumulative gross profit against the baseline", Short: "Cumulative gross profit, option − baseline", Title: "Cumulative gross profit against the baseline", Description: "gross profit from month 1 to the month, less the baseline's in the same trial (0 for the baseline)"},
	{Key: SeriesHoursNeeded, Label: "CSM hours needed", Unit: Number, HigherIsBetter: false, Noun: "CSM hours needed", Short: "CSM hours needed", Title: "CSM hours needed", Description: "hours the served accounts' touch models ask for"},
	{Key: SeriesHoursAvailable, Label: "CSM hours available", Unit: Number, HigherIsBetter: true, Noun: "CSM hours available", Short: "CSM hours available", Title: "CSM hours available", Description: "productive hours of the team"},
	{Key: SeriesUtilisation, Label: "Utilisation of CSM hours", Unit: Rate, HigherIsBetter: true, Noun: "Utilisation of CSM hours", Short: "Utilisation of CSM hours", Title: "Utilisation of CSM hours", Description: "hours used over hours available"},
	{Key: SeriesCoverage, Label: "Mean CSM coverage", Unit: Rate, HigherIsBetter: true, Noun: "Mean CSM coverage", Short: "Mean CSM coverage", Title: "Mean CSM coverage", Description: "the served accounts' mean share of the hours they need"},
	{Key: SeriesCoverageBelow50, Label: "Accounts under 50 % coverage", Unit: Rate, HigherIsBetter: false, Noun: "Accounts under 50 % coverage", Short: "Accounts under 50 % coverage", Title: "Accounts under 50 % coverage", Description: "share of served accounts with less than half their hours"},
	{Key: SeriesCSMs, Label: "CSMs", Unit: Number, HigherIsBetter: true, Noun: "CSMs", Short: "CSMs", Title: "CSMs", Description: "CSMs employed"},
	{Key: SeriesAccountsPerCSM, Label: "Served accounts per CSM", Unit: Number, HigherIsBetter: false, Noun: "Served accounts per CSM", Short: "Served accounts per CSM", Title: "Served accounts per CSM", Description: "served accounts over CSMs employed"},
}

// MetricByKey returns the catalogue entry of a metric; a segment's CLV
// ("clv_" + name) is described as the CLV. ok is false for an unknown key.
func MetricByKey(key string) (q Quantity, ok bool) {
	for _, m := range Metrics {
		if m.Key == key {
			return m, true
		}
	}
	if len(key) > len(CLVPrefix) && key[:len(CLVPrefix)] == CLVPrefix {
		for _, m := range Metrics {
			if m.Key == CLV {
				m.Key = key
				return m, true
			}
		}
	}
	return Quantity{}, false
}

// SeriesByKey returns the catalogue entry of a series.
func SeriesByKey(key string) (q Quantity, ok bool) {
	for _, s := range Series {
		if s.Key == key {
			return s, true
		}
	}
	return Quantity{}, false
}

// HigherIsBetter says which way a metric is better; an unknown one counts
// as higher.
func HigherIsBetter(metric string) bool {
	q, ok := MetricByKey(metric)
	return !ok || q.HigherIsBetter
}
