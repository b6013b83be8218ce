// Package dist holds the probability distributions a scenario can put on an
// uncertain number: per-trial assumptions (a churn rate the business is unsure
// of) and per-account event sizes (the ACV of one account, the size of one
// upsell). Constructors validate their parameters, because gonum's distuv does
// not and some of its methods panic on bad input.
package dist

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"csplan/internal/rng"

	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a univariate distribution. Quantile is the inverse CDF: per-trial
// assumptions are drawn through it from a uniform, which is what Latin
// hypercube sampling and rank-correlated inputs need. Sample is the fast path
// used for per-account events.
type Dist interface {
	Sample(r *rng.Stream) float64
	Quantile(p float64) float64
	Mean() float64
	// Support is the closed interval holding every value the distribution can
	// produce (infinite ends allowed).
	Support() (lo, hi float64)
	// Fixed reports whether the distribution is a single value.
	Fixed() bool
	String() string
}

// z90 is the standard normal quantile at 0.9, used to turn a (median, p90)
// pair into a lognormal sigma.
const z90 = 1.2815515655446004

func num(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// open01 returns a uniform float64 in (0, 1): inverse CDFs of unbounded
// distributions are infinite at 0.
func open01(r *rng.Stream) float64 { return r.Uniform() }

// Const is a plain number: a distribution with all its mass on one value.
type Const float64

func (c Const) Sample(*rng.Stream) float64 { return float64(c) }
func (c Const) Quantile(float64) float64   { return float64(c) }
func (c Const) Mean() float64              { return float64(c) }
func (c Const) Support() (lo, hi float64)  { return float64(c), float64(c) }
func (c Const) Fixed() bool                { return true }
func (c Const) String() string             { return num(float64(c)) }

func finite(vs ...float64) error {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("parameters must be finite numbers, found %v", v)
		}
	}
	return nil
}

// Beta is a beta distribution given by its mean and standard deviation, the
// form people use for a rate ("churn 8 % give or take 2 %").
//
// Distributions whose sampling needs state derived from their parameters
// (Beta, Triangular, PERT, Normal) keep their parameters unexported and are
// made by their constructors only; the others (Uniform, LogNormal,
// Empirical) have exported fields that are their parameters, so any value
// of them is what it says.
//
// Its parameters are unexported, set by NewBeta only, because the beta it
// samples from is derived from them: a literal with other numbers would
// describe one distribution and draw from another.
type Beta struct {
	mean, sd float64
	d        distuv.Beta
}

// Params returns the mean and standard deviation the beta was made with.
func (b *Beta) Params() (mean, sd float64) { return b.mean, b.sd }

// MaxBetaSD is the largest standard deviation a beta distribution with the
// given mean can have (exclusive): sqrt(mean × (1 − mean)).
func MaxBetaSD(mean float64) float64 { return math.Sqrt(mean * (1 - mean)) }

// NewBeta returns a beta distribution with the given mean and sd.
func NewBeta(mean, sd float64) (*Beta, error) {
	if err := finite(mean, sd); err != nil {
		return nil, err
	}
	if mean <= 0 || mean >= 1 {
		return nil, fmt.Errorf("beta mean must be strictly between 0 and 1, found %s", num(mean))
	}
	if sd <= 0 {
		return nil, fmt.Errorf("beta sd must be positive, found %s", num(sd))
	}
	// An sd written at the bound (mean 0.1, sd 0.3) can round to a few ulps
	// below it and pass a plain comparison, leaving alpha + beta ≈ 1e-16: a
	// coin flip between 0 and 1 rather than a rate. Treat anything within
	// 1e-12 relative of the bound (far above rounding error, far below any sd
	// a person means) as at the bound.
	if max := MaxBetaSD(mean); sd >= max*(1-1e-12) {
		return nil, fmt.Errorf("beta sd %s is too large for mean %s: the largest possible sd is below %s", num(sd), num(mean), num(max))
	}
	k := mean*(1-mean)/(sd*sd) - 1
	return &Beta{mean: mean, sd: sd, d: distuv.Beta{Alpha: mean * k, Beta: (1 - mean) * k}}, nil
}

func (b *Beta) Sample(r *rng.Stream) float64 { return b.Quantile(open01(r)) }
func (b *Beta) Quantile(p float64) float64   { return b.d.Quantile(p) }
func (b *Beta) Mean() float64                { return b.mean }
func (b *Beta) Support() (lo, hi float64)    { return 0, 1 }
func (b *Beta) Fixed() bool                  { return false }
func (b *Beta) String() string               { return "beta(mean " + num(b.mean) + ", sd " + num(b.sd) + ")" }

// Uniform is the uniform distribution on [Min, Max].
type Uniform struct{ Min, Max float64 }

// NewUniform returns a uniform distribution on [min, max].
func NewUniform(min, max float64) (*Uniform, error) {
	if err := finite(min, max); err != nil {
		return nil, err
	}
	if min >= max {
		return nil, fmt.Errorf("uniform needs min < max, found min %s and max %s", num(min), num(max))
	}
	return &Uniform{min, max}, nil
}

