package sim

import (
	"math"
	"math/rand/v2"

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
	sContractionMRR
	sChurnedMRR
	sNRR
	sGRR
	numSeries
)

// SeriesNames are the monthly series in results.json, in order.
var SeriesNames = [numSeries]string{"mrr", "arr", "logos", "revenue_cum", "new_mrr", "expansion_mrr",
	"contraction_mrr", "churned_mrr", "nrr", "grr"}

const (
	mARREnd = iota
	mRevenueTotal
	mNRR
	mGRR
	mLogosEnd
	numMetrics
)

// MetricNames are the per-trial metrics in results.json, in order.
var MetricNames = [numMetrics]string{"arr_end", "revenue_total", "nrr_12m", "grr_12m", "logos_end"}

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
	young  []float64 // MRR of accounts that joined less than window months ago
	grr    []float64 // Σ min(MRR now, MRR window months ago) of older accounts
	newM   []float64 // flows, not differences
	expM   []float64
	conM   []float64
	churnM []float64
}

func newBook(h int) *book {
	n := h + 2
	b := &book{h: h, window: min(12, h)}
	for _, p := range []*[]float64{&b.mrr, &b.logos, &b.young, &b.grr, &b.newM, &b.expM, &b.conM, &b.churnM} {
		*p = make([]float64, n)
	}
	return b
}

func (b *book) reset() {
	for _, s := range [][]float64{b.mrr, b.logos, b.young, b.grr, b.newM, b.expM, b.conM, b.churnM} {
		clear(s)
	}
}

// worker holds the reusable state of one goroutine: streams and buffers, so
// a trial allocates nothing per account.
type worker struct {
	seed                        uint64
	acv, churn, up, co, onb, ar *stream
	assume                      *stream
	ups, cos                    []event
	path                        []point
	segs                        []segRun
	b                           *book
}

func newWorker(seed uint64, h int) *worker {
	return &worker{seed: seed, acv: newStream(), churn: newStream(), up: newStream(), co: newStream(),
		onb: newStream(), ar: newStream(), assume: newStream(), b: newBook(h)}
}

// runTrial simulates one trial of model m into w.b.
func (w *worker) runTrial(m *Model, trial uint64) {
	b := w.b
	b.reset()
	d := drawer{seed: w.seed, trial: trial, st: w.assume}
	w.segs = resolve(m, &d, w.segs)
	for i := range w.segs {
		r := &w.segs[i]
		s := r.seg
		for j := 0; j < s.Count; j++ {
			key := accountKey(r.key, 0, j)
			var mrr float64
			if j < len(s.Accounts) {
				mrr = s.Accounts[j].MRR
			} else {
				mrr = s.ACV.Sample(w.acv.seed(streamKey(w.seed, trial, key, purposeACV))) / 12
			}
			w.account(r, trial, key, mrr, 0, r.firstRenewal(j))
		}
		if r.lambda > 0 && r.newACV != nil {
			w.arrivals(r, trial)
		}
	}
}

// arrivals adds the new logos of one segment, month by month.
func (w *worker) arrivals(r *segRun, trial uint64) {
	acc := 0.0
	for mo := 1; mo <= w.b.h; mo++ {
		lam := r.arrivalRate(mo)
		var n int
		if r.seg.Acquisition.Arrivals == Deterministic {
			n = int(math.Floor(acc+lam+1e-9)) - int(math.Floor(acc+1e-9))
			acc += lam
		} else {
			n = poisson(w.ar.seed(streamKey(w.seed, trial, accountKey(r.key, mo, 0), purposeArrivals)), lam)
		}
		for k := 0; k < n; k++ {
			key := accountKey(r.key, mo, k+1)
			mrr := r.newACV.Sample(w.acv.seed(streamKey(w.seed, trial, key, purposeACV))) / 12
			w.account(r, trial, key, mrr, mo, mo+r.term)
		}
	}
}

// account simulates one account that joins in month join (0 for the
// existing book) with the given MRR and first renewal, drawing only the
// events that happen: its churn time, its upsells and contractions by
// geometric skips over their opportunities.
func (w *worker) account(r *segRun, trial, key uint64, mrr float64, join, firstRenewal int) {
	b := w.b
	h := b.h
	term := r.term
	churnAt := h + 1 // beyond the horizon: survives

	if join > 0 && r.onbSuccess < 1 {
		if uniform(w.onb.seed(streamKey(w.seed, trial, key, purposeOnboarding))) >= r.onbSuccess {
			churnAt = join + r.onbMonths
		}
	}

	// Churn opportunities: at renewals, or every month for a hazard.
	first, step := firstRenewal, term
	if r.hazard {
		step = 1
		if term > 1 {
			first = join + 1
		}
	}
	if first <= h && first < churnAt {
		opps := (h-first)/step + 1
		rc := w.churn.seed(streamKey(w.seed, trial, key, purposeChurn))
		var k int
		switch {
		case r.sbgDirect:
			k = sbgTime(uniform(rc), r.alpha, r.beta, opps)
		case r.sbg:
			theta := betaRand(rc, r.alpha, r.beta)
			k = geometric(rc, logKeep(math.Min(1, theta*r.churnMult)))
		default:
			k = geometric(rc, r.logKeep)
		}
		if k <= opps {
			churnAt = min(churnAt, first+(k-1)*step)
		}
	}
	last := min(h, churnAt-1) // last month with events

	// Expansion and contraction opportunities before the churn month.
	anchor := firstRenewal - term // contract start
	if join > 0 {
		anchor = join
	}
	w.ups = w.ups[:0]
	if r.upQ > 0 {
		rs := w.up.seed(streamKey(w.seed, trial, key, purposeUpsell))
		w.ups = opportunities(w.ups, rs, r.logUpKeep, r.upSize, +1, anchor, r.upEvery, firstRenewal, term, last)
	}
	w.cos = w.cos[:0]
	if r.coQ > 0 {
		rs := w.co.seed(streamKey(w.seed, trial, key, purposeContraction))
		w.cos = opportunities(w.cos, rs, r.logCoKeep, r.coSize, -1, anchor, r.coEvery, firstRenewal, term, last)
	}

	// Walk the events in month order: renewal price increase, then upsell,
	// then contraction.
	path := append(w.path[:0], point{join, mrr})
	b.mrr[join] += mrr
	b.logos[join]++
	if join > 0 {
		b.newM[join] += mrr
	}
	renew := h + 1
	if r.priceInc != 0 && firstRenewal <= last {
		renew = firstRenewal
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
			mrr *= 1 + r.priceInc
			if renew += term; renew > last {
				renew = h + 1
			}
		}
		for iu < len(w.ups) && int(w.ups[iu].month) == mo {
			mrr *= w.ups[iu].factor
			iu++
		}
		up := mrr - old
		b.expM[mo] += up
		for ic < len(w.cos) && int(w.cos[ic].month) == mo {
			mrr *= w.cos[ic].factor
			ic++
		}
		b.conM[mo] += up + old - mrr
		b.mrr[mo] += mrr - old
		path = append(path, point{mo, mrr})
	}
	if churnAt <= h {
		b.mrr[churnAt] -= mrr
		b.logos[churnAt]--
		b.churnM[churnAt] += mrr
		path = append(path, point{churnAt, 0})
	}
	w.path = path
	b.retention(path, join)
}

