package sim

// The lockstep stepper against an independent oracle: a naive
// month-by-month reference of the served book, written afresh from the
// rules (every account visited every month, coverage recomputed from every
// account's MRR). Also the defects a review of the engine found, each with
// the test that failed while it was there: a cancellation inside the last
// trial, and priority bands that depended on the unit of money.

import (
	"context"
	"fmt"
	"math"
	"sort"
	"testing"
	"time"

	"csplan/sim/dist"
)

// ---------------------------------------------------------------------
// A naive month-by-month reference of the served book: the old engine's
// liveMonth semantics (f8e372a:sim/sync.go), written afresh with the new
// streams and the same draw order per stream. Every account is visited
// every month, coverage is recomputed from every active account's MRR, and
// the hazards are accumulated one opportunity at a time. With the same
// trial's resolved inputs (w.segs) and team (w.team) it must give the same
// per-trial book as the lockstep stepper, apart from float rounding at a
// hazard threshold (probability ~1e-16 per event).

type refAcct struct {
	r                    *segRun
	join, firstRenew     int
	mrr                  float64
	nextChurn, step      int
	nextRenew            int
	nextUp, upEvery      int
	nextCo, coEvery      int
	upOn, coOn           bool
	onbFailAt, periods   int
	tenure               int // churn periods survived before month 1
	nextChamp, riskUntil int
	handUntil            int
	churnS, upS, coS     stream
	handS                stream
	champS, moveS        stream
	cz, uz, kz           hazard
	u, theta, onbU       float64
	gone                 bool
	path                 []float64 // MRR at the end of each month (0 before joining and after churning)
	covs                 []float64 // its coverage by month
}

// mean is the account's mean coverage over months [from, to].
func (a *refAcct) mean(from, to int) float64 {
	sum := 0.0
	for mo := from; mo <= to; mo++ {
		sum += a.covs[mo]
	}
	return sum / float64(to-from+1)
}

type refOut struct {
	mrr, logos, need, cov, below, n []float64
	nrr, grr                        []float64
}

func refServed(w *worker, m *Model) refOut {
	h := w.b.h
	resp := &m.Response
	assign := m.Team.Assignment
	out := refOut{mrr: make([]float64, h+1), logos: make([]float64, h+1), need: make([]float64, h+1), cov: make([]float64, h+1), below: make([]float64, h+1), n: make([]float64, h+1)}
	var accts []*refAcct
	tp := newTeamPath(h)
	if w.team.t != nil {
		tp.begin(w.team.t, w.team.prod, w.team.loaded, w.team.hiring, w.team.rate, w.team.key, w.team.mc)
	}
	moves := make([][]int, len(w.segs))
	for i := range moves {
		moves[i] = make([]int, h+2)
	}
	add := func(r *segRun, key uint64, mrr float64, join, firstRenewal, tenure int) {
		a := &refAcct{r: r, join: join, firstRenew: firstRenewal, mrr: mrr, theta: -1, onbFailAt: -1, nextChamp: -1,
			path: make([]float64, h+1), covs: make([]float64, h+1), tenure: tenure, periods: tenure}
		a.path[join] = mrr
		if so := r.so; so != nil && so.champLog != 0 {
			a.champS = newStream(key, purposeChampion)
			a.nextChamp = so.nextDeparture(&a.champS, join, h)
			a.moveS = newStream(key, purposeChampionMove)
		}
		a.handS = newStream(key, purposeHandoff)
		a.nextChurn, a.step = r.churnOpportunities(join, firstRenewal)
		a.nextRenew = r.priceFrom(join, firstRenewal) // price increases, once a year by default
		anchor := r.anchor(join, firstRenewal)
		a.upEvery, a.nextUp = firstOpportunity(anchor, r.upEvery, firstRenewal, r.term)
		a.coEvery, a.nextCo = firstOpportunity(anchor, r.coEvery, firstRenewal, r.term)
		a.upOn = r.upSize != nil && r.baseUp > 0
		a.coOn = r.coQ > 0
		a.churnS = newStream(key, purposeChurn)
		a.upS = newStream(key, purposeUpsell)
		a.coS = newStream(key, purposeContraction)
		if join > 0 {
			st := newStream(key, purposeOnboarding)
			a.onbU = st.Uniform()
		}
		accts = append(accts, a)
	}
	for i := range w.segs {
		r := &w.segs[i]
		if !r.served() {
			continue
		}
		s := r.seg
		for j := 0; j < s.Count; j++ {
			key := subKey(w.trial, accountKey(r.key, 0, j))
			mrr := 0.0
			if j < len(s.Accounts) {
				mrr = s.Accounts[j].MRR
			} else {
				mrr = w.drawMRR(s.ACV, key)
			}
			add(r, key, mrr, 0, r.firstRenewal(j), r.tenure(j))
		}
	}
	acc := make([]float64, len(w.segs))
	active := make([]int, len(w.segs))
	for _, a := range accts {
		active[a.r.idx]++
	}
	for _, a := range accts {
		out.mrr[0] += a.mrr
		out.logos[0]++
	}
	for mo := 1; mo <= h; mo++ {
		for i := range w.segs {
			r := &w.segs[i]
			if !r.served() || r.newACV == nil {
				continue
			}
			if so := r.so; so != nil {
				st := newStream(subKey(w.trial, accountKey(r.key, mo, 0)), purposeReferral)
				n := poisson(&st, so.referralRate(float64(active[i])))
				for k := 0; k < n+moves[i][mo]; k++ {
					j := referralKeys + k
					if k >= n {
						j = moveKeys + k - n
					}
					key := subKey(w.trial, accountKey(r.key, mo, j))
					add(r, key, w.drawMRR(r.newACV, key), mo, mo+r.term, 0)
				}
			}
			if r.lambda <= 0 {
				continue
			}
			n := w.arrivals(r, mo, &acc[i])
			for k := 0; k < n; k++ {
				key := subKey(w.trial, accountKey(r.key, mo, k+1))
				add(r, key, w.drawMRR(r.newACV, key), mo, mo+r.term, 0)
			}
		}
		// Share the month's hours.
		var live []*refAcct
		need := 0.0
		for _, a := range accts {
			if !a.gone {
				live = append(live, a)
				need += a.r.hoursPerAccount / 12
			}
		}
		// The team month by month, its attrition raised by last month's
		// load (the hours needed over the hours it had).
		mult := 1.0
		if mo > 1 && len(resp.Attrition.X) > 0 {
			load := math.Inf(1)
			if tp.hours[mo-1] > 0 {
				load = out.need[mo-1] / tp.hours[mo-1]
			}
			mult = curveAt(resp.Attrition, load)
		}
		tp.month(mo, mult)
		avail := tp.hours[mo]
		cov := make([]float64, len(live))
		switch {
		case need <= avail:
			for k := range cov {
				cov[k] = 1
			}
		case assign == Even:
			for k := range cov {
				cov[k] = avail / need
			}
		default:
			bneed := map[int]float64{}
			for _, a := range live {
				bneed[mrrBucket(a.mrr)] += a.r.hoursPerAccount / 12
			}
			var bs []int
			for b := range bneed {
				bs = append(bs, b)
			}
			sort.Sort(sort.Reverse(sort.IntSlice(bs)))
			left := avail
			bcov := map[int]float64{}
			done := false
			for _, b := range bs {
				switch {
				case done:
					bcov[b] = 0
				case bneed[b] <= left:
					left -= bneed[b]
					bcov[b] = 1
				default:
					bcov[b] = left / bneed[b]
					done = true
				}
			}
			for k, a := range live {
				cov[k] = bcov[mrrBucket(a.mrr)]
			}
		}
		out.need[mo] = need
		for k := range live {
			out.cov[mo] += cov[k]
			if cov[k] < 0.5 {
				out.below[mo]++
			}
		}
		out.n[mo] = float64(len(live))
		for k, a := range live {
			a.covs[mo] = cov[k]
			refMonth(a, mo, h, resp, moves, tp)
		}
		clear(active)
		for _, a := range accts {
			if !a.gone {
				active[a.r.idx]++
				out.mrr[mo] += a.mrr
				out.logos[mo]++
				a.path[mo] = a.mrr
			}
		}
	}
	// Trailing NRR and GRR (README "NRR and GRR").
	win := min(12, h)
	out.nrr, out.grr = make([]float64, h+1), make([]float64, h+1)
	for mo := win; mo <= h; mo++ {
		base, num, g := 0.0, 0.0, 0.0
		for _, a := range accts {
			if a.join <= mo-win && a.path[mo-win] > 0 {
				base += a.path[mo-win]
				num += a.path[mo]
				g += math.Min(a.path[mo], a.path[mo-win])
			}
		}
		if base > 0 {
			out.nrr[mo], out.grr[mo] = num/base, g/base
		}
	}
	return out
}

