package sim

import (
	"math"
	"math/bits"
	"slices"

	"csplan/sim/dist"
)

// The lockstep stepper. When the team is short of hours, coverage depends
// on which accounts are active and on their MRR, and churn and upsell
// depend on coverage: the served segments' accounts must advance together,
// month by month. They are not visited every month, though. Each month the
// stepper shares the team's hours out from counts of the active accounts by
// priority slot (their MRR band), kept in Fenwick trees, and records the
// month's rule (who is fully covered, who gets the remainder). An account is
// visited only in the months where something can happen to it: its join,
// its churn opportunities, its renewals, its champion's departures, a failed
// onboarding, and the first month its upsell or contraction could happen
// with the most favourable coverage. Between visits its MRR, and so its
// slot, does not change, so at a visit the coverage it had in each month
// since the last one is read from the recorded rules, and its hazards are
// brought up to date in runs of equal coverage.
//
// The draws are those of the skip-ahead stepper (trial.go), from the same
// streams: an upsell or contraction happens at the first opportunity where
// the hazard accumulated since the last one, Σ −log(1 − p_j), passes an
// exponential threshold, which with a constant p is the geometric skip; an
// sBG account keeps its uniform until a multiplier first applies, then
// draws its propensity θ from the posterior Beta(α, β + periods survived).
// So a trial in which coverage stays full gives the same plans either way,
// and the same ledger (bookAccount) books them.

// live is an account of a served segment in the lockstep stepper.
//
// Months are int32 and the struct is kept small: visits come in no
// particular order, so an account's state is fetched from memory at each
// one.
type live struct {
	r                *segRun
	mrr0, mrr        float64 // MRR when joining, and now
	join, firstRenew int32
	churnAt          int32 // month it churns (h+1: survives)
	slot             int32 // priority slot of its MRR
	nextChurn, step  int32 // churn opportunities
	periods          int32 // churn opportunities survived, its tenure's included
	tenure           int32 // churn periods survived before month 1 (existing book)
	nextRenew        int32
	onbFailAt        int32
	onbAt            int32 // month its onboarding is decided (never: decided)
	span             int32 // its priority slot since a month: l.spans
	nextChamp        int32 // month the champion next leaves (second order)
	riskUntil        int32 // churn is raised before this month
	handFrom         int32 // its hand-off window: [handFrom, handUntil)
	handUntil        int32
	churnS           stream
	champS, moveS    stream
	handS            stream
	churn            hazard
	u, theta         float64 // sBG: uniform until θ is drawn (θ < 0: not yet)
	onbU             float64 // onboarding uniform, until onbAt
	up, co           motion
	ups, cos         evList // its events so far
	referred         bool
	gone             bool
}

// motion is an upsell or contraction process of one account: its
// opportunities from month next every step months, and the hazard
// accumulated since its last event against its threshold.
type motion struct {
	s          stream
	next, step int32 // next opportunity not yet counted (> horizon: none)
	z          hazard
}

// slotSpan is the priority slot an account held from a month on, linked
// to the one it held before: coverage memory reads the coverage of past
// months in the slot the account had then.
type slotSpan struct{ from, slot, prev int32 }

// evList is a linked list of an account's events in the stepper's arena.
type evList struct{ head, tail int32 }

type lsEvent struct {
	event
	next int32
}

// syncStats are a month's coverage statistics over the served accounts.
type syncStats struct {
	need, covSum, below float64
	n                   int
	nf                  float64 // expected mode: expected accounts
}

// served reports whether CSMs serve the segment.
func (r *segRun) served() bool { return !r.seg.Digital && r.hoursPerAccount > 0 }

// serves reports whether the stepper runs the segment: CSMs of its pool
// serve it.
func (l *lockstep) serves(r *segRun) bool { return r.served() && r.pool == l.pool }

// Coverage rules of a month, in lockstep.cut: every account fully covered,
// or every account the same share (even assignment); otherwise the slot
// where the hours run out (priority assignment).
const (
	cutNone = -1
	cutEven = math.MaxInt32
)

// Priority slots: slot 0 holds accounts without MRR (served last), then
// one slot per MRR band (see mrrBucket) from slotLo up: 128 octaves from an
// MRR of 2^-40, so every amount a scenario can hold, in any currency or
// unit, is ranked in its own band (validation bounds amounts at 1e15,
// about 2^50).
const numSlots = 1 << 14

var slotLo = band(0x1p-40)

func slotOf(mrr float64) int {
	b := mrrBucket(mrr)
	if b < 0 {
		return 0
	}
	return min(max(b-slotLo+1, 1), numSlots-1)
}

