package sim

import "math"

// Expected mode: the deterministic expected path of the same account model,
// with survival weights instead of draws. Accounts that share a join month
// and a first renewal follow the same expected path per dollar of MRR, so
// the book is computed per such group, not per account.

// expectedTrial computes the expected path of m into w.b.
func (w *worker) expectedTrial(m *Model, netRate NetRate) {
	b := w.b
	b.reset()
	d := drawer{expected: true}
	w.segs = resolve(m, &d, w.segs)
	h := b.h
	e := make([]float64, h+2)
	surv := make([]float64, h+2)
	for i := range w.segs {
		r := &w.segs[i]
		s := r.seg
		// Existing book, grouped by first renewal month.
		weight := map[int]float64{}
		count := map[int]float64{}
		for j := 0; j < s.Count; j++ {
			fr := r.firstRenewal(j)
			if j < len(s.Accounts) {
				weight[fr] += s.Accounts[j].MRR
			} else {
				weight[fr] += s.ACV.Mean() / 12
			}
			count[fr]++
		}
		for _, fr := range sortedInts(weight) {
			unitPath(r, 0, fr, h, netRate, e, surv)
			b.addExpected(e, surv, 0, weight[fr], count[fr])
		}
		if r.lambda > 0 && r.newACV != nil {
			acc := 0.0
			for mo := 1; mo <= h; mo++ {
				n := r.arrivalRate(mo)
				if s.Acquisition.Arrivals == Deterministic {
					n = math.Floor(acc+n+1e-9) - math.Floor(acc+1e-9)
					acc += r.arrivalRate(mo)
				}
				if n == 0 {
					continue
				}
				unitPath(r, mo, mo+r.term, h, netRate, e, surv)
				b.addExpected(e, surv, mo, n*r.newACV.Mean()/12, n)
			}
		}
	}
}

func sortedInts(m map[int]float64) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// unitPath fills e (expected MRR per dollar of starting MRR) and surv
// (probability the account is still a customer) for months join..h of an
// account joining in month join with the given first renewal. With the
// multiplicative convention each month multiplies e by
// (1 − churn)(1 + price increase)(1 + upsell)(1 − contraction), the
// expectation of the account-level simulation; with the additive convention
// by (1 + price increase + upsell − contraction − churn).
func unitPath(r *segRun, join, firstRenewal, h int, netRate NetRate, e, surv []float64) {
	term := r.term
	first, step := firstRenewal, term
	if r.hazard {
		step = 1
		if term > 1 {
			first = join + 1
		}
	}
	anchor := firstRenewal - term
	if join > 0 {
		anchor = join
	}
	failAt := -1
	if join > 0 && r.onbSuccess < 1 {
		failAt = join + r.onbMonths
	}
	churnP := 1 - math.Exp(r.logKeep)
	upGain, coLoss := 0.0, 0.0
	if r.upQ > 0 {
		upGain = r.upQ * r.upSize.Mean()
	}
	if r.coQ > 0 {
		coLoss = r.coQ * r.coSize.Mean()
	}
	e[join], surv[join] = 1, 1
	k := 0 // churn opportunities so far
	for mo := join + 1; mo <= h; mo++ {
		c := 0.0
		if mo >= first && (mo-first)%step == 0 {
			k++
			if r.sbg {
				c = math.Min(1, r.churnMult*r.alpha/(r.alpha+r.beta+float64(k)-1))
			} else {
				c = churnP
			}
		}
		if mo == failAt {
			c = 1 - (1-c)*r.onbSuccess
		}
		renewal := mo >= firstRenewal && (mo-firstRenewal)%term == 0
		pi := 0.0
		if renewal {
			pi = r.priceInc
		}
		up := 0.0
		if r.upQ > 0 && isOpportunity(mo, anchor, r.upEvery, firstRenewal, term) {
			up = upGain
		}
		co := 0.0
		if r.coQ > 0 && isOpportunity(mo, anchor, r.coEvery, firstRenewal, term) {
			co = coLoss
		}
		surv[mo] = surv[mo-1] * (1 - c)
		if netRate == Additive {
			e[mo] = e[mo-1] * (1 + pi + up - co - c)
		} else {
			e[mo] = e[mo-1] * (1 - c) * (1 + pi) * (1 + up) * (1 - co)
		}
	}
}

// isOpportunity reports whether month mo is an opportunity of a motion with
// the given cadence (every months from the contract start; 0: at renewals).
func isOpportunity(mo, anchor, every, firstRenewal, term int) bool {
	if every == 0 {
		return mo >= firstRenewal && (mo-firstRenewal)%term == 0
	}
	return mo > anchor && (mo-anchor)%every == 0
}

// addExpected adds weight dollars (and count accounts) following the unit
// path into the book's difference arrays and flows.
func (b *book) addExpected(e, surv []float64, join int, weight, count float64) {
	h, w := b.h, b.window
	b.mrr[join] += weight * e[join]
	b.logos[join] += count * surv[join]
	if join > 0 {
		b.newM[join] += weight
	}
	for mo := join + 1; mo <= h; mo++ {
		b.mrr[mo] += weight * (e[mo] - e[mo-1])
		b.logos[mo] += count * (surv[mo] - surv[mo-1])
		// Split the month's change into churn, expansion and contraction:
		// churned MRR is the churned share of last month's expected MRR.
		lost := 0.0
		if surv[mo-1] > 0 {
			lost = e[mo-1] * (1 - surv[mo]/surv[mo-1])
		}
		b.churnM[mo] += weight * lost
		if net := e[mo] - e[mo-1] + lost; net >= 0 {
			b.expM[mo] += weight * net
		} else {
			b.conM[mo] -= weight * net
		}
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