func refMonth(a *refAcct, m, h int, resp *Response, moves [][]int, tp *teamPath) {
	r := a.r
	// Coverage memory: events respond to the mean coverage since the
	// account's window opened.
	cov := a.mean(r.coverageFrom(a.join, a.firstRenew, m), m)
	if decided, from := r.onboarding(a.join); m == decided && a.join > 0 {
		success := math.Min(1, r.onbSuccessBase*curveAt(resp.Onboarding, a.mean(from, m)))
		if success < 1 && a.onbU >= success {
			a.onbFailAt = r.failedChurn(a.join)
		}
	}
	churned := m == a.onbFailAt
	departed := m == a.nextChamp
	if departed {
		a.riskUntil = m + r.so.riskMonths
		a.nextChamp = r.so.nextDeparture(&a.champS, m, h)
	}
	if q := tp.left[m]; q > 0 && a.join < m && r.handoffs(tp) && handedOff(&a.handS, q) {
		// The CSM leaves: churn and upsell change for handMonths.
		a.handUntil = max(a.handUntil, m+r.handMonths)
	}
	hand := m < a.handUntil
	risk := r.so.raisesChurn() && m < a.riskUntil
	if !churned && m == a.nextChurn {
		a.nextChurn += a.step
		a.periods++
		mult := curveAt(resp.Churn, cov)
		if risk {
			mult *= r.so.champMult
		}
		if hand {
			mult *= r.handChurn
		}
		st := &a.churnS
		switch {
		case r.sbg && a.theta < 0 && mult == 1:
			if a.periods == a.tenure+1 {
				a.u = st.Uniform() * r.sbgSurv[a.tenure] // S(periods)/S(tenure) < u
			}
			churned = r.sbgSurv[min(a.periods, len(r.sbgSurv)-1)] < a.u
		case r.sbg:
			if a.theta < 0 {
				if a.periods == a.tenure+1 {
					a.u = st.Uniform() * r.sbgSurv[a.tenure]
				}
				a.theta = betaRand(st, r.alpha, r.beta+float64(a.periods-1))
			}
			p := math.Min(1, a.theta*mult)
			churned = a.cz.run(p, -math.Log1p(-p), 1, st) == 0
		default:
			p := math.Min(1, r.baseChurn*mult)
			churned = a.cz.run(p, -math.Log1p(-p), 1, st) == 0
		}
	}
	if departed && !churned && r.so.moveWin > 0 {
		if a.moveS.Uniform() < r.so.moveWin && m+1 <= h {
			moves[r.idx][m+1]++
		}
	}
	if churned {
		a.gone = true
		return
	}
	if m == a.nextRenew {
		a.mrr = r.renewed(a.mrr)
		a.nextRenew += r.pricePeriod
	}
	if a.upOn && m == a.nextUp {
		a.nextUp += a.upEvery
		p := math.Min(1, r.baseUp*curveAt(resp.Upsell, cov))
		if hand {
			p = math.Min(1, r.baseUp*curveAt(resp.Upsell, cov)*r.handUp)
		}
		if a.uz.run(p, -math.Log1p(-p), 1, &a.upS) == 0 {
			a.mrr *= math.Max(0, 1+sample(r.upSize, &a.upS))
			a.uz = hazard{}
		}
	}
	if a.coOn && m == a.nextCo {
		a.nextCo += a.coEvery
		if a.kz.run(r.coQ, -r.logCoKeep, 1, &a.coS) == 0 {
			a.mrr *= math.Max(0, 1-sample(r.coSize, &a.coS))
			a.kz = hazard{}
		}
	}
}