// lockstep is the stepper's reusable state.
type lockstep struct {
	pool   int // the pool whose served book it runs (Model.Pools)
	accts  []live
	events []lsEvent
	spans  []slotSpan
	cal    [][]int32     // accounts to visit, by month
	cut    []int         // the month's coverage rule (cutNone, cutEven or a slot)
	frac   []float64     // the coverage of the cut slot, or the even share
	hiCut  rangeMax      // the cut by month, for runs of full coverage
	loCut  rangeMax      // minus the cut by month, for runs of none
	count  []*slotCounts // active accounts by slot, per served segment
	hours  []float64     // per served segment: hours an account needs a month
	served []int         // segment index → served segment index, −1
	alive  []int         // active accounts per segment
	upMax  []float64     // per segment: the highest upsell probability any coverage gives
	upLam  []float64     // and its hazard
	// finishedAt is the month after which the trial ran at full coverage
	// (finish), or 0.
	finishedAt int
	ahead      []int // scratch for spareAfter and finish
	accAhead   []float64
	leave      [][]int // finish: accounts leaving, per segment and month
}

// slotCounts counts a served segment's active accounts by priority slot,
// and by blocks of blockSlots slots, so that a change is two increments
// and the month's share walks at most the blocks and one block's slots.
type slotCounts struct {
	slot  [numSlots]int32
	block [numSlots / blockSlots]int32
	total int
}

const blockSlots = 128

func (c *slotCounts) add(s, d int) {
	c.slot[s] += int32(d)
	c.block[s/blockSlots] += int32(d)
	c.total += d
}

// rangeMax answers the maximum of a series over a range of months in
// constant time (a sparse table), growing month by month.
type rangeMax struct{ t [][]int }

func (q *rangeMax) reset(h int) {
	levels := bits.Len(uint(h+1)) + 1
	for len(q.t) < levels {
		q.t = append(q.t, nil)
	}
	for k := range q.t {
		if cap(q.t[k]) < h+2 {
			q.t[k] = make([]int, h+2)
		}
		q.t[k] = q.t[k][:h+2]
	}
}

// set records month m's value; earlier months are already set.
func (q *rangeMax) set(m, v int) {
	q.t[0][m] = v
	for k := 1; k < len(q.t) && m-(1<<k)+1 >= 0; k++ {
		i := m - (1 << k) + 1
		q.t[k][i] = max(q.t[k-1][i], q.t[k-1][i+1<<(k-1)])
	}
}

// max is the largest value over months [a, b], a ≤ b, all set.
func (q *rangeMax) max(a, b int) int {
	k := bits.Len(uint(b-a+1)) - 1
	return max(q.t[k][a], q.t[k][b-(1<<k)+1])
}

// runServed simulates the served segments in lockstep under the team's
// hours, then books every account with bookAccount.
func (w *worker) runServed(team *teamPath, assign Assignment, resp *Response) {
	l := &w.ls
	h := w.b.h
	l.begin(w, h, resp)
	for i := range w.segs {
		r := &w.segs[i]
		if !l.serves(r) {
			continue
		}
		r.cache.reset(r, resp)
		keys, mrrs := w.openingBook(r)
		for j, key := range keys {
			if j&65535 == 65535 && w.cancelled() {
				break
			}
			w.join(r, key, mrrs[j], 0, r.firstRenewal(j), r.tenure(j), false)
		}
	}
	acc := make([]float64, len(w.segs)) // deterministic arrivals' running totals
	load := w.loadAttrition(resp)
	if load {
		team.restart()
	}
	for m := 1; m <= h && !w.cancelled(); m++ {
		if load {
			// The team month by month: last month's load may raise its
			// attrition.
			team.month(m, w.attritionMult(resp, m))
		}
		w.newLogos(m, acc) // before coverage is shared out
		l.share(w, m, team.hours[m], assign)
		w.handOffs(m, resp)
		for k, i := range l.cal[m] {
			if k&1023 == 1023 && w.cancelled() {
				break
			}
			w.visit(i, m, resp)
		}
		// Coverage memory: the months an event may still look back at
		// must have been fully covered too.
		full := l.hiCut.max(max(0, m-max(1, resp.MemoryMonths)+1), m) == cutNone
		if full && m < h && !w.check.lockstep && !team.overloaded && l.spareAfter(w, m, team.hours, acc) {
			w.finish(m, resp, acc)
			break
		}
	}
	for i := range l.accts {
		a := &l.accts[i]
		if !a.gone {
			l.count[l.served[a.r.idx]].add(int(a.slot), -1)
		}
		w.ups, w.cos = l.collect(w.ups[:0], a.ups), l.collect(w.cos[:0], a.cos)
		w.bookAccount(a.r, a.mrr0, int(a.join), int(a.firstRenew), int(a.churnAt), a.referred)
	}
}

