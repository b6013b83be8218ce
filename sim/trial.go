package sim

import (
	"crypto/sha256"
	"math"
	"reflect"

	"csplan/results"
	"csplan/sim/dist"
)

// Series and metrics a trial produces.
const (
	sMRR = iota
	sARR
	sLogos
	sRevenueCum
	sNewMRR
	sExpansionMRR
	sPriceMRR
	sContractionMRR
	sChurnedMRR
	sNRR
	sGRR
	sHoursNeeded
	sHoursAvailable
	sUtilisation
	sCoverage
	sCoverageBelow50
	sCSMs
	sAccountsPerCSM
	sCSCost
	sGrossProfit
	sAcquisitionCost
	sExpansionCost
	sContribution
	sFreeCashFlow
	sBillings
	sCashFlowCum
	sGrossProfitCumDiff
	numSeries
)

// SeriesNames are the monthly series in results.json (see the catalogue,
// results.Series), in the order of the s constants above.
var SeriesNames = [numSeries]string{results.SeriesMRR, results.SeriesARR, results.SeriesLogos, results.SeriesRevenueCum,
	results.SeriesNewMRR, results.SeriesExpansionMRR, results.SeriesPriceMRR, results.SeriesContractionMRR, results.SeriesChurnedMRR,
	results.SeriesNRR, results.SeriesGRR, results.SeriesHoursNeeded, results.SeriesHoursAvailable, results.SeriesUtilisation,
	results.SeriesCoverage, results.SeriesCoverageBelow50, results.SeriesCSMs, results.SeriesAccountsPerCSM, results.SeriesCSCost,
	results.SeriesGrossProfit, results.SeriesAcquisitionCost, results.SeriesExpansionCost, results.SeriesContribution,
	results.SeriesFreeCashFlow, results.SeriesBillings, results.SeriesCashFlowCum, results.SeriesGrossProfitCumDiff}

const (
	mARREnd = iota
	mRevenueTotal
	mNRR
	mGRR
	mLogosEnd
	mCSCostTotal
	mCoverageMean
	mGrossProfitTotal
	mAcquisitionCostTotal
	mContributionTotal
	mRetentionCostRatio
	mCLV
	mCLVBook
	mCLVNew
	mValuation
	mDCFValue
	mSecondOrderARR
	mSecondOrderValuation
	mPaybackMonth // not a metric of its own: an option's payback against the baseline (see payback)
	// The gross-profit bridge against the baseline (see bridge): not
	// metrics of their own either.
	mBridgeOpening
	mBridgeNew
	mBridgeSecondOrder
	mBridgeUpsell
	mBridgePrice
	mBridgeContraction
	mBridgeChurn
	mBridgeCSCost
	numMetrics
)

// MetricNames are the per-trial metrics in results.json (see the
// catalogue, results.Metrics), in the order of the m constants above.
var MetricNames = [numMetrics]string{results.ARREnd, results.RevenueTotal, results.NRR12m, results.GRR12m, results.LogosEnd,
	results.CSCostTotal, results.CoverageMean, results.GrossProfitTotal, results.AcquisitionCostTotal,
	results.ContributionTotal, results.RetentionCostRatio, results.CLV, results.CLVBook, results.CLVNew, results.Valuation, results.DCFValue,
	results.SecondOrderARR, results.SecondOrderValuation, results.PaybackMonth,
	"bridge_" + results.BridgeOpening, "bridge_" + results.BridgeNew, "bridge_" + results.BridgeSecondOrder,
	"bridge_" + results.BridgeUpsell, "bridge_" + results.BridgePrice, "bridge_" + results.BridgeContraction,
	"bridge_" + results.BridgeChurn, "bridge_" + results.BridgeCSCost}

// event is a change of one account's MRR in a month.
type event struct {
	month  int32
	factor float64
}

// point is one step of an account's MRR path: value from month on.
type point struct {
	month int
	mrr   float64
}

// book holds one trial's monthly totals as difference arrays: an account
// adds its changes at the months they happen, and prefix sums give the
// monthly totals, so nothing is done per account-month.
type book struct {
	h      int
	window int // NRR/GRR look-back: 12 months, or the horizon if shorter
	mrr    []float64
	logos  []float64
	need   []float64 // CSM hours per month needed by served accounts
	served []float64 // served accounts
	young  []float64 // MRR of accounts that joined less than window months ago
	grr    []float64 // Σ min(MRR now, MRR window months ago) of older accounts
	newM   []float64 // flows, not differences
	expM   []float64
	priceM []float64 // the part of expM from renewal price increases
	joins  []float64 // new logos
	refM   []float64 // new MRR of referred logos and champion moves
	refN   []float64 // their number
	soMRR  []float64 // diffs of the MRR of referred logos and champion moves
	conM   []float64
	churnM []float64
	upSal  []float64 // the part of expM from upsell in segments a CS team serves
	bill   []float64 // billed in the month (cash in): flows, not differences
}

func newBook(h int) *book {
	n := h + 2
	b := &book{h: h, window: min(12, h)}
	for _, p := range []*[]float64{&b.mrr, &b.logos, &b.need, &b.served, &b.young, &b.grr, &b.newM, &b.expM, &b.priceM, &b.joins, &b.refM, &b.refN, &b.soMRR, &b.conM, &b.churnM, &b.upSal, &b.bill} {
		*p = make([]float64, n)
	}
	return b
}

func (b *book) reset() {
	for _, s := range b.all() {
		clear(s)
	}
}

// all lists the book's arrays.
func (b *book) all() [17][]float64 {
	return [17][]float64{b.mrr, b.logos, b.need, b.served, b.young, b.grr, b.newM, b.expM, b.priceM, b.joins, b.refM, b.refN, b.soMRR, b.conM, b.churnM, b.upSal, b.bill}
}

// copyFrom makes b's arrays a copy of o's (same horizon).
func (b *book) copyFrom(o *book) {
	dst, src := b.all(), o.all()
	for i := range dst {
		copy(dst[i], src[i])
	}
}

// add adds o's arrays to b's.
func (b *book) add(o *book) {
	dst, src := b.all(), o.all()
	for i := range dst {
		d := dst[i]
		for mo, v := range src[i] {
			d[mo] += v
		}
	}
}

// schedule collects, for the accounts of one segment that share a renewal
// calendar, their MRR net of price increases: an account's MRR is
// P(m)·y(m), where P(m) = (1 + price increase)^(renewals so far) is common to
// the calendar and y carries the account's own events (upsells, churn).
// Price increases are then applied once per calendar and month, not once per
// account and renewal. Calendars are identified by the first renewal month
// F in 1..term; an account first renewing later is scaled down by the
// renewals of its calendar before it joined.
type schedule struct {
	used  bool
	y     []float64 // diffs of Σ y: joins and upsells
	churn []float64 // diffs of Σ y from churn (negative)
	up    []float64 // upsell flow in y units
	young []float64 // diffs of Σ y of accounts younger than the window
	z     []float64 // diffs of Σ y(m − window) of accounts present then and alive at m
}

// copyFrom makes c a copy of o (both sized for the same horizon, or o
// unused).
func (c *schedule) copyFrom(o *schedule) {
	c.used = o.used
	if !o.used {
		if c.y != nil {
			for _, s := range [][]float64{c.y, c.churn, c.up, c.young, c.z} {
				clear(s)
			}
		}
		return
	}
	c.y = append(c.y[:0], o.y...)
	c.churn = append(c.churn[:0], o.churn...)
	c.up = append(c.up[:0], o.up...)
	c.young = append(c.young[:0], o.young...)
	c.z = append(c.z[:0], o.z...)
}