// refCompare runs trials of m through the engine (with or without forcing
// lockstep) and through the reference, and counts the trials whose book or
// coverage statistics differ. It returns the number of trials that ran in
// lockstep too.
func refCompare(t *testing.T, m *Model, seed uint64, trials int, force bool) (bad, synced int) {
	t.Helper()
	h := m.Horizon
	w := newWorker(seed, h, checks{lockstep: force})
	var series [numSeries][]float64
	for i := range series {
		series[i] = make([]float64, h+1)
	}
	reported, finished := 0, 0
	defer func() { t.Logf("%d of %d trials in lockstep, %d finished early", synced, trials, finished) }()
	for tr := 0; tr < trials; tr++ {
		var metrics [numMetrics]float64
		w.runTrial(m, uint64(tr))
		w.summarise(&series, &metrics)
		if w.synced {
			synced++
			if w.ls.finishedAt > 0 {
				finished++
			}
		}
		ref := refServed(w, m)
		wrong := ""
		for mo := 0; mo <= h && wrong == ""; mo++ {
			switch {
			case math.Abs(series[sMRR][mo]-ref.mrr[mo]) > 1e-7*math.Max(1, ref.mrr[mo]):
				wrong = "mrr"
			case series[sLogos][mo] != ref.logos[mo]:
				wrong = "logos"
			case mo > 0 && math.Abs(series[sHoursNeeded][mo]-ref.need[mo]) > 1e-9*math.Max(1, ref.need[mo]):
				wrong = "hours_needed"
			case mo > 0 && ref.n[mo] > 0 && math.Abs(series[sCoverage][mo]-ref.cov[mo]/ref.n[mo]) > 1e-9:
				wrong = "coverage"
			case mo > 0 && ref.n[mo] > 0 && math.Abs(series[sCoverageBelow50][mo]-ref.below[mo]/ref.n[mo]) > 1e-9:
				wrong = "coverage_below_50"
			case math.Abs(series[sNRR][mo]-ref.nrr[mo]) > 1e-9:
				wrong = fmt.Sprintf("nrr (%v vs %v)", series[sNRR][mo], ref.nrr[mo])
			case math.Abs(series[sGRR][mo]-ref.grr[mo]) > 1e-9:
				wrong = fmt.Sprintf("grr (%v vs %v)", series[sGRR][mo], ref.grr[mo])
			}
			if wrong != "" {
				bad++
				if reported < 3 {
					reported++
					t.Logf("trial %d (synced %v), month %d: %s differs: mrr %.4f vs reference %.4f, logos %.0f vs %.0f, need %.4f vs %.4f, coverage %.6f vs %.6f, below %.6f vs %.6f",
						tr, w.synced, mo, wrong, series[sMRR][mo], ref.mrr[mo], series[sLogos][mo], ref.logos[mo],
						series[sHoursNeeded][mo], ref.need[mo], series[sCoverage][mo], ref.cov[mo]/math.Max(1, ref.n[mo]),
						series[sCoverageBelow50][mo], ref.below[mo]/math.Max(1, ref.n[mo]))
				}
			}
		}
	}
	return bad, synced
}

// reviewTeam is a CS team of csms CSMs with 1,200 productive hours a year
// each, no ramp, cost or attrition unless changed.
func reviewTeam(csms int, assign Assignment) Team {
	return Team{CSMs: csms, HoursPerYear: 1200, Productivity: fixed(1), LoadedCost: fixed(0),
		HiringCost: fixed(0), Attrition: fixed(0), Assignment: assign}
}