// newLogos has the served segments' new logos of month m join: referred
// ones and those departed champions bring, then new arrivals (acc holds
// the deterministic arrivals' running totals).
func (w *worker) newLogos(m int, acc []float64) {
	l := &w.ls
	for i := range w.segs {
		r := &w.segs[i]
		if !l.serves(r) || r.newACV == nil {
			continue
		}
		if so := r.so; so != nil {
			st := newStream(subKey(w.trial, accountKey(r.key, m, 0)), purposeReferral)
			n := poisson(&st, so.referralRate(float64(l.alive[i])))
			for k := 0; k < n+w.moves[i][m]; k++ {
				j := referralKeys + k
				if k >= n {
					j = moveKeys + k - n
				}
				key := subKey(w.trial, accountKey(r.key, m, j))
				w.join(r, key, w.drawMRR(r.newACV, key), m, m+r.term, 0, true)
			}
		}
		if r.lambda <= 0 {
			continue
		}
		n := w.arrivals(r, m, &acc[i])
		for k := 0; k < n && (k&1023 != 0 || !w.cancelled()); k++ {
			key, mrr := w.newLogo(r, m, k)
			w.join(r, key, mrr, m, m+r.term, 0, false)
		}
	}
}

// spareAfter reports whether the team's hours cover every month after m
// even if no served account left and every new logo joined: coverage is
// then full for the rest of the trial. Only without second-order effects,
// whose new logos depend on the accounts active, and without hand-offs.
func (l *lockstep) spareAfter(w *worker, m int, hours, acc []float64) bool {
	h := w.b.h
	n := append(l.ahead[:0], make([]int, len(w.segs))...)
	accAhead := append(l.accAhead[:0], acc...)
	l.ahead, l.accAhead = n, accAhead
	for i := range w.segs {
		r := &w.segs[i]
		// Second-order logos depend on the accounts active, and hand-off
		// windows are not carried by complete.
		if l.serves(r) && (r.so != nil || r.handoffs(w.team)) {
			return false
		}
		n[i] = l.alive[i]
	}
	for mo := m + 1; mo <= h; mo++ {
		need := 0.0
		for i := range w.segs {
			r := &w.segs[i]
			s := l.served[i]
			if s < 0 {
				continue
			}
			if r.lambda > 0 && r.newACV != nil {
				n[i] += w.arrivals(r, mo, &accAhead[i])
			}
			need += float64(n[i]) * l.hours[s]
		}
		if need > hours[mo] {
			return false
		}
	}
	return true
}

// finish runs the trial to its end once coverage is known to be full after
// month m: every account still active goes to the horizon at once
// (complete), and the new logos of later months go the skip-ahead way. Both
// draw what lockstep would draw month by month at full coverage.
func (w *worker) finish(m int, resp *Response, acc []float64) {
	l := &w.ls
	h := w.b.h
	for mo := m + 1; mo <= h; mo++ {
		l.cut[mo], l.frac[mo] = cutNone, 1
		l.hiCut.set(mo, cutNone)
		l.loCut.set(mo, -cutNone)
	}
	// Active accounts per segment from month m + 1, for the months'
	// statistics: those active after month m, the new logos from the month
	// they join, each counted to its churn month.
	for len(l.leave) < len(w.segs) {
		l.leave = append(l.leave, nil)
	}
	active := append(l.ahead[:0], l.alive...)
	l.ahead = active
	for i := range w.segs {
		l.leave[i] = append(l.leave[i][:0], make([]int, h+2)...)
	}
	for i := range l.accts {
		if a := &l.accts[i]; !a.gone {
			w.complete(a, m, resp)
		}
	}
	l.finishedAt = m
	for mo := m + 1; mo <= h; mo++ {
		st := &w.stats[mo]
		*st = syncStats{}
		for i := range w.segs {
			r := &w.segs[i]
			if !l.serves(r) {
				continue
			}
			if r.lambda > 0 && r.newACV != nil {
				n := w.arrivals(r, mo, &acc[i])
				for k := 0; k < n; k++ {
					key, mrr := w.newLogo(r, mo, k)
					if churnAt := w.account(r, key, mrr, mo, mo+r.term, 0, false); churnAt <= h {
						l.leave[i][churnAt+1]++
					}
				}
				active[i] += n
			}
			active[i] -= l.leave[i][mo]
			st.n += active[i]
			st.need += float64(active[i]) * l.hours[l.served[i]]
		}
		st.covSum = float64(st.n)
	}
}

