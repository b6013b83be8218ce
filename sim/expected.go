package sim

import (
	"math"
	"slices"

	"csplan/sim/dist"

	"gonum.org/v1/gonum/stat/distuv"
)

// Expected mode: the deterministic expected path of the same account model,
// with survival weights instead of draws. Accounts that share a join month
// and a first renewal follow the same expected path per dollar of MRR, so
// the book is computed per such group, not per account.

// group is a set of accounts that follow the same expected path per
// dollar: one segment, one join month, one first renewal.
type group struct {
	r                   *segRun
	join, firstRenewal  int
	weight, count       float64 // starting MRR and number of accounts
	first, step, anchor int     // churn opportunities and motion anchor
	failAt              int     // month a failed onboarding churns, or −1
	k                   int     // churn opportunities so far
	tenure              int     // churn periods survived before month 1 (existing book)
	e, surv             []float64
	price               []float64 // per dollar: MRR added by price increases each month
	expand, contract    []float64 // per dollar: gross expansion (price and upsell) and contraction each month
	churned             []float64 // per dollar: MRR churned each month
	// base is the MRR per dollar of an account that has had its price
	// increases and no upsell or contraction: where most of the group's
	// accounts are, and so the MRR priority assignment ranks the group by.
	base     []float64
	cov      float64   // coverage this month
	covs     []float64 // coverage by month from the join month (coverage memory)
	referred bool      // referred logos and champion moves
	// sBG under a coverage multiplier: survival weights of the accounts
	// at fixed propensities θ (see sbgChurn).
	theta, thetaSurv []float64
}

// thetaNodes is the number of propensities an sBG group is followed at once
// a multiplier acts: equal-probability points of θ's distribution.
const thetaNodes = 100

// posteriorNodes are thetaNodes equal-probability points of θ's
// posterior after k − 1 periods survived, Beta(α, β + k − 1), shared (read
// only) by every group of the segment that needs them in the trial: the
// Beta quantiles are the costly part of expected mode, and depend only on
// k.
func (r *segRun) posteriorNodes(k int) []float64 {
	if nodes, ok := r.thetaCache[k]; ok {
		return nodes
	}
	if r.thetaCache == nil {
		r.thetaCache = map[int][]float64{}
	}
	post := distuv.Beta{Alpha: r.alpha, Beta: r.beta + float64(k-1)}
	nodes := make([]float64, thetaNodes)
	for i := range nodes {
		nodes[i] = post.Quantile((float64(i) + 0.5) / thetaNodes)
	}
	r.thetaCache[k] = nodes
	return nodes
}

// sbgChurn is the expected churn of the group's k-th period under the
// multiplier mult. Without a multiplier it is the closed-form sBG hazard
// α/(α + β + k − 1). Once a multiplier acts, each account churns with
// min(1, mult·θ) for its own θ, which the population hazard cannot express
// (a higher rate removes the riskiest accounts faster); from that period on
// the group is followed at thetaNodes propensities drawn from θ's posterior
// given k − 1 periods survived, Beta(α, β + k − 1), as the simulation
// draws it.
func (g *group) sbgChurn(k int, mult float64) float64 {
	r := g.r
	k += g.tenure // periods survived before month 1 count as survived
	if g.theta == nil && mult == 1 {
		return r.alpha / (r.alpha + r.beta + float64(k) - 1)
	}
	if g.theta == nil {
		g.theta, g.thetaSurv = r.posteriorNodes(k), make([]float64, thetaNodes)
		for i := range g.thetaSurv {
			g.thetaSurv[i] = 1
		}
	}
	alive, lost := 0.0, 0.0
	for i, th := range g.theta {
		p := min(1, mult*th)
		alive += g.thetaSurv[i]
		lost += g.thetaSurv[i] * p
		g.thetaSurv[i] *= 1 - p
	}
	if alive == 0 {
		return 1
	}
	return lost / alive
}