// reviewRich is a served book with every mechanism the lockstep stepper
// handles: two segments with different touch models, lognormal ACVs (so
// priority bands matter), price increases, quarterly upsell (coverage
// dependent), contraction at renewal, onboarding, Poisson acquisition,
// renewal churn in one segment and hazard sBG churn in the other.
func reviewRich() Model {
	acv, _ := dist.NewLogNormalMedianP90(60000, 150000)
	smallACV, _ := dist.NewLogNormalMedianP90(12000, 30000)
	size, _ := dist.NewUniform(0.05, 0.3)
	return Model{Horizon: 30, Segments: []Segment{
		{Name: "ent", Count: 150, ACV: acv, TermMonths: 12, Renewal: Spread,
			PriceIncrease: fixed(0.05), OnboardingSuccess: fixed(0.8), OnboardingMonths: 2,
			Churn:       Churn{Rate: fixed(0.15), RateMonths: 12},
			Upsell:      Movement{Cadence: Quarterly, Probability: fixed(0.12), Size: size},
			Contraction: Movement{Cadence: AtRenewal, Probability: fixed(0.1), Size: dist.Const(0.2)},
			Meetings:    []Meeting{{"monthly", 12, 3, 3}},
			Acquisition: Acquisition{PerMonth: fixed(3), Growth: fixed(0.2)}},
		{Name: "mid", Count: 300, ACV: smallACV, TermMonths: 1, Renewal: Spread,
			PriceIncrease: fixed(0), OnboardingSuccess: fixed(0.9), OnboardingMonths: 1,
			Churn:       Churn{Timing: Hazard, SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(10)}},
			Upsell:      Movement{Cadence: Monthly, Probability: fixed(0.03), Size: size},
			Contraction: Movement{Probability: fixed(0)},
			Meetings:    []Meeting{{"monthly", 12, 1, 1}},
			Acquisition: Acquisition{PerMonth: fixed(8)}},
	},
		Response: Response{Churn: Curve{X: []float64{0, 0.5, 1}, Y: []float64{2.5, 1.5, 1}},
			Upsell:     Curve{X: []float64{0, 1}, Y: []float64{0.2, 1}},
			Onboarding: Curve{X: []float64{0, 1}, Y: []float64{0.6, 1}}, MemoryMonths: 12},
	}
}

// hoursOf is the hours a month the opening book of m needs.
func hoursOf(m *Model) float64 {
	need := 0.0
	for i := range m.Segments {
		need += float64(m.Segments[i].Count) * m.Segments[i].HoursPerAccount() / 12
	}
	return need
}

// csmsFor is the headcount that gives share of the opening book's hours.
func csmsFor(m *Model, share float64) int {
	return int(math.Round(share * hoursOf(m) / 100))
}

// ---------------------------------------------------------------------
// Sound: the lockstep stepper against the naive reference.

// Priority and even assignment, a team short of hours all the way
// (attrition, no finish possible): every trial's book and coverage
// statistics must equal the month-by-month reference.
func TestLockstepMatchesReference(t *testing.T) {
	for _, assign := range []Assignment{Priority, Even} {
		m := reviewRich()
		m.Team = reviewTeam(csmsFor(&m, 0.6), assign)
		m.Team.Attrition = fixed(0.2)
		m.Team.HiringLagMonths = 2
		bad, synced := refCompare(t, &m, 11, 40, false)
		if synced == 0 {
			t.Fatalf("assignment %d: no trial ran in lockstep", assign)
		}
		if bad > 0 {
			t.Errorf("assignment %d: %d of 40 trials differ from the month-by-month reference", assign, bad)
		}
	}
}

// Second-order effects (champion departures raising churn, moves,
// referrals) under a short team.
func TestLockstepSecondOrderMatchesReference(t *testing.T) {
	m := reviewRich()
	m.Team = reviewTeam(csmsFor(&m, 0.7), Priority)
	m.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0.3), ReferralsPerYear: fixed(1),
		ReferralConversion: fixed(0.3), ChampionTurnover: fixed(0.3), ChampionChurnMult: fixed(3),
		ChampionRiskMonths: 4, ChampionMoveWin: fixed(0.3)}
	bad, synced := refCompare(t, &m, 12, 40, false)
	if synced == 0 {
		t.Fatal("no trial ran in lockstep")
	}
	if bad > 0 {
		t.Errorf("%d of 40 trials differ from the month-by-month reference", bad)
	}
}

// finish/complete: a team short in the first months, then a plan step up
// to far more hours than the book can ever need, so the stepper finishes
// the trial early; with deterministic arrivals in one segment.
func TestFinishMatchesReference(t *testing.T) {
	for _, det := range []bool{false, true} {
		m := reviewRich()
		m.Team = reviewTeam(csmsFor(&m, 0.5), Priority)
		m.Team.Plan = []Step{{Month: 5, CSMs: csmsFor(&m, 3)}}
		if det {
			m.Segments[0].Acquisition.Arrivals = Deterministic
			m.Segments[1].Acquisition.Arrivals = Deterministic
			m.Segments[1].Acquisition.PerMonth = fixed(7.3)
		}
		bad, synced := refCompare(t, &m, 13, 40, false)
		if synced == 0 {
			t.Fatal("no trial ran in lockstep")
		}
		if bad > 0 {
			t.Errorf("deterministic %v: %d of 40 trials differ from the month-by-month reference", det, bad)
		}
	}
}