// complete takes account a, visited up to month m, to the horizon at full
// coverage: its churn month in one step, then its upsells and contractions
// before it, with their hazards carried on from lockstep.
func (w *worker) complete(a *live, m int, resp *Response) {
	l := &w.ls
	r := a.r
	h := w.b.h
	churnAt := h + 1
	if int(a.onbAt) <= h {
		// Onboarding not decided yet: every month it looks at is (or
		// will be) fully covered.
		if r.onboardingFails(a.onbU, r.cache.full.pOnb) {
			a.onbFailAt = int32(r.failedChurn(int(a.join)))
		}
		a.onbAt = int32(h + 1)
	}
	if int(a.onbFailAt) > m {
		churnAt = min(churnAt, int(a.onbFailAt))
	}
	if first := int(a.nextChurn); first <= h && first < churnAt {
		step := int(a.step)
		opps := (h-first)/step + 1
		full := &r.cache.full
		k := opps // opportunities survived before the churn; opps: none
		st := &a.churnS
		switch {
		case r.table:
			k = r.tableRun(&a.churn, st, int(a.periods)+1, opps, full.churnMult)
		case r.sbg && a.theta < 0 && full.churnMult == 1:
			if a.periods == a.tenure {
				a.u = st.Uniform() * r.sbgSurv[a.tenure]
			}
			for j := range opps {
				if r.sbgSurv[min(int(a.periods)+j+1, len(r.sbgSurv)-1)] < a.u {
					k = j
					break
				}
			}
		case r.sbg:
			if a.theta < 0 {
				if a.periods == a.tenure {
					a.u = st.Uniform() * r.sbgSurv[a.tenure]
				}
				a.theta = betaRand(st, r.alpha, r.beta+float64(a.periods))
			}
			p := math.Min(1, a.theta*full.churnMult)
			k = a.churn.run(p, -math.Log1p(-p), opps, st)
		default:
			k = a.churn.run(full.pChurn, full.lChurn, opps, st)
		}
		if k < opps {
			churnAt = min(churnAt, first+k*step)
		}
	}
	a.churnAt, a.gone = int32(churnAt), true
	l.alive[r.idx]--
	l.count[l.served[r.idx]].add(int(a.slot), -1)
	if churnAt <= h {
		l.leave[r.idx][churnAt+1]++
	}
	last := min(h, churnAt-1)
	for {
		e, ok := l.advance(a, &a.up, last, r.upSize, +1, resp)
		if !ok {
			break
		}
		a.ups = l.push(a.ups, e)
	}
	for {
		e, ok := l.advance(a, &a.co, last, r.coSize, -1, resp)
		if !ok {
			break
		}
		a.cos = l.push(a.cos, e)
	}
}

// begin readies the stepper for a trial of horizon h.
func (l *lockstep) begin(w *worker, h int, resp *Response) {
	l.accts, l.events, l.spans = l.accts[:0], l.events[:0], l.spans[:0]
	for len(l.cal) < h+2 {
		l.cal = append(l.cal, nil)
	}
	for m := range l.cal {
		l.cal[m] = l.cal[m][:0]
	}
	l.cut = append(l.cut[:0], make([]int, h+1)...)
	l.frac = append(l.frac[:0], make([]float64, h+1)...)
	l.cut[0] = cutNone
	l.hiCut.reset(h)
	l.loCut.reset(h)
	l.hiCut.set(0, cutNone)
	l.loCut.set(0, -cutNone)
	l.served = l.served[:0]
	l.hours = l.hours[:0]
	l.count = l.count[:0]
	l.alive = append(l.alive[:0], make([]int, len(w.segs))...)
	l.upMax, l.upLam = l.upMax[:0], l.upLam[:0]
	l.finishedAt = 0
	for i := range w.segs {
		r := &w.segs[i]
		// The highest upsell probability any coverage gives: an upsell
		// cannot come sooner than at this one.
		hi := 1.0
		if len(resp.Upsell.Y) > 0 {
			hi = slices.Max(resp.Upsell.Y)
		}
		p := math.Min(1, r.baseUp*hi*max(1, r.handUp))
		l.upMax, l.upLam = append(l.upMax, p), append(l.upLam, -math.Log1p(-p))
		if !l.serves(r) {
			l.served = append(l.served, -1)
			continue
		}
		l.served = append(l.served, len(l.hours))
		l.hours = append(l.hours, r.hoursPerAccount/12)
		if k := len(l.count); k < cap(l.count) {
			l.count = l.count[:k+1] // kept from an earlier trial, all zero
		} else {
			l.count = append(l.count, &slotCounts{})
		}
	}
}

// join adds an account to the stepper in month join (0: the opening book).
func (w *worker) join(r *segRun, key uint64, mrr float64, join, firstRenewal, tenure int, referred bool) {
	l := &w.ls
	h := w.b.h
	never := int32(h + 1)
	// Built in place: the struct is large, and a copy costs.
	i := int32(len(l.accts))
	l.accts = append(l.accts, live{})
	a := &l.accts[i]
	*a = live{r: r, mrr0: mrr, mrr: mrr, join: int32(join), firstRenew: int32(firstRenewal), churnAt: never,
		slot: int32(slotOf(mrr)), theta: -1, onbFailAt: never, onbAt: never, nextChamp: never, nextRenew: never, referred: referred,
		ups: evList{-1, -1}, cos: evList{-1, -1}}
	a.span = l.newSpan(max(join, 1), int(a.slot), -1)
	first, step := r.churnOpportunities(join, firstRenewal)
	a.nextChurn, a.step = int32(first), int32(step)
	a.tenure, a.periods = int32(tenure), int32(tenure)
	if r.priceInc != 0 {
		a.nextRenew = int32(r.priceFrom(join, firstRenewal)) // its price increases
	}
	if so := r.so; so != nil && so.champLog != 0 {
		a.champS = newStream(key, purposeChampion)
		a.nextChamp = int32(so.nextDeparture(&a.champS, join, h))
		a.moveS = newStream(key, purposeChampionMove)
	}
	if r.handMonths > 0 {
		// Opened whatever the departures so far: a load that raises
		// attrition may bring some later.
		a.handS = newStream(key, purposeHandoff)
	}
	a.churnS = newStream(key, purposeChurn)
	anchor := r.anchor(join, firstRenewal)
	a.up.next, a.up.step = never, 1
	if r.upSize != nil && r.baseUp > 0 {
		step, next := firstOpportunity(anchor, r.upEvery, firstRenewal, r.term)
		a.up.step, a.up.next = int32(step), int32(min(next, h+1))
		a.up.s = newStream(key, purposeUpsell)
	}
	a.co.next, a.co.step = never, 1
	if r.coQ > 0 {
		step, next := firstOpportunity(anchor, r.coEvery, firstRenewal, r.term)
		a.co.step, a.co.next = int32(step), int32(min(next, h+1))
		a.co.s = newStream(key, purposeContraction)
	}
	if join > 0 {
		// Onboarding is decided at the visit of its last month, with the
		// coverage of its months; the stream is the account's own, drawn
		// now.
		st := newStream(key, purposeOnboarding)
		a.onbU = st.Uniform()
		decided, _ := r.onboarding(join)
		a.onbAt = int32(decided)
	}
	l.alive[r.idx]++
	l.count[l.served[r.idx]].add(int(a.slot), 1)
	visit := join
	if join == 0 {
		visit = l.nextVisit(a, 0, h)
	}
	if visit <= h {
		l.cal[visit] = append(l.cal[visit], i)
	}
}