// expectedTrial computes the expected path of m into w.b. Groups advance
// month by month together, because with a team short of hours the coverage
// of each depends on all of them.
func (w *worker) expectedTrial(m *Model, netRate NetRate) {
	b := w.b
	b.reset()
	d := drawer{expected: true}
	resp := m.Response.draw(&d, &w.resp)
	w.segs = resolve(m, resp, &d, w.segs)
	w.econ = drawEconomics(m, &d)
	w.segArrays()
	h := b.h
	np := m.poolCount()
	w.usePools(np)
	teamOn := m.teamActive()
	// on: the pool's team decides its accounts' coverage.
	on := func(p int) bool { return teamOn && m.poolTeam(p).Active() }
	gs := &groups{h: h, split: func(r *segRun) bool { return on(r.pool) && m.poolTeam(r.pool).Assignment == Priority }}
	for i := range w.segs {
		gs.book(&w.segs[i])
	}
	for p := range np {
		if t := m.poolTeam(p); on(p) {
			w.teams[p].begin(t, d.draw(t.Productivity), d.draw(t.LoadedCost), d.draw(t.HiringCost), d.draw(t.Attrition), 0, false)
		} else {
			w.teams[p].clear()
		}
		w.poolSynced[p] = true // team statistics come from the groups (shareExpected)
	}
	w.synced = true
	var active []*group
	for mo := 1; mo <= h; mo++ {
		if so := w.segs[0].so; so != nil {
			gs.secondOrder(w.segs, so, mo)
		}
		for _, g := range gs.all {
			g.cov = 1
		}
		for p := range np {
			w.setPool(p)
			active = active[:0]
			for _, g := range gs.all {
				if g.join <= mo && g.r.served() && g.r.pool == p {
					active = append(active, g)
				}
			}
			if on(p) {
				// The team month by month: last month's load may raise
				// its attrition.
				w.team.month(mo, w.attritionMult(resp, mo))
			}
			w.shareExpected(active, mo, m.poolTeam(p).Assignment, on(p))
		}
		for _, g := range gs.all {
			if g.join <= mo {
				g.covs[mo] = g.cov
			}
			if g.join < mo {
				g.advance(mo, netRate, resp, on(g.r.pool), w.teams[g.r.pool])
			}
		}
	}
	w.setPool(0)
	for _, g := range gs.all {
		b.bookGroup(g)
	}
}

// groups are the expected path's groups of accounts.
type groups struct {
	h     int
	split func(*segRun) bool // a segment's groups are split into ACV deciles (priority assignment)
	all   []*group
}

// add adds a group of count accounts of segment r with weight dollars of
// MRR, joining in month join and first renewing in fr. Under priority
// assignment coverage follows MRR, so served groups are split into ACV
// deciles: the same expected book, with the spread of account sizes that
// decides who is covered.
func (gs *groups) add(r *segRun, join, fr, tenure int, weight, count float64, acv dist.Dist) {
	if !gs.split(r) || !r.served() || acv == nil || acv.Fixed() {
		gs.all = append(gs.all, newGroup(r, join, fr, tenure, gs.h, weight, count))
		return
	}
	const bins = 10
	var v [bins]float64
	sum := 0.0
	for k := range v {
		v[k] = acv.Quantile((float64(k) + 0.5) / bins)
		sum += v[k]
	}
	for k := range v {
		share := v[k] / sum
		gs.all = append(gs.all, newGroup(r, join, fr, tenure, gs.h, weight*share, count/bins))
	}
}

// book adds segment r's opening book, grouped by first renewal month, and
// its new logos at their expected number each month.
func (gs *groups) book(r *segRun) {
	s := r.seg
	// Grouped by first renewal and tenure, in one key.
	const tenureBits = 20
	weight := map[int]float64{}
	count := map[int]float64{}
	for j := 0; j < s.Count; j++ {
		k := r.firstRenewal(j)<<tenureBits | r.tenure(j)
		if j < len(s.Accounts) {
			weight[k] += s.Accounts[j].MRR
		} else {
			weight[k] += s.ACV.Mean() / 12
		}
		count[k]++
	}
	for _, k := range sortedInts(weight) {
		var acv dist.Dist
		if len(s.Accounts) == 0 {
			acv = s.ACV
		}
		gs.add(r, 0, k>>tenureBits, k&(1<<tenureBits-1), weight[k], count[k], acv)
	}
	if r.lambda <= 0 || r.newACV == nil {
		return
	}
	acc := 0.0
	for mo := 1; mo <= gs.h; mo++ {
		n := r.arrivalRate(mo)
		if s.Acquisition.Arrivals == Deterministic {
			n = float64(deterministicArrivals(n, &acc))
		}
		if n > 0 {
			gs.add(r, mo, mo+r.term, 0, n*r.newACV.Mean()/12, n, r.newACV)
		}
	}
}