// Variants of the rich book, each under a team short at first and then
// (for some) with spare hours, all against the reference.
func TestLockstepVariants(t *testing.T) {
	type variant struct {
		name string
		f    func(m *Model)
	}
	lateCut := func(m *Model) { m.Team.Plan = []Step{{Month: 18, CSMs: csmsFor(m, 0.4)}} }
	variants := []variant{
		{"sbg full-coverage multiplier 0.8", func(m *Model) {
			m.Response.Churn = Curve{X: []float64{0, 1}, Y: []float64{2, 0.8}}
			m.Segments[0].Churn = Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}}
		}},
		{"no coverage memory", func(m *Model) { m.Response.MemoryMonths = 1 }},
		{"hand-offs from attrition and a cut", func(m *Model) {
			m.Team.Attrition = fixed(0.3)
			m.Team.HiringLagMonths = 2
			m.Team.Plan = []Step{{Month: 8, CSMs: csmsFor(m, 0.45)}}
			m.Team.Handoff = Handoff{Months: 3, Churn: fixed(1.5), Upsell: fixed(0.5)}
		}},
		{"hand-offs raising upsell, sbg churn", func(m *Model) {
			m.Segments[0].Churn = Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}}
			m.Segments[0].Upsell.Cadence = Monthly
			m.Team.Attrition = fixed(0.4)
			m.Team.Handoff = Handoff{Months: 4, Churn: fixed(1.3), Upsell: fixed(1.4)}
		}},
		{"overload raises attrition, with hand-offs", func(m *Model) {
			m.Team.Attrition = fixed(0.25)
			m.Team.HiringLagMonths = 3
			m.Team.RampMonths = 2
			m.Team.Handoff = Handoff{Months: 3, Churn: fixed(1.5), Upsell: fixed(0.6)}
			m.Response.Attrition = Curve{X: []float64{1, 1.5}, Y: []float64{1, 3}}
		}},
		{"overload raises attrition, even assignment, late cut", func(m *Model) {
			m.Team.CSMs = csmsFor(m, 1.2)
			m.Team.Plan = []Step{{Month: 10, CSMs: csmsFor(m, 0.7)}}
			m.Team.Attrition = fixed(0.3)
			m.Team.Assignment = Even
			m.Response.Attrition = Curve{X: []float64{1, 1.2, 2}, Y: []float64{1, 2, 4}}
		}},
		{"hand-offs with second order", func(m *Model) {
			m.Team.Attrition = fixed(0.3)
			m.Team.Handoff = Handoff{Months: 2, Churn: fixed(1.6), Upsell: fixed(0.7)}
			m.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0.3), ReferralsPerYear: fixed(1),
				ReferralConversion: fixed(0.3), ChampionTurnover: fixed(0.4), ChampionChurnMult: fixed(2),
				ChampionRiskMonths: 5, ChampionMoveWin: fixed(0.3)}
		}},
		{"three months of coverage memory", func(m *Model) { m.Response.MemoryMonths = 3 }},
		{"contraction to zero", func(m *Model) {
			m.Segments[0].Contraction = Movement{Cadence: Quarterly, Probability: fixed(0.2), Size: dist.Const(1)}
		}},
		{"upsell certain at full coverage", func(m *Model) {
			m.Segments[0].Upsell.Probability = fixed(0.9)
			m.Response.Upsell = Curve{X: []float64{0, 1}, Y: []float64{0.3, 1.5}}
		}},
		{"churn certain at no coverage", func(m *Model) {
			m.Segments[0].Churn = Churn{Rate: fixed(0.6), RateMonths: 12}
			m.Response.Churn = Curve{X: []float64{0, 1}, Y: []float64{2, 1}}
		}},
		{"annual and at-renewal cadences, 24-month terms", func(m *Model) {
			m.Segments[0].TermMonths = 24
			m.Segments[0].Upsell.Cadence = Annually
			m.Segments[0].Contraction.Cadence = AtRenewal
			m.Segments[1].Upsell.Cadence = AtRenewal
		}},
		{"renewals at one month", func(m *Model) {
			m.Segments[0].Renewal = AtMonth
			m.Segments[0].FirstRenewalMonth = 4
		}},
		{"hazard churn on annual terms", func(m *Model) {
			m.Segments[0].Churn.Timing = Hazard
		}},
		{"price cut", func(m *Model) { m.Segments[0].PriceIncrease = fixed(-0.1) }},
		{"price increases on monthly contracts, once a year", func(m *Model) { m.Segments[1].PriceIncrease = fixed(0.05) }},
		{"price increases every 6 months on 3-month terms", func(m *Model) {
			m.Segments[1].TermMonths = 3
			m.Segments[1].PriceIncrease = fixed(0.04)
			m.Segments[1].PriceEveryMonths = 6
		}},
		{"late cut", lateCut},
		{"late cut, even", func(m *Model) { lateCut(m); m.Team.Assignment = Even }},
		{"spare then short then spare", func(m *Model) {
			m.Team.CSMs = csmsFor(m, 3)
			m.Team.Plan = []Step{{Month: 6, CSMs: csmsFor(m, 0.5)}, {Month: 12, CSMs: csmsFor(m, 3)}}
		}},
		{"ramp and attrition then spare", func(m *Model) {
			m.Team.CSMs = csmsFor(m, 0.6)
			m.Team.RampMonths = 4
			m.Team.Attrition = fixed(0.3)
			m.Team.HiringLagMonths = 1
			m.Team.Plan = []Step{{Month: 4, CSMs: csmsFor(m, 2.5)}}
		}},
		{"onboarding longer than the horizon left", func(m *Model) {
			m.Segments[0].OnboardingMonths = 40
			m.Team.Plan = []Step{{Month: 3, CSMs: csmsFor(m, 3)}}
		}},
		{"sbg with a tenured book", func(m *Model) {
			m.Segments[0].Churn = Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}}
			m.Segments[0].TenureMonths = 36
			m.Segments[1].TenureMonths = 7
		}},
		{"sbg with a tenured book, hand-offs and a multiplier at full coverage", func(m *Model) {
			m.Segments[0].Churn = Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}}
			m.Segments[0].TenureMonths = 24
			m.Response.Churn = Curve{X: []float64{0, 1}, Y: []float64{2, 0.9}}
			m.Team.Attrition = fixed(0.3)
			m.Team.Handoff = Handoff{Months: 3, Churn: fixed(1.4), Upsell: fixed(1)}
		}},
		{"sbg on renewals with finish", func(m *Model) {
			m.Segments[0].Churn = Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}}
			m.Team.Plan = []Step{{Month: 7, CSMs: csmsFor(m, 3)}}
		}},
		{"second order, reonboarding", func(m *Model) {
			m.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0.3), ReferralsPerYear: fixed(1),
				ReferralConversion: fixed(0.3), ChampionTurnover: fixed(0.3), ChampionChurnMult: fixed(3),
				ChampionRiskMonths: 4, Reonboarding: true, ChampionMoveWin: fixed(0.3)}
		}},
		{"second order, sbg", func(m *Model) {
			m.Segments[0].Churn = Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}}
			m.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0.3), ReferralsPerYear: fixed(1),
				ReferralConversion: fixed(0.3), ChampionTurnover: fixed(0.4), ChampionChurnMult: fixed(2),
				ChampionRiskMonths: 6, ChampionMoveWin: fixed(0.3)}
			m.Team.Plan = []Step{{Month: 7, CSMs: csmsFor(m, 3)}}
		}},
		{"no acquisition", func(m *Model) {
			m.Segments[0].Acquisition = Acquisition{}
			m.Segments[1].Acquisition = Acquisition{}
			m.Team.Plan = []Step{{Month: 5, CSMs: csmsFor(m, 1.05)}}
		}},
		{"equal ACVs across segments", func(m *Model) {
			m.Segments[0].ACV = dist.Const(24000)
			m.Segments[1].ACV = dist.Const(24000)
		}},
		{"accounts from a file, some without MRR", func(m *Model) {
			var accts []Account
			for j := 0; j < 150; j++ {
				mrr := float64(1000 + 37*j)
				if j%7 == 0 {
					mrr = 0
				}
				accts = append(accts, Account{MRR: mrr, FirstRenewal: 1 + j%15})
			}
			m.Segments[0].Accounts, m.Segments[0].Renewal = accts, Given
		}},
		{"exact fit after a step", func(m *Model) {
			m.Segments[0].Acquisition = Acquisition{}
			m.Segments[1].Acquisition = Acquisition{}
			m.Segments[1].Churn = Churn{Rate: fixed(0), RateMonths: 12}
			m.Segments[0].Churn = Churn{Rate: fixed(0), RateMonths: 12}
			m.Segments[0].OnboardingSuccess = fixed(1)
			m.Team.Plan = []Step{{Month: 5, CSMs: csmsFor(m, 1)}}
		}},
	}
	for _, v := range variants {
		m := reviewRich()
		m.Team = reviewTeam(csmsFor(&m, 0.6), Priority)
		v.f(&m)
		bad, synced := refCompare(t, &m, 21, 30, false)
		if synced == 0 {
			t.Errorf("%s: no trial ran in lockstep", v.name)
			continue
		}
		if bad > 0 {
			t.Errorf("%s: %d of 30 trials differ from the month-by-month reference", v.name, bad)
		}
	}
}