// share records month m's coverage rule: everyone fully covered when the
// hours suffice; otherwise the same share for everyone (even), or the
// highest slots fully first (priority): the slot where the hours run out
// shares what is left evenly, lower slots get none. It also records the
// month's coverage statistics.
func (l *lockstep) share(w *worker, m int, avail float64, assign Assignment) {
	need, n := 0.0, 0
	for s, c := range l.count {
		n += c.total
		need += float64(c.total) * l.hours[s]
	}
	st := &w.stats[m]
	st.need, st.n = need, n
	cut, frac := cutNone, 1.0
	switch {
	case need <= avail:
		st.covSum = float64(n)
	case assign == Even:
		cut, frac = cutEven, avail/need
		st.covSum = float64(n) * frac
		if frac < 0.5 {
			st.below = float64(n)
		}
	default:
		// Walk down from the top block, then down the slots of the block
		// where the hours run out.
		left, above := avail, 0
		b := len(l.count[0].block) - 1
		for ; b > 0; b-- {
			bn, bc := l.blockNeed(b)
			if bn > left {
				break
			}
			left -= bn
			above += bc
		}
		cut = b*blockSlots + blockSlots - 1
		at, atNeed := 0, 0.0
		for ; cut >= 0; cut-- {
			atNeed, at = l.slotNeed(cut)
			if atNeed > left {
				break
			}
			left -= atNeed
			above += at
		}
		frac = 0
		if cut < 0 {
			// Float rounding only: every slot fitted after all.
			cut, at, atNeed = 0, 0, 0
		}
		if atNeed > 0 {
			frac = max(0, min(1, left/atNeed))
		}
		st.covSum = float64(above) + frac*float64(at)
		st.below = float64(n - above)
		if frac >= 0.5 {
			st.below -= float64(at)
		}
	}
	l.cut[m], l.frac[m] = cut, frac
	hi, lo := cut, cut
	if cut == cutEven {
		hi, lo = numSlots, -1 // no slot is above an even share, or below it
	}
	l.hiCut.set(m, hi)
	l.loCut.set(m, -lo)
}

// blockNeed is the hours a month the accounts of block b need, and their
// number.
func (l *lockstep) blockNeed(b int) (need float64, n int) {
	for s, c := range l.count {
		n += int(c.block[b])
		need += float64(c.block[b]) * l.hours[s]
	}
	return need, n
}

// slotNeed is the same for slot k.
func (l *lockstep) slotNeed(k int) (need float64, n int) {
	for s, c := range l.count {
		n += int(c.slot[k])
		need += float64(c.slot[k]) * l.hours[s]
	}
	return need, n
}

// cov is the coverage of an account in slot s in month m.
func (l *lockstep) cov(s, m int) float64 {
	switch c := l.cut[m]; {
	case c == cutNone || (c != cutEven && s > c):
		return 1
	case c == cutEven || s == c:
		return l.frac[m]
	}
	return 0
}

// runCov returns the coverage of slot s in every month of [a, b] when it is
// the same in all of them (full, or none), and ok = false otherwise.
func (l *lockstep) runCov(s, a, b int) (cov float64, ok bool) {
	if s > l.hiCut.max(a, b) {
		return 1, true
	}
	if s < -l.loCut.max(a, b) {
		return 0, true
	}
	return 0, false
}

