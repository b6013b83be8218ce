package plan

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"csplan/internal/summary"
	"csplan/results"
	"csplan/scenarios"
	"csplan/shard"
	"csplan/sim"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// rounds is the Monte Carlo part of an optimization: successive halving
// over the survivors of the screen, today's plan alongside.
type rounds struct {
	opt    *Optimizer
	set    Settings
	alive  []int               // candidates still in, best first after a round
	data   map[int]*trialsSeen // by candidate
	rounds []results.OptRound
	last   []int // by candidate: the last round it ran in, −1 for none
	// done and total count option-trials, for progress.
	done, total int
	// full, when merging a sharded optimization, holds every survivor's
	// trials: the rounds reveal them instead of simulating.
	full *shard.Search
	// shortfall is how far each candidate misses the screened
	// constraints on its expected path (screen.shortfall), 0 when it
	// meets them.
	shortfall map[int]float64
}

// trialsSeen is what one candidate's trials so far measured.
type trialsSeen struct {
	objective []float64   // the objective's metric, trial by trial
	metrics   [][]float64 // each constraint's metric, trial by trial (nil for a budget)
	cost      []summary.Sum
}

// minRoundTrials is the fewest trials a round runs: one block.
const minRoundTrials = sim.BlockSize

func newRounds(opt *Optimizer, set Settings, sc *screen, survivors []int) *rounds {
	r := &rounds{opt: opt, set: set, alive: survivors, data: map[int]*trialsSeen{}, last: make([]int, len(opt.cands)),
		shortfall: map[int]float64{}}
	for _, i := range append(slices.Clone(survivors), opt.today) {
		r.shortfall[i] = sc.shortfall(opt, i)
	}
	for i := range r.last {
		r.last[i] = -1
	}
	// The work if every round halves: for progress.
	prev := 0
	for k, n := range r.schedule() {
		r.total += (r.count(k) + 1) * (n - prev)
		prev = n
	}
	return r
}

// schedule is the trials each round runs up to: the full trials in the
// last round, an eighth of them in the first of three (a quarter in the
// first of two), doubling from round to round before the last, one round
// for each halving from the survivors to the finalists. The early rounds
// only need to tell the plans far behind from the rest, which common
// random numbers make quick; the finalists get the trials.
func (r *rounds) schedule() []int {
	n, f := r.set.Trials, r.opt.o.Finalists
	k := 0
	for c := len(r.alive); c > f; c = (c + 1) / 2 {
		k++
	}
	out := make([]int, k+1)
	for i := range out {
		out[i] = max(min(n, minRoundTrials), n>>(k-i+1))
	}
	out[k] = n
	return slices.Compact(out)
}

// count is the candidates round k runs if every round halves.
func (r *rounds) count(k int) int {
	c := len(r.alive)
	for range k {
		c = max(r.opt.o.Finalists, (c+1)/2)
	}
	return min(c, len(r.alive))
}

// run runs the rounds.
func (r *rounds) run(ctx context.Context) error {
	sched := r.schedule()
	have := 0
	for k, n := range sched {
		if err := r.simulate(ctx, k, have, n); err != nil {
			return err
		}
		kept := len(r.alive)
		if k < len(sched)-1 {
			r.cull(n)
			kept = len(r.alive)
		}
		r.rounds = append(r.rounds, results.OptRound{Trials: n, Candidates: r.ranIn(k), Kept: kept})
		have = n
	}
	return nil
}

// ranIn is how many candidates round k ran, today's plan aside.
func (r *rounds) ranIn(k int) int {
	c := 0
	for i, l := range r.last {
		if l >= k && i != r.opt.today {
			c++
		}
	}
	return c
}