// secondOrder adds month mo's second-order logos: referrals from the
// advocates among the accounts active the month before, and the logos
// the champions who left then bring.
func (gs *groups) secondOrder(segs []segRun, so *secondOrder, mo int) {
	start := len(gs.all)
	for i := range segs {
		r := &segs[i]
		if r.newACV == nil {
			continue
		}
		alive, departed := 0.0, 0.0
		for _, g := range gs.all[:start] {
			if g.r == r && g.join <= mo-1 {
				alive += g.count * g.surv[mo-1]
				if g.join < mo-1 {
					departed += g.count * g.surv[mo-1] * (1 - math.Exp(so.champLog))
				}
			}
		}
		if n := so.referralRate(alive) + so.moveWin*departed; n > 0 {
			gs.add(r, mo, mo+r.term, 0, n*r.newACV.Mean()/12, n, r.newACV)
		}
	}
	for _, g := range gs.all[start:] {
		g.referred = true
	}
}

// bookGroup books a group's expected path: the book's arrays, its
// segment's MRR and accounts, and second-order revenue.
func (b *book) bookGroup(g *group) {
	h := b.h
	b.addExpected(g, g.weight, g.count)
	g.r.accounts += g.count
	if g.join > 0 {
		g.r.newAccounts += g.count
	}
	if g.referred {
		b.refM[g.join] += g.weight
		b.refN[g.join] += g.count
		b.soMRR[g.join] += g.weight * g.e[g.join]
		for mo := g.join + 1; mo <= h; mo++ {
			b.soMRR[mo] += g.weight * (g.e[mo] - g.e[mo-1])
		}
	}
	diffs := [][]float64{g.r.mrrD}
	if g.join > 0 { // new logos, apart for their CLV
		diffs = append(diffs, g.r.newD)
	}
	for _, d := range diffs {
		for mo := g.join; mo <= h; mo++ {
			d[mo] += g.weight * (g.e[mo] - g.e[max(mo-1, g.join)])
		}
		d[g.join] += g.weight * g.e[g.join]
	}
	for mo := g.join + 1; mo <= h; mo++ {
		b.priceM[mo] += g.weight * g.price[mo]
	}
	// Bills, as billPath books them: the period's months at the expected
	// MRR when one is due, an expansion between them for the rest of its
	// period.
	anchor := g.r.anchor(g.join, g.firstRenewal)
	for mo := max(g.join, 1); mo <= h; mo++ {
		if ph := g.r.billPhase(mo, anchor); ph == 0 {
			b.bill[mo] += float64(g.r.billEvery) * g.weight * g.e[mo]
		} else {
			b.bill[mo] += float64(g.r.billEvery-ph) * g.weight * g.expand[mo]
		}
	}
}

// shareExpected gives month mo's expected hours to the expected active
// accounts of the served groups: evenly, or to the highest MRR per account
// first.
func (w *worker) shareExpected(active []*group, mo int, assign Assignment, teamOn bool) {
	alive := func(g *group) float64 { return g.count * g.surv[max(mo-1, g.join)] }
	need, n := 0.0, 0.0
	for _, g := range active {
		need += alive(g) * g.r.hoursPerAccount / 12
		n += alive(g)
	}
	avail := w.team.hours[mo]
	// Without a team everyone is covered; only the hours needed are
	// counted.
	if teamOn && assign == Priority && need > avail {
		// A group is ranked by the MRR of its accounts that have not
		// been upsold or contracted, most of them: ranking it by its mean,
		// which carries the expected upsell, would lift all its accounts
		// above equal accounts of other groups, where the simulation lifts
		// only the upsold ones.
		perAccount := func(g *group) float64 {
			t := max(mo-1, g.join)
			if g.surv[t] == 0 {
				return 0
			}
			return g.weight * g.base[t] / g.count
		}
		// Each group's rank is computed once, not at every comparison.
		keyed := w.keyed[:0]
		for _, g := range active {
			keyed = append(keyed, rankedGroup{perAccount(g), g})
		}
		slices.SortStableFunc(keyed, func(a, b rankedGroup) int { return cmpDesc(a.key, b.key) })
		for i, k := range keyed {
			active[i] = k.g
		}
		w.keyed = keyed
		// As in the simulation, accounts whose MRR falls in the same
		// bucket are treated alike: the bucket where the hours run out
		// shares what is left evenly.
		left := avail
		for i := 0; i < len(active); {
			j, bucketNeed := i, 0.0
			b := mrrBucket(perAccount(active[i]))
			for ; j < len(active) && mrrBucket(perAccount(active[j])) == b; j++ {
				bucketNeed += alive(active[j]) * active[j].r.hoursPerAccount / 12
			}
			c := 1.0
			if bucketNeed > 0 {
				c = max(0, min(1, left/bucketNeed))
			}
			for _, g := range active[i:j] {
				g.cov = c
			}
			left -= bucketNeed
			i = j
		}
	} else if teamOn && need > avail {
		for _, g := range active {
			g.cov = avail / need
		}
	}
	// The accounts are counted again in the order their coverage is
	// added up (priority sorted them), so that full coverage is exactly 1.
	st := &w.stats[mo]
	st.need = need
	n = 0
	for _, g := range active {
		a := alive(g)
		n += a
		st.covSum += a * g.cov
		if g.cov < 0.5 {
			st.below += a
		}
	}
	st.n = int(math.Round(n))
	st.nf = n
}