// visit brings account a to month m, in the order of a month: onboarding,
// champion departure, churn opportunity, renewal price increase, upsell,
// contraction.
func (w *worker) visit(i int32, m int, resp *Response) {
	a := &w.ls.accts[i]
	if a.gone {
		return
	}
	l := &w.ls
	r := a.r
	h := w.b.h
	m32 := int32(m)
	if m32 == a.onbAt {
		_, from := r.onboarding(int(a.join))
		if r.onboardingFails(a.onbU, r.cache.get(r, resp, l.meanCov(a, from, m)).pOnb) {
			a.onbFailAt = int32(r.failedChurn(int(a.join)))
		}
		a.onbAt = int32(h + 1)
	}
	churned := m32 == a.onbFailAt
	departed := m32 == a.nextChamp
	if departed {
		// The champion leaves: churn is raised from this month for
		// riskMonths; the next departure is drawn as the skip-ahead
		// stepper draws the sequence.
		a.riskUntil = int32(m + r.so.riskMonths)
		a.nextChamp = int32(r.so.nextDeparture(&a.champS, m, h))
	}
	if !churned && m32 == a.nextChurn {
		a.nextChurn += a.step
		cov := l.meanCov(a, r.coverageFrom(int(a.join), int(a.firstRenew), m), m)
		churned = w.churnOpportunity(a, m, cov, resp)
	}
	if departed && !churned && r.so.moveWin > 0 {
		if a.moveS.Uniform() < r.so.moveWin && m+1 <= h {
			w.moves[r.idx][m+1]++
		}
	}
	if churned {
		a.churnAt, a.gone = m32, true
		l.alive[r.idx]--
		l.count[l.served[r.idx]].add(int(a.slot), -1)
		return
	}
	old := a.mrr
	if m32 == a.nextRenew {
		a.mrr = r.renewed(a.mrr)
		a.nextRenew += int32(r.pricePeriod)
	}
	if int(a.up.next) <= m {
		if e, ok := l.advance(a, &a.up, m, r.upSize, +1, resp); ok {
			a.ups = l.push(a.ups, e)
		}
	}
	if int(a.co.next) <= m {
		if e, ok := l.advance(a, &a.co, m, r.coSize, -1, resp); ok {
			a.cos = l.push(a.cos, e)
		}
	}
	if a.mrr != old {
		if s := int32(slotOf(a.mrr)); s != a.slot {
			c := l.count[l.served[r.idx]]
			c.add(int(a.slot), -1)
			c.add(int(s), 1)
			a.slot = s
			a.span = l.newSpan(m+1, int(s), a.span)
		}
	}
	if next := l.nextVisit(a, m, h); next <= h {
		l.cal[next] = append(l.cal[next], i)
	}
}

// handOff hands account a to another CSM in month m: its hand-off window
// opens (or, overlapping the one open, extends) for r.handMonths. The
// upsell opportunities before m are counted first, in the window they had
// (no upsell can happen before m: nextVisit has the account visited no
// later than the first month one could).
func (w *worker) handOff(a *live, m int, resp *Response) {
	r := a.r
	if int(a.up.next) < m {
		w.ls.advance(a, &a.up, m-1, r.upSize, +1, resp)
	}
	if m > int(a.handUntil) {
		a.handFrom = int32(m)
	}
	a.handUntil = max(a.handUntil, int32(m+r.handMonths))
}

// handOffs draws, in a month m in which CSMs left, which of the accounts
// active before m are handed to another CSM (handedOff), before any of
// them is visited in m.
func (w *worker) handOffs(m int, resp *Response) {
	q := w.team.left[m]
	if q == 0 {
		return
	}
	l := &w.ls
	for i := range l.accts {
		a := &l.accts[i]
		if !a.gone && int(a.join) < m && a.r.handoffs(w.team) && handedOff(&a.handS, q) {
			w.handOff(a, m, resp)
		}
	}
}

// newSpan records that an account holds slot from month from on, after
// span prev (−1: none), and returns its index.
func (l *lockstep) newSpan(from, slot int, prev int32) int32 {
	l.spans = append(l.spans, slotSpan{int32(from), int32(slot), prev})
	return int32(len(l.spans) - 1)
}

// meanCov is the mean coverage account a had over months [from, to], all
// shared out already, each read in the slot it held then.
func (l *lockstep) meanCov(a *live, from, to int) float64 {
	slot := int(a.slot)
	if int(l.spans[a.span].from) <= from {
		if from == to {
			return l.cov(slot, to)
		}
		if c, ok := l.runCov(slot, from, to); ok {
			return c
		}
	}
	sum, hi := 0.0, to
	for k := a.span; k >= 0 && hi >= from; k = l.spans[k].prev {
		sp := l.spans[k]
		for mo := max(int(sp.from), from); mo <= hi; mo++ {
			sum += l.cov(int(sp.slot), mo)
		}
		hi = int(sp.from) - 1
	}
	return sum / float64(to-from+1)
}

