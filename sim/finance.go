package sim

import "math"

// econ are a trial's economic assumptions, drawn once per trial.
type econ struct {
	margin, costToServe float64 // gross margin before CS; other cost to serve, both shares of revenue
	cac                 float64 // per $ of new ARR, or per logo
	cacPerLogo          bool
	cec, cuc            float64 // cost per $ of ARR from price increases and from upsell
	upsellOnTop         bool    // CUC also on upsell in segments a CS team serves
	referralCAC         float64 // share of CAC a referred logo costs
	discount            float64 // annual
	opexRatio, opex     float64 // operating cost: share of revenue, and a month's amount
	opexOfOpening       bool    // the share is of the opening book's revenue
	tax                 float64 // on a month's positive profit
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
		upsellOnTop: e.UpsellCostOnTop,
		referralCAC: d.draw(e.ReferralCACFactor),
		opexRatio:   d.draw(e.OperatingCostRatio), opex: d.draw(e.OperatingCostMonthly), tax: d.draw(e.TaxRate),
		opexOfOpening: e.OperatingCostOfOpening,
		val:           v, base: d.draw(v.Base), perNRR: d.draw(v.PerNRRPoint), perGrowth: d.draw(v.PerGrowthPoint),
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
//	free cash flow = contribution − operating cost − tax on positive profit
//	cash flow     = free cash flow − revenue + billings, accumulated
//
// All but the cash flow on an accrual basis: revenue in the month it is
// earned. The cash flow counts revenue when it is billed (billing terms),
// every cost when it is incurred.
// The retention cost ratio is (CS team cost + cost to serve) / revenue over
// the horizon.
func (w *worker) summariseFinance(series *[numSeries][]float64, metrics *[numMetrics]float64) {
	h := w.b.h
	e := &w.econ
	var gross, acquisition, contribution, cash, csCost float64
	for mo := 1; mo <= h; mo++ {
		revenue := series[sMRR][mo]
		gp := revenue*(e.margin-e.costToServe) - series[sCSCost][mo]
		// Referred logos and champion moves cost a share of normal CAC.
		direct, referred := w.b.newM[mo]-w.b.refM[mo], w.b.refM[mo]
		acq := e.cac * 12 * (direct + e.referralCAC*referred)
		if e.cacPerLogo {
			acq = e.cac * (w.b.joins[mo] - w.b.refN[mo] + e.referralCAC*w.b.refN[mo])
		}
		price := w.b.priceM[mo]
		upsell := series[sExpansionMRR][mo] - price
		if !e.upsellOnTop {
			upsell -= w.b.upSal[mo] // the CSMs' salaries pay for it
		}
		exp := 12 * (e.cec*price + e.cuc*upsell)
		c := gp - acq - exp
		base := revenue
		if e.opexOfOpening {
			base = series[sMRR][0]
		}
		fcf := e.freeCashFlow(c, base)
		cash += fcf - revenue + series[sBillings][mo]
		series[sGrossProfit][mo] = gp
		series[sAcquisitionCost][mo] = acq
		series[sExpansionCost][mo] = exp
		series[sContribution][mo] = c
		series[sFreeCashFlow][mo] = fcf
		series[sCashFlowCum][mo] = cash
		gross += gp
		acquisition += acq
		contribution += c
		csCost += series[sCSCost][mo]
	}
	metrics[mGrossProfitTotal] = gross
	metrics[mAcquisitionCostTotal] = acquisition
	metrics[mContributionTotal] = contribution
	if rev := metrics[mRevenueTotal]; rev > 0 {
		metrics[mRetentionCostRatio] = (csCost + e.costToServe*rev) / rev
	}
	w.clv(series, metrics)
	metrics[mValuation] = w.valuation(series, metrics)
	switch {
	case e.val.Method == DCF:
		metrics[mDCFValue] = metrics[mValuation]
	case e.val.DCFBeside:
		metrics[mDCFValue] = w.dcf(series)
	}

	// Second-order revenue on its own: the ARR at the horizon of referred
	// logos and champion moves, and their share of the valuation (by their
	// share of ARR).
	so := 0.0
	for mo := 0; mo <= h; mo++ {
		so += w.b.soMRR[mo]
	}
	metrics[mSecondOrderARR] = 12 * so
	if arr := series[sARR][h]; arr > 0 {
		metrics[mSecondOrderValuation] = metrics[mValuation] * 12 * so / arr
	}
}

// payback compares option k's gross profit in the trial just summarised
// with the baseline's in the same trial (k = 0 is the baseline, run first):
// it fills the series of the cumulative difference, and returns the payback
// month, the first month from which the cumulative difference stays above
// 0 to the horizon, or 0 when it is not above 0 at the horizon (never). An
// option ahead from month 1 pays back in month 1.
func (w *worker) payback(k int, series *[numSeries][]float64) float64 {
	h := w.b.h
	gp, diff := series[sGrossProfit], series[sGrossProfitCumDiff]
	if k == 0 {
		w.baseGP = append(w.baseGP[:0], 0)
		for mo := 1; mo <= h; mo++ {
			w.baseGP = append(w.baseGP, w.baseGP[mo-1]+gp[mo])
		}
		clear(diff)
		return 0
	}
	cum := 0.0
	for mo := 1; mo <= h; mo++ {
		cum += gp[mo]
		diff[mo] = cum - w.baseGP[mo]
	}
	diff[0] = 0
	month := 0
	for mo := h; mo >= 1 && diff[mo] > 0; mo-- {
		month = mo
	}
	return float64(month)
}

// numLegs are the legs of the gross-profit bridge, in the order of the
// mBridge metrics.
const numLegs = mBridgeCSCost - mBridgeOpening + 1

// bridge splits option k's gross profit over the horizon, in the trial
// just summarised, into legs, and sets the metrics mBridge... to each leg
// less the baseline's in the same trial (k = 0, run first, sets none).
// Revenue over months 1..h is h × the opening MRR plus, for every flow of
// MRR in month j (new logos, upsell, price increases, less contraction and
// churn), the flow × (h − j + 1), the months it is earned; each times the
// trial's margin (gross margin before CS less cost to serve) and the CS
// cost are the legs, which add up to the gross profit exactly. New logos
// from referrals and champion moves are a leg apart (second order), and so
// are price increases from the rest of expansion (upsell).
func (w *worker) bridge(k int, series *[numSeries][]float64, metrics *[numMetrics]float64) {
	h := w.b.h
	m := w.econ.margin - w.econ.costToServe
	var legs [numLegs]float64
	legs[0] = m * float64(h) * series[sMRR][0]
	for j := 1; j <= h; j++ {
		months := m * float64(h-j+1)
		referred := w.b.refM[j]
		legs[1] += months * (series[sNewMRR][j] - referred)
		legs[2] += months * referred
		legs[3] += months * (series[sExpansionMRR][j] - w.b.priceM[j])
		legs[4] += months * w.b.priceM[j]
		legs[5] -= months * series[sContractionMRR][j]
		legs[6] -= months * series[sChurnedMRR][j]
		legs[7] -= series[sCSCost][j]
	}
	if k == 0 {
		w.baseLegs = legs
		return
	}
	for i, v := range legs {
		metrics[int(mBridgeOpening)+i] = v - w.baseLegs[i]
	}
}

// freeCashFlow is a month's contribution less operating cost (a share of
// base, the month's revenue or the opening book's, and an amount) and less
// tax on what remains when it is positive: a month's loss pays no tax and
// carries nothing forward.
func (e *econ) freeCashFlow(contribution, base float64) float64 {
	pre := contribution - e.opexRatio*base - e.opex
	return pre - e.tax*max(pre, 0)
}

// TextbookCLV is the steady-state CLV of an account of s by the textbook
// formula, at the inputs' means: its ARR (the segment's mean ACV, or its
// accounts' mean) times its margin (gross margin before CS less cost to
// serve), over the years it stays at a constant annual churn c, discounted
// at d a year with payments at the start of each: ARR × margin × (1 + d) /
// (d + c), ARR × margin / c without discounting. The annual churn is the
// stated rate, or under sBG a new account's, α / (α + β) a period; by
// tenure, the constant rate with the same expected lifetime (one over it,
// see tableLifetime); 0 when nothing churns (the value is then unbounded:
// +Inf without discounting).
func TextbookCLV(s *Segment, e *Economics) float64 {
	d := drawer{expected: true}
	arr := 0.0
	switch {
	case len(s.Accounts) > 0:
		for _, a := range s.Accounts {
			arr += 12 * a.MRR / float64(len(s.Accounts))
		}
	case s.ACV != nil:
		arr = s.ACV.Mean()
	}
	margin := d.draw(e.GrossMarginExCS) - d.draw(e.CostToServe)
	period := max(1, s.TermMonths)
	if s.Churn.Timing == Hazard {
		period = 1
	}
	var perPeriod float64
	if sbg := s.Churn.SBG; sbg != nil {
		a, b := d.draw(sbg.Alpha), d.draw(sbg.Beta)
		perPeriod = a / (a + b)
	} else if t := s.Churn.Tenure; t != nil {
		perPeriod = 1 / tableLifetime(s, d.draw(t.Scale))
	} else {
		months := max(1, s.Churn.RateMonths)
		perPeriod = 1 - math.Pow(1-d.draw(s.Churn.Rate), float64(period)/float64(months))
	}
	churn := 1 - math.Pow(1-perPeriod, 12/float64(period))
	disc := d.draw(e.DiscountRate)
	if disc+churn == 0 {
		return math.Inf(1)
	}
	return arr * margin * (1 + disc) / (disc + churn)
}

// tableLifetime is a new account's expected lifetime in periods under
// segment s's by-tenure table at scale: Σ_{t≥0} S(t), the table's entries
// in turn and then its last for ever, whose geometric tail is S(n − 1)/p_n;
// +Inf when the last entry is 0.
func tableLifetime(s *Segment, scale float64) float64 {
	r := segRun{seg: s, segInputs: segInputs{table: true, tableScale: scale}}
	n := len(s.Churn.Tenure.Periods)
	sum, surv := 0.0, 1.0
	for k := 1; k < n; k++ {
		sum += surv
		surv *= 1 - r.tableChurn(k)
	}
	last := r.tableChurn(n)
	if last == 0 {
		return math.Inf(1)
	}
	return sum + surv/last
}

// tailMonths bounds the lifetime counted beyond the horizon: 20 years.
const tailMonths = 240

// clv is the customer lifetime value of the book and its new logos, and
// each segment's gross profit over the horizon (segGP, its undiscounted
// margin with its share of the CS cost): each
// segment's margin, revenue × (gross margin before CS − cost to serve) less
// its share of the CS team cost (by MRR among served segments), discounted
// monthly at the annual discount rate over the horizon, plus the tail: the
// margin of the accounts left at the horizon over their expected remaining
// lifetime (see tailFactor), discounted to today. The metric is the mean
// per account (opening book and new logos); the same split by the opening
// book and the new logos gives the CLV of each, from the new logos' own MRR.
// The book's residual value at the horizon (the tail, undiscounted) is kept
// for customer-based valuation.
func (w *worker) clv(series *[numSeries][]float64, metrics *[numMetrics]float64) {
	h := w.b.h
	e := &w.econ
	d := math.Pow(1+e.discount, -1.0/12) // monthly discount factor
	level, newLevel := w.segLevels()
	var total, newValue, residual, accounts, newAccounts float64
	w.segCLV, w.segGP = w.segCLV[:0], w.segGP[:0]
	for i := range w.segs {
		r := &w.segs[i]
		f := 1.0
		margin, newMargin, value, nv, n, gp := 0.0, 0.0, 0.0, 0.0, r.accounts, 0.0
		for mo := 1; mo <= h; mo++ {
			f *= d
			margin = w.segMargin(r, level, i, mo, level[i][mo])
			newMargin = w.segMargin(r, level, i, mo, newLevel[i][mo])
			value += f * margin
			nv += f * newMargin
			gp += margin
		}
		w.segGP = append(w.segGP, gp)
		tf := r.tailFactor(e.discount, h)
		tail := margin * tf
		residual += tail
		value += f * tail
		nv += f * newMargin * tf
		total += value
		newValue += nv
		accounts += n
		newAccounts += r.newAccounts
		perAccount := math.NaN() // no account in the trial: no CLV per account
		if n > 0 {
			perAccount = value / n
		}
		w.segCLV = append(w.segCLV, perAccount)
	}
	if accounts > 0 {
		metrics[mCLV] = total / accounts
	}
	metrics[mCLVBook], metrics[mCLVNew] = math.NaN(), math.NaN() // see mayBeUndefined
	if book := accounts - newAccounts; book > 0 {
		metrics[mCLVBook] = (total - newValue) / book
	}
	if newAccounts > 0 {
		metrics[mCLVNew] = newValue / newAccounts
	}
	w.bookValue = residual
}

// segLevels returns each segment's MRR by month, and that of its new logos.
func (w *worker) segLevels() (all, newLogos [][]float64) {
	for len(w.levels) < 2*len(w.segs) {
		w.levels = append(w.levels, make([]float64, w.b.h+1))
	}
	n := len(w.segs)
	for i := range w.segs {
		r := &w.segs[i]
		lv, nl := w.levels[i], w.levels[n+i]
		m, nm := 0.0, 0.0
		for mo := range lv {
			m += r.mrrD[mo]
			nm += r.newD[mo]
			lv[mo] = m + r.mrrLevel[mo]
			nl[mo] = nm + r.newLevel[mo]
		}
	}
	return w.levels[:n], w.levels[n : 2*n]
}

// segMargin is the margin in month mo of MRR x of segment i: x × (gross
// margin before CS − cost to serve), less x's share of the cost of the pool
// that serves the segment, by MRR among the segments it serves (level).
func (w *worker) segMargin(r *segRun, level [][]float64, i, mo int, x float64) float64 {
	e := &w.econ
	m := x * (e.margin - e.costToServe)
	cost := w.teams[r.pool].cost[mo] // of the pool that serves it
	if !r.served() || cost == 0 {
		return m
	}
	served := 0.0
	for j := range w.segs {
		if w.segs[j].served() && w.segs[j].pool == r.pool {
			served += level[j][mo]
		}
	}
	if served > 0 {
		m -= cost * x / served
	}
	return m
}

// tailFactor is the discounted value, in months of today's margin, of an
// account of the segment that is still a customer at the horizon:
// Σ_{k=1..240} d^k · S(k) · G(k), with d the monthly discount factor, S its
// survival over k more months and G its expected growth. A period's churn is
// spread evenly over its months. An sBG segment's survivors are taken to
// have survived the horizon's periods (n), so the i-th period after the
// horizon has the hazard α/(α + β + n + i − 1) of the sBG model; a
// by-tenure segment's, its table's (n + i)-th entry at the model's
// coverage. Growth is
// the price increase per term and the expected upsell and contraction per
// opportunity, as monthly rates.
func (r *segRun) tailFactor(discount float64, horizon int) float64 {
	d := math.Pow(1+discount, -1.0/12)
	step := float64(r.churnStep)
	growth := math.Pow(1+r.priceInc, 1/float64(r.pricePeriod))
	every := func(e int) float64 {
		if e == 0 {
			return float64(r.term)
		}
		return float64(e)
	}
	if r.upSize != nil {
		growth *= math.Pow(1+r.upQ*r.upSize.Mean(), 1/every(r.upEvery))
	}
	if r.coSize != nil {
		growth *= math.Pow(1-r.coQ*r.coSize.Mean(), 1/every(r.coEvery))
	}
	periods := math.Floor(float64(horizon) / step)
	monthly := math.Pow(math.Exp(r.logKeep), 1/step) // rate churn
	sum, f, g, surv := 0.0, 1.0, 1.0, 1.0
	for k := 1; k <= tailMonths; k++ {
		if (r.sbg || r.table) && (k-1)%r.churnStep == 0 { // a new period: its hazard
			i := math.Ceil(float64(k) / step)
			if r.table {
				p, _ := r.tableHazard(int(periods+i), r.churnMult)
				monthly = math.Pow(1-p, 1/step)
			} else {
				monthly = math.Pow(1-r.alpha/(r.alpha+r.beta+periods+i-1), 1/step)
			}
		}
		f *= d
		g *= growth
		surv *= monthly
		sum += f * surv * g
	}
	return sum
}

// valuation values the business at the horizon by the scenario's method.
//
// ARR multiple: multiple × ARR at the horizon, the multiple being base +
// per_nrr_point × (NRR − reference NRR) + per_growth_point × (growth −
// reference growth), in points (0.01), or read from the table by NRR, and
// never below min. NRR is the last 12 months'; growth is ARR's over the
// last 12 months (annualised over the horizon when it is shorter).
//
// DCF: see dcf.
//
// Customer-based: the residual value of the accounts at the horizon (their
// margins over their expected remaining lifetimes, see clv) plus, when
// future cohorts are counted, the value of 20 more years of new logos at
// the last month's rate: each worth its margin over its expected lifetime
// less its acquisition cost, the cohorts discounted monthly.
func (w *worker) valuation(series *[numSeries][]float64, metrics *[numMetrics]float64) float64 {
	e := &w.econ
	h := w.b.h
	arr := series[sARR][h]
	switch e.val.Method {
	case ARRMultiple:
		return arrMultiple(e, annualNRR(metrics[mNRR], h), arrGrowth(series[sARR], h)) * arr
	case DCF:
		return w.dcf(series)
	case CustomerBased:
		v := w.bookValue
		if e.val.FutureCohorts {
			v += w.futureCohorts(h)
		}
		return v
	}
	return 0
}

// dcf values the business at the horizon, as every method does, by its
// free cash flows: each month's, carried to the horizon at the monthly rate
// equivalent to the annual discount rate (the value of the cash the
// business has made by then), plus the terminal value at the horizon: Gordon
// growth on the last month's free cash flow, 12 × FCF × (1 + g) / (r − g),
// or an exit multiple of ARR. Today's value is this discounted by
// (1 + r)^(horizon / 12). A trial whose rate is not above the growth (a
// break-even search may move it there) has no Gordon value; its terminal
// value is then 0.
func (w *worker) dcf(series *[numSeries][]float64) float64 {
	e := &w.econ
	h := w.b.h
	monthly := math.Pow(1+e.discount, 1.0/12) - 1
	fv := 0.0
	for mo := 1; mo <= h; mo++ {
		fv = fv*(1+monthly) + series[sFreeCashFlow][mo]
	}
	tv := e.exitMultiple * series[sARR][h]
	if e.val.Terminal == Gordon {
		tv = 0
		if e.discount > e.terminalGrowth {
			tv = 12 * series[sFreeCashFlow][h] * (1 + e.terminalGrowth) / (e.discount - e.terminalGrowth)
		}
	}
	return fv + tv
}

// futureCohorts is the value at the horizon of new logos after it.
func (w *worker) futureCohorts(h int) float64 {
	e := &w.econ
	d := math.Pow(1+e.discount, -1.0/12)
	annuity := 0.0 // Σ_{k=1..240} d^k
	for k, f := 1, 1.0; k <= tailMonths; k++ {
		f *= d
		annuity += f
	}
	v := 0.0
	for i := range w.segs {
		r := &w.segs[i]
		if r.lambda <= 0 || r.newACV == nil {
			continue
		}
		mrr := r.newACV.Mean() / 12
		cac := e.cac * 12 * mrr
		if e.cacPerLogo {
			cac = e.cac
		}
		perLogo := mrr*(e.margin-e.costToServe)*r.onbSuccess*(1+r.tailFactor(e.discount, 0)) - cac
		v += r.arrivalRate(h) * perLogo * annuity
	}
	return v
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

// annualNRR puts an NRR measured over a horizon shorter than 12 months on
// the annual scale the multiple's reference NRR is stated in, compounding
// as ARR growth is annualised: 97 % over 6 months is 94.09 % a year.
func annualNRR(nrr float64, h int) float64 {
	if h >= 12 || nrr <= 0 {
		return nrr
	}
	return math.Pow(nrr, 12/float64(h))
}

// arrGrowth is ARR's growth over the last 12 months, or annualised over the
// horizon when it is shorter; 0 without a starting ARR.
func arrGrowth(arr []float64, h int) float64 {
	back := min(12, h)
	if arr[h-back] <= 0 {
		return 0
	}
	g := arr[h] / arr[h-back]
	if g <= 0 {
		// ARR gone (a sum of monthly flows may end a hair below 0): −100 %.
		// A negative ratio has no real power, and would make the multiple
		// NaN.
		return -1
	}
	return math.Pow(g, 12/float64(back)) - 1
}