func (c *schedule) reset(h int) {
	if c.y == nil {
		for _, p := range []*[]float64{&c.y, &c.churn, &c.up, &c.young, &c.z} {
			*p = make([]float64, h+2)
		}
	}
	if c.used {
		for _, s := range [][]float64{c.y, c.churn, c.up, c.young, c.z} {
			clear(s)
		}
	}
	c.used = false
}

// worker holds the reusable state of one goroutine: streams and buffers, so
// a trial allocates nothing per account.
type worker struct {
	trial            uint64 // trialKey of the current trial
	seed             uint64
	ups, cos         []event
	path             []point
	segs             []segRun
	scheds           [][]schedule  // [segment][calendar]
	segMRR, segLevel [][]float64   // [segment][month]: see segRun.mrrD
	segNew, segNewLv [][]float64   // [segment][month]: see segRun.newD, newLevel
	segLogos         [][]float64   // [segment][month]: see segRun.logosD
	segServed        [][]float64   // [segment][month]: see segRun.servedD
	champ            []int32       // scratch: an account's champion departures
	hand             []int32       // scratch: the months its CSM leaves (hand-offs)
	moves            [][]int       // [segment][month]: logos brought by departed champions
	sbgTabs          [][]float64   // [segment] survival by period
	price            []float64     // scratch: a calendar's price factors
	keyed            []rankedGroup // scratch: expected mode's groups by rank
	b                *book

	// The teams (one per pool, Model.Pools) and the synchronous engine
	// (see sync.go): team, stats and ls.pool are those of the pool being
	// simulated (setPool).
	teams      []*teamPath
	team       *teamPath
	poolStats  [][]syncStats
	poolSynced []bool // the pool's served book was simulated month by month
	shortPools []bool
	synced     bool // some pool's was

	econ      econ             // the trial's economics
	levels    [][]float64      // scratch: segment MRR by month
	bookValue float64          // value of the accounts left at the horizon (customer-based valuation)
	segCLV    []float64        // CLV per account of each segment
	segGP     []float64        // gross profit of each segment over the horizon (see clv)
	baseGP    []float64        // the baseline's cumulative gross profit in the trial, by month
	baseLegs  [numLegs]float64 // the baseline's bridge legs in the trial (see bridge)
	cop       *copula          // the run's rank correlations
	lhs       *lhs             // the run's Latin hypercube design
	ls        lockstep         // the lockstep stepper (sync.go)
	resp      Response         // the trial's response curves, when some are uncertain
	stats     []syncStats      // the current pool's month by month (setPool)

	// record, when set, receives every account's MRR path (month of each
	// change and the MRR from then on; 0 after churn) of the independent
	// engine: see History.
	record func(seg *Segment, path []point)

	reuse reuse // segments simulated in earlier options of the trial

	check checks // see Settings
	// done is the run's cancellation: long loops inside a trial (months,
	// segments, a month's arrivals) look at it, so that a scenario asking
	// for enormous work still stops within a second of Ctrl-C.
	done <-chan struct{}

	// draws are streams that distributions sample from (see drawMRR).
	draws [3]stream

	openings openings // the trial's opening books
}

func newWorker(seed uint64, h int, check checks) *worker {
	w := &worker{seed: seed, check: check, b: newBook(h)}
	w.usePools(1)
	return w
}

// usePools readies n teams and their statistics, and sets pool 0.
func (w *worker) usePools(n int) {
	h := w.b.h
	for len(w.teams) < n {
		w.teams = append(w.teams, newTeamPath(h))
		w.poolStats = append(w.poolStats, make([]syncStats, h+1))
	}
	w.poolSynced = append(w.poolSynced[:0], make([]bool, n)...)
	w.shortPools = append(w.shortPools[:0], make([]bool, n)...)
	for p := range n {
		clear(w.poolStats[p])
	}
	w.synced = false
	w.setPool(0)
}

// setPool makes pool p's team and statistics the current ones.
func (w *worker) setPool(p int) {
	w.team, w.stats, w.ls.pool = w.teams[p], w.poolStats[p], p
}

// poolKey names the stream of team p's attrition: "team" for the single
// team, so that a model without pools draws as it always has.
func poolKey(m *Model, p int) uint64 {
	if len(m.Pools) == 0 {
		return nameKey("team")
	}
	return nameKey("team.pools." + m.Pools[p].Name)
}

// runTrial simulates one trial of model m into w.b. Accounts are simulated
// independently with full coverage; if the team then turns out to be short
// of hours in some month, the served segments are simulated again month by
// month with the coverage the team can give.
func (w *worker) runTrial(m *Model, trial uint64) {
	b := w.b
	b.reset()
	w.trial = trialKey(w.seed, trial)
	d := drawer{trial: w.trial, cop: w.cop, lhs: w.lhs, index: int(trial)}
	resp := m.Response.draw(&d, &w.resp)
	w.segs = resolve(m, resp, &d, w.segs)
	w.econ = drawEconomics(m, &d)
	np := m.poolCount()
	w.usePools(np)
	teamOn := m.teamActive()
	for p := range np {
		if t := m.poolTeam(p); teamOn && t.Active() {
			w.teams[p].simulate(t, d.draw(t.Productivity), d.draw(t.LoadedCost), d.draw(t.HiringCost),
				d.draw(t.Attrition), subKey(w.trial, poolKey(m, p)), true)
		} else {
			w.teams[p].clear()
		}
	}
	w.keyHandoffs()
	w.prepare()
	if !teamOn {
		w.independentAll(func(*segRun) bool { return true })
		return
	}
	if !w.pickShort(m) {
		return
	}
	w.synced = true
	w.independentAll(func(r *segRun) bool { return !r.served() || !w.shortPools[r.pool] })
	for p := range np {
		if w.shortPools[p] {
			w.setPool(p)
			w.poolSynced[p] = true
			w.simulateServed(w.team, m.poolTeam(p).Assignment, resp)
		}
	}
	w.setPool(0)
}

// pickShort decides which pools' served books run month by month
// (shortPools), and reports whether any does. A pool that cannot serve
// its opening book in month 1 does; then, to know, every pool does. Else
// every account is simulated independently first, the book kept if no
// team turned out short, and cleared for a second pass if one did.
func (w *worker) pickShort(m *Model) bool {
	atStart := false
	for p := range w.shortPools {
		w.shortPools[p] = m.poolTeam(p).Active() && w.shortAtStart(p)
		atStart = atStart || w.shortPools[p]
	}
	if atStart {
		for p := range w.shortPools {
			w.shortPools[p] = m.poolTeam(p).Active()
		}
		return true
	}
	w.independentAll(func(*segRun) bool { return true })
	any := false
	for p := range w.shortPools {
		w.shortPools[p] = m.poolTeam(p).Active() && (w.short(p) || w.check.lockstep)
		any = any || w.shortPools[p]
	}
	if any {
		w.b.reset()
		w.prepare()
	}
	return any
}

// keyHandoffs gives the segments whose accounts are handed off when CSMs
// leave the key of the trial's departures, so that a segment is reused
// between options only under the same departures.
func (w *worker) keyHandoffs() {
	for i := range w.segs {
		if r := &w.segs[i]; r.handoffs(w.teams[r.pool]) {
			var key uint64
			for _, v := range w.teams[r.pool].left {
				key = mix(key ^ math.Float64bits(v))
			}
			r.teamKey = key
		}
	}
}