// churnOpportunity decides one churn opportunity of a in month m at
// coverage cov.
func (w *worker) churnOpportunity(a *live, m int, cov float64, resp *Response) bool {
	r := a.r
	a.periods++
	rs := r.cache.get(r, resp, cov)
	mult := rs.churnMult
	risk := r.so.raisesChurn() && int32(m) < a.riskUntil
	if risk {
		mult *= r.so.champMult
	}
	if int32(m) < a.handUntil && r.handChurn != 1 {
		mult *= r.handChurn
		risk = true
	}
	st := &a.churnS
	switch {
	case r.table:
		p, lam := r.tableHazard(int(a.periods), mult)
		return a.churn.run(p, lam, 1, st) == 0
	case r.sbg && a.theta < 0 && mult == 1:
		if a.periods == a.tenure+1 {
			// Survival from the tenure on: S(periods) / S(tenure) < u.
			a.u = st.Uniform() * r.sbgSurv[a.tenure]
		}
		return r.sbgSurv[min(int(a.periods), len(r.sbgSurv)-1)] < a.u
	case r.sbg:
		if a.theta < 0 {
			if a.periods == a.tenure+1 {
				a.u = st.Uniform() * r.sbgSurv[a.tenure]
			}
			// Survived periods − 1 periods: θ's posterior.
			a.theta = betaRand(st, r.alpha, r.beta+float64(a.periods-1))
		}
		p := math.Min(1, a.theta*mult)
		return a.churn.run(p, -math.Log1p(-p), 1, st) == 0
	case risk:
		p := min(1, r.baseChurn*mult)
		return a.churn.run(p, -math.Log1p(-p), 1, st) == 0
	}
	return a.churn.run(rs.pChurn, rs.lChurn, 1, st) == 0
}

// advance counts the opportunities of motion mt (a's upsell, sign +1, or
// its contraction, −1) up to month m, at each one's coverage, and returns the
// motion's event if it happens in month m (it cannot happen earlier:
// nextVisit brings the account here no later than the first month it
// could). An event changes a's MRR by a size drawn from size and re-arms
// the motion.
func (l *lockstep) advance(a *live, mt *motion, m int, size dist.Dist, sign float64, resp *Response) (event, bool) {
	slot := int(a.slot)
	r := a.r
	for int(mt.next) <= m {
		// A run of opportunities at one coverage: up to m, or the first
		// where coverage may change.
		next, step := int(mt.next), int(mt.step)
		end := next + (m-next)/step*step
		// The probability and hazard of the run: contraction does not
		// depend on coverage, upsell does.
		p, lam := r.coQ, -r.logCoKeep
		if sign > 0 {
			// Every opportunity of the run responds to coverage from
			// its window on, which starts no earlier than the first's.
			from := r.coverageFrom(int(a.join), int(a.firstRenew), next)
			cov, ok := 0.0, false
			if end > next && int(l.spans[a.span].from) <= from {
				cov, ok = l.runCov(slot, from, end)
			}
			if !ok {
				cov, end = l.meanCov(a, from, next), next
			}
			rs := r.cache.get(r, resp, cov)
			p, lam = rs.pUp, rs.lUp
			// A hand-off window changes the probability: the run stops
			// where the account enters or leaves one.
			if from, until := int(a.handFrom), int(a.handUntil); until > 0 && r.handUp != 1 {
				switch {
				case next >= until:
				case next >= from:
					p, lam = rs.pUpHand, rs.lUpHand
					end = min(end, next+(until-1-next)/step*step)
				default:
					end = min(end, next+(from-1-next)/step*step)
				}
			}
		}
		n := (end-next)/step + 1
		k := mt.z.run(p, lam, n, &mt.s) // opportunities of the run before the event
		if k == n {
			mt.next = int32(end + step)
			continue
		}
		mo := next + k*step
		mt.next = int32(mo + step)
		f := math.Max(0, 1+sign*sample(size, &mt.s))
		mt.z = hazard{}
		a.mrr *= f
		return event{int32(mo), f}, true
	}
	return event{}, false
}

// push appends an event to an account's list.
func (l *lockstep) push(list evList, e event) evList {
	i := int32(len(l.events))
	l.events = append(l.events, lsEvent{e, -1})
	if list.tail >= 0 {
		l.events[list.tail].next = i
	} else {
		list.head = i
	}
	list.tail = i
	return list
}

// collect appends the events of a list to out, in order.
func (l *lockstep) collect(out []event, list evList) []event {
	for i := list.head; i >= 0; i = l.events[i].next {
		out = append(out, l.events[i].event)
	}
	return out
}

// nextVisit is the first month after m in which something can happen to
// account a: a churn opportunity, a renewal with a price change, a failed
// onboarding, a champion's departure, or the first opportunity at which its
// upsell (at the most favourable coverage) or contraction could happen.
func (l *lockstep) nextVisit(a *live, m, h int) int {
	r := a.r
	next := int(min(a.nextChurn, a.nextRenew, a.nextChamp))
	if int(a.onbFailAt) > m {
		next = min(next, int(a.onbFailAt))
	}
	if int(a.onbAt) > m {
		next = min(next, int(a.onbAt))
	}
	next = min(next, a.up.earliest(l.upMax[r.idx], l.upLam[r.idx], h), a.co.earliest(r.coQ, -r.logCoKeep, h))
	return max(next, m+1)
}

