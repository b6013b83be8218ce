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

// teamPath is one trial's team, per month (index = month, 1-based).
type teamPath struct {
	hours []float64 // productive hours available to accounts
	heads []float64 // CSMs employed
	cost  []float64 // loaded cost of the employed plus hiring cost
	// left is the share of each month's CSMs who left (attrition and
	// cuts), and so the chance that an account is handed to another CSM
	// (handedOff); departs lists the months with a share above 0.
	left    []float64
	departs []int32
}

func newTeamPath(h int) *teamPath {
	return &teamPath{hours: make([]float64, h+1), heads: make([]float64, h+1), cost: make([]float64, h+1),
		left: make([]float64, h+1)}
}

// simulate fills p for months 1..h. In Monte Carlo (mc) each CSM leaves in
// a month when a uniform named by (trial team key, cohort start, position in
// the cohort, month) falls under the monthly rate, so a plan that adds or
// removes CSMs in one option leaves the others' fates as in the baseline
// (common random numbers); otherwise departures are taken at their
// expectation.
// Order within a month: departures, backfills that arrive, then the plan:
// a cut removes the newest CSMs first and cancels backfills not needed; a
// planned increase hires at once.
func (p *teamPath) simulate(t *Team, prod, loaded, hiring, attrition float64, key uint64, mc bool, cohorts []cohort) []cohort {
	h := len(p.hours) - 1
	monthly := 1 - math.Pow(1-attrition, 1.0/12)
	cohorts = append(cohorts[:0], cohort{start: -t.RampMonths, n: float64(t.CSMs)})
	p.departs = p.departs[:0]
	backfills := make([]float64, h+2+t.HiringLagMonths) // arrivals by month
	pending := 0.0
	for m := 1; m <= h; m++ {
		hires, left, before := 0.0, 0.0, 0.0
		for _, c := range cohorts {
			before += c.n
		}
		if monthly > 0 {
			for i := range cohorts {
				gone := 0.0
				if !mc {
					gone = cohorts[i].n * monthly
				} else {
					c := splitmix64(key ^ uint64(cohorts[i].start+1000)<<32 ^ uint64(m))
					for j := range int(cohorts[i].n) {
						if hashUniform(c, uint64(j)) < monthly {
							gone++
						}
					}
				}
				cohorts[i].n -= gone
				left += gone
				if arrive := m + t.HiringLagMonths; gone > 0 {
					backfills[arrive] += gone
					pending += gone
				}
			}
		}
		employed := 0.0
		for _, c := range cohorts {
			employed += c.n
		}
		if b := backfills[m]; b > 0 {
			pending -= b
			if take := math.Min(b, math.Max(0, float64(t.target(m))-employed)); take > 0 {
				cohorts = append(cohorts, cohort{start: m, n: take})
				employed += take
				hires += take
			}
		}
		target := float64(t.target(m))
		if employed > target {
			cut := employed - target
			left += cut
			for i := len(cohorts) - 1; i >= 0 && cut > 0; i-- {
				d := math.Min(cohorts[i].n, cut)
				cohorts[i].n -= d
				cut -= d
			}
			employed = target
			// Backfills no longer needed are cancelled.
			for k := m + 1; k < len(backfills); k++ {
				pending -= backfills[k]
				backfills[k] = 0
			}
		} else if gap := target - employed - pending; gap > 0 {
			cohorts = append(cohorts, cohort{start: m, n: gap})
			employed += gap
			hires += gap
		}
		hours := 0.0
		for _, c := range cohorts {
			hours += c.n * rampShare(m-c.start+1, t.RampMonths)
		}
		p.hours[m] = hours * prod * t.HoursPerYear / 12
		p.heads[m] = employed
		p.cost[m] = employed*loaded/12 + hires*hiring
		p.left[m] = 0
		if left > 0 && before > 0 {
			p.left[m] = math.Min(1, left/before)
			p.departs = append(p.departs, int32(m))
		}
	}
	return cohorts
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