func (u *Uniform) Sample(r *rng.Stream) float64 { return u.Min + (u.Max-u.Min)*open01(r) }
func (u *Uniform) Quantile(p float64) float64   { return u.Min + (u.Max-u.Min)*p }
func (u *Uniform) Mean() float64                { return (u.Min + u.Max) / 2 }
func (u *Uniform) Support() (lo, hi float64)    { return u.Min, u.Max }
func (u *Uniform) Fixed() bool                  { return false }
func (u *Uniform) String() string               { return "uniform(" + num(u.Min) + " to " + num(u.Max) + ")" }

// Triangular is the triangular distribution with the given min, mode and
// max, made by NewTriangular only (see Beta).
type Triangular struct {
	min, mode, max float64
	d              distuv.Triangle
}

// Params returns the triangle's min, mode and max.
func (t *Triangular) Params() (min, mode, max float64) { return t.min, t.mode, t.max }

func checkMinModeMax(name string, min, mode, max float64) error {
	if err := finite(min, mode, max); err != nil {
		return err
	}
	if min >= max {
		return fmt.Errorf("%s needs min < max, found min %s and max %s", name, num(min), num(max))
	}
	if mode < min || mode > max {
		return fmt.Errorf("%s mode %s must lie between min %s and max %s", name, num(mode), num(min), num(max))
	}
	return nil
}

// NewTriangular returns a triangular distribution.
func NewTriangular(min, mode, max float64) (*Triangular, error) {
	if err := checkMinModeMax("triangular", min, mode, max); err != nil {
		return nil, err
	}
	return &Triangular{min: min, mode: mode, max: max, d: distuv.NewTriangle(min, max, mode, nil)}, nil
}

func (t *Triangular) Sample(r *rng.Stream) float64 { return t.Quantile(open01(r)) }
func (t *Triangular) Quantile(p float64) float64   { return t.d.Quantile(p) }
func (t *Triangular) Mean() float64                { return (t.min + t.mode + t.max) / 3 }
func (t *Triangular) Support() (lo, hi float64)    { return t.min, t.max }
func (t *Triangular) Fixed() bool                  { return false }
func (t *Triangular) String() string {
	return "triangular(" + num(t.min) + ", " + num(t.mode) + ", " + num(t.max) + ")"
}

// PERT is the beta-PERT distribution: a beta scaled to [min, max] with shape
// 1 + 4·(mode − min)/(max − min) and 1 + 4·(max − mode)/(max − min). It is
// made by NewPERT only (see Beta).
type PERT struct {
	min, mode, max float64
	d              distuv.Beta
}

// Params returns the PERT's min, mode and max.
func (p *PERT) Params() (min, mode, max float64) { return p.min, p.mode, p.max }

// NewPERT returns a beta-PERT distribution.
func NewPERT(min, mode, max float64) (*PERT, error) {
	if err := checkMinModeMax("pert", min, mode, max); err != nil {
		return nil, err
	}
	w := max - min
	return &PERT{min: min, mode: mode, max: max,
		d: distuv.Beta{Alpha: 1 + 4*(mode-min)/w, Beta: 1 + 4*(max-mode)/w}}, nil
}

func (p *PERT) Sample(r *rng.Stream) float64 { return p.Quantile(open01(r)) }
func (p *PERT) Quantile(q float64) float64   { return p.min + (p.max-p.min)*p.d.Quantile(q) }
func (p *PERT) Mean() float64                { return (p.min + 4*p.mode + p.max) / 6 }
func (p *PERT) Support() (lo, hi float64)    { return p.min, p.max }
func (p *PERT) Fixed() bool                  { return false }
func (p *PERT) String() string {
	return "pert(" + num(p.min) + ", " + num(p.mode) + ", " + num(p.max) + ")"
}

// LogNormal is a lognormal distribution: log X ~ Normal(Mu, Sigma).
//
// Mu and Sigma are its parameters, and all it depends on: a literal is a
// valid lognormal, described by its parameters.
type LogNormal struct {
	Mu, Sigma float64
	desc      string // how it was written, when made by a constructor
}

// NewLogNormalMedianP90 returns the lognormal with the given median and 90th
// percentile, the way people state a skewed size ("median $100k, 1 in 10 above
// $250k").
func NewLogNormalMedianP90(median, p90 float64) (*LogNormal, error) {
	if err := finite(median, p90); err != nil {
		return nil, err
	}
	if median <= 0 {
		return nil, fmt.Errorf("lognormal median must be positive, found %s", num(median))
	}
	if p90 <= median {
		return nil, fmt.Errorf("lognormal p90 %s must be larger than the median %s", num(p90), num(median))
	}
	return &LogNormal{Mu: math.Log(median), Sigma: (math.Log(p90) - math.Log(median)) / z90,
		desc: "lognormal(median " + num(median) + ", p90 " + num(p90) + ")"}, nil
}

