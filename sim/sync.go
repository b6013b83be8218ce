package sim

import (
	"math"
)

// When the team is short of hours, coverage depends on which accounts are
// active, and churn and upsell depend on coverage: the served book must be
// simulated month by month. The synchronous engine below does that for the
// segments CSMs serve. It draws exactly the random numbers the independent
// engine draws, in the same streams: a churn or upsell happens when the
// account's accumulated hazard, Σ −log(1 − p_j) over its opportunities,
// passes an exponential threshold (with a constant p this is the geometric
// skip of the independent engine); an sBG account keeps its uniform until a
// multiplier first applies, then draws its propensity θ from the posterior
// Beta(α, β + periods survived). So a trial in which coverage stays full
// gives the same numbers either way.

// live is an account of a served segment in the synchronous engine.
type live struct {
	r                    *segRun
	join, firstRenew     int
	nextChurn, step      int
	nextRenew            int
	nextUp, upEvery      int
	nextCo, coEvery      int
	onbFailAt            int
	periods              int // churn opportunities survived
	mrr                  float64
	need                 float64 // CSM hours per month
	cov                  float64 // coverage this month
	hc, ec, hu, eu       float64 // accumulated hazards and thresholds
	hco, eco             float64
	u, theta             float64 // sBG: uniform until θ is drawn (θ < 0: not yet)
	onbU                 float64 // onboarding uniform (new accounts)
	gone                 bool
	referred             bool // a referred logo or a champion move
	nextChamp            int  // month the champion next leaves (second order)
	riskUntil            int  // churn is raised before this month
	champS, moveS        stream
	churnS, upS, coS     stream
	hasEc, hasEu, hasEco bool
	grrLevel             float64
	ring                 [12]float64 // MRR of the last window months, by month mod window
}

// syncStats are a month's coverage statistics over the served accounts.
type syncStats struct {
	need, covSum, below float64
	n                   int
	nf                  float64 // expected mode: expected accounts
}

// served reports whether CSMs serve the segment.
func (r *segRun) served() bool { return !r.seg.Digital && r.hoursPerAccount > 0 }