// opportunities appends the taken opportunities of one motion up to month
// last: every `every` months from the contract start, or at renewals when
// every is 0. Taken ones are found by geometric skips, so the cost is per
// event, not per opportunity.
func opportunities(out []event, r *rand.Rand, logKeep float64, size dist.Dist, sign float64,
	anchor, every, firstRenewal, term, last int) []event {
	first, step := anchor+every, every
	if every == 0 {
		first, step = firstRenewal, term
	} else if first < 1 {
		first += (1 - first + every - 1) / every * every
	}
	if first > last {
		return out
	}
	n := geometric(r, logKeep) - 1
	for {
		mo := first + n*step
		if n >= math.MaxInt32/2 || mo > last {
			return out
		}
		out = append(out, event{int32(mo), math.Max(0, 1+sign*size.Sample(r))})
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

// sbgTime draws the period in which an account churns under the
// shifted-beta-geometric model by inverting its survival function
// S(t) = S(t−1)·(β + t − 1)/(α + β + t − 1): one uniform, no Beta draw. It
// returns limit+1 when the account survives limit periods.
func sbgTime(u, alpha, beta float64, limit int) int {
	s := 1.0
	for t := 1; t <= limit; t++ {
		s *= (beta + float64(t) - 1) / (alpha + beta + float64(t) - 1)
		if s < u {
			return t
		}
	}
	return limit + 1
}

// betaRand draws from Beta(a, b) as a ratio of gamma variates.
func betaRand(r *rand.Rand, a, b float64) float64 {
	x := gammaRand(r, a)
	return x / (x + gammaRand(r, b))
}

// gammaRand draws from Gamma(a, 1) by Marsaglia and Tsang's method, boosted
// for a < 1 (Gamma(a) = Gamma(a + 1)·U^(1/a)).
func gammaRand(r *rand.Rand, a float64) float64 {
	boost := 1.0
	if a < 1 {
		boost = math.Pow(uniform(r), 1/a)
		a++
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := uniform(r)
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v * boost
		}
	}
}

// poisson draws a Poisson(lambda) count: by inversion for small means, and
// as a sum of Poisson(≤ 30) draws for large ones (exact, and cheap enough for
// monthly arrival counts).
func poisson(r *rand.Rand, lambda float64) int {
	n := 0
	for lambda > 30 {
		n += poisson(r, 30)
		lambda -= 30
	}
	if lambda <= 0 {
		return n
	}
	u := uniform(r)
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

// summarise turns the difference arrays into the trial's series and
// metrics. series[s] has h+1 entries, index = month.
func (b *book) summarise(series *[numSeries][]float64, metrics *[numMetrics]float64) {
	h, w := b.h, b.window
	var mrr, logos, young, grr, cum float64
	for mo := 0; mo <= h; mo++ {
		mrr += b.mrr[mo]
		logos += b.logos[mo]
		young += b.young[mo]
		grr += b.grr[mo]
		if mo > 0 {
			cum += mrr
		}
		series[sMRR][mo] = mrr
		series[sARR][mo] = 12 * mrr
		series[sLogos][mo] = logos
		series[sRevenueCum][mo] = cum
		series[sNewMRR][mo] = b.newM[mo]
		series[sExpansionMRR][mo] = b.expM[mo]
		series[sContractionMRR][mo] = b.conM[mo]
		series[sChurnedMRR][mo] = b.churnM[mo]
		series[sNRR][mo], series[sGRR][mo] = 0, 0
		if mo >= w {
			if base := series[sMRR][mo-w]; base > 0 {
				series[sNRR][mo] = (mrr - young) / base
				series[sGRR][mo] = grr / base
			}
		}
	}
	metrics[mARREnd] = series[sARR][h]
	metrics[mRevenueTotal] = cum
	metrics[mNRR] = series[sNRR][h]
	metrics[mGRR] = series[sGRR][h]
	metrics[mLogosEnd] = series[sLogos][h]
}
