package plan

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"csplan/results"
	"csplan/scenarios"
	"csplan/shard"
	"csplan/sim"
)

// Constructed problems with known optima, each small enough for a unit
// test: 200 accounts needing 36 CSM hours a year each (7,200 h), CSMs of
// 1,456 productive hours at 70 % (so 4.95 CSMs cover every account), a
// churn that triples without coverage, and CSMs at $150k a year with no
// hiring cost, ramp or attrition.
const optimizeBase = `
name: Known optimum
start: 2027-01
horizon_months: 24
trials: 400
seed: 5
segments:
  - name: ent
    accounts: 200
    acv: 60k
    contract: {term_months: 12}
    churn: {annual: 15%}
    touch:
      monthly_meeting: {per_year: 12, hours: 2, prep: 1}
team:
  csms: 2
  productivity: 70%
  loaded_cost: 150k
  hiring_cost: 0
  ramp_months: 0
  attrition: 0
  hiring_lag_months: 0
coverage_response:
  churn: [[0, 3.0], [1, 1.0]]
  upsell: [[0, 1.0], [1, 1.0]]
economics:
  gross_margin_ex_cs: 80%
  cost_to_serve: 0%
`

// optimizeScenario parses the base scenario with extra YAML appended.
func optimizeScenario(t *testing.T, base, extra string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Parse("known.yaml", []byte(base+extra), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// optimize runs the scenario's optimize section.
func optimize(t *testing.T, s *scenarios.Scenario) *results.Optimize {
	t.Helper()
	opt, err := NewOptimizer(s, s.Optimize)
	if err != nil {
		t.Fatal(err)
	}
	res, err := opt.Optimize(context.Background(), Settings{Settings: s.Settings})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// exhaustive is the truth the optimizer must find: every combination of
// the values on its expected path, the best objective among those within
// the budget (CS cost by calendar year, the scenario's fiscal year).
func exhaustive(t *testing.T, s *scenarios.Scenario) []string {
	t.Helper()
	o := s.Optimize
	var best []string
	bestV := math.NaN()
	var walk func(j int, vals []string)
	walk = func(j int, vals []string) {
		if j == len(o.Variables) {
			set := map[string]string{}
			for k, v := range o.Variables {
				set[v.Path] = vals[k]
			}
			m, err := s.Override(set)
			if err != nil {
				t.Fatal(err)
			}
			set2 := s.Settings
			set2.Mode = sim.Expected
			r, err := sim.Run(context.Background(), []sim.Option{{Name: "x", Model: m}}, set2, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range o.Constraints {
				if c.Kind != scenarios.ConstraintBudget {
					continue
				}
				year := 0.0
				for _, p := range r.Options[0].Series[results.SeriesCSCost] {
					if p.Month >= 1 {
						year += p.Mean
					}
					if p.Month%12 == 0 && p.Month > 0 {
						if year > c.Bound*(1+1e-9) {
							return
						}
						year = 0
					}
				}
			}
			v := r.Options[0].Metrics[o.Objective.Metric].Mean
			if !o.Objective.Maximize {
				v = -v
			}
			if math.IsNaN(bestV) || v > bestV {
				best, bestV = slices.Clone(vals), v
			}
			return
		}
		for _, v := range o.Variables[j].Values {
			walk(j+1, append(vals, v))
		}
	}
	walk(0, nil)
	return best
}

// bestValues are the best finalist's values, or fails.
func bestValues(t *testing.T, res *results.Optimize) []string {
	t.Helper()
	if res.Best < 0 {
		t.Fatalf("no feasible plan: %+v", res.Finalists)
	}
	return res.Finalists[res.Best].Values
}

// A concave objective in headcount: contribution rises while CSMs still
// cover accounts (churn falls) and then falls by their cost; 5 CSMs cover
// every account. The optimizer's plan is the expected-mode optimum of
// every headcount, and the runner-up is clearly worse on the same trials.
func TestOptimizeConcaveHeadcount(t *testing.T) {
	s := optimizeScenario(t, optimizeBase, `
optimize:
  variables: [{path: team.csms, range: 0..10}]
  finalists: 3
  survivors: 8
`)
	want := exhaustive(t, s)
	res := optimize(t, s)
	if got := bestValues(t, res); !slices.Equal(got, want) || want[0] != "5" {
		t.Errorf("best %v, want the expected-mode optimum %v (5 CSMs)", got, want)
	}
	if v := res.Versus["runner_up"]; !(v.MeanDiff.Lo > 0) {
		t.Errorf("the best should beat the runner-up clearly: %+v", v)
	}
}

// A budget that binds at a known point: $500k a year buys 3 CSMs at $150k
// (4 would cost $600k), below the 5 the objective wants; the answer says
// the budget binds, and that $100k more would buy the fourth.
func TestOptimizeBudgetBinds(t *testing.T) {
	s := optimizeScenario(t, optimizeBase, `
optimize:
  variables: [{path: team.csms, range: 0..10}]
  budget: 500k
  finalists: 3
  survivors: 8
`)
	want := exhaustive(t, s)
	res := optimize(t, s)
	if got := bestValues(t, res); !slices.Equal(got, want) || want[0] != "3" {
		t.Errorf("best %v, want %v (3 CSMs within $500k)", got, want)
	}
	if len(res.Binding) != 1 || res.Binding[0].Step != 100_000 || res.Binding[0].Values[0] != "4" {
		t.Errorf("binding %+v, want the budget, $100k more for 4 CSMs", res.Binding)
	}
}

// A chance constraint that rules out the unconstrained optimum: the least
// CS cost is no CSMs, but mean coverage must reach 90 % in at least 80 %
// of trials, with productivity uniform on 60 % to 80 % (per trial). n
// CSMs cover 90 % when n × 2,080 h × productivity ≥ 0.9 × 7,200 h: 5 CSMs
// in 88.5 % of trials (productivity ≥ 62.3 %), 4 in 10.6 %. The best is 5.
func TestOptimizeChanceConstraint(t *testing.T) {
	base := strings.Replace(optimizeBase, "productivity: 70%", "productivity: {uniform: {min: 60%, max: 80%}}", 1)
	base = strings.Replace(base, "churn: {annual: 15%}", "churn: {annual: 0%}", 1)
	s := optimizeScenario(t, base, `
optimize:
  objective: {metric: cs_cost_total}
  variables: [{path: team.csms, range: 0..10}]
  constraints: [{metric: coverage_mean, at_least: 90%, probability: 80%}]
  finalists: 3
  survivors: 8
`)
	res := optimize(t, s)
	if got := bestValues(t, res); got[0] != "5" {
		t.Errorf("best %v, want 5 CSMs", got)
	}
	for _, f := range res.Finalists {
		n := f.Values[0]
		share := f.Checks[0].Value
		switch n {
		case "5":
			within(t, "share of trials 5 CSMs cover 90 %", share, 0.8846, 4*math.Sqrt(0.8846*0.1154/400))
		case "4":
			if f.Feasible {
				t.Errorf("4 CSMs feasible: %+v", f)
			}
		}
	}
}

// Two pools: the enterprise pool's accounts are worth twenty times the
// SMB pool's, for the same hours. Today's plan puts 1 CSM on enterprise
// and 4 on SMB; the optimum moves CSMs to the pool with the higher
// marginal value (enterprise, fully covered by 3) and none to SMB, whose
// accounts are worth less than their CSMs. It is the expected-mode
// optimum of the 36 plans within the budget.
func TestOptimizeTwoPools(t *testing.T) {
	s := optimizeScenario(t, twoPools, `
optimize:
  variables:
    - {path: team.pools.big.csms, range: 0..5}
    - {path: team.pools.small.csms, range: 0..5}
  budget: 750k
  finalists: 3
  survivors: 8
`)
	want := exhaustive(t, s)
	res := optimize(t, s)
	if got := bestValues(t, res); !slices.Equal(got, want) || !slices.Equal(want, []string{"3", "0"}) {
		t.Errorf("best %v, want %v (3 enterprise CSMs, none for SMB)", got, want)
	}
	if !res.Finalists[res.Today].Today || res.Versus["today"].PBetter < 0.99 {
		t.Errorf("the best should beat today's plan in almost every trial: %+v", res.Versus["today"])
	}
	// The ready option is a valid option of the scenario, and sets both
	// pools as the best plan does.
	with, err := scenarios.Parse("with-option.yaml", []byte(twoPools+"options:\n"+res.Option), nil)
	if err != nil {
		t.Fatalf("the option does not validate: %v\n%s", err, res.Option)
	}
	if o := with.Options[1]; !slices.Equal(o.Set, []string{"team.pools.big.csms", "team.pools.small.csms"}) || !slices.Equal(o.Values, []string{"3", "0"}) {
		t.Errorf("option sets %v to %v", o.Set, o.Values)
	}
}

// twoPools is the base scenario with two segments of 100 accounts, each
// served by a pool of its own.
const twoPools = `
name: Two pools
start: 2027-01
horizon_months: 24
trials: 400
seed: 5
segments:
  - name: ent
    accounts: 100
    acv: 120k
    contract: {term_months: 12}
    churn: {annual: 15%}
    touch:
      monthly_meeting: {per_year: 12, hours: 2, prep: 1}
  - name: smb
    accounts: 100
    acv: 6k
    contract: {term_months: 12}
    churn: {annual: 15%}
    touch:
      monthly_meeting: {per_year: 12, hours: 2, prep: 1}
team:
  productivity: 70%
  loaded_cost: 150k
  hiring_cost: 0
  ramp_months: 0
  attrition: 0
  hiring_lag_months: 0
  pools:
    big: {segments: [ent], csms: 1}
    small: {segments: [smb], csms: 4}
coverage_response:
  churn: [[0, 3.0], [1, 1.0]]
  upsell: [[0, 1.0], [1, 1.0]]
economics:
  gross_margin_ex_cs: 80%
  cost_to_serve: 0%
`

// The same problem gives the same answer, byte for byte, at any number of
// workers.
func TestOptimizeDeterministic(t *testing.T) {
	s := optimizeScenario(t, optimizeBase, `
optimize:
  variables: [{path: team.csms, range: 2..7}]
  constraints: [{metric: grr_12m, at_least: 80%, probability: 50%}]
  finalists: 2
  survivors: 4
`)
	var outs []string
	for _, w := range []int{1, 2, 3} {
		opt, err := NewOptimizer(s, s.Optimize)
		if err != nil {
			t.Fatal(err)
		}
		set := Settings{Settings: s.Settings}
		set.Workers = w
		res, err := opt.Optimize(context.Background(), set)
		if err != nil {
			t.Fatal(err)
		}
		_, data, err := (Output{Optimize: res}).File()
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, string(data))
	}
	if outs[0] != outs[1] || outs[0] != outs[2] {
		t.Error("optimize.json differs between worker counts")
	}
}

func within(t *testing.T, what string, have, want, tol float64) {
	t.Helper()
	if math.Abs(have-want) > tol {
		t.Errorf("%s = %.4f, want %.4f ± %.4f", what, have, want, tol)
	}
}

// A sharded optimization, merged, is the unsharded one byte for byte: the
// parts run every survivor on their trials, and merge replays the rounds.
func TestOptimizeShardsMerge(t *testing.T) {
	s := optimizeScenario(t, optimizeBase, `
optimize:
  variables: [{path: team.csms, range: 0..10}]
  budget: 700k
  constraints: [{metric: grr_12m, at_least: 70%, probability: 50%}]
  finalists: 2
  survivors: 6
`)
	opt, err := NewOptimizer(s, s.Optimize)
	if err != nil {
		t.Fatal(err)
	}
	set := Settings{Settings: s.Settings}
	want, err := opt.Optimize(context.Background(), set)
	if err != nil {
		t.Fatal(err)
	}
	var parts []*shard.File
	for i := range 3 {
		f, err := opt.Shard(context.Background(), set, shard.Spec{I: 2 - i, N: 3})
		if err != nil {
			t.Fatal(err)
		}
		data, err := shard.Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		if f, err = shard.Decode(data); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, f)
	}
	if err := shard.Check(parts, []string{"a", "b", "c"}); err != nil {
		t.Fatal(err)
	}
	got, err := Merge(context.Background(), parts)
	if err != nil {
		t.Fatal(err)
	}
	_, a, _ := Output{Optimize: want}.File()
	_, b, _ := got.File()
	if string(a) != string(b) {
		t.Errorf("merged optimize.json differs from the unsharded one:\n%s\n---\n%s", b, a)
	}
}

// FuzzParseConstraint: no --constraint panics, and one accepted has a
// known metric, a finite bound and a probability in (0, 1].
func FuzzParseConstraint(f *testing.F) {
	for _, s := range []string{"grr_12m>=90%@80%", "cs_cost_total<=2.5M", "grr_12m>=NaN", "x>>1", "coverage_mean>=85%@", "nrr_12m<=1e400", "@", ">=", "grr_12m>=90%@150%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseConstraint(s)
		if err != nil {
			return
		}
		if scenarios.CheckMetric(c.Metric) != "" || math.IsNaN(c.Bound) || math.IsInf(c.Bound, 0) {
			t.Fatalf("%q accepted as %+v", s, c)
		}
		if c.Kind == scenarios.ConstraintChance && !(c.Probability > 0 && c.Probability <= 1) {
			t.Fatalf("%q: probability %v", s, c.Probability)
		}
	})
}
