package sim

import (
	"context"
	"fmt"
	"math"
	"slices"

	"csplan/results"
)

// RunToPrecision runs the options in rounds of doubling trials (from 500,
// or fewer if the maximum is smaller) until the 95 % interval of the
// metric's mean, and of every option's mean paired difference with the
// baseline, has a half-width below precision × |baseline mean|, or until
// s.Trials trials. Trial t's draws do not depend on how many trials run, so
// each round extends the one before (under Latin hypercube sampling each
// round is a design of its own). The rounds are kept in the results.
func RunToPrecision(ctx context.Context, opts []Option, s Settings, metric string, precision float64,
	progress func(done, total int)) (*results.Results, error) {
	if !slices.Contains(MetricNames[:], metric) {
		return nil, fmt.Errorf("unknown metric %q", metric)
	}
	if precision <= 0 {
		return nil, fmt.Errorf("precision must be positive, got %v", precision)
	}
	if s.Mode == Expected {
		return Run(ctx, opts, s, progress)
	}
	maxTrials := s.Trials
	conv := &results.Convergence{Metric: metric, Target: precision}
	for n := min(500, maxTrials); ; n = min(2*n, maxTrials) {
		s.Trials = n
		r, err := Run(ctx, opts, s, progress)
		if err != nil {
			return nil, err
		}
		base := r.Options[0].Metrics[metric]
		scale := math.Abs(base.Mean)
		if scale == 0 {
			scale = 1
		}
		// 95 % half-width of the mean: Student t × standard error; of a
		// paired difference: half its interval.
		half := tQuantile975(n) * base.SE / scale
		worst := half
		for _, o := range r.Options[1:] {
			d := o.VsBaseline[metric]
			worst = max(worst, (d.CI95[1]-d.CI95[0])/2/scale)
		}
		conv.Rounds = append(conv.Rounds, results.Round{Trials: n, Mean: base.Mean, SE: base.SE, RelativeHalfWidth: worst})
		conv.Achieved = worst
		if worst < precision || n == maxTrials {
			conv.Converged = worst < precision
			r.Convergence = conv
			if !conv.Converged {
				r.Warnings = append(r.Warnings, fmt.Sprintf("the %s interval is ±%.2f%% of the mean after %d trials, above the %.2f%% asked; raise trials",
					metric, 100*worst, n, 100*precision))
			}
			return r, nil
		}
	}
}
