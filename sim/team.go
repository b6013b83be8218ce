package sim

import "math"

// The CS team: headcount over time from the plan, new hires ramping to full
// productivity, attrition with backfills after a hiring lag, and the hours
// and cost that follow. The team's path does not depend on the book, so it
// is simulated first each trial.

// Active reports whether the model has a CS team at all; without one every
// account is fully covered and CS costs nothing.
func (t *Team) Active() bool { return t.HoursPerYear > 0 }

// ProductiveHours is the time one fully ramped CSM spends with accounts in
// a year at the given productivity.
func (t *Team) ProductiveHours(productivity float64) float64 { return t.HoursPerYear * productivity }

// AccountsPerCSM is how many accounts of a segment one CSM can serve fully.
func (t *Team) AccountsPerCSM(s *Segment, productivity float64) float64 {
	if s.Digital || s.HoursPerAccount() == 0 {
		return math.Inf(1)
	}
	return t.ProductiveHours(productivity) / s.HoursPerAccount()
}

// target is the planned headcount in month m.
func (t *Team) target(m int) int {
	n := t.CSMs
	for _, s := range t.Plan {
		if s.Month <= m {
			n = s.CSMs
		}
	}
	return n
}

// cohort is a group of CSMs who started in the same month: an integer
// count in Monte Carlo, an expected (fractional) one in expected mode.
type cohort struct {
	start int // month of the first working month; ≤ 0 for the starting team
	n     float64
}

// teamPath is one trial's team, per month (index = month, 1-based), and
// the state that simulates it month by month (begin, month).
type teamPath struct {
	hours []float64 // productive hours available to accounts
	heads []float64 // CSMs employed
	cost  []float64 // loaded cost of the employed plus hiring cost
	// left is the share of each month's CSMs who left (attrition and
	// cuts), and so the chance that an account is handed to another CSM
	// (handedOff); departs lists the months with a share above 0.
	left    []float64
	departs []int32

	t                          *Team
	prod, loaded, hiring, rate float64 // rate: annual attrition
	key                        uint64
	mc                         bool
	cohorts                    []cohort
	backfills                  []float64 // arrivals by month
	pending                    float64   // backfills on their way
	// overloaded: load raised some month's attrition, so the months after
	// it differ from simulate's path.
	overloaded bool
}

func newTeamPath(h int) *teamPath {
	return &teamPath{hours: make([]float64, h+1), heads: make([]float64, h+1), cost: make([]float64, h+1),
		left: make([]float64, h+1)}
}

// simulate fills p for months 1..h at the base attrition rate (begin,
// then month with no load multiplier).
func (p *teamPath) simulate(t *Team, prod, loaded, hiring, attrition float64, key uint64, mc bool) {
	p.begin(t, prod, loaded, hiring, attrition, key, mc)
	for m := 1; m < len(p.hours); m++ {
		p.month(m, 1)
	}
}

// begin readies p to simulate the team month by month from the start. In
// Monte Carlo (mc) each CSM leaves in a month when a uniform named by
// (trial team key, cohort start, position in the cohort, month) falls
// under the monthly rate, so a plan that adds or removes CSMs in one
// option leaves the others' fates as in the baseline (common random
// numbers), and so does a load that raises the rate (the same uniforms
// against a higher rate); otherwise departures are taken at their
// expectation.
func (p *teamPath) begin(t *Team, prod, loaded, hiring, attrition float64, key uint64, mc bool) {
	h := len(p.hours) - 1
	p.t, p.prod, p.loaded, p.hiring, p.rate, p.key, p.mc = t, prod, loaded, hiring, attrition, key, mc
	p.cohorts = append(p.cohorts[:0], cohort{start: -t.RampMonths, n: float64(t.CSMs)})
	p.departs = p.departs[:0]
	p.backfills = append(p.backfills[:0], make([]float64, h+2+t.HiringLagMonths)...)
	p.pending = 0
	p.overloaded = false
}

