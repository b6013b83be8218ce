package plan

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"csplan/results"
	"csplan/scenarios"
)

// OptimizeFlags are the command line's say over an optimization: each
// given one replaces the scenario's optimize section's (the variables as
// a whole, the constraints as a whole).
type OptimizeFlags struct {
	Vars        []string // PATH=RANGE
	Objective   string   // a metric
	Goal        string   // maximize or minimize
	Statistic   string   // mean or pNN
	Budget      string   // an amount: 2.5M
	Constraints []string // METRIC>=BOUND[@PROBABILITY]
	Finalists   *int     // nil: the scenario's
	Survivors   *int
	Confidence  string // 95%
}

// defaultOptimization is the problem a scenario without an optimize
// section starts from: the most contribution, with the screen and rounds
// of a section's defaults.
func defaultOptimization() scenarios.Optimization {
	return scenarios.Optimization{Objective: scenarios.Objective{Metric: results.ContributionTotal, Maximize: true},
		Confidence: 0.95, Finalists: 4, Survivors: 16}
}

// Problem is the optimization of s with the flags applied; its errors
// are SettingErrors of the flags at fault, all of them at once.
func (f OptimizeFlags) Problem(s *scenarios.Scenario) (*scenarios.Optimization, error) {
	o := defaultOptimization()
	if s.Optimize != nil {
		o = *s.Optimize
	}
	var errs []error
	if f.Objective != "" {
		if msg := scenarios.CheckMetric(f.Objective); msg != "" {
			errs = append(errs, &SettingError{Setting: "objective", Problem: msg})
		}
		o.Objective.Metric, o.Objective.Maximize = f.Objective, results.HigherIsBetter(f.Objective)
	}
	switch f.Goal {
	case "":
	case "maximize", "minimize":
		o.Objective.Maximize = f.Goal == "maximize"
	default:
		errs = append(errs, &SettingError{Setting: "goal", Value: f.Goal, Choices: []string{"maximize", "minimize"}})
	}
	if f.Statistic != "" {
		p, msg := scenarios.ParseStatistic(f.Statistic)
		if msg != "" {
			errs = append(errs, &SettingError{Setting: "statistic", Problem: msg})
		}
		o.Objective.Percentile = p
	}
	errs = append(errs, f.applyCounts(&o)...)
	if len(f.Vars) > 0 {
		vars, err := f.variables(s)
		errs = append(errs, err)
		o.Variables = vars
	}
	errs = append(errs, f.applyConstraints(&o)...)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &o, nil
}

// applyCounts applies --finalists, --survivors and --confidence.
func (f OptimizeFlags) applyCounts(o *scenarios.Optimization) (errs []error) {
	if f.Finalists != nil {
		if *f.Finalists < 1 || *f.Finalists > 32 {
			errs = append(errs, &SettingError{Setting: "finalists", Problem: fmt.Sprintf("must be between 1 and 32, got %d", *f.Finalists)})
		}
		o.Finalists = *f.Finalists
	}
	if f.Survivors != nil {
		if *f.Survivors < 1 || *f.Survivors > 256 {
			errs = append(errs, &SettingError{Setting: "survivors", Problem: fmt.Sprintf("must be between 1 and 256, got %d", *f.Survivors)})
		}
		o.Survivors = *f.Survivors
	}
	if o.Survivors < o.Finalists {
		errs = append(errs, &SettingError{Setting: "survivors", Problem: fmt.Sprintf("must be at least the finalists (%d), got %d", o.Finalists, o.Survivors)})
	}
	if f.Confidence != "" {
		c, ok := readNumber(f.Confidence, 0)
		if !ok || scenarios.CheckConfidence(c) != "" {
			errs = append(errs, &SettingError{Setting: "confidence", Problem: fmt.Sprintf("must be a share from 50%% to below 100%% (95%%), got %q", f.Confidence)})
		}
		o.Confidence = c
	}
	return errs
}

// variables reads --var PATH=RANGE, each tried on the scenario.
func (f OptimizeFlags) variables(s *scenarios.Scenario) ([]scenarios.Variable, error) {
	var vars []scenarios.Variable
	for _, spec := range f.Vars {
		p, rng, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, &SettingError{Setting: "var", Item: strconv.Quote(spec), Err: errors.New("expected PATH=RANGE")}
		}
		vals, err := scenarios.ParseRange(rng)
		if err != nil {
			return nil, &SettingError{Setting: "var", Item: p, Err: err}
		}
		v := scenarios.Variable{Path: p, Values: vals, Names: vals}
		if msg := s.CheckVariable(&v); msg != "" {
			return nil, &SettingError{Setting: "var", Item: p, Problem: msg}
		}
		vars = append(vars, v)
	}
	if msg := scenarios.CheckVariables(vars); msg != "" {
		return nil, &SettingError{Setting: "var", Problem: msg}
	}
	return vars, nil
}

// applyConstraints applies --budget and --constraint.
func (f OptimizeFlags) applyConstraints(o *scenarios.Optimization) (errs []error) {
	var kept []scenarios.Constraint
	for _, c := range o.Constraints {
		switch {
		case c.Kind == scenarios.ConstraintBudget && f.Budget != "":
		case c.Kind != scenarios.ConstraintBudget && len(f.Constraints) > 0:
		default:
			kept = append(kept, c)
		}
	}
	if f.Budget != "" {
		b, ok := readNumber(f.Budget, 0)
		if !ok || !(b > 0) || math.IsInf(b, 0) {
			errs = append(errs, &SettingError{Setting: "budget", Problem: fmt.Sprintf("must be an amount above 0 (2.5M, 900k), got %q", f.Budget)})
		}
		kept = append(kept, scenarios.Constraint{Kind: scenarios.ConstraintBudget, Metric: results.CSCostTotal, AtMost: true, Bound: b})
	}
	for _, spec := range f.Constraints {
		c, err := parseConstraint(spec)
		if err != nil {
			errs = append(errs, &SettingError{Setting: "constraint", Item: strconv.Quote(spec), Err: err})
			continue
		}
		kept = append(kept, c)
	}
	o.Constraints = kept
	return errs
}

// parseConstraint reads METRIC>=BOUND or METRIC<=BOUND, with @PROBABILITY
// for a chance constraint: grr_12m>=90%@80%.
func parseConstraint(spec string) (scenarios.Constraint, error) {
	body, prob, chance := strings.Cut(spec, "@")
	op := ">="
	metric, bound, ok := strings.Cut(body, op)
	if !ok {
		op = "<="
		if metric, bound, ok = strings.Cut(body, op); !ok {
			return scenarios.Constraint{}, errors.New("expected METRIC>=BOUND or METRIC<=BOUND, with @PROBABILITY for a chance constraint (grr_12m>=90%@80%)")
		}
	}
	b, okB := readNumber(bound, 0)
	if !okB {
		return scenarios.Constraint{}, fmt.Errorf("bound %q is not a number (90%%, 2.5M)", bound)
	}
	var lo, hi, p *float64
	if op == ">=" {
		lo = &b
	} else {
		hi = &b
	}
	if chance {
		v, okP := readNumber(prob, 0)
		if !okP || !(v > 0 && v <= 1) {
			return scenarios.Constraint{}, fmt.Errorf("probability %q: expected a share above 0%% and at most 100%%", prob)
		}
		p = &v
	}
	c, msg := scenarios.NewConstraint(strings.TrimSpace(metric), lo, hi, p)
	if msg != "" {
		return c, errors.New(msg)
	}
	return c, nil
}
