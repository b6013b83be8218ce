package plan

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"csplan/results"
	"csplan/scenarios"

	"go.yaml.in/yaml/v3"
)

// answer fills res with the finalists (the candidates of the last round
// and today's plan), the best feasible one, the comparisons, what binds,
// and the best plan as an option.
func (opt *Optimizer) answer(res *results.Optimize, sc *screen, r *rounds) {
	final := slices.Clone(r.alive)
	if !slices.Contains(final, opt.today) {
		final = append(final, opt.today)
	}
	r.rank(final)
	// Feasible first, each group best first.
	fin := make([]results.OptFinalist, len(final))
	for k, i := range final {
		fin[k] = r.finalist(i)
	}
	order := make([]int, len(fin))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case fin[a].Feasible && !fin[b].Feasible:
			return -1
		case fin[b].Feasible && !fin[a].Feasible:
			return 1
		}
		return 0
	})
	for _, k := range order {
		res.Finalists = append(res.Finalists, fin[k])
	}
	for k, f := range res.Finalists {
		switch {
		case f.Today:
			res.Today = k
		}
		if f.Feasible && res.Best < 0 {
			res.Best = k
		} else if f.Feasible && res.RunnerUp < 0 {
			res.RunnerUp = k
		}
	}
	if res.Best < 0 {
		res.Closest = opt.closest(res)
		return
	}
	best := res.Finalists[res.Best].Candidate
	res.Versus = map[string]results.OptVs{}
	if res.Best != res.Today {
		res.Versus["today"] = r.versus(best, res.Finalists[res.Today])
	}
	if res.RunnerUp >= 0 {
		res.Versus["runner_up"] = r.versus(best, res.Finalists[res.RunnerUp])
	}
	res.Binding = opt.binding(res, sc)
	res.Option = opt.option(res)
}

// finalist is candidate i after every trial.
func (r *rounds) finalist(i int) results.OptFinalist {
	d := r.data[i]
	n := float64(len(d.objective))
	cost := 0.0
	for m := 1; m < len(d.cost)/2; m++ {
		cost += d.cost[m].Float() / n
	}
	f := results.OptFinalist{Candidate: i, Values: r.opt.cands[i].values, Objective: r.statistic(i), CSCost: cost,
		Feasible: true, Today: r.opt.cands[i].today}
	for c := range r.opt.o.Constraints {
		ch := r.check(i, c)
		f.Checks = append(f.Checks, ch)
		f.Feasible = f.Feasible && ch.Holds
	}
	return f
}

// versus compares candidate best with finalist f trial by trial on the
// objective's metric.
func (r *rounds) versus(best int, f results.OptFinalist) results.OptVs {
	a, b := r.data[best].objective, r.data[f.Candidate].objective
	diff := make([]float64, len(a))
	won := 0
	for t := range a {
		diff[t] = results.Difference(a[t], b[t])
		if diff[t] != 0 && r.opt.better(a[t], b[t]) {
			won++
		}
	}
	mean, se := meanSE(diff)
	return results.OptVs{Values: f.Values, MeanDiff: results.Interval{Value: mean, Lo: mean - z95*se, Hi: mean + z95*se},
		PBetter: float64(won) / float64(len(a))}
}

// closest is the finalist that misses its constraints by least, when
// none meets them all.
func (opt *Optimizer) closest(res *results.Optimize) int {
	bestK, bestGap := -1, math.Inf(1)
	for k, f := range res.Finalists {
		gap := 0.0
		for c, ch := range f.Checks {
			if !ch.Holds {
				gap += checkGap(opt.o.Constraints[c], ch)
			}
		}
		if gap < bestGap {
			bestK, bestGap = k, gap
		}
	}
	return bestK
}

// checkGap is how far a check misses its constraint, as a share of the
// bound (or of the probability).
func checkGap(c scenarios.Constraint, ch results.OptCheck) float64 {
	switch c.Kind {
	case scenarios.ConstraintChance:
		return math.Max(0, c.Probability-ch.Bound)
	case scenarios.ConstraintBudget:
		return math.Max(0, ch.Value-ch.Bound) / math.Max(ch.Bound, 1)
	}
	return math.Abs(ch.Bound-c.Bound) / math.Max(math.Abs(c.Bound), 1e-9)
}