// shortAtStart reports whether team p cannot even serve its opening book
// in month 1 (every opening account needs its hours then), so its served
// book must run month by month and the independent pass can be skipped.
func (w *worker) shortAtStart(p int) bool {
	need := 0.0
	for i := range w.segs {
		if r := &w.segs[i]; r.served() && r.pool == p {
			need += float64(r.seg.Count) * r.hoursPerAccount / 12
		}
	}
	return w.b.h >= 1 && need > w.teams[p].hours[1]*(1+1e-12)
}

// short reports whether the accounts team p serves needed more hours than
// it had in some month: from the book's hours needed with one team, from
// its segments' served accounts with pools.
func (w *worker) short(p int) bool {
	need := 0.0
	for mo := 0; mo <= w.b.h; mo++ {
		if len(w.shortPools) == 1 {
			need += w.b.need[mo]
		} else {
			need, _ = w.poolServed(p, mo)
		}
		if mo >= 1 && need > w.teams[p].hours[mo]*(1+1e-12) {
			return true
		}
	}
	return false
}

// poolServed is the hours a month the accounts that team p serves need in
// month mo, and how many they are, from their segments' served counts
// (segRun.servedD).
func (w *worker) poolServed(p, mo int) (need, n float64) {
	for i := range w.segs {
		r := &w.segs[i]
		if r.pool != p || !r.served() {
			continue
		}
		c := 0.0
		for _, d := range r.servedD[:mo+1] {
			c += d
		}
		n += c
		need += c * r.hoursPerAccount / 12
	}
	return need, n
}

// prepare readies the trial's per-segment calendars and sBG tables.
func (w *worker) prepare() {
	for len(w.scheds) < len(w.segs) {
		w.scheds = append(w.scheds, nil)
		w.sbgTabs = append(w.sbgTabs, nil)
	}
	w.segArrays()
	for i := range w.segs {
		r := &w.segs[i]
		// A calendar for the opening book and one for new logos, so that
		// the CLV of each can be told apart.
		for len(w.scheds[i]) < 2*r.pricePeriod {
			w.scheds[i] = append(w.scheds[i], schedule{})
		}
		for c := range w.scheds[i][:2*r.pricePeriod] {
			w.scheds[i][c].reset(w.b.h)
		}
		r.scheds = w.scheds[i][:2*r.pricePeriod]
		switch n := r.maxTenure() + w.b.h/r.churnStep + 2; {
		case r.sbg:
			w.sbgTabs[i] = sbgSurvival(w.sbgTabs[i][:0], r.alpha, r.beta, n)
			r.sbgSurv = w.sbgTabs[i]
		case r.table:
			w.sbgTabs[i] = r.cumulativeHazard(w.sbgTabs[i][:0], n)
			r.cumHaz = w.sbgTabs[i]
		}
	}
}

// segArrays gives each segment its cleared MRR arrays.
func (w *worker) segArrays() {
	for len(w.segMRR) < len(w.segs) {
		w.segMRR = append(w.segMRR, make([]float64, w.b.h+2))
		w.segLevel = append(w.segLevel, make([]float64, w.b.h+2))
		w.segNew = append(w.segNew, make([]float64, w.b.h+2))
		w.segNewLv = append(w.segNewLv, make([]float64, w.b.h+2))
		w.segLogos = append(w.segLogos, make([]float64, w.b.h+2))
		w.segServed = append(w.segServed, make([]float64, w.b.h+2))
		w.moves = append(w.moves, make([]int, w.b.h+2))
	}
	for i := range w.segs {
		clear(w.segMRR[i])
		clear(w.segLevel[i])
		clear(w.segNew[i])
		clear(w.segNewLv[i])
		clear(w.segLogos[i])
		clear(w.segServed[i])
		clear(w.moves[i])
		w.segs[i].mrrD, w.segs[i].mrrLevel, w.segs[i].logosD = w.segMRR[i], w.segLevel[i], w.segLogos[i]
		w.segs[i].servedD = w.segServed[i]
		w.segs[i].newD, w.segs[i].newLevel = w.segNew[i], w.segNewLv[i]
		// A trial whose team turns out short runs again month by month:
		// its accounts are counted afresh.
		w.segs[i].accounts, w.segs[i].newAccounts = 0, 0
	}
}

// cancelled reports whether the run was cancelled; the trial then stops
// where it is, and the run returns the context's error.
func (w *worker) cancelled() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// independentAll simulates the accounts of the segments chosen, one by one.
// Without second-order effects each segment's book and new logos go in
// turn; with them the new logos go month by month across segments, because
// referrals depend on the active accounts of the month before and champion
// moves on earlier departures.
func (w *worker) independentAll(chosen func(*segRun) bool) {
	for i := range w.segs {
		if r := &w.segs[i]; chosen(r) && !w.cancelled() {
			w.simulateSegment(r)
		}
	}
}

// segmentAccounts simulates a segment's opening book and new logos. With
// second-order effects the new logos go month by month, because referrals
// depend on the segment's active accounts of the month before and champion
// moves on earlier departures.
func (w *worker) segmentAccounts(r *segRun) {
	w.book(r)
	acc, active := 0.0, 0.0
	for mo := 1; mo <= w.b.h && !w.cancelled(); mo++ {
		w.arrivalsAt(r, mo, &acc)
		if r.so != nil {
			active += r.logosD[mo-1] // every account that joined before mo is booked
			w.secondOrderAt(r, mo, active)
		}
	}
}

// book simulates a segment's opening book.
func (w *worker) book(r *segRun) {
	keys, mrrs := w.openingBook(r)
	for j, key := range keys {
		if j&65535 == 65535 && w.cancelled() {
			return
		}
		w.account(r, key, mrrs[j], 0, r.firstRenewal(j), r.tenure(j), false)
	}
}

// openingBook returns the keys and MRRs of segment r's existing accounts in
// the current trial. They depend only on the trial and the segment's name,
// accounts and ACV, and by common random numbers are the same in every
// option and for both steppers, so they are drawn once per trial and
// segment content and kept.
func (w *worker) openingBook(r *segRun) (keys []uint64, mrrs []float64) {
	s := r.seg
	ob := &w.openings
	if ob.trial != w.trial {
		ob.trial, ob.n, ob.nNew = w.trial, 0, 0
	}
	id := ob.identity(s, false)
	for i := range ob.n {
		if e := &ob.entries[i]; e.id == id {
			return e.keys, e.mrrs
		}
	}
	if ob.n == len(ob.entries) {
		ob.entries = append(ob.entries, opening{})
	}
	e := &ob.entries[ob.n]
	ob.n++
	e.id = id
	// The keys and MRRs in a loop of their own: its iterations do not
	// depend on each other, so the processor overlaps their draws (a
	// normal and an exp each), which one account at a time would wait for
	// in turn.
	e.keys, e.mrrs = e.keys[:0], e.mrrs[:0]
	for j := 0; j < s.Count; j++ {
		if j&65535 == 65535 && w.cancelled() {
			// A book left half drawn must not be reused.
			ob.n--
			e.id = [16]byte{}
			return e.keys, e.mrrs
		}
		key := subKey(w.trial, accountKey(r.key, 0, j))
		var mrr float64
		if j < len(s.Accounts) {
			mrr = s.Accounts[j].MRR
		} else {
			mrr = w.drawMRR(s.ACV, key)
		}
		e.keys, e.mrrs = append(e.keys, key), append(e.mrrs, mrr)
	}
	return e.keys, e.mrrs
}

