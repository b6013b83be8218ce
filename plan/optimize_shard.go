package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"csplan/internal/summary"
	"csplan/results"
	"csplan/scenarios"
	"csplan/shard"
	"csplan/sim"
)

// Sharding an optimization. The rounds decide which candidates go on from
// the trials so far, so shards cannot split them as they run. Every shard
// instead screens every candidate (the screen is the same in each) and runs
// every survivor and today's plan on its share of the trials; merge then
// replays the rounds on the merged trials, each round reading trials 0 to
// its count, exactly as an unsharded run reads them after simulating them.
// A trial's numbers do not depend on the shard or on the candidates beside
// it, so the answer is the unsharded one, byte for byte; the shards
// simulate the trials the rounds would have culled, the price of running
// them apart.

// Shard runs shard spec of the optimization and returns its part, for
// Merge.
func (opt *Optimizer) Shard(ctx context.Context, set Settings, spec shard.Spec) (*shard.File, error) {
	res, scr, err := opt.screened(ctx, set)
	if err != nil {
		return nil, err
	}
	surv := scr.survivors(opt)
	run := append(slices.Clone(surv), opt.today)
	opts := opt.options(run)
	first, end := sim.ShardRange(set.Trials, spec.I, spec.N)
	part, err := sim.RunTrials(ctx, opts, set.Settings, first, end, set.Progress)
	if err != nil {
		return nil, err
	}
	problem, err := json.Marshal(opt.o)
	if err != nil {
		return nil, err
	}
	s := &shard.Search{Problem: problem, Plans: opt.plans, Today: opt.today, Survivors: surv, Objective: scr.objective, CSCost: scr.csCost,
		ByMonth: scr.byMonth, Values: scr.values, Missed: scr.missed, Ran: run, First: first, End: end}
	for j := range run {
		obj, metrics, cost := measured(part, j, opt.o)
		s.Trials, s.Metrics, s.Cost = append(s.Trials, obj), append(s.Metrics, metrics), append(s.Cost, cost)
	}
	return &shard.File{Kind: shard.KindOptimize, Shard: spec, Optimize: res, Search: s, Total: set.Trials,
		Fingerprint: fingerprint(shard.KindOptimize, opt.s, set, spec, string(problem))}, nil
}

// Do runs the optimization into Output.Optimize, or, when spec.N is above
// 0, shard spec of it into Output.Part.
func (opt *Optimizer) Do(ctx context.Context, set Settings, spec shard.Spec) (out Output, err error) {
	if spec.N > 0 {
		out.Part, err = opt.Shard(ctx, set, spec)
	} else {
		out.Optimize, err = opt.Optimize(ctx, set)
	}
	return out, err
}

// mergeOptimize puts the trials of an optimization's parts together and
// replays its rounds.
func mergeOptimize(ctx context.Context, parts []*shard.File) (*results.Optimize, error) {
	ps := slices.Clone(parts)
	sort.Slice(ps, func(a, b int) bool { return ps[a].Search.First < ps[b].Search.First })
	full := *ps[0].Search
	full.Trials, full.Metrics, full.Cost = nil, nil, nil
	at := 0
	for _, f := range ps {
		s := f.Search
		if s.First != at || !slices.Equal(s.Ran, full.Ran) {
			return nil, fmt.Errorf("cannot merge: the parts' trials do not follow on from each other at trial %d", at)
		}
		at = s.End
	}
	if at != ps[0].Total || ps[0].Optimize.Trials != ps[0].Total {
		return nil, fmt.Errorf("cannot merge: the parts hold trials 0 to %d of %d", at-1, ps[0].Total)
	}
	for j := range full.Ran {
		var trials []float64
		metrics := make([][]float64, len(ps[0].Search.Metrics[j]))
		cost := make([]summary.Sum, len(ps[0].Search.Cost[j]))
		for _, f := range ps {
			s := f.Search
			if len(s.Trials[j]) != s.End-s.First || len(s.Cost[j]) != len(cost) {
				return nil, fmt.Errorf("cannot merge: damaged trials in shard %s", f.Shard)
			}
			trials = append(trials, s.Trials[j]...)
			for c, m := range s.Metrics[j] {
				if m != nil {
					metrics[c] = append(metrics[c], m...)
				}
			}
			for m := range cost {
				cost[m].Merge(&s.Cost[j][m])
			}
		}
		full.Trials, full.Metrics, full.Cost = append(full.Trials, trials), append(full.Metrics, metrics), append(full.Cost, cost)
	}
	return replay(ctx, ps[0].Optimize, &full)
}

