package sim

import "math"

// econ are a trial's economic assumptions, drawn once per trial.
type econ struct {
	margin, costToServe float64 // gross margin before CS; other cost to serve, both shares of revenue
	cac                 float64 // per $ of new ARR, or per logo
	cacPerLogo          bool
	cec, cuc            float64 // cost per $ of ARR from price increases and from upsell
	discount            float64 // annual
	val                 *Valuation
	base, perNRR        float64 // ARR multiple
	perGrowth           float64
	terminalGrowth      float64 // DCF
	exitMultiple        float64
}

func drawEconomics(m *Model, d *drawer) econ {
	e := &m.Economics
	v := &m.Valuation
	return econ{
		margin: d.draw(e.GrossMarginExCS), costToServe: d.draw(e.CostToServe),
		cac: d.draw(e.CAC), cacPerLogo: e.CACBasis == PerLogo,
		cec: d.draw(e.ExpansionCostRatio), cuc: d.draw(e.UpsellCostRatio), discount: d.draw(e.DiscountRate),
		val: v, base: d.draw(v.Base), perNRR: d.draw(v.PerNRRPoint), perGrowth: d.draw(v.PerGrowthPoint),
		terminalGrowth: d.draw(v.TerminalGrowth), exitMultiple: d.draw(v.ExitMultiple),
	}
}

// summariseFinance adds the month's profit and loss and the valuation at
// the horizon, from the series already summarised:
//
//	gross profit  = revenue × (gross margin before CS − cost to serve) − CS team cost
//	acquisition   = CAC ratio × new ARR, or CAC per logo × new logos
//	expansion     = CEC × ARR added by price increases + CUC × ARR added by upsell
//	contribution  = gross profit − acquisition − expansion cost
//	cash flow     = contribution, accumulated
//
// The retention cost ratio is (CS team cost + cost to serve) / revenue over
// the horizon.
func (w *worker) summariseFinance(series *[numSeries][]float64, metrics *[numMetrics]float64) {
	h := w.b.h
	e := &w.econ
	var gross, acquisition, contribution, cash, csCost float64
	for mo := 1; mo <= h; mo++ {
		revenue := series[sMRR][mo]
		gp := revenue*(e.margin-e.costToServe) - w.team.cost[mo]
		acq := e.cac * 12 * w.b.newM[mo]
		if e.cacPerLogo {
			acq = e.cac * w.b.joins[mo]
		}
		price := w.b.priceM[mo]
		exp := 12 * (e.cec*price + e.cuc*(series[sExpansionMRR][mo]-price))
		c := gp - acq - exp
		cash += c
		series[sGrossProfit][mo] = gp
		series[sAcquisitionCost][mo] = acq
		series[sExpansionCost][mo] = exp
		series[sContribution][mo] = c
		series[sCashFlowCum][mo] = cash
		gross += gp
		acquisition += acq
		contribution += c
		csCost += w.team.cost[mo]
	}
	metrics[mGrossProfitTotal] = gross
	metrics[mAcquisitionCostTotal] = acquisition
	metrics[mContributionTotal] = contribution
	if rev := metrics[mRevenueTotal]; rev > 0 {
		metrics[mRetentionCostRatio] = (csCost + e.costToServe*rev) / rev
	}
	metrics[mValuation] = w.valuation(series, metrics)
}

// valuation values the business at the horizon by the scenario's method.
//
// ARR multiple: multiple × ARR at the horizon, the multiple being base +
// per_nrr_point × (NRR − reference NRR) + per_growth_point × (growth −
// reference growth), in points (0.01), or read from the table by NRR, and
// never below min. NRR is the last 12 months'; growth is ARR's over the
// last 12 months (annualised over the horizon when it is shorter).
//
// DCF: the monthly contributions discounted at the monthly rate equivalent
// to the annual discount rate, plus a terminal value at the horizon,
// discounted too: Gordon growth, the last month's contribution × 12 ×
// (1 + g) / (r − g); or an exit multiple of ARR.
//
// Customer-based valuation is not in the engine yet: it gives 0 and the
// results carry a warning.
func (w *worker) valuation(series *[numSeries][]float64, metrics *[numMetrics]float64) float64 {
	e := &w.econ
	h := w.b.h
	arr := series[sARR][h]
	switch e.val.Method {
	case ARRMultiple:
		return arrMultiple(e, metrics[mNRR], arrGrowth(series[sARR], h)) * arr
	case DCF:
		monthly := math.Pow(1+e.discount, 1.0/12) - 1
		pv, f := 0.0, 1.0
		for mo := 1; mo <= h; mo++ {
			f /= 1 + monthly
			pv += series[sContribution][mo] * f
		}
		tv := e.exitMultiple * arr
		if e.val.Terminal == Gordon {
			tv = 12 * series[sContribution][h] * (1 + e.terminalGrowth) / (e.discount - e.terminalGrowth)
		}
		return pv + tv*f
	}
	return 0
}

// arrMultiple is the ARR multiple at the given NRR and annual ARR growth.
func arrMultiple(e *econ, nrr, growth float64) float64 {
	v := e.val
	m := e.base + 100*e.perNRR*(nrr-v.ReferenceNRR) + 100*e.perGrowth*(growth-v.ReferenceGrowth)
	if len(v.Table.X) > 0 {
		m = v.Table.At(nrr)
	}
	return max(m, v.MinMultiple)
}

// arrGrowth is ARR's growth over the last 12 months, or annualised over the
// horizon when it is shorter; 0 without a starting ARR.
func arrGrowth(arr []float64, h int) float64 {
	back := min(12, h)
	if arr[h-back] <= 0 {
		return 0
	}
	g := arr[h] / arr[h-back]
	return math.Pow(g, 12/float64(back)) - 1
}