// simulate runs trials [from, to) of the candidates alive and today's
// plan, on the same random numbers, and adds what they measured.
func (r *rounds) simulate(ctx context.Context, k, from, to int) error {
	run := append(slices.Clone(r.alive), r.opt.today)
	if r.full != nil {
		return r.reveal(k, run, to)
	}
	opts := r.opt.options(run)
	set := r.set.Settings
	base := r.done
	var progress func(done, total int)
	if r.set.Progress != nil {
		progress = func(done, _ int) { r.set.Progress(min(r.total, base+done*len(run)), r.total) }
	}
	part, err := sim.RunTrials(ctx, opts, set, from, to, progress)
	if err != nil {
		return err
	}
	r.done += len(run) * (to - from)
	for j, i := range run {
		obj, metrics, cost := measured(part, j, r.opt.o)
		d := r.data[i]
		if d == nil {
			d = &trialsSeen{metrics: make([][]float64, len(metrics)), cost: make([]summary.Sum, len(cost))}
			r.data[i] = d
		}
		d.objective = append(d.objective, obj...)
		for c, m := range metrics {
			if m != nil {
				d.metrics[c] = append(d.metrics[c], m...)
			}
		}
		for m := range d.cost {
			d.cost[m].Merge(&cost[m])
		}
		r.last[i] = k
	}
	return nil
}

// measured is what option j of a part measured for an optimization: its
// objective's metric and each constraint's (nil for a budget) trial by
// trial, and its CS cost summed by month.
func measured(part *sim.Part, j int, o *scenarios.Optimization) (objective []float64, metrics [][]float64, cost []summary.Sum) {
	cs := slices.Index(sim.SeriesNames[:], results.SeriesCSCost)
	metrics = make([][]float64, len(o.Constraints))
	for c, con := range o.Constraints {
		if con.Kind != scenarios.ConstraintBudget {
			metrics[c] = part.Metrics[j][metricIndex(con.Metric)]
		}
	}
	return part.Metrics[j][metricIndex(o.Objective.Metric)], metrics, part.Sums[j][cs]
}

// reveal takes trials up to to of the candidates run from the merged
// trials of a sharded optimization, as simulate would have measured
// them; the CS cost sums are every trial's (only the finalists' are
// read, after the last round).
func (r *rounds) reveal(k int, run []int, to int) error {
	for _, i := range run {
		j := slices.Index(r.full.Ran, i)
		if j < 0 {
			return fmt.Errorf("cannot merge: candidate %d ran in no part", i+1)
		}
		metrics := make([][]float64, len(r.full.Metrics[j]))
		for c, m := range r.full.Metrics[j] {
			if m != nil {
				metrics[c] = m[:to]
			}
		}
		r.data[i] = &trialsSeen{objective: r.full.Trials[j][:to], metrics: metrics, cost: r.full.Cost[j]}
		r.last[i] = k
	}
	return nil
}

// metricIndex is the position of a metric in a part's metrics.
func metricIndex(metric string) int { return slices.Index(sim.MetricNames[:], metric) }

// cull drops the candidates that clearly miss a constraint on the trials
// so far (their confidence bound misses it the other way), then keeps the
// better half of the rest by the objective, at least Finalists.
func (r *rounds) cull(n int) {
	var in []int
	for _, i := range r.alive {
		if !r.clearlyMisses(i) {
			in = append(in, i)
		}
	}
	if len(in) == 0 { // keep the closest rather than none: the answer says by how much they miss
		in = r.alive
	}
	r.rank(in)
	r.alive = in[:min(len(in), max(r.opt.o.Finalists, (len(in)+1)/2))]
}

// rank sorts candidates by the objective's statistic, best first.
func (r *rounds) rank(cands []int) {
	stat := map[int]float64{}
	for _, i := range cands {
		stat[i] = r.statistic(i).Value
	}
	slices.SortStableFunc(cands, func(a, b int) int {
		// Plans the screen found over a budget or a mean's bound (when
		// no plan met them all) rank by how far they miss first.
		if c := cmp.Compare(r.shortfall[a], r.shortfall[b]); c != 0 {
			return c
		}
		switch {
		case r.opt.better(stat[a], stat[b]):
			return -1
		case r.opt.better(stat[b], stat[a]):
			return 1
		}
		return a - b
	})
}

// statistic is candidate i's objective on its trials so far, with its
// 95 % interval: the mean, or the percentile by the order statistics.
func (r *rounds) statistic(i int) results.Interval {
	return objectiveInterval(r.data[i].objective, r.opt.o.Objective.Percentile)
}