// replay answers an optimization from its screen and every survivor's
// trials, as Optimize does.
func replay(ctx context.Context, head *results.Optimize, full *shard.Search) (*results.Optimize, error) {
	var o scenarios.Optimization
	if err := json.Unmarshal(full.Problem, &o); err != nil {
		return nil, fmt.Errorf("cannot merge: damaged problem: %v", err)
	}
	res := *head
	res.Candidates = slices.Clone(head.Candidates)
	if msg := wholeProblem(&o, &res, full); msg != "" {
		return nil, fmt.Errorf("cannot merge: damaged part: %s", msg)
	}
	h := len(full.ByMonth[0]) - 1
	start, err := time.Parse("2006-01", res.Start)
	if err != nil {
		return nil, fmt.Errorf("cannot merge: damaged start %q", res.Start)
	}
	opt := &Optimizer{o: &o, vars: o.Variables, today: full.Today, h: h, start: start, plans: full.Plans,
		years: results.FiscalYears(res.Start, res.FiscalYearStart, h)}
	for _, c := range res.Candidates {
		opt.cands = append(opt.cands, candidate{values: c.Values, today: c.Today})
	}
	scr := &screen{objective: full.Objective, csCost: full.CSCost, byMonth: full.ByMonth, values: full.Values, missed: full.Missed, years: opt.years}
	rnd := newRounds(opt, Settings{Settings: sim.Settings{Trials: head.Trials}}, scr, full.Survivors)
	rnd.full = full
	return opt.search(ctx, &res, scr, rnd)
}

// describeSearch says what an optimization's part holds.
func describeSearch(f *shard.File) (name, what string) {
	s := f.Search
	what = "the screen, and trials " + strconv.Itoa(s.First) + " to " + strconv.Itoa(s.End-1) + " of " + strconv.Itoa(f.Total) +
		" of " + strconv.Itoa(len(s.Ran)) + " plans"
	if s.First == s.End {
		what = fmt.Sprintf("the screen and no trials (%d shards for %d blocks of %d trials)", f.Shard.N, (f.Total+sim.BlockSize-1)/sim.BlockSize, sim.BlockSize)
	}
	return f.Optimize.Scenario, what
}

// wholeProblem says what of a part's problem does not fit its search and
// answer ("" when all does): the problem a shard ran is what merge
// replays, so a part altered after it was written is refused, not
// replayed.
func wholeProblem(o *scenarios.Optimization, res *results.Optimize, full *shard.Search) string {
	switch {
	case scenarios.CheckMetric(o.Objective.Metric) != "":
		return "its objective"
	case len(o.Constraints) != len(full.Values[0]):
		return "its constraints"
	case o.Finalists < 1 || o.Survivors < o.Finalists || o.Confidence <= 0 || o.Confidence >= 1 || res.Trials < 1:
		return "its settings"
	case len(o.Variables) == 0 || len(res.Variables) != len(o.Variables):
		return "its variables"
	}
	for _, c := range o.Constraints {
		if scenarios.CheckMetric(c.Metric) != "" {
			return "its constraints"
		}
	}
	for _, c := range res.Candidates {
		if len(c.Values) != len(o.Variables) {
			return "its candidates"
		}
	}
	return ""
}