// runServed simulates the served segments month by month under the team's
// hours, booking into w.b and recording coverage statistics.
func (w *worker) runServed(team *teamPath, assign Assignment, resp *Response) {
	b := w.b
	h, win := b.h, b.window
	accts := w.live[:0]
	for i := range w.segs {
		r := &w.segs[i]
		if !r.served() {
			continue
		}
		for j := 0; j < r.seg.Count; j++ {
			key := subKey(w.trial, accountKey(r.key, 0, j))
			var mrr float64
			if j < len(r.seg.Accounts) {
				mrr = r.seg.Accounts[j].MRR
			} else {
				mrr = w.drawMRR(r.seg.ACV, key)
			}
			accts = append(accts, w.newLive(r, key, mrr, 0, r.firstRenewal(j), false))
		}
	}
	order := w.order[:0]
	for i := range accts {
		order = append(order, i)
	}
	acc := make([]float64, len(w.segs))    // deterministic arrivals' running totals
	active := make([]float64, len(w.segs)) // logos of the month before, for referrals
	for m := 1; m <= h; m++ {
		// New logos of month m join before coverage is shared out.
		for i := range w.segs {
			r := &w.segs[i]
			if !r.served() || r.newACV == nil {
				continue
			}
			active[i] += r.logosD[m-1]
			if so := r.so; so != nil {
				st := newStream(subKey(w.trial, accountKey(r.key, m, 0)), purposeReferral)
				n := poisson(&st, so.share*active[i]*so.referrals)
				for k := 0; k < n+w.moves[i][m]; k++ {
					j := referralKeys + k
					if k >= n {
						j = moveKeys + k - n
					}
					key := subKey(w.trial, accountKey(r.key, m, j))
					mrr := w.drawMRR(r.newACV, key)
					accts = append(accts, w.newLive(r, key, mrr, m, m+r.term, true))
				}
			}
			if r.lambda <= 0 {
				continue
			}
			lam := r.arrivalRate(m)
			var n int
			if r.seg.Acquisition.Arrivals == Deterministic {
				n = int(math.Floor(acc[i]+lam+1e-9)) - int(math.Floor(acc[i]+1e-9))
				acc[i] += lam
			} else {
				st := newStream(subKey(w.trial, accountKey(r.key, m, 0)), purposeArrivals)
				n = poisson(&st, lam)
			}
			for k := 0; k < n; k++ {
				key := subKey(w.trial, accountKey(r.key, m, k+1))
				mrr := w.drawMRR(r.newACV, key)
				accts = append(accts, w.newLive(r, key, mrr, m, m+r.term, false))
			}
		}
		// Share the month's hours among the active accounts: drop the
		// accounts gone, add the new logos and sum the hours they need in
		// one pass; coverage is set in the pass that runs the month.
		kept := order[:0]
		need := 0.0
		for _, i := range order {
			if a := &accts[i]; !a.gone {
				kept = append(kept, i)
				need += a.need
			}
		}
		order = kept
		for i := len(accts) - 1; i >= 0 && accts[i].join == m; i-- {
			order = append(order, i)
			need += accts[i].need
		}
		avail := team.hours[m]
		cov, priority := 1.0, false
		switch {
		case need <= avail:
		case assign == Priority:
			priority = true
			w.priorityCut(order, accts, avail)
		default:
			cov = avail / need
		}
		st := &w.stats[m]
		st.need = need
		for k, i := range order {
			a := &accts[i]
			a.cov = cov
			if priority {
				a.cov = w.priorityCov(k)
			}
			st.covSum += a.cov
			if a.cov < 0.5 {
				st.below++
			}
			st.n++
			w.liveMonth(a, m, win, resp)
		}
	}
	w.live = accts
	w.order = order
}

