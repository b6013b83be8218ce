package sim

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"

	"csplan/results"
	"csplan/sim/dist"
)

// Assumptions returns pointers to every per-trial assumption of the model,
// in a fixed order (struct order, segments in order): what a sensitivity
// analysis varies.
func (m *Model) Assumptions() []*Assumption {
	var out []*Assumption
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			if a, ok := v.Addr().Interface().(*Assumption); ok {
				if a.Dist != nil {
					out = append(out, a)
				}
				return
			}
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(m).Elem())
	return out
}

// copyModel returns a copy of m whose assumptions can be changed without
// touching m (segments are copied; distributions are values behind
// interfaces and are replaced, not changed).
func copyModel(m Model) Model {
	c := m
	c.Segments = slices.Clone(m.Segments)
	c.Response.Uncertain = slices.Clone(m.Response.Uncertain)
	c.Pools = slices.Clone(m.Pools) // their teams' assumptions are values
	for i := range c.Segments {
		if s := c.Segments[i].Churn.SBG; s != nil {
			sbg := *s
			c.Segments[i].Churn.SBG = &sbg
		}
		if t := c.Segments[i].Churn.Tenure; t != nil {
			tc := *t
			c.Segments[i].Churn.Tenure = &tc
		}
	}
	return c
}

// Sensitivity measures which uncertain inputs move a metric most. For each
// per-trial assumption given as a distribution it runs the model with that
// input at its 10th and then its 90th percentile and every other uncertain
// input at its median, all on the same random numbers (so only the input
// moves), and reports the metric's mean at both ends and the swing between
// them. From a full Monte Carlo run it adds each input's Spearman rank
// correlation with the metric across trials, and its contribution to
// variance: its squared rank correlation over the sum of them (the usual
// normalisation; it ignores interactions). Inputs are sorted by swing.
func Sensitivity(ctx context.Context, m Model, s Settings, metric string, progress func(done, total int)) (*results.Sensitivity, error) {
	mi, err := analysedMetric(metric)
	if err != nil {
		return nil, err
	}
	var inputs []string
	for _, a := range m.Assumptions() {
		if !a.Dist.Fixed() && !slices.Contains(inputs, a.Name) {
			inputs = append(inputs, a.Name)
		}
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("the scenario has no uncertain inputs: give some a distribution")
	}
	s.Mode = MonteCarlo
	// One at a time: every uncertain input at its median, then each at P10
	// and P90.
	at := func(name string, p float64) Model {
		c := copyModel(m)
		for _, a := range c.Assumptions() {
			switch {
			case a.Dist.Fixed():
			case a.Name == name:
				a.Dist = dist.Const(a.Dist.Quantile(p))
			default:
				a.Dist = dist.Const(a.Dist.Quantile(0.5))
			}
		}
		return c
	}
	opts := []Option{{Name: "medians", Model: at("", 0.5)}}
	for _, n := range inputs {
		opts = append(opts, Option{Name: n + " p10", Model: at(n, 0.1)}, Option{Name: n + " p90", Model: at(n, 0.9)})
	}
	opts = append(opts, Option{Name: "full", Model: m})
	agg, err := simulate(ctx, opts, s, 0, s.Trials, progress)
	if err != nil {
		return nil, err
	}
	res := agg.results()
	out := &results.Sensitivity{Metric: metric, Trials: s.Trials, Seed: s.Seed,
		Median: res.Options[0].Metrics[metric].Mean, Full: res.Options[len(opts)-1].Metrics[metric]}

	// Rank correlations over the full run: each trial's draws are a
	// function of (seed, trial, input), so they are drawn again here.
	full := agg.metrics[len(opts)-1][mi]
	cop, err := newCopula(m.Correlations)
	if err != nil {
		return nil, err
	}
	byName := map[string]*Assumption{}
	for _, a := range m.Assumptions() {
		byName[a.Name] = a
	}
	design := newLHS(opts, s)
	sumSq := 0.0
	for i, n := range inputs {
		lo := res.Options[1+2*i].Metrics[metric].Mean
		hi := res.Options[2+2*i].Metrics[metric].Mean
		a := byName[n]
		vals := make([]float64, s.Trials)
		for t := range vals {
			d := drawer{trial: trialKey(s.Seed, uint64(t)), cop: cop, lhs: design, index: t}
			vals[t] = d.draw(*a)
		}
		rho := spearman(vals, full)
		sumSq += rho * rho
		out.Inputs = append(out.Inputs, results.SensitivityInput{Name: n, Dist: a.Dist.String(),
			P10: a.Dist.Quantile(0.1), P90: a.Dist.Quantile(0.9), Low: lo, High: hi, Swing: math.Abs(hi - lo), RankCorrelation: rho})
	}
	for i := range out.Inputs {
		if sumSq > 0 {
			out.Inputs[i].VarianceShare = out.Inputs[i].RankCorrelation * out.Inputs[i].RankCorrelation / sumSq
		}
	}
	sort.SliceStable(out.Inputs, func(i, j int) bool { return out.Inputs[i].Swing > out.Inputs[j].Swing })
	return out, nil
}

// spearman is the rank correlation of x and y (ties broken by position,
// which is enough for continuous draws); 0 when either is constant.
func spearman(x, y []float64) float64 {
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool { return v[idx[i]] < v[idx[j]] })
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
	rx, ry := rank(x), rank(y)
	n := float64(len(x))
	mean := (n - 1) / 2
	var sxy, sxx, syy float64
	for i := range rx {
		sxy += (rx[i] - mean) * (ry[i] - mean)
		sxx += (rx[i] - mean) * (rx[i] - mean)
		syy += (ry[i] - mean) * (ry[i] - mean)
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}