// binding finds the constraints that decide the answer and what relaxing
// each would buy. A budget binds when a plan better than the chosen one on
// the expected path misses only it: the one of them that needs the least
// more budget, and how much more it would add. A mean or chance
// constraint binds when it alone rules out a finalist with a better
// objective.
func (opt *Optimizer) binding(res *results.Optimize, sc *screen) []results.OptBinding {
	var out []results.OptBinding
	best := res.Finalists[res.Best]
	for c, con := range opt.o.Constraints {
		if con.Kind == scenarios.ConstraintBudget {
			if i, need, ok := sc.cheapestBetter(opt, c, best.Candidate); ok {
				out = append(out, results.OptBinding{Constraint: c, Step: need - con.Bound, Gain: math.Abs(sc.objective[i] - sc.objective[best.Candidate]),
					Values: opt.cands[i].values, Finalist: -1})
			}
			continue
		}
		for k, f := range res.Finalists {
			if f.Feasible || f.Checks[c].Holds || !opt.better(f.Objective.Value, best.Objective.Value) {
				continue
			}
			only := true
			for j, ch := range f.Checks {
				only = only && (j == c || ch.Holds)
			}
			if only {
				out = append(out, results.OptBinding{Constraint: c, Gain: math.Abs(f.Objective.Value - best.Objective.Value), Values: f.Values, Finalist: k})
				break
			}
		}
	}
	return out
}

// cheapestBetter is, of the plans over budget c whose expected path beats
// candidate best's and that miss no other screened constraint, the one that
// needs the smallest budget, and that budget (its costliest fiscal year,
// a short one scaled to a year).
func (sc *screen) cheapestBetter(opt *Optimizer, c, best int) (int, float64, bool) {
	found, at, need := false, 0, math.Inf(1)
	for i := range opt.cands {
		if !sc.misses(opt, i, c) || !opt.better(sc.objective[i], sc.objective[best]) || !sc.onlyMisses(opt, i, c) {
			continue
		}
		b := 0.0
		for _, y := range sc.years {
			sum := 0.0
			for m := y.From; m <= y.To; m++ {
				sum += sc.byMonth[i][m]
			}
			b = math.Max(b, sum*12/float64(y.Months()))
		}
		if b < need {
			found, at, need = true, i, b
		}
	}
	return at, need, found
}

// onlyMisses reports whether candidate i meets every screened constraint
// but c.
func (sc *screen) onlyMisses(opt *Optimizer, i, c int) bool {
	for j := range opt.o.Constraints {
		if j != c && sc.misses(opt, i, j) {
			return false
		}
	}
	return true
}

// option writes the best plan as an option of the scenario: a list item
// ready to paste under its options:.
func (opt *Optimizer) option(res *results.Optimize) string {
	best := res.Finalists[res.Best]
	today := opt.cands[opt.today].values
	var paths, vals []string
	for j, v := range opt.vars {
		if best.Values[j] != today[j] { // an option may not set what the baseline has
			paths, vals = append(paths, v.Path), append(vals, best.Values[j])
		}
	}
	// A plan step becomes its whole plan, which options take.
	paths, vals, err := scenarios.OptionSet(opt.start, opt.plans, paths, vals)
	if err != nil {
		return ""
	}
	set := &yaml.Node{Kind: yaml.MappingNode}
	for j, path := range paths {
		var val yaml.Node
		if err := yaml.Unmarshal([]byte(vals[j]), &val); err != nil || len(val.Content) == 0 {
			val = yaml.Node{Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: vals[j]}}}
		}
		set.Content = append(set.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: path}, val.Content[0])
	}
	if len(set.Content) == 0 {
		return "" // the best plan is today's
	}
	q, _ := results.MetricByKey(res.Objective.Metric)
	way := "highest"
	if !res.Objective.Maximize {
		way = "lowest"
	}
	what := res.Objective.Statistic
	if what != "mean" {
		what += " of"
	}
	desc := fmt.Sprintf("Chosen by csplan optimize among %d plans: the %s %s %s", len(res.Candidates), way, what, strings.ToLower(q.Noun))
	if len(res.Constraints) > 0 {
		desc += fmt.Sprintf(" that meets its %d constraints (see optimize.json)", len(res.Constraints))
	}
	item := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "name"}, {Kind: yaml.ScalarNode, Value: "Optimized plan"},
		{Kind: yaml.ScalarNode, Value: "description"}, {Kind: yaml.ScalarNode, Value: desc + "."},
		{Kind: yaml.ScalarNode, Value: "set"}, set,
	}}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{item}}); err != nil {
		return ""
	}
	enc.Close()
	// Indented as a scenario's options are, under options:.
	lines := strings.SplitAfter(b.String(), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "")
}