// restart simulates the team again from the start, month by month, with
// the inputs of the last begin: for a trial whose load may raise its
// attrition.
func (p *teamPath) restart() {
	p.begin(p.t, p.prod, p.loaded, p.hiring, p.rate, p.key, p.mc)
}

// month simulates month m, with the annual attrition rate multiplied by
// mult (the load's, Response.Attrition). Order within a month:
// departures, backfills that arrive, then the plan: a cut removes the
// newest CSMs first and cancels backfills not needed; a planned increase
// hires at once.
func (p *teamPath) month(m int, mult float64) {
	t := p.t
	rate := p.rate
	if mult != 1 && rate > 0 {
		rate = math.Min(1, rate*mult)
		p.overloaded = true
	}
	monthly := 1 - math.Pow(1-rate, 1.0/12)
	hires, left, before := 0.0, 0.0, 0.0
	for _, c := range p.cohorts {
		before += c.n
	}
	if monthly > 0 {
		left = p.departures(m, monthly)
	}
	employed := 0.0
	for _, c := range p.cohorts {
		employed += c.n
	}
	if b := p.backfills[m]; b > 0 {
		p.pending -= b
		if take := math.Min(b, math.Max(0, float64(t.target(m))-employed)); take > 0 {
			p.cohorts = append(p.cohorts, cohort{start: m, n: take})
			employed += take
			hires += take
		}
	}
	target := float64(t.target(m))
	if employed > target {
		cut := employed - target
		left += cut
		for i := len(p.cohorts) - 1; i >= 0 && cut > 0; i-- {
			d := math.Min(p.cohorts[i].n, cut)
			p.cohorts[i].n -= d
			cut -= d
		}
		employed = target
		// Backfills no longer needed are cancelled.
		for k := m + 1; k < len(p.backfills); k++ {
			p.pending -= p.backfills[k]
			p.backfills[k] = 0
		}
	} else if gap := target - employed - p.pending; gap > 0 {
		p.cohorts = append(p.cohorts, cohort{start: m, n: gap})
		employed += gap
		hires += gap
	}
	hours := 0.0
	for _, c := range p.cohorts {
		hours += c.n * rampShare(m-c.start+1, t.RampMonths)
	}
	p.hours[m] = hours * p.prod * t.HoursPerYear / 12
	p.heads[m] = employed
	p.cost[m] = employed*p.loaded/12 + hires*p.hiring
	p.left[m] = 0
	if left > 0 && before > 0 {
		p.left[m] = math.Min(1, left/before)
		p.departs = append(p.departs, int32(m))
	}
}

// departures takes month m's leavers out of every cohort at the monthly
// rate, books their backfills after the hiring lag, and returns how many
// left.
func (p *teamPath) departures(m int, monthly float64) float64 {
	left := 0.0
	for i := range p.cohorts {
		gone := 0.0
		if !p.mc {
			gone = p.cohorts[i].n * monthly
		} else {
			c := splitmix64(p.key ^ uint64(p.cohorts[i].start+1000)<<32 ^ uint64(m))
			for j := range int(p.cohorts[i].n) {
				if hashUniform(c, uint64(j)) < monthly {
					gone++
				}
			}
		}
		p.cohorts[i].n -= gone
		left += gone
		if gone > 0 {
			p.backfills[m+p.t.HiringLagMonths] += gone
			p.pending += gone
		}
	}
	return left
}

// rampShare is the productivity of a CSM in the k-th month since starting:
// linear up to full at ramp months.
func rampShare(k, ramp int) float64 {
	if ramp <= 0 || k >= ramp {
		return 1
	}
	return float64(max(k, 0)) / float64(ramp)
}

func (p *teamPath) clear() {
	clear(p.hours)
	clear(p.heads)
	clear(p.cost)
	clear(p.left)
	p.departs = p.departs[:0]
}