// rankedGroup is a group with its rank for the priority assignment.
type rankedGroup struct {
	key float64
	g   *group
}

func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func sortedInts(m map[int]float64) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func newGroup(r *segRun, join, firstRenewal, tenure, h int, weight, count float64) *group {
	g := &group{r: r, join: join, firstRenewal: firstRenewal, tenure: tenure, weight: weight, count: count,
		e: make([]float64, h+2), surv: make([]float64, h+2), price: make([]float64, h+2),
		expand: make([]float64, h+2), contract: make([]float64, h+2), churned: make([]float64, h+2), base: make([]float64, h+2), failAt: -1, cov: 1,
		covs: make([]float64, h+2)}
	g.first, g.step = r.churnOpportunities(join, firstRenewal)
	g.anchor = r.anchor(join, firstRenewal)
	if join > 0 {
		g.failAt = r.failedChurn(join)
	}
	g.e[join], g.surv[join], g.base[join] = 1, 1, 1
	return g
}

// advance moves the group's expected path per dollar of starting MRR (e)
// and its survival (surv) to month mo. With the multiplicative convention
// each month multiplies e by (1 − churn)(1 + price increase)(1 + upsell)
// (1 − contraction), the expectation of the account-level simulation; with
// the additive convention by (1 + price increase + upsell − contraction −
// churn). With a team, coverage multiplies churn (for sBG segments the
// propensities of its accounts, see sbgChurn), the upsell probability and
// onboarding success, each at the group's mean coverage over the months
// the event looks back at (coverageFrom, onboarding).
func (g *group) advance(mo int, netRate NetRate, resp *Response, teamOn bool, tp *teamPath) {
	r := g.r
	churnMult, upMult, onbMult := r.churnMult, r.upMult, r.onbMult
	if teamOn {
		cov := g.meanCov(r.coverageFrom(g.join, g.firstRenewal, mo), mo)
		churnMult = curveAt(resp.Churn, cov)
		upMult = curveAt(resp.Upsell, cov)
		if mo == g.failAt {
			decided, from := r.onboarding(g.join)
			onbMult = curveAt(resp.Onboarding, g.meanCov(from, decided))
		}
	}
	if so := r.so; so.raisesChurn() {
		// The share of accounts whose champion left within the risk
		// window (departures from the month after joining), taken as
		// independent of survival.
		atRisk := 1 - math.Exp(so.champLog*float64(min(so.riskMonths, mo-g.join)))
		churnMult *= 1 + (so.champMult-1)*atRisk
	}
	if r.handoffs(tp) {
		// The share of accounts whose CSM left within the hand-off window
		// (months mo − handMonths + 1 to mo, after joining).
		kept := 1.0
		for t := max(mo-r.handMonths, g.join) + 1; t <= mo; t++ {
			kept *= 1 - tp.left[t]
		}
		atRisk := 1 - kept
		churnMult *= 1 + (r.handChurn-1)*atRisk
		upMult *= 1 + (r.handUp-1)*atRisk
	}
	c := 0.0
	if mo >= g.first && (mo-g.first)%g.step == 0 {
		g.k++
		switch {
		case r.table:
			c, _ = r.tableHazard(g.k+g.tenure, churnMult)
		case r.sbg:
			c = g.sbgChurn(g.k, churnMult)
		default:
			c = math.Min(1, r.baseChurn*churnMult)
		}
	}
	if mo == g.failAt {
		c = 1 - (1-c)*math.Min(1, r.onbSuccessBase*onbMult)
	}
	term := r.term
	pi := 0.0
	if r.repriced(mo, r.priceFrom(g.join, g.firstRenewal)) {
		pi = r.priceInc
	}
	up := 0.0
	if r.upSize != nil && isOpportunity(mo, g.anchor, r.upEvery, g.firstRenewal, term) {
		up = math.Min(1, r.baseUp*upMult) * r.upSize.Mean()
	}
	co := 0.0
	if r.coQ > 0 && isOpportunity(mo, g.anchor, r.coEvery, g.firstRenewal, term) {
		co = r.coQ * r.coSize.Mean()
	}
	g.moveTo(mo, netRate, c, pi, up, co)
}