// earliest is the first opportunity at which the motion's event could
// happen if every opportunity had probability pmax (hazard lamMax).
func (mt *motion) earliest(pmax, lamMax float64, h int) int {
	if int(mt.next) > h {
		return h + 1
	}
	need := mt.z.earliest(pmax, lamMax, &mt.s)
	if need < 0 || need >= float64(h) {
		return h + 1
	}
	return int(mt.next) + int(need)*int(mt.step)
}

// firstOpportunity returns the spacing and first month of a motion's
// opportunities, as the independent engine's opportunities does.
func firstOpportunity(anchor, every, firstRenewal, term int) (step, first int) {
	if every == 0 {
		return term, firstRenewal
	}
	first = anchor + every
	if first < 1 {
		first += (1 - first + every - 1) / every * every
	}
	return every, first
}

// hazard is an event process over opportunities: the event happens at the
// first opportunity at which the hazard accumulated since the last event,
// Σ −log(1 − p_j), passes an exponential threshold, drawn from the
// process's stream when an uncertain opportunity first needs it. With a
// constant p this is the geometric skip of the skip-ahead stepper (the same
// draw, the same arithmetic); with a p that changes between opportunities
// it is the same process, so steppers that see different coverage draw
// alike.
type hazard struct {
	acc, thr float64
	has      bool
}

// run takes n opportunities of probability p (hazard lam = −log(1 − p))
// and returns the number that pass before the event happens (so the event
// is at opportunity k, from 0), or n when none does. After an event the
// caller starts a new process (hazard{}).
func (z *hazard) run(p, lam float64, n int, s *stream) int {
	switch {
	case p <= 0:
		return n
	case p >= 1:
		return 0
	}
	if !z.has {
		z.thr, z.has = s.Exp(), true
	}
	if need := (z.thr - z.acc) / lam; need < float64(n) {
		return int(need)
	}
	z.acc += float64(n) * lam
	return n
}

// earliest is the number of opportunities that must pass before the
// event can happen if every one had probability pmax (hazard lamMax), or
// −1 when it can never happen.
func (z *hazard) earliest(pmax, lamMax float64, s *stream) float64 {
	switch {
	case pmax <= 0:
		return -1
	case pmax >= 1:
		return 0
	}
	if !z.has {
		z.thr, z.has = s.Exp(), true
	}
	return (z.thr - z.acc) / lamMax
}

// response is what a coverage level means for one segment's accounts:
// the churn multiplier and the per-opportunity churn and upsell
// probabilities with their hazards. Accounts share few coverage levels
// (full, none, the level where hours run out, or one even share), so a
// segment keeps the last few.
type response struct {
	cov            float64
	churnMult      float64
	pChurn, lChurn float64
	pUp, lUp       float64
	pUpHand        float64 // the upsell probability in a hand-off window
	lUpHand        float64
	pOnb           float64 // onboarding success
}

type responseCache struct {
	full, none response    // coverage 1 and 0
	frac       [2]response // the last fractional levels
	n, next    int
}

// reset readies the cache for a trial's inputs.
func (c *responseCache) reset(r *segRun, resp *Response) {
	c.full.set(r, resp, 1)
	c.none.set(r, resp, 0)
	c.n, c.next = 0, 0
}

func (c *responseCache) get(r *segRun, resp *Response, cov float64) *response {
	switch cov {
	case 1:
		return &c.full
	case 0:
		return &c.none
	}
	for i := range c.frac[:c.n] {
		if c.frac[i].cov == cov {
			return &c.frac[i]
		}
	}
	e := &c.frac[c.next]
	c.next = (c.next + 1) % len(c.frac)
	c.n = min(c.n+1, len(c.frac))
	e.set(r, resp, cov)
	return e
}

func (e *response) set(r *segRun, resp *Response, cov float64) {
	e.cov = cov
	e.churnMult = curveAt(resp.Churn, cov)
	e.pChurn = math.Min(1, r.baseChurn*e.churnMult)
	e.lChurn = -math.Log1p(-e.pChurn)
	upMult := curveAt(resp.Upsell, cov)
	e.pUp = math.Min(1, r.baseUp*upMult)
	e.lUp = -math.Log1p(-e.pUp)
	e.pUpHand = math.Min(1, r.baseUp*upMult*r.handUp)
	e.lUpHand = -math.Log1p(-e.pUpHand)
	e.pOnb = math.Min(1, r.onbSuccessBase*curveAt(resp.Onboarding, cov))
}

// mrrBucket is the MRR band of an account for priority assignment, −1
// for none: log-linear bands read from the float's bits (its exponent and
// the top 7 bits of its mantissa), each at most 2^-7 (0.8 %) of its lower
// edge wide, and monotone in the MRR.
func mrrBucket(mrr float64) int {
	if mrr < 1e-9 {
		return -1
	}
	return band(mrr)
}

// band is the log-linear band of a positive number.
func band(v float64) int { return int(math.Float64bits(v) >> (52 - 7)) }