// newLogo returns the key and MRR of the k-th (from 0) regular new logo of
// segment r in month mo. Like the opening book, they are the same in every
// option of a trial that gives the segment the same name and new-logo ACV,
// so they are drawn once and kept (as far as the largest number of
// arrivals any option has had that month).
func (w *worker) newLogo(r *segRun, mo, k int) (key uint64, mrr float64) {
	key = subKey(w.trial, accountKey(r.key, mo, k+1))
	ob := &w.openings
	if ob.trial != w.trial {
		ob.trial, ob.n, ob.nNew = w.trial, 0, 0
	}
	id := ob.identity(r.seg, true)
	var e *newLogos
	for i := range ob.nNew {
		if ob.news[i].id == id {
			e = &ob.news[i]
			break
		}
	}
	if e == nil {
		if ob.nNew == len(ob.news) {
			ob.news = append(ob.news, newLogos{})
		}
		e = &ob.news[ob.nNew]
		ob.nNew++
		e.id = id
		for m := range e.mrrs {
			e.mrrs[m] = e.mrrs[m][:0]
		}
	}
	for len(e.mrrs) <= mo {
		e.mrrs = append(e.mrrs, nil)
	}
	month := e.mrrs[mo]
	for len(month) <= k {
		j := len(month)
		month = append(month, w.drawMRR(r.newACV, subKey(w.trial, accountKey(r.key, mo, j+1))))
	}
	e.mrrs[mo] = month
	return key, month[k]
}

// openings keeps the opening books and new logos drawn in the current
// trial.
type openings struct {
	trial   uint64
	n, nNew int
	entries []opening
	news    []newLogos
	ids     map[*Segment][2][16]byte
	// The last segment asked about, which new logos ask about again and
	// again.
	lastSeg *Segment
	lastIDs [2][16]byte
}

// newLogos are a segment's new logos' MRRs of a trial, by month.
type newLogos struct {
	id   [16]byte
	mrrs [][]float64
}

type opening struct {
	id   [16]byte
	keys []uint64
	mrrs []float64
}

// identity is a digest of what a segment's opening book depends on (its
// name, its accounts and its ACV distribution), or with newLogos of what
// its new logos' MRRs depend on (its name and their ACV distribution);
// computed once per Segment: models do not change during a run.
func (ob *openings) identity(s *Segment, newLogos bool) [16]byte {
	kind := 0
	if newLogos {
		kind = 1
	}
	if s == ob.lastSeg {
		return ob.lastIDs[kind]
	}
	if ids, ok := ob.ids[s]; ok {
		ob.lastSeg, ob.lastIDs = s, ids
		return ids[kind]
	}
	if ob.ids == nil {
		ob.ids = map[*Segment][2][16]byte{}
	}
	newACV := s.ACV
	if s.Acquisition.ACV != nil {
		newACV = s.Acquisition.ACV
	}
	var ids [2][16]byte
	for i, v := range []any{
		struct {
			Name     string
			Count    int
			Accounts []Account
			ACV      dist.Dist
		}{s.Name, s.Count, s.Accounts, s.ACV},
		struct {
			Name   string
			NewACV dist.Dist
		}{s.Name, newACV},
	} {
		h := sha256.New()
		hashValue(h, reflect.ValueOf(v))
		copy(ids[i][:], h.Sum(nil))
	}
	ob.ids[s] = ids
	ob.lastSeg, ob.lastIDs = s, ids
	return ids[kind]
}

// drawMRR draws the MRR of the account named by key from its ACV
// distribution: the account's own ACV stream, a twelfth of the ACV. The
// stream lives in the worker because distributions sample through an
// interface, which would move a local one to the heap.
func (w *worker) drawMRR(acv dist.Dist, key uint64) float64 {
	w.draws[0] = newStream(key, purposeACV)
	return sample(acv, &w.draws[0]) / 12
}

// sample draws from d with st. The kinds the account loop meets most are
// called by their concrete type, a direct call the compiler can inline.
func sample(d dist.Dist, st *stream) float64 {
	switch d := d.(type) {
	case *dist.LogNormal:
		return d.Sample(st)
	case *dist.Uniform:
		return d.Sample(st)
	case dist.Const:
		return float64(d)
	}
	return d.Sample(st)
}

// arrivalsAt adds the new logos of one segment in month mo; acc carries
// the running total of deterministic arrivals.
func (w *worker) arrivalsAt(r *segRun, mo int, acc *float64) {
	if r.lambda <= 0 || r.newACV == nil {
		return
	}
	n := w.arrivals(r, mo, acc)
	for k := 0; k < n && (k&1023 != 0 || !w.cancelled()); k++ {
		key, mrr := w.newLogo(r, mo, k)
		w.account(r, key, mrr, mo, mo+r.term, 0, false)
	}
}

// arrivals is the number of new logos of segment r in month mo: Poisson
// with the month's rate, or with deterministic arrivals one each time the
// running total acc of the rate passes a whole number.
func (w *worker) arrivals(r *segRun, mo int, acc *float64) int {
	lam := r.arrivalRate(mo)
	if r.seg.Acquisition.Arrivals == Deterministic {
		return deterministicArrivals(lam, acc)
	}
	st := newStream(subKey(w.trial, accountKey(r.key, mo, 0)), purposeArrivals)
	return poisson(&st, lam)
}

// deterministicArrivals is the count of logos when the running total acc
// of the arrival rate grows by lam: the whole numbers it passes.
func deterministicArrivals(lam float64, acc *float64) int {
	n := int(math.Floor(*acc+lam+1e-9)) - int(math.Floor(*acc+1e-9))
	*acc += lam
	return n
}

// Keys of second-order logos: after the regular new logos of a month.
const (
	referralKeys = 1 << 20
	moveKeys     = 2 << 20
)

// secondOrderAt adds the month's referred logos, Poisson with mean
// advocates × referrals per advocate (advocates: a share of the accounts
// active the month before), and the logos departed champions bring.
func (w *worker) secondOrderAt(r *segRun, mo int, active float64) {
	if r.newACV == nil {
		return
	}
	so := r.so
	st := newStream(subKey(w.trial, accountKey(r.key, mo, 0)), purposeReferral)
	n := poisson(&st, so.referralRate(active))
	for k := 0; k < n; k++ {
		w.referred(r, mo, referralKeys+k)
	}
	for k := 0; k < w.moves[r.idx][mo]; k++ {
		w.referred(r, mo, moveKeys+k)
	}
}

func (w *worker) referred(r *segRun, mo, j int) {
	key := subKey(w.trial, accountKey(r.key, mo, j))
	mrr := w.drawMRR(r.newACV, key)
	w.account(r, key, mrr, mo, mo+r.term, 0, true)
}

// championDepartures fills w.champ with the months an account's champion
// leaves, from join+1 to the horizon.
func (w *worker) championDepartures(r *segRun, key uint64, join int) {
	w.champ = w.champ[:0]
	so := r.so
	if so == nil || so.champLog == 0 {
		return
	}
	st := newStream(key, purposeChampion)
	for t := so.nextDeparture(&st, join, w.b.h); t <= w.b.h; t = so.nextDeparture(&st, t, w.b.h) {
		w.champ = append(w.champ, int32(t))
	}
}