// moveTo moves the group's path to month mo given the month's churn c, price
// increase pi, and expected upsell up and contraction co (shares of MRR),
// booking the flows.
func (g *group) moveTo(mo int, netRate NetRate, c, pi, up, co float64) {
	g.surv[mo] = g.surv[mo-1] * (1 - c)
	g.base[mo] = g.base[mo-1] * (1 + pi)
	// The churned share of last month's MRR, in both conventions (the
	// additive one keeps MRR on the path after every account has gone,
	// and churns it as it would the accounts').
	g.churned[mo] = g.e[mo-1] * c
	// Expansion and contraction are booked gross, as the Monte Carlo
	// engine books them: a month's upsell and contraction do not net out.
	if e0 := g.e[mo-1]; netRate == Additive {
		g.price[mo] = e0 * pi
		g.expand[mo], g.contract[mo] = e0*(pi+up), e0*co
		g.e[mo] = e0 * (1 + pi + up - co - c)
		if g.surv[mo] == 0 {
			// No account is left: neither is MRR (the sum alone would
			// keep the month's price increase and upsell of no one).
			g.churned[mo], g.e[mo] = e0+g.expand[mo]-g.contract[mo], 0
		}
	} else {
		// Survivors' price increase, then upsell, then contraction.
		kept := e0 * (1 - c)
		grown := kept * (1 + pi) * (1 + up)
		g.price[mo] = kept * pi
		g.expand[mo], g.contract[mo] = grown-kept, grown*co
		g.e[mo] = grown * (1 - co)
	}
}

// meanCov is the group's mean coverage over months [from, to].
func (g *group) meanCov(from, to int) float64 {
	if from == to {
		return g.covs[to]
	}
	sum := 0.0
	for _, c := range g.covs[from : to+1] {
		sum += c
	}
	return sum / float64(to-from+1)
}

// isOpportunity reports whether month mo is an opportunity of a motion with
// the given cadence (every months from the contract start; 0: at renewals),
// by the schedule firstOpportunity gives.
func isOpportunity(mo, anchor, every, firstRenewal, term int) bool {
	step, first := firstOpportunity(anchor, every, firstRenewal, term)
	return mo >= first && (mo-first)%step == 0
}

// addExpected adds weight dollars (and count accounts) following the unit
// path of g into the book's difference arrays and flows.
func (b *book) addExpected(g *group, weight, count float64) {
	e, surv, join := g.e, g.surv, g.join
	h, w := b.h, b.window
	b.mrr[join] += weight * e[join]
	b.logos[join] += count * surv[join]
	if join > 0 {
		b.newM[join] += weight
		b.joins[join] += count
	}
	for mo := join + 1; mo <= h; mo++ {
		b.mrr[mo] += weight * (e[mo] - e[mo-1])
		b.logos[mo] += count * (surv[mo] - surv[mo-1])
		b.churnM[mo] += weight * g.churned[mo]
		b.expM[mo] += weight * g.expand[mo]
		if g.r.salaried {
			b.upSal[mo] += weight * (g.expand[mo] - g.price[mo])
		}
		b.conM[mo] += weight * g.contract[mo]
	}
	if join > 0 {
		end := min(join+w, h+1)
		b.young[join] += weight * e[join]
		if end <= h {
			b.young[end] -= weight * e[end-1]
		}
		for mo := join + 1; mo < end; mo++ {
			b.young[mo] += weight * (e[mo] - e[mo-1])
		}
	}
	// GRR: survivors keep at most what they had window months ago; with
	// growth that never falls this is exact, with contraction it is the
	// expected path's approximation (see the README).
	prev := 0.0
	for mo := join + w; mo <= h; mo++ {
		g := func(m int) float64 {
			if surv[m] == 0 {
				return 0
			}
			return e[m] / surv[m]
		}
		v := weight * surv[mo] * math.Min(g(mo), g(mo-w))
		b.grr[mo] += v - prev
		prev = v
	}
}
