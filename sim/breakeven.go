package sim

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"csplan/results"
	"csplan/sim/dist"
)

// Break-even: what would have to be true for an option to pay. The paired
// mean difference D(v) = E[metric(option) − metric(baseline) | input = v]
// is estimated on common random numbers, with the input fixed at v in both
// models and every other input drawn as assumed, so D is a smooth function
// of v up to Monte Carlo noise that is the same at every v. Its root is
// the input's break-even value.

// breakevenGrid and breakevenRefine are the values evaluated across an
// input's search range, and then inside the interval where D changes sign.
const (
	breakevenGrid   = 7
	breakevenRefine = 5
)

// BreakevenPairs is the most pairs of runs (baseline and option, each
// over every trial) a break-even of the top inputs of uncertain ones
// takes: all inputs as assumed, each input at two percentiles, then the
// top ones' grids and refinements.
func BreakevenPairs(uncertain, top int) int {
	return 1 + 2*uncertain + min(top, uncertain)*(breakevenGrid+breakevenRefine)
}

// setting fixes one input (by name; "" fixes none) at a value.
type setting struct {
	name  string
	value float64
}

// Breakeven finds, for the top uncertain inputs that move the paired
// difference between opt and base on metric most (screened by the swing
// of the mean difference between each input's 10th and 90th percentiles),
// the value at which the mean difference crosses zero, with its Monte Carlo
// standard error (the delta method: the standard error of the mean
// difference over the slope of the difference at the root). Inputs the
// option changes are left out: their break-even is the option itself.
//
// bounds, when not nil, gives the values an input may take (what the
// scenario's validation allows; lo excluded when open); otherwise an
// input is not searched below 0 if its distribution is not.
func Breakeven(ctx context.Context, base, opt Model, s Settings, metric string, top int, bounds Bounds, progress func(done, total int)) (*results.Breakeven, error) {
	mi, err := analysedMetric(metric)
	if err != nil {
		return nil, err
	}
	if s.Trials < 2 {
		return nil, fmt.Errorf("a break-even needs at least 2 trials: its Monte Carlo error needs two")
	}
	s.Mode = MonteCarlo
	inputs := sharedInputs(&base, &opt)
	if len(inputs) == 0 {
		return nil, fmt.Errorf("no uncertain input is the same in the baseline and the option: give some inputs a distribution")
	}
	out := &results.Breakeven{Metric: metric, Trials: s.Trials, Seed: s.Seed, HigherIsBetter: results.HigherIsBetter(metric), Screened: len(inputs)}
	at := []setting{{}}
	for _, a := range inputs {
		at = append(at, setting{a.Name, a.Dist.Quantile(0.1)}, setting{a.Name, a.Dist.Quantile(0.9)})
	}
	screen, err := pairedDiffs(ctx, &base, &opt, at, s, mi, progress)
	if err != nil {
		return nil, err
	}
	out.MeanDiff = screen[0].MeanDiff
	for i, a := range inputs {
		lo, hi := searchRange(&base, a, bounds)
		in := results.BreakevenInput{Name: a.Name, Dist: a.Dist.String(),
			P5: a.Dist.Quantile(0.05), P50: a.Dist.Quantile(0.5), P95: a.Dist.Quantile(0.95),
			Swing: math.Abs(screen[2+2*i].MeanDiff - screen[1+2*i].MeanDiff), SearchLow: lo, SearchHigh: hi,
			Curve: []results.BreakevenPoint{screen[1+2*i], screen[2+2*i]}}
		if in.Swing > 0 {
			out.Inputs = append(out.Inputs, in)
		}
	}
	sort.SliceStable(out.Inputs, func(i, j int) bool { return out.Inputs[i].Swing > out.Inputs[j].Swing })
	out.Inputs = out.Inputs[:min(top, len(out.Inputs))]
	// Across each search range, then inside the interval of the sign change.
	if err := evaluate(ctx, &base, &opt, out.Inputs, s, mi, progress, func(in *results.BreakevenInput) []float64 {
		return spaced(in.SearchLow, in.SearchHigh, breakevenGrid, true)
	}); err != nil {
		return nil, err
	}
	if err := evaluate(ctx, &base, &opt, out.Inputs, s, mi, progress, func(in *results.BreakevenInput) []float64 {
		if a, b, ok := bracket(in); ok {
			return spaced(a.Value, b.Value, breakevenRefine, false)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for i := range out.Inputs {
		root(&out.Inputs[i], out.HigherIsBetter)
	}
	return out, nil
}

// sharedInputs are the uncertain inputs of base that opt has with the
// same distribution.
func sharedInputs(base, opt *Model) []*Assumption {
	theirs := map[string]string{}
	for _, a := range opt.Assumptions() {
		theirs[a.Name] = a.Dist.String()
	}
	var out []*Assumption
	seen := map[string]bool{}
	for _, a := range base.Assumptions() {
		if !a.Dist.Fixed() && !seen[a.Name] && theirs[a.Name] == a.Dist.String() {
			seen[a.Name] = true
			out = append(out, a)
		}
	}
	return out
}

// Bounds gives the values the input named name may take: from lo (or
// just above it, when open) to hi.
type Bounds func(name string) (lo, hi float64, open bool)

// searchRange is where an input's break-even is looked for: its 1st to
// 99th percentile widened by that width on both sides, within what the
// input can be (bounds; a response multiplier also between its
// neighbours). Above an open lower bound, the search starts at a hundredth
// of the 1st percentile's distance from it.
func searchRange(m *Model, a *Assumption, bounds Bounds) (lo, hi float64) {
	q1, q99 := a.Dist.Quantile(0.01), a.Dist.Quantile(0.99)
	w := q99 - q1
	lo, hi = q1-w, q99+w
	switch {
	case bounds != nil:
		blo, bhi, open := bounds(a.Name)
		if open {
			blo += (q1 - blo) / 100
		}
		lo, hi = max(lo, blo), min(hi, bhi)
	default:
		if slo, _ := a.Dist.Support(); slo >= 0 {
			lo = max(lo, 0)
		}
	}
	if plo, phi, ok := m.Response.between(a.Name); ok {
		lo, hi = max(lo, plo), min(hi, phi)
	}
	return lo, hi
}

// between is the range an uncertain response multiplier can take and
// keep its curve the right way round, given its neighbours' ranges; false
// when name is not a response multiplier.
func (r *Response) between(name string) (lo, hi float64, ok bool) {
	for _, u := range r.Uncertain {
		if u.Y.Name != name {
			continue
		}
		c := r.curve(u.Curve)
		bound := func(i int) (float64, float64) {
			for _, v := range r.Uncertain {
				if v.Curve == u.Curve && v.Point == i {
					return v.Y.Dist.Support()
				}
			}
			return c.Y[i], c.Y[i]
		}
		lo, hi = 0, math.Inf(1)
		rising := u.Curve != ChurnResponse // churn falls with coverage
		if u.Point > 0 {
			plo, phi := bound(u.Point - 1)
			if rising {
				lo = phi
			} else {
				hi = plo
			}
		}
		if u.Point+1 < len(c.Y) {
			nlo, nhi := bound(u.Point + 1)
			if rising {
				hi = nlo
			} else {
				lo = nhi
			}
		}
		return lo, hi, true
	}
	return 0, 0, false
}

// spaced returns n values evenly spaced from a to b, with the ends or
// strictly between them.
func spaced(a, b float64, n int, ends bool) []float64 {
	out := make([]float64, n)
	for i := range out {
		t := float64(i+1) / float64(n+1)
		if ends {
			t = float64(i) / float64(n-1)
		}
		out[i] = a + t*(b-a)
	}
	return out
}

// evaluate adds to each input's curve the paired mean difference at the
// values values gives it, all inputs in one run.
func evaluate(ctx context.Context, base, opt *Model, inputs []results.BreakevenInput, s Settings, mi int, progress func(done, total int), values func(*results.BreakevenInput) []float64) error {
	var at []setting
	var owner []int
	for i := range inputs {
		for _, v := range values(&inputs[i]) {
			at = append(at, setting{inputs[i].Name, v})
			owner = append(owner, i)
		}
	}
	if len(at) == 0 {
		return nil
	}
	pts, err := pairedDiffs(ctx, base, opt, at, s, mi, progress)
	if err != nil {
		return err
	}
	for k, p := range pts {
		in := &inputs[owner[k]]
		in.Curve = append(in.Curve, p)
	}
	for i := range inputs {
		slices.SortStableFunc(inputs[i].Curve, func(a, b results.BreakevenPoint) int {
			return cmpDesc(b.Value, a.Value)
		})
	}
	return nil
}

// pairedDiffs runs the baseline and the option under each setting, all on
// the same random numbers, and returns each setting's paired mean
// difference of metric mi with its standard error.
func pairedDiffs(ctx context.Context, base, opt *Model, at []setting, s Settings, mi int, progress func(done, total int)) ([]results.BreakevenPoint, error) {
	opts := make([]Option, 0, 2*len(at))
	for k, a := range at {
		opts = append(opts, Option{Name: fmt.Sprintf("baseline %d", k), Model: fixInput(base, a)},
			Option{Name: fmt.Sprintf("option %d", k), Model: fixInput(opt, a)})
	}
	agg, err := simulate(ctx, opts, s, 0, s.Trials, progress)
	if err != nil {
		return nil, err
	}
	out := make([]results.BreakevenPoint, len(at))
	d := make([]float64, s.Trials)
	for k := range at {
		b, o := agg.metrics[2*k][mi], agg.metrics[2*k+1][mi]
		for t := range d {
			d[t] = o[t] - b[t]
		}
		sm := summarize(d)
		out[k] = results.BreakevenPoint{Value: at[k].value, MeanDiff: sm.Mean, SE: sm.SD / math.Sqrt(float64(len(d)))}
	}
	return out, nil
}

// fixInput returns a copy of m with the input a names fixed at its value.
func fixInput(m *Model, a setting) Model {
	c := copyModel(*m)
	if a.name != "" {
		for _, in := range c.Assumptions() {
			if in.Name == a.name {
				in.Dist = dist.Const(a.value)
			}
		}
	}
	return c
}

// bracket returns the two neighbouring points of an input's curve between
// which the mean difference changes sign, the pair nearest the input's
// median when there are several; false when it never does.
func bracket(in *results.BreakevenInput) (a, b results.BreakevenPoint, ok bool) {
	best := math.Inf(1)
	for i := 1; i < len(in.Curve); i++ {
		p, q := in.Curve[i-1], in.Curve[i]
		if (p.MeanDiff <= 0) == (q.MeanDiff <= 0) {
			continue
		}
		if dist := math.Abs((p.Value+q.Value)/2 - in.P50); dist < best {
			a, b, ok, best = p, q, true, dist
		}
	}
	return a, b, ok
}

// root sets the input's break-even from its curve: linear between the
// points that bracket the sign change, with the delta method's standard
// error, and the side on which the option pays.
func root(in *results.BreakevenInput, higherIsBetter bool) {
	a, b, ok := bracket(in)
	if !ok {
		return
	}
	slope := (b.MeanDiff - a.MeanDiff) / (b.Value - a.Value)
	t := -a.MeanDiff / (b.MeanDiff - a.MeanDiff)
	in.Found = true
	in.Value = a.Value + t*(b.Value-a.Value)
	in.SE = (a.SE + t*(b.SE-a.SE)) / math.Abs(slope)
	in.Pays = "below"
	if (slope > 0) == higherIsBetter {
		in.Pays = "above"
	}
}
