package plan

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"slices"
	"sync/atomic"

	"csplan/results"
	"csplan/scenarios"
	"csplan/sim"

	"golang.org/x/sync/errgroup"
)

// screenBatch is the candidates one expected-mode run takes: enough to
// share its setting up, few enough to spread the batches over the workers
// evenly.
const screenBatch = 8

// screen is every candidate on its expected path: the objective's metric,
// the CS cost over the horizon and by month, and the value of each
// constraint's metric.
type screen struct {
	objective []float64
	csCost    []float64
	byMonth   [][]float64          // CS cost by month, 1..h
	values    [][]float64          // [candidate][constraint] the metric's value
	missed    []int                // the first constraint the candidate misses there, −1 if none
	years     []results.FiscalYear // the optimizer's
}

// screen runs every candidate in expected mode, in batches on as many
// workers as the settings allow (an expected path is one trial, which the
// engine runs on one worker), each batch's numbers put in their place.
func (opt *Optimizer) screen(ctx context.Context, set Settings) (*screen, error) {
	n := len(opt.cands)
	sc := &screen{objective: make([]float64, n), csCost: make([]float64, n), byMonth: make([][]float64, n),
		values: make([][]float64, n), missed: make([]int, n), years: opt.years}
	h := opt.h
	es := set.Settings
	es.Mode, es.Trials, es.Workers = sim.Expected, 1, 1
	workers := set.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	var done atomic.Int64
	for first := 0; first < n; first += screenBatch {
		end := min(n, first+screenBatch)
		g.Go(func() error {
			idx := make([]int, end-first)
			for k := range idx {
				idx[k] = first + k
			}
			opts := opt.options(idx)
			res, err := sim.Run(gctx, opts, es, nil)
			if err != nil {
				return err
			}
			for k := range res.Options {
				sc.record(opt, first+k, &res.Options[k], h)
			}
			if set.Progress != nil {
				set.Progress(int(done.Add(int64(end-first))), n)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return sc, nil
}

// record keeps candidate i's expected path: its objective, CS cost, cost by
// month and constraint values, and the first constraint it misses.
func (sc *screen) record(opt *Optimizer, i int, o *results.Option, h int) {
	sc.objective[i] = o.Metrics[opt.o.Objective.Metric].Mean
	sc.csCost[i] = o.Metrics[results.CSCostTotal].Mean
	sc.byMonth[i] = make([]float64, h+1)
	for _, p := range o.Series[results.SeriesCSCost] {
		if p.Month >= 1 && p.Month <= h {
			sc.byMonth[i][p.Month] = p.Mean
		}
	}
	for _, c := range opt.o.Constraints {
		sc.values[i] = append(sc.values[i], o.Metrics[c.Metric].Mean)
	}
	sc.missed[i] = opt.screenMiss(sc, i)
}

// screenMiss is the first constraint candidate i misses on its expected
// path, −1 for none: a budget, or a bound on a mean. A chance constraint
// needs trials.
func (opt *Optimizer) screenMiss(sc *screen, i int) int {
	for j := range opt.o.Constraints {
		if sc.misses(opt, i, j) {
			return j
		}
	}
	return -1
}

// misses reports whether candidate i misses constraint j on its expected
// path (a chance constraint it cannot miss there).
func (sc *screen) misses(opt *Optimizer, i, j int) bool {
	c := opt.o.Constraints[j]
	switch c.Kind {
	case scenarios.ConstraintBudget:
		_, spent, allowed := worstYear(sc.years, sc.byMonth[i], c.Bound)
		return spent > allowed*(1+1e-9)
	case scenarios.ConstraintMean:
		return !meets(c, sc.values[i][j])
	}
	return false
}

// meets reports whether value v meets constraint c's bound.
func meets(c scenarios.Constraint, v float64) bool {
	if c.AtMost {
		return v <= c.Bound
	}
	return v >= c.Bound
}

// better reports whether objective a beats b.
func (opt *Optimizer) better(a, b float64) bool {
	if opt.o.Objective.Maximize {
		return a > b
	}
	return a < b
}

// ranked is the candidates feasible on the screen, best objective first
// (the first of equals by index).
func (sc *screen) ranked(opt *Optimizer, feasible bool) []int {
	var idx []int
	for i := range opt.cands {
		if (sc.missed[i] < 0) == feasible {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case opt.better(sc.objective[a], sc.objective[b]):
			return -1
		case opt.better(sc.objective[b], sc.objective[a]):
			return 1
		}
		return 0
	})
	return idx
}

// survivors are the candidates the Monte Carlo rounds start from: the
// best Survivors feasible on the screen, or, when none is, the closest to
// feasible (the fewest constraints missed, then the best objective), so
// that the answer can say by how much they miss. Today's plan is not
// among them: it runs alongside.
func (sc *screen) survivors(opt *Optimizer) []int {
	out := sc.ranked(opt, true)
	if len(out) == 0 {
		out = sc.ranked(opt, false)
		slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(sc.shortfall(opt, a), sc.shortfall(opt, b)) })
	}
	out = slices.DeleteFunc(out, func(i int) bool { return i == opt.today })
	return out[:min(len(out), opt.o.Survivors)]
}

// shortfall is how far candidate i misses its screened constraints, each
// as a share of its bound, added up.
func (sc *screen) shortfall(opt *Optimizer, i int) float64 {
	total := 0.0
	for j, c := range opt.o.Constraints {
		var v, bound float64
		switch c.Kind {
		case scenarios.ConstraintBudget:
			_, v, bound = worstYear(sc.years, sc.byMonth[i], c.Bound)
		case scenarios.ConstraintMean:
			v, bound = sc.values[i][j], c.Bound
		default:
			continue
		}
		if !meets(scenarios.Constraint{AtMost: c.AtMost, Bound: bound}, v) {
			total += math.Abs(v-bound) / math.Max(math.Abs(bound), 1e-9)
		}
	}
	return total
}

// candidates is every candidate as optimize.json lists it.
func (sc *screen) candidates(opt *Optimizer) []results.OptCandidate {
	out := make([]results.OptCandidate, len(opt.cands))
	for i, c := range opt.cands {
		out[i] = results.OptCandidate{Values: c.values, Objective: sc.objective[i], CSCost: sc.csCost[i],
			Feasible: sc.missed[i] < 0, Misses: sc.missed[i], Today: c.today, Round: -1}
	}
	return out
}
