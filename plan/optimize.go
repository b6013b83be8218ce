package plan

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"time"

	"csplan/results"
	"csplan/scenarios"
	"csplan/sim"
)

// Optimizing a plan. Every combination of the variables' values is a
// candidate. A screen on each candidate's expected path (milliseconds a
// candidate) ranks them by the objective and drops those whose budget or
// mean constraints fail there; the best Survivors go on to Monte Carlo
// rounds of successive halving (Karnin, Koren and Somekh 2013): each round
// runs every candidate left on the same trials, twice as many as the
// round before (an eighth of them in the first of three), and keeps the
// better half, until Finalists remain on the full trials. Every round is on common random numbers (trial t of every
// candidate draws the same numbers), so candidates are compared trial by
// trial, and the trials of a round include those of the rounds before, so
// none is wasted. Today's plan runs every trial alongside, as the
// reference. A constraint counts as met only when it holds with the stated
// confidence given its Monte Carlo error.

// An Optimizer holds a problem over a scenario and its candidates, built.
type Optimizer struct {
	s    *scenarios.Scenario
	o    *scenarios.Optimization
	vars []scenarios.Variable
	// cands are every combination of the values (the first variable
	// varying slowest), then today's plan when it is none of them.
	cands []candidate
	today int
	years []results.FiscalYear // of the horizon, for budgets
	h     int                  // months of the horizon
	// start and plans are what the ready option needs of the scenario
	// (scenarios.OptionSet).
	start time.Time
	plans map[string]string
}

// candidate is one plan: its values and its model.
type candidate struct {
	values []string
	model  sim.Model
	today  bool
}

// NewOptimizer builds every candidate of problem o over s.
func NewOptimizer(s *scenarios.Scenario, o *scenarios.Optimization) (*Optimizer, error) {
	if len(o.Variables) == 0 {
		return nil, fmt.Errorf("nothing to optimise: give the variables in the scenario's optimize section or with --var PATH=RANGE")
	}
	h := s.Options[0].Model.Horizon
	var paths []string
	for _, v := range o.Variables {
		paths = append(paths, v.Path)
	}
	opt := &Optimizer{s: s, o: o, vars: o.Variables, today: -1, h: h, start: s.Start, plans: s.Plans(paths),
		years: results.FiscalYears(s.Start.Format("2006-01"), s.FiscalYear, h)}
	points := [][]string{nil}
	for _, v := range o.Variables {
		var next [][]string
		for _, pt := range points {
			for _, val := range v.Values {
				next = append(next, append(slices.Clip(pt), val))
			}
		}
		points = next
	}
	// Today's value of each variable: the one of its values the baseline
	// gives (a whole mapping compares as YAML), else as the file writes
	// it ("" for a default or a mapping none of the values is).
	todayVals := make([]string, len(o.Variables))
	for j, v := range o.Variables {
		todayVals[j], _ = s.Value(v.Path)
		for _, val := range v.Values {
			if s.SameValue(v.Path, val) {
				todayVals[j] = val
				break
			}
		}
	}
	for _, pt := range points {
		set := map[string]string{}
		for j, v := range o.Variables {
			set[v.Path] = pt[j]
		}
		m, err := s.Override(set)
		if err != nil {
			return nil, err
		}
		c := candidate{values: pt, model: m}
		if opt.today < 0 && slices.Equal(pt, todayVals) {
			c.today, opt.today = true, len(opt.cands)
		}
		opt.cands = append(opt.cands, c)
	}
	if opt.today < 0 {
		vals := make([]string, len(todayVals))
		for j, v := range todayVals {
			vals[j] = cmp.Or(v, "as today")
		}
		opt.today = len(opt.cands)
		opt.cands = append(opt.cands, candidate{values: vals, model: s.Options[0].Model, today: true})
	}
	return opt, nil
}

// Len is the number of candidates, today's plan included.
func (opt *Optimizer) Len() int { return len(opt.cands) }

// CheckWork refuses a problem whose Monte Carlo would ask for more
// account-months than a run may: the survivors and today's plan on every
// trial.
func (opt *Optimizer) CheckWork(set Settings) error {
	idx := make([]int, min(len(opt.cands), opt.o.Survivors+1))
	for i := range idx {
		idx[i] = i
	}
	return checkWork(opt.options(idx), set, 1)
}