// With spare hours the trial runs the skip-ahead stepper (churn under
// champion risk in runs, riskRun; referrals and moves month by month);
// at full coverage it must give the month-by-month reference's book.
func TestSkipAheadMatchesReference(t *testing.T) {
	for _, sbg := range []bool{false, true} {
		m := reviewRich()
		m.Team = reviewTeam(csmsFor(&m, 4), Priority)
		if sbg {
			m.Segments[0].Churn = Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}}
		}
		m.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0.3), ReferralsPerYear: fixed(1),
			ReferralConversion: fixed(0.3), ChampionTurnover: fixed(0.4), ChampionChurnMult: fixed(3),
			ChampionRiskMonths: 5, ChampionMoveWin: fixed(0.3)}
		bad, synced := refCompare(t, &m, 31, 40, false)
		if synced != 0 {
			t.Fatalf("%d trials ran in lockstep; the team should have spare hours", synced)
		}
		if bad > 0 {
			t.Errorf("sbg %v: %d of 40 trials differ from the month-by-month reference", sbg, bad)
		}
	}
}

// A team with hours to spare that loses CSMs (attrition and a cut):
// hand-offs raise churn and change upsell in the skip-ahead stepper's
// runs (churnWithChampions, handoffUpsells) as the month-by-month
// reference does, with champion risk windows overlapping them.
func TestSkipAheadHandoffsMatchReference(t *testing.T) {
	for _, sbg := range []bool{false, true} {
		m := reviewRich()
		m.Team = reviewTeam(csmsFor(&m, 4), Priority)
		m.Team.Attrition = fixed(0.3)
		m.Team.Plan = []Step{{Month: 6, CSMs: csmsFor(&m, 3)}}
		m.Team.Handoff = Handoff{Months: 3, Churn: fixed(2), Upsell: fixed(0.5)}
		m.Segments[1].Upsell.Probability = fixed(0.1)
		if sbg {
			m.Segments[0].Churn = Churn{SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(1.2)}}
			m.SecondOrder = SecondOrder{Enabled: true, AdvocateShare: fixed(0.3), ReferralsPerYear: fixed(1),
				ReferralConversion: fixed(0.3), ChampionTurnover: fixed(0.4), ChampionChurnMult: fixed(3),
				ChampionRiskMonths: 5, ChampionMoveWin: fixed(0.3)}
		}
		bad, synced := refCompare(t, &m, 32, 40, false)
		if synced != 0 {
			t.Fatalf("%d trials ran in lockstep; the team should have spare hours", synced)
		}
		if bad > 0 {
			t.Errorf("sbg %v: %d of 40 trials differ from the month-by-month reference", sbg, bad)
		}
	}
}

