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
	Label string // for people: "ARR at horizon"
	Unit  Unit
	// HigherIsBetter says which way is better when options are compared:
	// more of everything, except cost.
	HigherIsBetter bool
	Description    string
}

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
	Valuation            = "valuation"
	SecondOrderARR       = "second_order_arr"
	SecondOrderValuation = "second_order_valuation"
	// CLVPrefix starts the key of a segment's CLV: "clv_" + segment name.
	CLVPrefix = "clv_"
)

// Metrics are the per-trial metrics, in the order of results.json and of
// every document.
var Metrics = []Quantity{
	{ARREnd, "ARR at horizon", Money, true, "annual recurring revenue (12 × MRR) in the last month"},
	{RevenueTotal, "Total revenue", Money, true, "the sum of the monthly revenue over the horizon"},
	{NRR12m, "NRR, last 12 months", Rate, true, "net revenue retention over the last 12 months"},
	{GRR12m, "GRR, last 12 months", Rate, true, "gross revenue retention over the last 12 months"},
	{LogosEnd, "Customers at horizon", Count, true, "active accounts in the last month"},
	{CSCostTotal, "CS cost, total", Money, false, "CS team cost over the horizon: salaries and hiring"},
	{CoverageMean, "Mean CSM coverage", Rate, true, "mean over the months of the served accounts' mean coverage"},
	{GrossProfitTotal, "Gross profit, total", Money, true, "revenue × margin less cost to serve and CS cost, over the horizon"},
	{AcquisitionCostTotal, "Acquisition cost, total", Money, false, "sales and marketing cost of the new logos over the horizon"},
	{ContributionTotal, "Contribution, total", Money, true, "gross profit less acquisition and expansion cost, over the horizon"},
	{RetentionCostRatio, "Retention cost ratio", Rate, false, "(CS cost + cost to serve) / revenue over the horizon"},
	{CLV, "Customer lifetime value", Money, true, "mean discounted margin per account, the horizon and beyond"},
	{Valuation, "Valuation", Money, true, "the business's value at the horizon by the scenario's method"},
	{SecondOrderARR, "Second-order ARR at horizon", Money, true, "ARR at the horizon of referred logos and champion moves"},
	{SecondOrderValuation, "Second-order share of valuation", Money, true, "the valuation's share of second-order ARR"},
}

// Series keys.
const (
	SeriesMRR             = "mrr"
	SeriesARR             = "arr"
	SeriesLogos           = "logos"
	SeriesRevenueCum      = "revenue_cum"
	SeriesNewMRR          = "new_mrr"
	SeriesExpansionMRR    = "expansion_mrr"
	SeriesContractionMRR  = "contraction_mrr"
	SeriesChurnedMRR      = "churned_mrr"
	SeriesNRR             = "nrr"
	SeriesGRR             = "grr"
	SeriesHoursNeeded     = "hours_needed"
	SeriesHoursAvailable  = "hours_available"
	SeriesUtilisation     = "utilisation"
	SeriesCoverage        = "coverage"
	SeriesCoverageBelow50 = "coverage_below_50"
	SeriesCSMs            = "csms"
	SeriesAccountsPerCSM  = "accounts_per_csm"
	SeriesCSCost          = "cs_cost"
	SeriesGrossProfit     = "gross_profit"
	SeriesAcquisitionCost = "acquisition_cost"
	SeriesExpansionCost   = "expansion_cost"
	SeriesContribution    = "contribution"
	SeriesCashFlowCum     = "cash_flow_cum"
)

// Series are the monthly series, in the order of results.json.
var Series = []Quantity{
	{SeriesMRR, "MRR", Money, true, "monthly recurring revenue at the end of the month"},
	{SeriesARR, "ARR", Money, true, "12 × MRR"},
	{SeriesLogos, "Customers", Count, true, "active accounts"},
	{SeriesRevenueCum, "Cumulative revenue", Money, true, "revenue from month 1 to the month"},
	{SeriesNewMRR, "New MRR", Money, true, "MRR of the new logos that joined in the month"},
	{SeriesExpansionMRR, "Expansion MRR", Money, true, "MRR added by price increases and upsells in the month"},
	{SeriesContractionMRR, "Contraction MRR", Money, false, "MRR lost to contraction in the month"},
	{SeriesChurnedMRR, "Churned MRR", Money, false, "MRR of the accounts that churned in the month"},
	{SeriesNRR, "NRR, trailing 12 months", Rate, true, "net revenue retention over the 12 months to the month"},
	{SeriesGRR, "GRR, trailing 12 months", Rate, true, "gross revenue retention over the 12 months to the month"},
	{SeriesHoursNeeded, "CSM hours needed", Number, false, "hours the served accounts' touch models ask for"},
	{SeriesHoursAvailable, "CSM hours available", Number, true, "productive hours of the team"},
	{SeriesUtilisation, "Utilisation of CSM hours", Rate, true, "hours used over hours available"},
	{SeriesCoverage, "Mean CSM coverage", Rate, true, "the served accounts' mean share of the hours they need"},
	{SeriesCoverageBelow50, "Accounts under 50 % coverage", Rate, false, "share of served accounts with less than half their hours"},
	{SeriesCSMs, "CSMs", Number, true, "CSMs employed"},
	{SeriesAccountsPerCSM, "Served accounts per CSM", Number, false, "served accounts over CSMs employed"},
	{SeriesCSCost, "CS cost", Money, false, "salaries of the CSMs employed and hiring cost"},
	{SeriesGrossProfit, "Gross profit", Money, true, "revenue × margin less cost to serve and CS cost"},
	{SeriesAcquisitionCost, "Acquisition cost", Money, false, "sales and marketing cost of the month's new logos"},
	{SeriesExpansionCost, "Expansion and upsell cost", Money, false, "cost of the ARR added by price increases and upsells"},
	{SeriesContribution, "Contribution", Money, true, "gross profit less acquisition and expansion cost"},
	{SeriesCashFlowCum, "Cumulative cash flow", Money, true, "contribution from month 1 to the month"},
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