// Optimize screens every candidate, runs the rounds and returns the
// answer.
func (opt *Optimizer) Optimize(ctx context.Context, set Settings) (*results.Optimize, error) {
	res, scr, err := opt.screened(ctx, set)
	if err != nil {
		return nil, err
	}
	return opt.search(ctx, res, scr, newRounds(opt, set, scr, scr.survivors(opt)))
}

// screened is the answer's header with every candidate screened: what an
// optimization and each of its shards start from.
func (opt *Optimizer) screened(ctx context.Context, set Settings) (*results.Optimize, *screen, error) {
	if err := checkOptimizeSettings(set); err != nil {
		return nil, nil, err
	}
	res := opt.header(set)
	scr, err := opt.screen(ctx, set)
	if err != nil {
		return nil, nil, err
	}
	res.Candidates = scr.candidates(opt)
	return res, scr, nil
}

// options are candidates idx as options to simulate, named by number.
func (opt *Optimizer) options(idx []int) []sim.Option {
	opts := make([]sim.Option, len(idx))
	for j, i := range idx {
		opts[j] = sim.Option{Name: fmt.Sprintf("candidate %d", i+1), Model: opt.cands[i].model}
	}
	return opts
}

// minOptimizeTrials are the fewest trials an optimization runs: its first
// round runs an eighth of them, and a few hundred trials are what tell
// plans apart and a chance constraint's share from its bound.
const minOptimizeTrials = 200

// checkOptimizeSettings refuses expected mode and too few trials.
func checkOptimizeSettings(set Settings) error {
	switch {
	case set.Mode == sim.Expected:
		return &SettingError{Setting: "mode", Problem: "must be monte-carlo for optimize: the expected path screens the candidates, and trials decide between the best"}
	case set.Trials < minOptimizeTrials:
		return &SettingError{Setting: "trials", Problem: fmt.Sprintf("must be at least %d for optimize (its rounds and its constraints' confidence need them), got %d", minOptimizeTrials, set.Trials)}
	}
	return nil
}

// search runs the rounds and answers.
func (opt *Optimizer) search(ctx context.Context, res *results.Optimize, scr *screen, rnd *rounds) (*results.Optimize, error) {
	if err := rnd.run(ctx); err != nil {
		return nil, err
	}
	for i, r := range rnd.last {
		res.Candidates[i].Round = r
	}
	res.Rounds = rnd.rounds
	opt.answer(res, scr, rnd)
	return res, nil
}

// header is what optimize.json says of the problem and the run.
func (opt *Optimizer) header(set Settings) *results.Optimize {
	s, o := opt.s, opt.o
	res := &results.Optimize{Scenario: s.Name, File: filepath.Base(s.Path), Currency: s.Currency, Start: s.Start.Format("2006-01"), FiscalYearStart: s.FiscalYear,
		Seed: set.Seed, Trials: set.Trials, Confidence: o.Confidence, Version: set.Version, Best: -1, RunnerUp: -1, Closest: -1}
	q, _ := results.MetricByKey(o.Objective.Metric)
	res.Objective = results.OptObjective{Metric: o.Objective.Metric, Label: q.Label, Maximize: o.Objective.Maximize, Statistic: o.Objective.Statistic()}
	for j, v := range opt.vars {
		label, _ := s.InputLabel(v.Path, "")
		res.Variables = append(res.Variables, results.OptVariable{Path: v.Path, Label: label, Values: v.Values, Names: v.Names, Today: opt.cands[opt.today].values[j]})
	}
	for _, c := range o.Constraints {
		q, _ := results.MetricByKey(c.Metric)
		res.Constraints = append(res.Constraints, results.OptConstraint{Kind: c.Kind, Metric: c.Metric, Label: q.Label,
			AtMost: c.AtMost, Bound: c.Bound, Probability: c.Probability})
	}
	return res
}

// worstYear is the fiscal year whose CS cost (cost by month, index 1..h)
// is furthest above, or least below, its share of budget: its name, cost
// and share of the budget.
func worstYear(years []results.FiscalYear, cost []float64, budget float64) (name string, spent, allowed float64) {
	worst := math.Inf(-1)
	for _, y := range years {
		sum := 0.0
		for m := y.From; m <= y.To; m++ {
			sum += cost[m]
		}
		share := budget * float64(y.Months()) / 12
		if over := sum - share; over > worst {
			worst, name, spent, allowed = over, y.Name(), sum, share
		}
	}
	return name, spent, allowed
}