// ---------------------------------------------------------------------
// Defects.

// A. Cancellation inside the last trial is not reported. Trials now stop
// part-way when the run is cancelled (worker.cancelled: "the trial then
// stops where it is, and the run returns the context's error"), but
// simulate checks the context only before a trial (engine.go, the
// `if w.cancelled()` at the top of the trial loop). When the cancellation
// lands in a worker's last trial, that half-simulated trial is recorded,
// the worker finds no further block and returns nil, and Run returns
// results built from a truncated book with a nil error. (Before the
// rewrite a trial always ran to its end, so a late cancellation only
// produced a complete result.) The CLI happens to re-check the context
// before committing its output, but Run, RunShard, Sensitivity and
// RunToPrecision are library entry points that promise the context's
// error. Fix: after g.Wait() (or after each trial) return ctx.Err() when
// the context is done, e.g. `if err := ctx.Err(); err != nil { return nil, err }`
// before checkFinite, or check w.cancelled() after runTrial and before
// agg.record.
func TestCancelInLastTrialIsReported(t *testing.T) {
	m := withTeam(5)
	m.Horizon = 240
	m.Segments[1].Acquisition = Acquisition{PerMonth: fixed(1e6), Growth: fixed(0)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logos float64
	go func() {
		r, err := Run(ctx, []Option{{Name: "Baseline", Model: m}}, Settings{Trials: 1, Seed: 1, Workers: 1}, nil)
		if err == nil {
			logos = r.Options[0].Metrics["logos_end"].Mean
		}
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("Run was cancelled inside its only trial and returned results with a nil error (logos_end %.0f, "+
				"where 240 months of a million new logos a month would give about 2e8); the trial's book was cut short, "+
				"so the results are wrong and Run must return the context's error", logos)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the run did not stop within 5 s of cancellation")
	}
}

// scaled multiplies a distribution's draws by a power of two (exact in
// floating point, and it moves every MRR by whole octaves, so the buckets
// of the ranking keep their order and membership).
type scaled struct {
	dist.Dist
	s float64
}

func (d scaled) Sample(r *stream) float64 { return d.s * d.Dist.Sample(r) }
func (d scaled) Quantile(p float64) float64 {
	return d.s * d.Dist.Quantile(p)
}
func (d scaled) Mean() float64 { return d.s * d.Dist.Mean() }

// B. Priority coverage depends on the currency unit. slotOf clamps MRR
// to 32 octaves from 0.5 (sync.go: numSlots = 4096, slotLo =
// mrrBucket(0.5)): every account with MRR below 0.5 falls in slot 1 and
// every account above 0.5·2^32 ≈ 2.1e9 in the top slot, where they are
// treated as equal and share the cut slot's hours evenly. The README
// ("accounts are ranked by MRR in buckets 2^-7 of a power of two wide")
// and the old engine (priorityCut over the buckets actually present) rank
// every positive MRR. Money is unit-free in this model (costs are zero
// here), so scaling every ACV by a constant must not change which
// accounts are covered, and so must not change logos or coverage in any
// trial; it does when the book is written in thousands or millions (ACV
// 60 for $60k, MRR 5 → fine; ACV 0.06 for $60k in millions, MRR 0.005 →
// everything in one slot), or in a currency such as IDR where enterprise
// MRRs exceed 2.1e9. With the CLI, /tmp/cmp/scale1.yaml (ACV median
// 100,000) and the same file in millions (median 0.1, costs 0.15 and
// 0.02), 2,000 trials: the old engine gives the same book at both scales
// (coverage_below_50 in month 12: 0.277 and 0.277; ARR at the end 29.84M
// and 29.84M once rescaled); the new one 0.277 and 0.000, and ARR 29.84M
// and 25.76M (priority has silently become an even share). Fix: place the
// 32-octave slot window from the trial's own MRRs (e.g. from the largest
// MRR the opening book and the ACV distributions can give, rebasing the
// counts if an account leaves the window), or fall back to ranking by the
// buckets present, as priorityCut did, when an MRR falls outside it; at
// the least refuse or warn about ACVs outside [6, 2.5e10] a year.
func TestPriorityIsScaleInvariant(t *testing.T) {
	logosAt := func(scale float64) ([]float64, []float64) {
		m := reviewRich()
		for i := range m.Segments {
			s := &m.Segments[i]
			s.ACV = scaled{s.ACV, scale}
		}
		m.Team = reviewTeam(csmsFor(&m, 0.6), Priority)
		h := m.Horizon
		w := newWorker(41, h, checks{})
		var series [numSeries][]float64
		for i := range series {
			series[i] = make([]float64, h+1)
		}
		var logos, cov []float64
		for tr := 0; tr < 20; tr++ {
			var metrics [numMetrics]float64
			w.runTrial(&m, uint64(tr))
			w.summarise(&series, &metrics)
			logos = append(logos, series[sLogos][h])
			cov = append(cov, series[sCoverageBelow50][6])
		}
		return logos, cov
	}
	l1, c1 := logosAt(1)
	for _, scale := range []float64{0x1p-20, 0x1p-8, 0x1p8, 0x1p20} {
		l2, c2 := logosAt(scale)
		differ := 0
		for i := range l1 {
			if l1[i] != l2[i] || math.Abs(c1[i]-c2[i]) > 1e-12 {
				differ++
			}
		}
		if differ > 0 {
			t.Errorf("ACVs × %g: %d of 20 trials end with other logos or another share of accounts under 50 %% coverage in month 6 than at × 1 (e.g. trial 0: logos %.0f vs %.0f, below-50 %.3f vs %.3f)",
				scale, differ, l2[0], l1[0], c2[0], c1[0])
		}
	}
}

// ---------------------------------------------------------------------
// Sound: an option's numbers do not depend on the other options run
// beside it, their order, or the number of workers (per-trial caches of
// opening books, new logos, segments and served books give exactly what a
// fresh simulation gives).
func TestOptionsIndependentOfCompany(t *testing.T) {
	base := reviewRich()
	base.Team = reviewTeam(csmsFor(&base, 0.6), Priority)
	base.Team.Attrition = fixed(0.15)
	base.Team.HiringLagMonths = 2
	dig := reviewRich().Segments[1]
	dig.Name, dig.Digital, dig.Meetings = "smb", true, nil
	base.Segments = append(base.Segments, dig)
	mk := func(f func(m *Model)) Model {
		m := base
		m.Segments = append([]Segment(nil), base.Segments...)
		f(&m)
		return m
	}
	opts := []Option{
		{Name: "base", Model: base},
		{Name: "cut", Model: mk(func(m *Model) { m.Team.Plan = []Step{{Month: 4, CSMs: csmsFor(m, 0.4)}} })},
		{Name: "digital churn", Model: mk(func(m *Model) { m.Segments[2].Churn = Churn{Timing: Hazard, Rate: fixed(0.05), RateMonths: 1} })},
		{Name: "more ent logos", Model: mk(func(m *Model) { m.Segments[0].Acquisition.PerMonth = fixed(6) })},
		{Name: "bigger new ent", Model: mk(func(m *Model) {
			acv, _ := dist.NewLogNormalMedianP90(90000, 200000)
			m.Segments[0].Acquisition.ACV = acv
		})},
		{Name: "more ent accounts", Model: mk(func(m *Model) { m.Segments[0].Count = 170 })},
		{Name: "even", Model: mk(func(m *Model) { m.Team.Assignment = Even })},
		{Name: "flat curves", Model: mk(func(m *Model) {
			m.Response = Response{Churn: Curve{X: []float64{0, 1}, Y: []float64{1, 1}}}
		})},
		{Name: "spare", Model: mk(func(m *Model) { m.Team.CSMs = csmsFor(m, 4) })},
		{Name: "swapped segments", Model: mk(func(m *Model) { m.Segments[0], m.Segments[1] = m.Segments[1], m.Segments[0] })},
		{Name: "base again", Model: base},
	}
	s := Settings{Trials: 40, Seed: 3, Workers: 1}
	all, err := Run(context.Background(), opts, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	rev := append([]Option(nil), opts...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	s2 := s
	s2.Workers = 2
	reversed, err := Run(context.Background(), rev, s2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k := range opts {
		alone, err := Run(context.Background(), opts[k:k+1], s, nil)
		if err != nil {
			t.Fatal(err)
		}
		for name, ms := range all.Options[k].Metrics {
			a := alone.Options[0].Metrics[name]
			b := reversed.Options[len(opts)-1-k].Metrics[name]
			if ms.Mean != a.Mean || ms.SD != a.SD || ms.Mean != b.Mean || ms.SD != b.SD {
				t.Errorf("option %q, %s: mean %v with the others, %v alone, %v in reverse order at -j 2",
					opts[k].Name, name, ms.Mean, a.Mean, b.Mean)
			}
		}
		for name, pts := range all.Options[k].Series {
			a := alone.Options[0].Series[name]
			b := reversed.Options[len(opts)-1-k].Series[name]
			for i := range pts {
				if pts[i].Mean != a[i].Mean || pts[i].Mean != b[i].Mean || pts[i].P50 != a[i].P50 {
					t.Errorf("option %q, series %s month %d: %v with the others, %v alone, %v reversed",
						opts[k].Name, name, pts[i].Month, pts[i].Mean, a[i].Mean, b[i].Mean)
					break
				}
			}
		}
	}
}

// The ledger: lockstep plans booked on renewal calendars must give what
// booking them event by event gives (NRR, GRR, MRR and flows).
func TestLockstepCalendarBooking(t *testing.T) {
	m := reviewRich()
	m.Segments[0].Contraction = Movement{Probability: fixed(0)} // monotone: calendar booking
	m.Team = reviewTeam(csmsFor(&m, 0.6), Priority)
	m.Team.Plan = []Step{{Month: 20, CSMs: csmsFor(&m, 3)}}
	h := m.Horizon
	run := func(c checks) [][numSeries][]float64 {
		w := newWorker(5, h, c)
		var out [][numSeries][]float64
		for tr := 0; tr < 20; tr++ {
			var series [numSeries][]float64
			for i := range series {
				series[i] = make([]float64, h+1)
			}
			var metrics [numMetrics]float64
			w.runTrial(&m, uint64(tr))
			if !w.synced {
				t.Fatal("not in lockstep")
			}
			w.summarise(&series, &metrics)
			out = append(out, series)
		}
		return out
	}
	a, b := run(checks{}), run(checks{pathBooking: true})
	for tr := range a {
		for _, s := range []int{sMRR, sNRR, sGRR, sExpansionMRR, sChurnedMRR, sNewMRR, sContractionMRR} {
			for mo := 0; mo <= h; mo++ {
				x, y := a[tr][s][mo], b[tr][s][mo]
				if math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(y)) {
					t.Errorf("trial %d, %s month %d: calendar %v, path %v", tr, SeriesNames[s], mo, x, y)
					break
				}
			}
		}
	}
}