// handoffMonths fills w.hand with the months an account's CSM leaves, after
// it joins (handedOff), when hand-offs change anything.
func (w *worker) handoffMonths(r *segRun, key uint64, join int) {
	w.hand = w.hand[:0]
	team := w.teams[r.pool]
	if !r.handoffs(team) {
		return
	}
	st := newStream(key, purposeHandoff)
	for _, m := range team.departs {
		if int(m) > join && handedOff(&st, team.left[m]) {
			w.hand = append(w.hand, m)
		}
	}
}

// handoffUpsells draws an account's upsells when its hand-offs change the
// upsell probability for r.handMonths from each: opportunities in runs of
// one state, as a hazard process (the geometric skip of opportunities
// when there is one state).
func (w *worker) handoffUpsells(r *segRun, st *stream, anchor, firstRenewal, last int) []event {
	out := w.ups
	step, first := firstOpportunity(anchor, r.upEvery, firstRenewal, r.term)
	var p, lam [2]float64
	p[0], lam[0] = r.upQ, -r.logUpKeep
	p[1] = math.Min(1, r.baseUp*r.upMult*r.handUp)
	lam[1] = -math.Log1p(-p[1])
	var z hazard
	for mo := first; mo <= last; {
		state, end := 0, windowRun(w.hand, mo, r.handMonths)
		if end < 0 {
			state, end = 1, -end
		}
		end = min(end-1, last) // the run's last month
		n := (end-mo)/step + 1
		k := z.run(p[state], lam[state], n, st)
		if k == n {
			mo += n * step
			continue
		}
		mo += k * step
		out = append(out, event{int32(mo), math.Max(0, 1+sample(r.upSize, st))})
		z = hazard{}
		mo += step
	}
	return out
}

// championMoves books the logos departed champions bring (each with
// probability moveWin, the month after) for those who leave before the
// account churns.
func (w *worker) championMoves(r *segRun, key uint64, churnAt int) {
	if len(w.champ) == 0 || r.so.moveWin <= 0 {
		return
	}
	st := newStream(key, purposeChampionMove)
	for _, t := range w.champ {
		if int(t) >= churnAt {
			return
		}
		if st.Uniform() < r.so.moveWin && int(t)+1 <= w.b.h {
			w.moves[r.idx][t+1]++
		}
	}
}

// account simulates one account that joins in month join (0 for the
// existing book) with the given MRR and first renewal, having survived
// tenure churn periods before month 1 (the existing book), drawing only the
// events that happen: its churn time, its upsells and contractions by
// geometric skips over their opportunities. It returns the churn month
// (beyond the horizon: none).
func (w *worker) account(r *segRun, key uint64, mrr float64, join, firstRenewal, tenure int, referred bool) (churnAt int) {
	h := w.b.h
	term := r.term
	churnAt = h + 1 // beyond the horizon: survives

	if join > 0 && r.onbSuccess < 1 {
		if st := newStream(key, purposeOnboarding); r.onboardingFails(st.Uniform(), r.onbSuccess) {
			churnAt = r.failedChurn(join)
		}
	}

	first, step := r.churnOpportunities(join, firstRenewal)
	w.championDepartures(r, key, join)
	w.handoffMonths(r, key, join)
	if first <= h && first < churnAt {
		opps := (h-first)/step + 1
		rcs := newStream(key, purposeChurn)
		rc := &rcs
		var k int
		switch {
		case r.so.hasRisk(w.champ) || (len(w.hand) > 0 && r.handChurn != 1):
			k = w.churnWithChampions(r, rc, first, step, opps, tenure)
		case r.table:
			k = tableTime(rc.Exp(), r.cumHaz[tenure:], opps)
		case r.sbgDirect:
			// Survival from here on is S(tenure + t) / S(tenure).
			k = sbgTime(rc.Uniform()*r.sbgSurv[tenure], r.sbgSurv[tenure:], opps)
		case r.sbg:
			// The uniform the inversion would use is drawn first, as the
			// synchronous engine does, so both use the stream alike.
			rc.Uniform()
			theta := betaRand(rc, r.alpha, r.beta+float64(tenure))
			k = geometric(rc, logKeep(math.Min(1, theta*r.churnMult)))
		default:
			k = geometric(rc, r.logKeep)
		}
		if k <= opps {
			churnAt = min(churnAt, first+(k-1)*step)
		}
	}
	w.championMoves(r, key, churnAt)
	last := min(h, churnAt-1) // last month with events

	// Expansion and contraction opportunities before the churn month.
	anchor := r.anchor(join, firstRenewal)
	w.ups = w.ups[:0]
	switch {
	case len(w.hand) > 0 && r.handUp != 1 && r.baseUp > 0:
		w.draws[1] = newStream(key, purposeUpsell)
		w.ups = w.handoffUpsells(r, &w.draws[1], anchor, firstRenewal, last)
	case r.upQ > 0:
		w.draws[1] = newStream(key, purposeUpsell)
		w.ups = opportunities(w.ups, &w.draws[1], r.logUpKeep, r.upSize, +1, anchor, r.upEvery, firstRenewal, term, last)
	}
	w.cos = w.cos[:0]
	if r.coQ > 0 {
		w.draws[2] = newStream(key, purposeContraction)
		w.cos = opportunities(w.cos, &w.draws[2], r.logCoKeep, r.coSize, -1, anchor, r.coEvery, firstRenewal, term, last)
	}
	w.bookAccount(r, mrr, join, firstRenewal, churnAt, referred)
	return churnAt
}

// bookAccount is the ledger: it books one account, given its plan (its
// opening MRR, join month, first renewal and churn month, and its upsell
// and contraction events in w.ups and w.cos), into the trial's difference
// arrays and flows, whichever stepper made the plan.
func (w *worker) bookAccount(r *segRun, mrr float64, join, firstRenewal, churnAt int, referred bool) {
	b := w.b
	h := b.h
	last := min(h, churnAt-1)
	b.logos[join]++
	r.logosD[join]++
	r.accounts++
	if join > 0 {
		r.newAccounts++
	}
	if churnAt <= h {
		b.logos[churnAt]--
		r.logosD[churnAt]--
	}
	if referred {
		b.refM[join] += mrr
		b.refN[join]++
	}
	if r.hoursPerAccount > 0 {
		end := min(churnAt+1, h+1)
		b.need[join] += r.hoursPerAccount / 12
		b.need[end] -= r.hoursPerAccount / 12
		b.served[join]++
		b.served[end]--
		r.servedD[join]++
		r.servedD[end]--
	}
	if join > 0 {
		b.newM[join] += mrr
		b.joins[join]++
	}
	// Accounts whose MRR never falls and whose price calendar lines up
	// with a segment calendar from their join month on go the fast way.
	from := r.priceFrom(join, firstRenewal)
	cal := (from-1)%r.pricePeriod + 1
	if r.monotone && (join > 0 || from == cal) && !w.check.pathBooking && w.record == nil && !referred {
		w.calendarAccount(r, mrr, join, from, cal, churnAt)
		return
	}
	w.pathAccount(r, mrr, join, firstRenewal, churnAt, last)
	if referred {
		// Second-order accounts are booked event by event, so their own
		// MRR is known: the path holds it.
		prev := 0.0
		for _, p := range w.path {
			b.soMRR[p.month] += p.mrr - prev
			prev = p.mrr
		}
	}
}