func (w *worker) newLive(r *segRun, key uint64, mrr float64, join, firstRenewal int, referred bool) live {
	a := live{r: r, join: join, firstRenew: firstRenewal, mrr: mrr, need: r.hoursPerAccount / 12, theta: -1, onbFailAt: -1,
		referred: referred, nextChamp: -1}
	if so := r.so; so != nil && so.champLog != 0 {
		a.champS = newStream(key, purposeChampion)
		a.nextChamp = join + geometric(&a.champS, so.champLog)
		a.moveS = newStream(key, purposeChampionMove)
	}
	a.step = r.term
	a.nextChurn = firstRenewal
	if r.hazard {
		a.step = 1
		if r.term > 1 {
			a.nextChurn = join + 1
		}
	}
	a.nextRenew = firstRenewal
	anchor := firstRenewal - r.term
	if join > 0 {
		anchor = join
	}
	a.upEvery, a.nextUp = firstOpportunity(anchor, r.upEvery, firstRenewal, r.term)
	a.coEvery, a.nextCo = firstOpportunity(anchor, r.coEvery, firstRenewal, r.term)
	a.churnS = newStream(key, purposeChurn)
	a.upS = newStream(key, purposeUpsell)
	a.coS = newStream(key, purposeContraction)
	if join > 0 {
		// Onboarding is decided with the coverage of the join month, in
		// liveMonth.
		st := newStream(key, purposeOnboarding)
		a.onbU = st.Uniform()
	}
	b := w.b
	b.mrr[join] += mrr
	r.mrrD[join] += mrr
	r.logosD[join]++
	r.accounts++
	if referred {
		b.refM[join] += mrr
		b.refN[join]++
		b.soMRR[join] += mrr
	}
	b.logos[join]++
	if join > 0 {
		b.newM[join] += mrr
		b.joins[join]++
		b.young[join] += mrr
	}
	a.ring[join%w.b.window] = mrr
	return a
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

// hazardStep accumulates one opportunity with hazard λ = −log(1 − p) into
// (acc, thr) and reports whether the event happens; the threshold is drawn
// lazily, only when an uncertain opportunity first arrives.
func hazardStep(p, lambda float64, acc, thr *float64, has *bool, s *stream) bool {
	switch {
	case p <= 0:
		return false
	case p >= 1:
		return true
	}
	if !*has {
		*thr, *has = s.Exp(), true
	}
	*acc += lambda
	return *acc > *thr
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
}

type responseCache struct {
	entries [4]response
	n, next int
}

func (c *responseCache) get(r *segRun, resp *Response, cov float64) *response {
	for i := range c.entries[:c.n] {
		if c.entries[i].cov == cov {
			return &c.entries[i]
		}
	}
	e := &c.entries[c.next]
	c.next = (c.next + 1) % len(c.entries)
	c.n = min(c.n+1, len(c.entries))
	e.cov = cov
	e.churnMult = curveAt(resp.Churn, cov)
	e.pChurn = math.Min(1, r.baseChurn*e.churnMult)
	e.lChurn = -math.Log1p(-e.pChurn)
	e.pUp = math.Min(1, r.baseUp*curveAt(resp.Upsell, cov))
	e.lUp = -math.Log1p(-e.pUp)
	return e
}

// liveMonth applies month m to one active account: onboarding, churn
// opportunity, renewal price increase, upsell, contraction, in that order.
func (w *worker) liveMonth(a *live, m, win int, resp *Response) {
	b := w.b
	r := a.r
	old := a.mrr
	churned := false
	if m == a.join && a.join > 0 {
		success := math.Min(1, r.onbSuccessBase*curveAt(resp.Onboarding, a.cov))
		if success < 1 && a.onbU >= success {
			a.onbFailAt = a.join + r.onbMonths
		}
	}
	if m == a.onbFailAt {
		churned = true
	}
	departed := m == a.nextChamp
	if departed {
		// The champion leaves: churn is raised from this month for
		// riskMonths; the next departure is drawn as the independent
		// engine draws the sequence.
		a.riskUntil = m + r.so.riskMonths
		st := &a.champS
		a.nextChamp = m + geometric(st, r.so.champLog)
	}
	risk := r.so != nil && !r.so.reonboard && r.so.champMult != 1 && m < a.riskUntil
	if !churned && m == a.nextChurn {
		a.nextChurn += a.step
		a.periods++
		rs := r.cache.get(r, resp, a.cov)
		mult := rs.churnMult
		if risk {
			mult *= r.so.champMult
		}
		st := &a.churnS
		switch {
		case r.sbg && a.theta < 0 && mult == 1:
			if a.periods == 1 {
				a.u = st.Uniform()
			}
			churned = r.sbgSurv[min(a.periods, len(r.sbgSurv)-1)] < a.u
		case r.sbg:
			if a.theta < 0 {
				if a.periods == 1 {
					a.u = st.Uniform()
				}
				// Survived periods − 1 periods: θ's posterior.
				a.theta = betaRand(st, r.alpha, r.beta+float64(a.periods-1))
			}
			p := math.Min(1, a.theta*mult)
			churned = hazardStep(p, -math.Log1p(-p), &a.hc, &a.ec, &a.hasEc, st)
		case risk:
			p := min(1, r.baseChurn*mult)
			churned = hazardStep(p, -math.Log1p(-p), &a.hc, &a.ec, &a.hasEc, st)
		default:
			churned = hazardStep(rs.pChurn, rs.lChurn, &a.hc, &a.ec, &a.hasEc, st)
		}
	}
	if departed && !churned && r.so.moveWin > 0 {
		st := &a.moveS
		if st.Uniform() < r.so.moveWin && m+1 <= w.b.h {
			w.moves[r.idx][m+1]++
		}
	}
	if churned {
		b.mrr[m] -= old
		r.mrrD[m] -= old
		r.logosD[m]--
		if a.referred {
			b.soMRR[m] -= old
		}
		b.churnM[m] += old
		b.logos[m]--
		if a.join > 0 && m <= a.join+win {
			b.young[m] -= old
		}
		b.grr[m] -= a.grrLevel
		a.gone = true
		return
	}
	if m == a.nextRenew {
		b.priceM[m] += a.mrr * r.priceInc
		a.mrr *= 1 + r.priceInc
		a.nextRenew += r.term
	}
	if m == a.nextUp {
		a.nextUp += a.upEvery
		st := &a.upS
		rs := r.cache.get(r, resp, a.cov)
		if hazardStep(rs.pUp, rs.lUp, &a.hu, &a.eu, &a.hasEu, st) {
			a.mrr *= math.Max(0, 1+r.upSize.Sample(st))
			a.hu, a.hasEu = 0, false
		}
	}
	up := a.mrr - old
	if m == a.nextCo {
		a.nextCo += a.coEvery
		st := &a.coS
		if hazardStep(r.coQ, -r.logCoKeep, &a.hco, &a.eco, &a.hasEco, st) {
			a.mrr *= math.Max(0, 1-r.coSize.Sample(st))
			a.hco, a.hasEco = 0, false
		}
	}
	if d := a.mrr - old; d != 0 {
		b.mrr[m] += d
		r.mrrD[m] += d
		if a.referred {
			b.soMRR[m] += d
		}
		b.expM[m] += up
		b.conM[m] += up - d
		if a.join > 0 && m < a.join+win {
			b.young[m] += d
		}
	}
	if a.join > 0 && m == a.join+win {
		b.young[m] -= old
	}
	slot := m % win
	if m >= a.join+win {
		level := min(a.mrr, a.ring[slot])
		b.grr[m] += level - a.grrLevel
		a.grrLevel = level
	}
	a.ring[slot] = a.mrr
}

// priorityCut covers the highest-MRR accounts first. Accounts are
// ranked by MRR buckets read from the bits of the float (the sketch's
// log-linear buckets, 2^-7 wide), so the ranking costs linear time: hours go
// to the highest buckets in full, the bucket where they run out shares what
// is left evenly, and lower buckets get none. Accounts of equal MRR within
// 0.8 % are treated alike.
func (w *worker) priorityCut(order []int, accts []live, avail float64) {
	lo, hi := math.MaxInt, -1
	w.slots = w.slots[:0]
	for _, i := range order {
		b := mrrBucket(accts[i].mrr)
		if b >= 0 {
			lo, hi = min(lo, b), max(hi, b)
		}
		w.slots = append(w.slots, b)
	}
	span := max(hi-lo+1, 0) + 1 // slot 0: accounts with no MRR, served last
	if cap(w.bucketNeed) < span {
		w.bucketNeed = make([]float64, span)
	}
	need := w.bucketNeed[:span]
	clear(need)
	for k, i := range order {
		sl := 0
		if b := w.slots[k]; b >= 0 {
			sl = b - lo + 1
		}
		w.slots[k] = sl
		need[sl] += accts[i].need
	}
	// Walk down from the top until the hours run out.
	w.cut, w.frac = -1, 0.0
	left := avail
	for k := span - 1; k >= 0; k-- {
		if need[k] <= left {
			left -= need[k]
			continue
		}
		w.cut, w.frac = k, left/need[k]
		break
	}
}

// priorityCov is the coverage of the k-th account of the month's order
// under priorityCut.
func (w *worker) priorityCov(k int) float64 {
	switch sl := w.slots[k]; {
	case sl > w.cut:
		return 1
	case sl == w.cut:
		return w.frac
	}
	return 0
}

// mrrBucket is the log-linear bucket of a positive MRR, −1 for none.
func mrrBucket(mrr float64) int {
	if mrr < 1e-9 {
		return -1
	}
	return bucketOf(mrr)
}