// NewLogNormalMeanSD returns the lognormal with the given mean and sd.
func NewLogNormalMeanSD(mean, sd float64) (*LogNormal, error) {
	if err := finite(mean, sd); err != nil {
		return nil, err
	}
	if mean <= 0 || sd <= 0 {
		return nil, fmt.Errorf("lognormal mean and sd must be positive, found mean %s and sd %s", num(mean), num(sd))
	}
	s2 := math.Log1p(sd * sd / (mean * mean))
	return &LogNormal{Mu: math.Log(mean) - s2/2, Sigma: math.Sqrt(s2),
		desc: "lognormal(mean " + num(mean) + ", sd " + num(sd) + ")"}, nil
}

func (l *LogNormal) Sample(r *rng.Stream) float64 { return exp(l.Mu + l.Sigma*r.Norm()) }
func (l *LogNormal) Quantile(p float64) float64 {
	return distuv.LogNormal{Mu: l.Mu, Sigma: l.Sigma}.Quantile(p)
}
func (l *LogNormal) Mean() float64             { return math.Exp(l.Mu + l.Sigma*l.Sigma/2) }
func (l *LogNormal) Support() (lo, hi float64) { return 0, math.Inf(1) }
func (l *LogNormal) Fixed() bool               { return false }
func (l *LogNormal) String() string {
	if l.desc == "" {
		return "lognormal(mu " + num(l.Mu) + ", sigma " + num(l.Sigma) + ")"
	}
	return l.desc
}

// Normal is a normal distribution, optionally truncated to [min, max],
// made by NewNormal only (see Beta).
type Normal struct {
	mean, sd, min, max float64
	d                  distuv.Normal
	cdfLo, cdfHi       float64
}

// Params returns the mean and sd of the normal before truncation, and its
// bounds (infinite when there is none).
func (n *Normal) Params() (mean, sd, min, max float64) { return n.mean, n.sd, n.min, n.max }

// NewNormal returns a normal distribution with the given mean and sd,
// truncated to [min, max] (use ±Inf for no bound).
func NewNormal(mean, sd, min, max float64) (*Normal, error) {
	if err := finite(mean, sd); err != nil {
		return nil, err
	}
	if math.IsNaN(min) || math.IsNaN(max) {
		return nil, fmt.Errorf("normal bounds must be numbers")
	}
	if sd <= 0 {
		return nil, fmt.Errorf("normal sd must be positive, found %s", num(sd))
	}
	if min >= max {
		return nil, fmt.Errorf("normal needs min < max, found min %s and max %s", num(min), num(max))
	}
	d := distuv.Normal{Mu: mean, Sigma: sd}
	n := &Normal{mean: mean, sd: sd, min: min, max: max, d: d, cdfLo: d.CDF(min), cdfHi: d.CDF(max)}
	if n.cdfHi-n.cdfLo < 1e-9 {
		return nil, fmt.Errorf("normal(mean %s, sd %s) has almost no mass between min %s and max %s", num(mean), num(sd), num(min), num(max))
	}
	return n, nil
}

func (n *Normal) Sample(r *rng.Stream) float64 { return n.Quantile(open01(r)) }
func (n *Normal) Quantile(p float64) float64 {
	x := n.d.Quantile(n.cdfLo + p*(n.cdfHi-n.cdfLo))
	return math.Min(math.Max(x, n.min), n.max)
}

// Mean is the mean of the truncated distribution.
func (n *Normal) Mean() float64 {
	a, b := (n.min-n.mean)/n.sd, (n.max-n.mean)/n.sd
	std := distuv.UnitNormal
	return n.mean + n.sd*(std.Prob(a)-std.Prob(b))/(n.cdfHi-n.cdfLo)
}
func (n *Normal) Support() (lo, hi float64) { return n.min, n.max }
func (n *Normal) Fixed() bool               { return false }
func (n *Normal) String() string {
	s := "normal(mean " + num(n.mean) + ", sd " + num(n.sd)
	if !math.IsInf(n.min, -1) {
		s += ", min " + num(n.min)
	}
	if !math.IsInf(n.max, 1) {
		s += ", max " + num(n.max)
	}
	return s + ")"
}

// Empirical draws one of the given values, each with equal probability: a
// bootstrap from observed samples.
type Empirical struct{ Values []float64 }

// NewEmpirical returns the empirical distribution of the values.
func NewEmpirical(values []float64) (*Empirical, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("empirical needs at least one value")
	}
	if err := finite(values...); err != nil {
		return nil, err
	}
	v := slices.Clone(values)
	slices.Sort(v)
	return &Empirical{v}, nil
}

func (e *Empirical) Sample(r *rng.Stream) float64 { return e.Values[r.Index(len(e.Values))] }
func (e *Empirical) Quantile(p float64) float64 {
	i := int(p * float64(len(e.Values)))
	return e.Values[min(max(i, 0), len(e.Values)-1)]
}
func (e *Empirical) Mean() float64 {
	s := 0.0
	for _, v := range e.Values {
		s += v
	}
	return s / float64(len(e.Values))
}
func (e *Empirical) Support() (lo, hi float64) { return e.Values[0], e.Values[len(e.Values)-1] }
func (e *Empirical) Fixed() bool {
	return len(e.Values) == 1 || e.Values[0] == e.Values[len(e.Values)-1]
}
func (e *Empirical) String() string { return fmt.Sprintf("empirical(%d values)", len(e.Values)) }