// hasRisk reports whether champion departures raise this account's churn.
func (so *secondOrder) hasRisk(departures []int32) bool {
	return len(departures) > 0 && so.raisesChurn()
}

// churnWithChampions finds the churn opportunity of an account whose churn
// is raised within riskMonths of each champion departure: the first
// opportunity at which its accumulated hazard Σ −log(1 − p_j) passes an
// exponential threshold, which with no raise is the geometric draw of the
// plain case. An sBG account uses its uniform until the first raised
// opportunity, then its propensity θ from the posterior Beta(α, β + j − 1)
// given the j − 1 periods survived, as the month-by-month engine does.
// It returns opps+1 when the account survives.
func (w *worker) churnWithChampions(r *segRun, rc *stream, first, step, opps, tenure int) int {
	var z hazard
	theta, u := -1.0, 0.0
	if r.sbg {
		u = rc.Uniform() * r.sbgSurv[tenure] // survival from the tenure on
		if !r.sbgDirect {
			theta = betaRand(rc, r.alpha, r.beta+float64(tenure))
		}
	}
	// The per-opportunity probability and hazard in each state (state&1:
	// a champion's risk window, state&2: a hand-off's), computed once (the
	// logarithm is the costly part).
	var p, lam [4]float64
	mult := r.stateMults()
	set := func(base float64) {
		for i := range p {
			p[i] = min(1, base*mult[i])
			lam[i] = -math.Log1p(-p[i])
		}
	}
	if !r.sbg {
		set(r.baseChurn)
	} else if theta >= 0 {
		set(theta)
	}
	// Runs of opportunities in one state (inside a risk window or not) are
	// taken at once: the event is at the first opportunity where the
	// hazard accumulated over the run passes what is left of the
	// threshold.
	for j := 1; j <= opps; {
		mo := first + (j-1)*step
		state, end := 0, math.MaxInt32
		if r.so.raisesChurn() {
			if end = r.so.riskRun(w.champ, mo); end < 0 {
				state, end = 1, -end
			}
		}
		if r.handChurn != 1 {
			e := windowRun(w.hand, mo, r.handMonths)
			if e < 0 {
				state, e = state|2, -e
			}
			end = min(end, e)
		}
		n := min(opps-j+1, (end-mo+step-1)/step)
		if r.table {
			if k := r.tableRun(&z, rc, tenure+j, n, mult[state]); k < n {
				return j + k
			}
			j += n
			continue
		}
		if r.sbg && theta < 0 {
			if state == 0 && r.churnMult == 1 {
				for k := range n {
					if r.sbgSurv[min(tenure+j+k, len(r.sbgSurv)-1)] < u {
						return j + k
					}
				}
				j += n
				continue
			}
			theta = betaRand(rc, r.alpha, r.beta+float64(tenure+j-1))
			set(theta)
		}
		if k := z.run(p[state], lam[state], n, rc); k < n {
			return j + k
		}
		j += n
	}
	return opps + 1
}

// stateMults are the churn multipliers of the states of churnWithChampions
// (state&1: a champion's risk window, state&2: a hand-off's).
func (r *segRun) stateMults() (mult [4]float64) {
	champ := 1.0
	if r.so != nil {
		champ = r.so.champMult
	}
	for i := range mult {
		mult[i] = r.churnMult
		if i&1 != 0 {
			mult[i] *= champ
		}
		if i&2 != 0 {
			mult[i] *= r.handChurn
		}
	}
	return mult
}

// tableRun takes n churn opportunities of a by-tenure account, periods
// from..from+n−1 under the multiplier mult, each with its own probability,
// and returns the number that pass before it churns (n: none).
func (r *segRun) tableRun(z *hazard, rc *stream, from, n int, mult float64) int {
	for k := range n {
		if p, lam := r.tableHazard(from+k, mult); z.run(p, lam, 1, rc) == 0 {
			return k
		}
	}
	return n
}

// calendarAccount books an account on its segment's renewal calendar: only
// its upsells and its churn are events; price increases come from the
// calendar (see schedule).
func (w *worker) calendarAccount(r *segRun, mrr float64, join, priceFrom, cal, churnAt int) {
	h, win := w.b.h, w.b.window
	c := &r.scheds[cal-1]
	if join > 0 {
		c = &r.scheds[r.pricePeriod+cal-1]
	}
	c.used = true
	y := mrr
	if join > 0 {
		// Price increases of the calendar up to the join month are not
		// this account's: P(join) counts (priceFrom − cal)/period of them.
		y /= math.Pow(1+r.priceInc, float64((priceFrom-cal)/r.pricePeriod))
	}
	y0 := y
	c.y[join] += y
	young := join > 0
	youngEnd := join + win
	if young {
		c.young[join] += y
	}
	zStart := join + win // first month the account counts towards GRR
	if zStart < churnAt && zStart <= h {
		c.z[zStart] += y0
	}
	yAtLookback := y0 // the GRR level just before churnAt, removed at churnAt
	for _, e := range w.ups {
		mo := int(e.month)
		d := y * (e.factor - 1)
		y += d
		c.y[mo] += d
		c.up[mo] += d
		if young && mo < youngEnd {
			c.young[mo] += d
		}
		if zm := mo + win; zm < churnAt {
			yAtLookback = y
			if zm <= h {
				c.z[zm] += d
			}
		}
	}
	if churnAt <= h {
		c.churn[churnAt] -= y
		if young && churnAt < youngEnd {
			c.young[churnAt] -= y
		}
		if churnAt > zStart {
			c.z[churnAt] -= yAtLookback
		}
	}
	if young && youngEnd <= h && churnAt >= youngEnd {
		// y as of month youngEnd − 1: the events before it.
		yy := y0
		for _, e := range w.ups {
			if int(e.month) >= youngEnd {
				break
			}
			yy *= e.factor
		}
		c.young[youngEnd] -= yy
	}
}

// pathAccount books an account whose MRR can fall (contraction) or whose
// calendar is its own, event by event in month order: renewal price
// increase, then upsell, then contraction.
func (w *worker) pathAccount(r *segRun, mrr float64, join, firstRenewal, churnAt, last int) {
	b := w.b
	h := b.h
	path := append(w.path[:0], point{join, mrr})
	b.mrr[join] += mrr
	r.mrrD[join] += mrr
	var newD []float64 // a new logo's MRR is also its segment's new-logo MRR
	if join > 0 {
		newD = r.newD
		newD[join] += mrr
	}
	anchor := r.anchor(join, firstRenewal) // its contract's start
	renew := h + 1                         // its next price increase
	if from := r.priceFrom(join, firstRenewal); r.priceInc != 0 && from <= last {
		renew = from
	}
	iu, ic := 0, 0
	for {
		mo := renew
		if iu < len(w.ups) {
			mo = min(mo, int(w.ups[iu].month))
		}
		if ic < len(w.cos) {
			mo = min(mo, int(w.cos[ic].month))
		}
		if mo > last {
			break
		}
		old := mrr
		if renew == mo {
			b.priceM[mo] += mrr * r.priceInc
			mrr = r.renewed(mrr)
			if renew += r.pricePeriod; renew > last {
				renew = h + 1
			}
		}
		priced := mrr
		for iu < len(w.ups) && int(w.ups[iu].month) == mo {
			mrr *= w.ups[iu].factor
			iu++
		}
		up := mrr - old
		b.expM[mo] += up
		if ph := r.billPhase(mo, anchor); ph != 0 {
			b.bill[mo] += float64(r.billEvery-ph) * up // the rest of the period
		}
		if r.salaried {
			b.upSal[mo] += mrr - priced
		}
		for ic < len(w.cos) && int(w.cos[ic].month) == mo {
			mrr *= w.cos[ic].factor
			ic++
		}
		b.conM[mo] += up + old - mrr
		b.mrr[mo] += mrr - old
		r.mrrD[mo] += mrr - old
		if newD != nil {
			newD[mo] += mrr - old
		}
		path = append(path, point{mo, mrr})
	}
	if churnAt <= h {
		b.mrr[churnAt] -= mrr
		r.mrrD[churnAt] -= mrr
		if newD != nil {
			newD[churnAt] -= mrr
		}
		b.churnM[churnAt] += mrr
		path = append(path, point{churnAt, 0})
	}
	w.path = path
	w.billPath(r, path, anchor, join, last)
	b.retention(path, join)
	if w.record != nil {
		w.record(r.seg, path)
	}
}