// objectiveInterval is the mean of xs with its 95 % interval (1.96
// standard errors), or with p > 0 its p-th percentile with the
// distribution-free interval of the order statistics (ranks np ± 1.96
// √(np(1 − p))).
func objectiveInterval(xs []float64, p int) results.Interval {
	n := float64(len(xs))
	if p == 0 {
		mean, se := meanSE(xs)
		return results.Interval{Value: mean, Lo: mean - z95*se, Hi: mean + z95*se}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	q := float64(p) / 100
	at := func(rank float64) float64 { return s[int(math.Max(0, math.Min(n-1, math.Ceil(rank)-1)))] }
	half := z95 * math.Sqrt(n*q*(1-q))
	return results.Interval{Value: at(n * q), Lo: at(n*q - half), Hi: at(n*q + half + 1)}
}

// z95 is the two-sided 95 % normal quantile.
const z95 = 1.959963984540054

// meanSE is the mean of xs and its standard error.
func meanSE(xs []float64) (mean, se float64) {
	if len(xs) < 2 {
		return stat.Mean(xs, nil), 0
	}
	mean, sd := stat.MeanStdDev(xs, nil)
	return mean, sd / math.Sqrt(float64(len(xs)))
}

// zOneSided is the normal quantile of a one-sided confidence.
func zOneSided(confidence float64) float64 {
	return distuv.UnitNormal.Quantile(confidence)
}

// check measures constraint c of candidate i on its trials: the value
// (a mean, a share of trials, the worst fiscal year's CS cost), its
// one-sided confidence bound toward failing, and whether the constraint
// holds with the stated confidence. A budget is checked on the mean cost
// of each fiscal year: the cost of a team plan varies little between
// trials (attrition and its backfills), and a budget is a plan's expected
// spend.
func (r *rounds) check(i, c int) results.OptCheck {
	con := r.opt.o.Constraints[c]
	d := r.data[i]
	z := zOneSided(r.opt.o.Confidence)
	switch con.Kind {
	case scenarios.ConstraintBudget:
		n := float64(len(d.objective))
		cost := make([]float64, len(d.cost)/2)
		for m := range cost {
			cost[m] = d.cost[m].Float() / n
		}
		name, spent, allowed := worstYear(r.opt.years, cost, con.Bound)
		return results.OptCheck{Value: spent, Bound: allowed, Holds: spent <= allowed*(1+1e-9), Year: name}
	case scenarios.ConstraintChance:
		hits := 0
		for _, v := range d.metrics[c] {
			if meets(con, v) {
				hits++
			}
		}
		lo, _ := wilson(hits, len(d.metrics[c]), z)
		share := float64(hits) / float64(len(d.metrics[c]))
		return results.OptCheck{Value: share, Bound: lo, Holds: lo >= con.Probability}
	}
	mean, se := meanSE(d.metrics[c])
	bound := mean - z*se
	if con.AtMost {
		bound = mean + z*se
	}
	return results.OptCheck{Value: mean, Bound: bound, Holds: meets(con, bound)}
}

// clearlyMisses reports whether candidate i misses a mean or chance
// constraint even at the confidence bound that favours it.
func (r *rounds) clearlyMisses(i int) bool {
	d := r.data[i]
	z := zOneSided(r.opt.o.Confidence)
	for c, con := range r.opt.o.Constraints {
		switch con.Kind {
		case scenarios.ConstraintChance:
			hits := 0
			for _, v := range d.metrics[c] {
				if meets(con, v) {
					hits++
				}
			}
			if _, hi := wilson(hits, len(d.metrics[c]), z); hi < con.Probability {
				return true
			}
		case scenarios.ConstraintMean:
			mean, se := meanSE(d.metrics[c])
			best := mean + z*se
			if con.AtMost {
				best = mean - z*se
			}
			if !meets(con, best) {
				return true
			}
		}
	}
	return false
}

// wilson is the Wilson score interval of a share of k in n at normal
// quantile z: it stays within [0, 1] and is sound near them.
func wilson(k, n int, z float64) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	p, nn := float64(k)/float64(n), float64(n)
	centre := (p + z*z/(2*nn)) / (1 + z*z/nn)
	half := z / (1 + z*z/nn) * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
	return math.Max(0, centre-half), math.Min(1, centre+half)
}