// billPath books the bills due on an account's MRR path: at the start of
// each billing period from its join month (month 1 for the opening book,
// whose current period was billed before the run) to its last month, the
// period's months at the MRR then. A period's increases between its bills
// are billed when they happen (pathAccount); decreases and churn refund
// nothing.
func (w *worker) billPath(r *segRun, path []point, anchor, join, last int) {
	b := w.b
	every := r.billEvery
	s := max(join, 1)
	if ph := r.billPhase(s, anchor); ph != 0 {
		s += every - ph
	}
	i := 0
	for ; s <= last; s += every {
		for i+1 < len(path) && path[i+1].month <= s {
			i++
		}
		b.bill[s] += float64(every) * path[i].mrr
	}
}

// opportunities appends the taken opportunities of one motion up to month
// last: every `every` months from the contract start, or at renewals when
// every is 0. Taken ones are found by geometric skips, so the cost is per
// event, not per opportunity.
func opportunities(out []event, r *stream, logKeep float64, size dist.Dist, sign float64,
	anchor, every, firstRenewal, term, last int) []event {
	step, first := firstOpportunity(anchor, every, firstRenewal, term)
	if first > last {
		return out
	}
	n := geometric(r, logKeep) - 1
	for {
		mo := first + n*step
		if n >= math.MaxInt32/2 || mo > last {
			return out
		}
		out = append(out, event{int32(mo), math.Max(0, 1+sign*sample(size, r))})
		n += geometric(r, logKeep)
	}
}

// retention adds an account's contribution to the trailing NRR and GRR.
// NRR(m) = (MRR(m) − young(m)) / MRR(m − window), where young is the MRR of
// accounts that joined within the window; GRR's numerator sums
// min(MRR(m), MRR(m − window)) over accounts present window months ago.
func (b *book) retention(path []point, join int) {
	w, h := b.window, b.h
	if join > 0 {
		end := join + w
		prev := 0.0
		for _, p := range path {
			if p.month >= end || p.month > h {
				break
			}
			b.young[p.month] += p.mrr - prev
			prev = p.mrr
		}
		if end <= h {
			b.young[end] -= prev
		}
	}
	m := join + w
	if m > h {
		return
	}
	// Two pointers over the path: a for the value at m, c at m − w.
	a, c := 0, 0
	for a+1 < len(path) && path[a+1].month <= m {
		a++
	}
	for c+1 < len(path) && path[c+1].month <= m-w {
		c++
	}
	prev := 0.0
	for {
		v := math.Min(path[a].mrr, path[c].mrr)
		b.grr[m] += v - prev
		prev = v
		if v == 0 {
			return // churned: zero from here on
		}
		next := h + 1
		if a+1 < len(path) {
			next = path[a+1].month
		}
		if c+1 < len(path) {
			next = min(next, path[c+1].month+w)
		}
		if next > h {
			return
		}
		m = next
		for a+1 < len(path) && path[a+1].month <= m {
			a++
		}
		for c+1 < len(path) && path[c+1].month+w <= m {
			c++
		}
	}
}

// sbgSurvival fills tab[t] = S(t), the probability of surviving t periods
// under the shifted-beta-geometric model, S(t) = S(t−1)·(β + t − 1)/(α + β + t − 1),
// for t = 0..n.
func sbgSurvival(tab []float64, alpha, beta float64, n int) []float64 {
	s := 1.0
	tab = append(tab, s)
	for t := 1; t <= n; t++ {
		s *= (beta + float64(t) - 1) / (alpha + beta + float64(t) - 1)
		tab = append(tab, s)
	}
	return tab
}

// cumulativeHazard fills tab[t] = Λ(t), the hazard a by-tenure table
// accumulates over periods 1..t at the model's coverage, for t = 0..n.
func (r *segRun) cumulativeHazard(tab []float64, n int) []float64 {
	sum := 0.0
	tab = append(tab, sum)
	for t := 1; t <= n; t++ {
		_, lam := r.tableHazard(t, r.churnMult)
		sum += lam
		tab = append(tab, sum)
	}
	return tab
}

// tableTime is the period in which an account with exponential threshold
// e churns under cumulative hazard cum (from its tenure on): the first t
// at which the hazard accumulated since cum[0] passes e. It returns
// limit+1 when the account survives limit periods.
func tableTime(e float64, cum []float64, limit int) int {
	for t := 1; t <= limit && t < len(cum); t++ {
		if cum[t]-cum[0] > e {
			return t
		}
	}
	return limit + 1
}

// sbgTime draws the period in which an account churns under the
// shifted-beta-geometric model by inverting its survival function: one
// uniform u, the first t with S(t) < u, and no Beta draw. It returns limit+1
// when the account survives limit periods.
func sbgTime(u float64, surv []float64, limit int) int {
	for t := 1; t <= limit && t < len(surv); t++ {
		if surv[t] < u {
			return t
		}
	}
	return limit + 1
}

// betaRand draws from Beta(a, b) as a ratio of gamma variates.
func betaRand(r *stream, a, b float64) float64 {
	x := gammaRand(r, a)
	return x / (x + gammaRand(r, b))
}

// gammaRand draws from Gamma(a, 1) by Marsaglia and Tsang's method, boosted
// for a < 1 (Gamma(a) = Gamma(a + 1)·U^(1/a)).
func gammaRand(r *stream, a float64) float64 {
	boost := 1.0
	if a < 1 {
		// U^(1/a), as exp(log U / a): U is in (0, 1), so none of Pow's
		// special cases arise, and this is about twice as fast.
		boost = math.Exp(math.Log(r.Uniform()) / a)
		a++
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.Norm()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Uniform()
		// Marsaglia and Tsang's squeeze accepts most draws without the
		// logarithms; it accepts only draws the full test accepts.
		if x2 := x * x; u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d-d*v+d*math.Log(v) {
			return d * v * boost
		}
	}
}

// poisson draws a Poisson(lambda) count: by inversion for small means, and
// as a sum of Poisson(≤ 30) draws for large ones (exact, and cheap enough for
// monthly arrival counts).
func poisson(r *stream, lambda float64) int {
	n := 0
	for lambda > 30 {
		n += poisson(r, 30)
		lambda -= 30
	}
	if lambda <= 0 {
		return n
	}
	u := r.Uniform()
	p := math.Exp(-lambda)
	cdf := p
	k := 0
	for u > cdf && k < 200 {
		k++
		p *= lambda / float64(k)
		cdf += p
	}
	return n + k
}

// summarise turns the trial's difference arrays and calendars into its
// series and metrics. series[s] has h+1 entries, index = month.
func (w *worker) summarise(series *[numSeries][]float64, metrics *[numMetrics]float64) {
	b := w.b
	h, win := b.h, b.window
	mrr, young, grr := series[sMRR], series[sNRR], series[sGRR] // young and grr levels, for now
	var m, l, y, g float64
	for mo := 0; mo <= h; mo++ {
		m += b.mrr[mo]
		l += b.logos[mo]
		y += b.young[mo]
		g += b.grr[mo]
		mrr[mo], young[mo], grr[mo] = m, y, g
		series[sLogos][mo] = l
		series[sNewMRR][mo] = b.newM[mo]
		series[sExpansionMRR][mo] = b.expM[mo]
		series[sContractionMRR][mo] = b.conM[mo]
		series[sChurnedMRR][mo] = b.churnM[mo]
		series[sBillings][mo] = b.bill[mo]
	}
	for i := range w.segs {
		r := &w.segs[i]
		for ci := range r.scheds {
			if c := &r.scheds[ci]; c.used {
				w.addCalendar(r, ci%r.pricePeriod+1, c, series, ci >= r.pricePeriod)
			}
		}
	}
	copy(series[sPriceMRR], b.priceM[:h+1]) // complete once the calendars are in
	cum := 0.0
	for mo := 0; mo <= h; mo++ {
		if mo > 0 {
			cum += mrr[mo]
		}
		series[sARR][mo] = 12 * mrr[mo]
		series[sRevenueCum][mo] = cum
	}
	// Retention last: it reads MRR win months back, and overwrites the
	// young and grr levels kept in its rows, so walk down.
	for mo := h; mo >= 0; mo-- {
		nrr, gr := 0.0, 0.0
		if mo >= win {
			if base := mrr[mo-win]; base > 0 {
				nrr, gr = (mrr[mo]-young[mo])/base, grr[mo]/base
			}
		}
		series[sNRR][mo], series[sGRR][mo] = nrr, gr
	}
	metrics[mARREnd] = series[sARR][h]
	metrics[mRevenueTotal] = cum
	metrics[mNRR] = series[sNRR][h]
	metrics[mGRR] = series[sGRR][h]
	metrics[mLogosEnd] = series[sLogos][h]
	w.summariseTeam(series, metrics)
}

// pooled is a month of the teams of several pools, added up.
type pooled struct{ n, need, covSum, below, avail, used, heads, cost float64 }

// pooledMonth adds up month mo of every pool's team: from its statistics
// when its book ran month by month, otherwise from its segments' served
// accounts, all fully covered.
func (w *worker) pooledMonth(mo int, pc *pooled) {
	for p, synced := range w.poolSynced {
		tp := w.teams[p]
		var n, need, covSum, below float64
		if synced {
			st := &w.poolStats[p][mo]
			n, need, covSum, below = float64(st.n), st.need, st.covSum, st.below
			if st.nf > 0 {
				n = st.nf
			}
		} else {
			need, n = w.poolServed(p, mo)
			covSum = n
		}
		pc.n += n
		pc.need += need
		pc.covSum += covSum
		pc.below += below
		pc.avail += tp.hours[mo]
		pc.used += math.Min(need, tp.hours[mo])
		pc.heads += tp.heads[mo]
		pc.cost += tp.cost[mo]
	}
}

// summariseTeam adds the CS team's series: hours needed by the served
// accounts and available from the team, utilisation (hours used over hours
// available), coverage (mean over served accounts, and the share under
// 50 %), headcount, served accounts per CSM, and CS cost.
func (w *worker) summariseTeam(series *[numSeries][]float64, metrics *[numMetrics]float64) {
	h := w.b.h
	need, served := 0.0, 0.0
	cost, covSum := 0.0, 0.0
	for mo := 0; mo <= h; mo++ {
		need += w.b.need[mo]
		served += w.b.served[mo]
		n, cov, below, needed := served, 1.0, 0.0, need
		if w.synced {
			st := &w.stats[mo]
			n, needed = float64(st.n), st.need
			if st.nf > 0 {
				n = st.nf
			}
			if n > 0 {
				cov, below = st.covSum/n, st.below/n
			}
		}
		avail, heads, csCost := w.team.hours[mo], w.team.heads[mo], w.team.cost[mo]
		used := math.Min(needed, avail)
		if len(w.poolSynced) > 1 {
			var pc pooled
			w.pooledMonth(mo, &pc)
			n, needed, avail, used, heads, csCost = pc.n, pc.need, pc.avail, pc.used, pc.heads, pc.cost
			cov, below = 1, 0
			if n > 0 {
				cov, below = pc.covSum/n, pc.below/n
			}
		}
		if mo == 0 {
			needed, cov, used = 0, 1, 0
		}
		util := 0.0
		if avail > 0 {
			util = used / avail
		}
		perCSM := 0.0
		if heads > 0 {
			perCSM = n / heads
		}
		series[sHoursNeeded][mo] = needed
		series[sHoursAvailable][mo] = avail
		series[sUtilisation][mo] = util
		series[sCoverage][mo] = cov
		series[sCoverageBelow50][mo] = below
		series[sCSMs][mo] = heads
		series[sAccountsPerCSM][mo] = perCSM
		series[sCSCost][mo] = csCost
		if mo > 0 {
			cost += csCost
			covSum += cov
		}
	}
	metrics[mCSCostTotal] = cost
	metrics[mCoverageMean] = covSum / float64(max(h, 1))

	w.summariseFinance(series, metrics)
}

// addCalendar adds one renewal calendar's accounts to the series, applying
// the price factor P(m) = (1 + price increase)^(renewals up to m).
func (w *worker) addCalendar(r *segRun, cal int, c *schedule, series *[numSeries][]float64, newLogos bool) {
	h, win := w.b.h, w.b.window
	mrr, young, grr := series[sMRR], series[sNRR], series[sGRR]
	p := w.price[:0]
	var level, yg, z, pm float64 = 0, 0, 0, 1
	prevLevel := 0.0
	for mo := 0; mo <= h; mo++ {
		renewal := r.repriced(mo, cal)
		if renewal {
			pm = r.renewed(pm)
		}
		p = append(p, pm)
		level += c.y[mo] + c.churn[mo]
		yg += c.young[mo]
		z += c.z[mo]
		mrr[mo] += pm * level
		r.mrrLevel[mo] += pm * level
		if newLogos {
			r.newLevel[mo] += pm * level
		}
		young[mo] += pm * yg
		if mo >= win {
			grr[mo] += p[mo-win] * z
		}
		if mo > 0 {
			prev := p[mo-1]
			// A bill is due at the calendar's months for its period; an
			// upsell between them is billed for the rest of the period.
			if ph := r.billPhase(mo, cal); ph == 0 {
				series[sBillings][mo] += float64(r.billEvery) * pm * level
			} else {
				series[sBillings][mo] += float64(r.billEvery-ph) * pm * c.up[mo]
			}
			series[sChurnedMRR][mo] -= prev * c.churn[mo]
			series[sExpansionMRR][mo] += pm * c.up[mo]
			if r.salaried {
				w.b.upSal[mo] += pm * c.up[mo]
			}
			if renewal {
				price := r.priceInc * prev * (prevLevel + c.churn[mo])
				series[sExpansionMRR][mo] += price
				w.b.priceM[mo] += price
			}
		}
		prevLevel = level
	}
	w.price = p
}
