package dist

import (
	"csplan/internal/rng"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// The sampling tests use fixed seeds, so each run draws the same numbers: a
// check either always passes or always fails. math/rand/v2's PCG sequence is
// frozen across Go versions; gonum's beta inversion may move slightly when
// gonum is upgraded. Each statistical check allows 4 standard errors (a
// two-sided normal tail of 6.3e-5), so a correct implementation is very
// unlikely to land on a failing seed after such a change.
const nSE = 4

// raceEnabled reports whether the test binary was built with -race. The race
// detector makes gonum's beta inversion (mathext.InvRegIncBeta, about 2 µs per
// call) roughly eight times slower.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// draws is the number of draws per distribution and per method (Sample, and
// Quantile of a uniform): 200,000, or 10,000 under -short or -race so the
// package tests stay within a few seconds. Every statistical tolerance below
// is derived from it.
func draws() int {
	if testing.Short() || raceEnabled() {
		return 10_000
	}
	return 200_000
}

// must returns d, or panics when a constructor rejects parameters the test
// means to be valid (Go cannot pass both results of a call along with t).
func must[D any](d D, err error) D {
	if err != nil {
		panic(fmt.Sprintf("valid parameters rejected: %v", err))
	}
	return d
}

// Closed forms for the standard normal, from math's erfc and its inverse,
// independent of gonum: φ(x) = exp(−x²/2)/√(2π), Φ(x) = erfc(−x/√2)/2,
// Φ⁻¹(p) = −√2·erfcinv(2p).
func phi(x float64) float64 {
	if math.IsInf(x, 0) {
		return 0
	}
	return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi)
}
func bigPhi(x float64) float64    { return math.Erfc(-x/math.Sqrt2) / 2 }
func bigPhiInv(p float64) float64 { return -math.Sqrt2 * math.Erfcinv(2*p) }

// betaShape is the method-of-moments shape of a beta with the given mean m
// and sd s: α + β = m(1 − m)/s² − 1, α = m(α + β), β = (1 − m)(α + β).
func betaShape(m, s float64) (a, b float64) {
	k := m*(1-m)/(s*s) - 1
	return m * k, (1 - m) * k
}

// betaSD is the sd of Beta(α, β): √(αβ / ((α + β)²(α + β + 1))) (Johnson,
// Kotz and Balakrishnan, Continuous Univariate Distributions vol. 2, ch. 25).
func betaSD(a, b float64) float64 {
	return math.Sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))
}

// pertShape is the beta shape of beta-PERT with λ = 4:
// α = 1 + 4(mode − min)/(max − min), β = 1 + 4(max − mode)/(max − min).
func pertShape(lo, mode, hi float64) (a, b float64) {
	return 1 + 4*(mode-lo)/(hi-lo), 1 + 4*(hi-mode)/(hi-lo)
}

// truncNormal holds the closed-form moments of a normal with mean mu and sd
// sigma truncated to [lo, hi] (Johnson, Kotz and Balakrishnan vol. 1, §13.10):
// with a = (lo − mu)/sigma, b = (hi − mu)/sigma and Z = Φ(b) − Φ(a),
//
//	mean = mu + sigma·(φ(a) − φ(b))/Z
//	var  = sigma²·[1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)²]
//
// where aφ(a) is 0 for an infinite bound. Z for an upper tail is computed as
// Φ(−a) − Φ(−b), which erfc keeps accurate.
func truncNormal(mu, sigma, lo, hi float64) (mean, sd float64) {
	a, b := (lo-mu)/sigma, (hi-mu)/sigma
	z := bigPhi(b) - bigPhi(a)
	if a > 0 {
		z = bigPhi(-a) - bigPhi(-b)
	}
	xphi := func(x float64) float64 {
		if math.IsInf(x, 0) {
			return 0
		}
		return x * phi(x)
	}
	r := (phi(a) - phi(b)) / z
	return mu + sigma*r, sigma * math.Sqrt(1+(xphi(a)-xphi(b))/z-r*r)
}

// lognormalMoments is the mean and sd of exp(Normal(mu, sigma)):
// mean = exp(mu + sigma²/2), var = (exp(sigma²) − 1)·exp(2mu + sigma²).
func lognormalMoments(mu, sigma float64) (mean, sd float64) {
	return math.Exp(mu + sigma*sigma/2), math.Sqrt(math.Expm1(sigma*sigma) * math.Exp(2*mu+sigma*sigma))
}

// A distCase is a distribution with everything the tests need to know about
// it, worked out in the test from the parameters, not read back from the
// package.
type distCase struct {
	name     string
	d        Dist
	mean, sd float64 // closed-form mean and sd
	lo, hi   float64 // support
	fixed    bool
	str      string
	// cdf is P(X ≤ x); below is P(X < x), nil for a continuous distribution.
	cdf, below func(x float64) float64
	// quantile is a reference inverse CDF, nil where the test checks the
	// quantile only through cdf (discrete distributions).
	quantile func(p float64) float64
}

func discreteCDF(vals ...float64) (cdf, below func(float64) float64) {
	count := func(keep func(float64) bool) float64 {
		n := 0
		for _, v := range vals {
			if keep(v) {
				n++
			}
		}
		return float64(n) / float64(len(vals))
	}
	return func(x float64) float64 { return count(func(v float64) bool { return v <= x }) },
		func(x float64) float64 { return count(func(v float64) bool { return v < x }) }
}

func cases() []distCase {
	inf := math.Inf(1)
	var cs []distCase

	{
		cdf, below := discreteCDF(2.5)
		cs = append(cs, distCase{name: "const", d: Const(2.5), mean: 2.5, sd: 0, lo: 2.5, hi: 2.5,
			fixed: true, str: "2.5", cdf: cdf, below: below})
	}

	// Beta by mean and sd, and the PERT family built on gonum's beta.
	for _, c := range []struct {
		name  string
		m, s  float64
		label string
	}{
		{"beta churn", 0.08, 0.02, "beta(mean 0.08, sd 0.02)"},
		{"beta u-shaped", 0.5, 0.4, "beta(mean 0.5, sd 0.4)"}, // α = β = 0.28
		{"beta skewed", 0.02, 0.05, "beta(mean 0.02, sd 0.05)"},
	} {
		a, b := betaShape(c.m, c.s)
		g := distuv.Beta{Alpha: a, Beta: b}
		cs = append(cs, distCase{name: c.name, d: must(NewBeta(c.m, c.s)), mean: c.m, sd: betaSD(a, b),
			lo: 0, hi: 1, str: c.label, cdf: g.CDF, quantile: g.Quantile})
	}

	{
		lo, hi := -3.0, 5.0
		cs = append(cs, distCase{name: "uniform", d: must(NewUniform(lo, hi)),
			mean: (lo + hi) / 2, sd: (hi - lo) / math.Sqrt(12), // variance (b − a)²/12
			lo: lo, hi: hi, str: "uniform(-3 to 5)",
			cdf:      func(x float64) float64 { return math.Min(math.Max((x-lo)/(hi-lo), 0), 1) },
			quantile: func(p float64) float64 { return lo + p*(hi-lo) }})
	}

	for _, c := range []struct {
		name       string
		a, mode, b float64
		triLabel   string
		pertLabel  string
	}{
		{"right-skewed", 0, 2, 10, "triangular(0, 2, 10)", "pert(0, 2, 10)"},
		{"mode at min", 1, 1, 4, "triangular(1, 1, 4)", "pert(1, 1, 4)"},
		{"mode at max", -2, 6, 6, "triangular(-2, 6, 6)", "pert(-2, 6, 6)"},
	} {
		a, m, b := c.a, c.mode, c.b
		// Triangular: mean (a + m + b)/3, variance (a² + b² + m² − ab − am − bm)/18,
		// CDF (x − a)²/((b − a)(m − a)) up to the mode and 1 − (b − x)²/((b − a)(b − m))
		// after it, inverted piece by piece.
		fm := (m - a) / (b - a)
		cs = append(cs, distCase{name: "triangular " + c.name, d: must(NewTriangular(a, m, b)),
			mean: (a + m + b) / 3, sd: math.Sqrt((a*a + b*b + m*m - a*b - a*m - b*m) / 18),
			lo: a, hi: b, str: c.triLabel,
			cdf: func(x float64) float64 {
				switch {
				case x <= a:
					return 0
				case x >= b:
					return 1
				case x <= m:
					return (x - a) * (x - a) / ((b - a) * (m - a))
				default:
					return 1 - (b-x)*(b-x)/((b-a)*(b-m))
				}
			},
			quantile: func(p float64) float64 {
				if p < fm {
					return a + math.Sqrt(p*(b-a)*(m-a))
				}
				return b - math.Sqrt((1-p)*(b-a)*(b-m))
			}})

		// PERT: a beta with the PERT shape scaled to [a, b].
		al, be := pertShape(a, m, b)
		g := distuv.Beta{Alpha: al, Beta: be}
		cs = append(cs, distCase{name: "pert " + c.name, d: must(NewPERT(a, m, b)),
			mean: a + (b-a)*al/(al+be), sd: (b - a) * betaSD(al, be),
			lo: a, hi: b, str: c.pertLabel,
			cdf:      func(x float64) float64 { return g.CDF(math.Min(math.Max((x-a)/(b-a), 0), 1)) },
			quantile: func(p float64) float64 { return a + (b-a)*g.Quantile(p) }})
	}

	lognormal := func(name string, d *LogNormal, mu, sigma float64, label string) distCase {
		mean, sd := lognormalMoments(mu, sigma)
		return distCase{name: name, d: d, mean: mean, sd: sd, lo: 0, hi: inf, str: label,
			cdf: func(x float64) float64 {
				if x <= 0 {
					return 0
				}
				return bigPhi((math.Log(x) - mu) / sigma)
			},
			quantile: func(p float64) float64 { return math.Exp(mu + sigma*bigPhiInv(p)) }}
	}
	// From (median, p90): mu = ln median, sigma = ln(p90/median)/Φ⁻¹(0.9).
	cs = append(cs, lognormal("lognormal median p90", must(NewLogNormalMedianP90(50_000, 120_000)),
		math.Log(50_000), math.Log(120_000.0/50_000)/bigPhiInv(0.9), "lognormal(median 50000, p90 120000)"))
	// From (mean, sd): sigma² = ln(1 + sd²/mean²), mu = ln mean − sigma²/2.
	{
		m, s := 100.0, 40.0
		s2 := math.Log(1 + s*s/(m*m))
		cs = append(cs, lognormal("lognormal mean sd", must(NewLogNormalMeanSD(m, s)),
			math.Log(m)-s2/2, math.Sqrt(s2), "lognormal(mean 100, sd 40)"))
	}

	for _, c := range []struct {
		name                string
		mu, sigma, min, max float64
		label               string
	}{
		{"normal", 10, 3, -inf, inf, "normal(mean 10, sd 3)"},
		{"normal truncated both", 0, 1, -1, 2, "normal(mean 0, sd 1, min -1, max 2)"},
		{"normal truncated at 0", 20, 30, 0, inf, "normal(mean 20, sd 30, min 0)"},
		{"normal upper tail", 0, 1, 3, inf, "normal(mean 0, sd 1, min 3)"},
	} {
		mu, sigma, lo, hi := c.mu, c.sigma, c.min, c.max
		mean, sd := truncNormal(mu, sigma, lo, hi)
		plo, phi := bigPhi((lo-mu)/sigma), bigPhi((hi-mu)/sigma)
		cs = append(cs, distCase{name: c.name, d: must(NewNormal(mu, sigma, lo, hi)), mean: mean, sd: sd,
			lo: lo, hi: hi, str: c.label,
			cdf: func(x float64) float64 {
				return math.Min(math.Max((bigPhi((x-mu)/sigma)-plo)/(phi-plo), 0), 1)
			},
			quantile: func(p float64) float64 {
				return math.Min(math.Max(mu+sigma*bigPhiInv(plo+p*(phi-plo)), lo), hi)
			}})
	}

	{
		vals := []float64{5, 1, 3, 3, 10, 2, 8} // unsorted, with a repeat
		m := 32.0 / 7
		v := 0.0
		for _, x := range vals {
			v += (x - m) * (x - m)
		}
		cdf, below := discreteCDF(vals...)
		cs = append(cs, distCase{name: "empirical", d: must(NewEmpirical(vals)),
			mean: m, sd: math.Sqrt(v / float64(len(vals))), // population sd: each value has mass 1/n
			lo: 1, hi: 10, str: "empirical(7 values)", cdf: cdf, below: below})
	}
	for _, vals := range [][]float64{{4}, {4, 4}} {
		cdf, below := discreteCDF(vals...)
		cs = append(cs, distCase{name: fmt.Sprintf("empirical %d equal", len(vals)), d: must(NewEmpirical(vals)),
			mean: 4, sd: 0, lo: 4, hi: 4, fixed: true, str: fmt.Sprintf("empirical(%d values)", len(vals)),
			cdf: cdf, below: below})
	}
	return cs
}

// meanWithin checks a sample mean against want, allowing nSE standard errors
// of a mean of n draws from a distribution with standard deviation sd. With
// sd = 0 the draws are all equal to want and so must their mean be (the
// constants used are exact in binary, and so are their partial sums).
func meanWithin(t *testing.T, what string, got, want, sd float64, n int) {
	t.Helper()
	se := sd / math.Sqrt(float64(n))
	if math.Abs(got-want) > nSE*se {
		t.Errorf("%s: mean of %d draws is %.8g, want %.8g ± %.3g (%d standard errors of %.3g)", what, n, got, want, nSE*se, nSE, se)
	}
}

// TestMeanAndSampling draws from every distribution through Sample and through
// Quantile of a uniform, and checks the sample means against Mean(), every draw
// against Support(), and the share of draws below each quantile.
func TestMeanAndSampling(t *testing.T) {
	n := draws()
	for i, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Mean() against the closed form: both are arithmetic on the
			// parameters, so they agree to rounding (1e-12 relative leaves room
			// for the truncated normal's subtraction of two CDFs).
			if got := c.d.Mean(); math.Abs(got-c.mean) > 1e-12*math.Max(1, math.Abs(c.mean)) {
				t.Errorf("Mean() = %.15g, closed form %.15g", got, c.mean)
			}

			src := rng.New(rng.Mix(0x5eed), uint64(i))
			r := &src
			sampled := make([]float64, n)
			viaQuantile := make([]float64, n)
			for j := range n {
				sampled[j] = c.d.Sample(r)
				viaQuantile[j] = c.d.Quantile(r.Uniform())
			}
			for _, m := range []struct {
				name  string
				draws []float64
			}{{"Sample", sampled}, {"Quantile(uniform)", viaQuantile}} {
				sum := 0.0
				for _, x := range m.draws {
					if !(x >= c.lo && x <= c.hi) {
						t.Fatalf("%s drew %v outside the support [%v, %v]", m.name, x, c.lo, c.hi)
					}
					sum += x
				}
				meanWithin(t, m.name, sum/float64(n), c.d.Mean(), c.sd, n)
			}

			// The share of draws below Quantile(p) estimates P(X < Quantile(p)),
			// which is p for a continuous distribution. For a discrete one, p only
			// lies between P(X < q) and P(X ≤ q). The binomial standard error of a
			// share of n draws is √(p(1 − p)/n).
			for _, p := range quantileLevels {
				q := c.d.Quantile(p)
				lt, le := 0, 0
				for _, x := range sampled {
					if x < q {
						lt++
					}
					if x <= q {
						le++
					}
				}
				se := math.Sqrt(p * (1 - p) / float64(n))
				shareLT, shareLE := float64(lt)/float64(n), float64(le)/float64(n)
				if shareLT > p+nSE*se || shareLE < p-nSE*se {
					t.Errorf("p = %v: %.5f of draws below Quantile(p) = %.6g and %.5f at or below, want %v within ± %.5f (%d binomial standard errors)",
						p, shareLT, q, shareLE, p, nSE*se, nSE)
				}
			}
		})
	}
}

var quantileLevels = []float64{0.05, 0.25, 0.5, 0.75, 0.95}

// TestQuantile checks that Quantile inverts the CDF at a few levels, agrees with
// a reference inverse where there is one, is non-decreasing on a fine grid of
// [0, 1], and stays inside the support.
//
// Tolerance: the references are closed forms (math.Erfc, math.Erfcinv) or
// gonum's beta CDF and inverse. At these cases they agree with Quantile to
// within 5e-14 (the largest, 4e-14 on a probability, is the normal truncated to
// its upper tail, whose mass is a difference of two CDFs near 1). 1e-9
// (absolute on probabilities, relative on values) is far above that and far
// below anything a simulation could notice.
func TestQuantile(t *testing.T) {
	const tol = 1e-9
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			below := c.below
			if below == nil {
				below = c.cdf
			}
			for _, p := range quantileLevels {
				q := c.d.Quantile(p)
				// q is a p-quantile when P(X < q) ≤ p ≤ P(X ≤ q); for a continuous
				// distribution both are the CDF at q.
				if lt, le := below(q), c.cdf(q); lt > p+tol || le < p-tol {
					t.Errorf("Quantile(%v) = %.15g, where P(X < q) = %.15g and P(X ≤ q) = %.15g", p, q, lt, le)
				}
				if c.quantile != nil {
					if want := c.quantile(p); math.Abs(q-want) > tol*math.Max(1, math.Abs(want)) {
						t.Errorf("Quantile(%v) = %.15g, reference %.15g", p, q, want)
					}
				}
			}
			checkMonotone(t, c.d)
		})
	}
}

// checkMonotone checks Quantile on 2001 levels from 0 to 1 inclusive: never
// NaN, never decreasing, always inside Support().
func checkMonotone(t *testing.T, d Dist) {
	t.Helper()
	lo, hi := d.Support()
	prev := math.Inf(-1)
	for i := 0; i <= 2000; i++ {
		p := float64(i) / 2000
		q := d.Quantile(p)
		if math.IsNaN(q) || q < prev || q < lo || q > hi {
			t.Errorf("%v: Quantile(%v) = %v after %v, support [%v, %v]", d, p, q, prev, lo, hi)
			return
		}
		prev = q
	}
}

// TestQuantileExtremeBeta checks that a beta whose shape parameters are tiny
// (sd close to its largest possible value, mass piled at 0 and 1) still gives
// quantiles that are numbers inside [0, 1] and non-decreasing.
func TestQuantileExtremeBeta(t *testing.T) {
	for _, ms := range [][2]float64{{0.5, 0.49}, {0.02, 0.139}, {0.5, 0.4999999}} {
		checkMonotone(t, must(NewBeta(ms[0], ms[1])))
	}
}

// TestBetaParameters checks that the gonum shape NewBeta builds has the mean
// and sd asked for, using gonum's own moment formulas.
func TestBetaParameters(t *testing.T) {
	for _, ms := range [][2]float64{{0.08, 0.02}, {0.5, 0.1}, {0.5, 0.4}, {0.02, 0.05}, {0.97, 0.01}, {0.3, 0.45}} {
		m, s := ms[0], ms[1]
		b := must(NewBeta(m, s))
		// The shape is arithmetic on m and s; 1e-12 relative is rounding headroom.
		if got := b.d.Mean(); math.Abs(got-m) > 1e-12*m {
			t.Errorf("NewBeta(%v, %v): gonum Beta{%v, %v} has mean %.15g", m, s, b.d.Alpha, b.d.Beta, got)
		}
		if got := b.d.StdDev(); math.Abs(got-s) > 1e-12*s {
			t.Errorf("NewBeta(%v, %v): gonum Beta{%v, %v} has sd %.15g", m, s, b.d.Alpha, b.d.Beta, got)
		}
		if b.Mean() != m {
			t.Errorf("NewBeta(%v, %v).Mean() = %v", m, s, b.Mean())
		}
	}
}

// TestLogNormalMedianP90 checks that the (median, p90) form reproduces both
// numbers through Quantile. The conversion divides by Φ⁻¹(0.9) and Quantile
// multiplies by gonum's Φ⁻¹(p); 1e-9 relative is the requirement.
func TestLogNormalMedianP90(t *testing.T) {
	for _, mp := range [][2]float64{{50_000, 120_000}, {1, 1.0001}, {0.02, 0.5}, {3e6, 4e9}} {
		median, p90 := mp[0], mp[1]
		l := must(NewLogNormalMedianP90(median, p90))
		for _, c := range []struct{ p, want float64 }{{0.5, median}, {0.9, p90}} {
			if got := l.Quantile(c.p); math.Abs(got-c.want) > 1e-9*c.want {
				t.Errorf("NewLogNormalMedianP90(%v, %v).Quantile(%v) = %.15g, want %v", median, p90, c.p, got, c.want)
			}
		}
	}
}

// TestLogNormalMeanSD checks that the (mean, sd) form has that mean and sd:
// Mean() directly, the sd through the closed form of lognormalMoments from the
// Mu and Sigma it built (the sampling test checks both by simulation).
func TestLogNormalMeanSD(t *testing.T) {
	for _, ms := range [][2]float64{{100, 40}, {1, 3}, {50_000, 1_000}, {0.1, 0.5}} {
		m, s := ms[0], ms[1]
		l := must(NewLogNormalMeanSD(m, s))
		gotM, gotS := lognormalMoments(l.Mu, l.Sigma)
		// log1p, exp and expm1 round-trip to within a few ulps; 1e-12 relative.
		if math.Abs(l.Mean()-m) > 1e-12*m || math.Abs(gotM-m) > 1e-12*m {
			t.Errorf("NewLogNormalMeanSD(%v, %v): Mean() = %.15g, closed form %.15g", m, s, l.Mean(), gotM)
		}
		if math.Abs(gotS-s) > 1e-12*s {
			t.Errorf("NewLogNormalMeanSD(%v, %v): sd %.15g", m, s, gotS)
		}
	}
}

// TestPERTMean checks Mean() = (min + 4·mode + max)/6, and that the gonum beta
// behind the PERT has that mean once scaled to [min, max].
func TestPERTMean(t *testing.T) {
	for _, c := range [][3]float64{{0, 2, 10}, {1, 1, 4}, {-2, 6, 6}, {0.05, 0.1, 0.2}, {100, 150, 1000}} {
		lo, mode, hi := c[0], c[1], c[2]
		p := must(NewPERT(lo, mode, hi))
		want := (lo + 4*mode + hi) / 6
		scaled := lo + (hi-lo)*p.d.Mean()
		if tol := 1e-12 * math.Max(1, math.Abs(want)); math.Abs(p.Mean()-want) > tol || math.Abs(scaled-want) > tol {
			t.Errorf("NewPERT(%v, %v, %v): Mean() = %.15g, scaled gonum beta mean %.15g, want %.15g", lo, mode, hi, p.Mean(), scaled, want)
		}
	}
}

// TestTruncatedNormalMean checks Mean() against the closed form in truncNormal
// and against two values known without it; the sampling test checks it by
// simulation for the truncated cases in cases().
func TestTruncatedNormalMean(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		name                string
		mu, sigma, min, max float64
		want                float64
		tol                 float64 // relative
	}{
		// Truncation symmetric about the mean leaves the mean where it is.
		{"symmetric", 7, 2, 3, 11, 7, 1e-12},
		// A normal cut at its mean is half-normal: mean mu + sigma·√(2/π).
		{"half-normal", 10, 3, 10, inf, 10 + 3*math.Sqrt(2/math.Pi), 1e-12},
		{"both sides", 0, 1, -1, 2, math.NaN(), 1e-12},
		{"lower tail", 100, 30, -inf, 20, math.NaN(), 1e-12},
		// Far in the upper tail Mean() divides by 1 − Φ(5) ≈ 2.9e-7, computed
		// as a difference of two CDFs near 1: about 1e-16/2.9e-7 ≈ 4e-10
		// relative error in that mass, hence the looser tolerance.
		{"upper tail", 0, 1, 5, inf, math.NaN(), 1e-9},
	} {
		want := c.want
		closed, _ := truncNormal(c.mu, c.sigma, c.min, c.max)
		if math.IsNaN(want) {
			want = closed
		} else if math.Abs(closed-want) > c.tol*math.Abs(want) {
			t.Fatalf("%s: the test's closed form gives %.15g, want %.15g", c.name, closed, want)
		}
		n := must(NewNormal(c.mu, c.sigma, c.min, c.max))
		if got := n.Mean(); math.Abs(got-want) > c.tol*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: Mean() = %.15g, want %.15g", c.name, got, want)
		}
	}
}

// fallible is what a constructor returned, with the distribution reduced to
// whether it was nil.
type fallible struct {
	isNil bool
	err   error
}

func try[D any](d *D, err error) fallible { return fallible{d == nil, err} }

func TestConstructorErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		name string
		got  fallible
		want string
	}{
		{"beta sd too large", try(NewBeta(0.08, 0.3)), "beta sd 0.3 is too large for mean 0.08: the largest possible sd is below 0.271293"},
		{"beta sd at the bound", try(NewBeta(0.5, 0.5)), "beta sd 0.5 is too large for mean 0.5: the largest possible sd is below 0.5"},
		// sqrt(0.1 × 0.9) and sqrt(0.2 × 0.8) round to just above 0.3 and 0.4.
		{"beta sd at a rounded bound", try(NewBeta(0.1, 0.3)), "beta sd 0.3 is too large for mean 0.1: the largest possible sd is below 0.3"},
		{"beta sd at another rounded bound", try(NewBeta(0.2, 0.4)), "beta sd 0.4 is too large for mean 0.2: the largest possible sd is below 0.4"},
		{"beta mean 0", try(NewBeta(0, 0.1)), "beta mean must be strictly between 0 and 1, found 0"},
		{"beta mean 1", try(NewBeta(1, 0.1)), "beta mean must be strictly between 0 and 1, found 1"},
		{"beta mean above 1", try(NewBeta(8, 2)), "beta mean must be strictly between 0 and 1, found 8"},
		{"beta sd negative", try(NewBeta(0.5, -0.1)), "beta sd must be positive, found -0.1"},
		{"beta sd 0", try(NewBeta(0.5, 0)), "beta sd must be positive, found 0"},
		{"beta NaN", try(NewBeta(nan, 0.1)), "parameters must be finite numbers, found NaN"},
		{"beta Inf", try(NewBeta(0.5, inf)), "parameters must be finite numbers, found +Inf"},

		{"uniform min = max", try(NewUniform(5, 5)), "uniform needs min < max, found min 5 and max 5"},
		{"uniform min > max", try(NewUniform(6, 5)), "uniform needs min < max, found min 6 and max 5"},
		{"uniform Inf", try(NewUniform(0, inf)), "parameters must be finite numbers, found +Inf"},
		{"uniform -Inf", try(NewUniform(-inf, 0)), "parameters must be finite numbers, found -Inf"},

		{"triangular min = max", try(NewTriangular(5, 5, 5)), "triangular needs min < max, found min 5 and max 5"},
		{"triangular min > max", try(NewTriangular(10, 5, 1)), "triangular needs min < max, found min 10 and max 1"},
		{"triangular mode above", try(NewTriangular(0, 11, 10)), "triangular mode 11 must lie between min 0 and max 10"},
		{"triangular mode below", try(NewTriangular(0, -0.5, 10)), "triangular mode -0.5 must lie between min 0 and max 10"},
		{"triangular NaN mode", try(NewTriangular(0, nan, 10)), "parameters must be finite numbers, found NaN"},

		{"pert min = max", try(NewPERT(1, 1, 1)), "pert needs min < max, found min 1 and max 1"},
		{"pert min > max", try(NewPERT(10, 5, 1)), "pert needs min < max, found min 10 and max 1"},
		{"pert mode below", try(NewPERT(0, -1, 10)), "pert mode -1 must lie between min 0 and max 10"},
		{"pert mode above", try(NewPERT(0.05, 0.3, 0.2)), "pert mode 0.3 must lie between min 0.05 and max 0.2"},
		{"pert Inf", try(NewPERT(0, 1, inf)), "parameters must be finite numbers, found +Inf"},

		{"lognormal p90 = median", try(NewLogNormalMedianP90(100, 100)), "lognormal p90 100 must be larger than the median 100"},
		{"lognormal p90 < median", try(NewLogNormalMedianP90(100, 50)), "lognormal p90 50 must be larger than the median 100"},
		{"lognormal median 0", try(NewLogNormalMedianP90(0, 10)), "lognormal median must be positive, found 0"},
		{"lognormal median negative", try(NewLogNormalMedianP90(-5, 10)), "lognormal median must be positive, found -5"},
		{"lognormal median NaN", try(NewLogNormalMedianP90(nan, 10)), "parameters must be finite numbers, found NaN"},
		{"lognormal p90 Inf", try(NewLogNormalMedianP90(1, inf)), "parameters must be finite numbers, found +Inf"},
		{"lognormal sd negative", try(NewLogNormalMeanSD(100, -5)), "lognormal mean and sd must be positive, found mean 100 and sd -5"},
		{"lognormal mean 0", try(NewLogNormalMeanSD(0, 5)), "lognormal mean and sd must be positive, found mean 0 and sd 5"},
		{"lognormal mean-sd NaN", try(NewLogNormalMeanSD(100, nan)), "parameters must be finite numbers, found NaN"},

		{"normal sd negative", try(NewNormal(10, -1, -inf, inf)), "normal sd must be positive, found -1"},
		{"normal sd 0", try(NewNormal(10, 0, -inf, inf)), "normal sd must be positive, found 0"},
		{"normal min = max", try(NewNormal(0, 1, 1, 1)), "normal needs min < max, found min 1 and max 1"},
		{"normal min > max", try(NewNormal(0, 1, 2, 1)), "normal needs min < max, found min 2 and max 1"},
		{"normal both bounds +Inf", try(NewNormal(0, 1, inf, inf)), "normal needs min < max, found min +Inf and max +Inf"},
		{"normal mean NaN", try(NewNormal(nan, 1, -inf, inf)), "parameters must be finite numbers, found NaN"},
		{"normal sd Inf", try(NewNormal(0, inf, -inf, inf)), "parameters must be finite numbers, found +Inf"},
		{"normal bound NaN", try(NewNormal(0, 1, nan, 1)), "normal bounds must be numbers"},
		// Φ(8) − Φ(7) ≈ 1.3e-12 and Φ(−6) ≈ 9.9e-10, both under the 1e-9 floor.
		{"normal no mass above", try(NewNormal(0, 1, 7, 8)), "normal(mean 0, sd 1) has almost no mass between min 7 and max 8"},
		{"normal no mass below", try(NewNormal(100, 10, -inf, 40)), "normal(mean 100, sd 10) has almost no mass between min -Inf and max 40"},

		{"empirical nil", try(NewEmpirical(nil)), "empirical needs at least one value"},
		{"empirical empty", try(NewEmpirical([]float64{})), "empirical needs at least one value"},
		{"empirical NaN", try(NewEmpirical([]float64{1, nan, 3})), "parameters must be finite numbers, found NaN"},
		{"empirical Inf", try(NewEmpirical([]float64{1, -inf})), "parameters must be finite numbers, found -Inf"},
	} {
		if c.got.err == nil {
			t.Errorf("%s: no error, want %q", c.name, c.want)
			continue
		}
		if got := c.got.err.Error(); got != c.want {
			t.Errorf("%s:\nhave %q\nwant %q", c.name, got, c.want)
		}
		if !c.got.isNil {
			t.Errorf("%s: a distribution came back with the error", c.name)
		}
	}
}

// TestValidEdges checks parameters at the edge of what is allowed: accepted,
// and giving a distribution whose quantiles are in order.
func TestValidEdges(t *testing.T) {
	inf := math.Inf(1)
	for _, d := range []Dist{
		must(NewBeta(0.5, 0.49)),
		must(NewBeta(1e-6, 1e-4)),
		must(NewTriangular(0, 0, 1)),
		must(NewTriangular(0, 1, 1)),
		must(NewPERT(0, 0, 1)),
		must(NewPERT(0, 1, 1)),
		must(NewNormal(0, 1, -inf, inf)),
		must(NewNormal(0, 1, 5.5, inf)), // mass 1.9e-8, above the 1e-9 floor
		must(NewNormal(0, 1, -inf, -5.5)),
		must(NewLogNormalMedianP90(1e-9, 1.0000001e-9)),
	} {
		checkMonotone(t, d)
	}
}

// TestSupportAndFixed checks Support() and Fixed() for every case, and String().
func TestSupportAndFixed(t *testing.T) {
	for _, c := range cases() {
		lo, hi := c.d.Support()
		if lo != c.lo || hi != c.hi {
			t.Errorf("%s: Support() = [%v, %v], want [%v, %v]", c.name, lo, hi, c.lo, c.hi)
		}
		if c.d.Fixed() != c.fixed {
			t.Errorf("%s: Fixed() = %v, want %v", c.name, c.d.Fixed(), c.fixed)
		}
		if c.d.String() != c.str {
			t.Errorf("%s: String() = %q, want %q", c.name, c.d.String(), c.str)
		}
	}
}

// TestEmpiricalCopies checks that NewEmpirical keeps its own sorted copy, so the
// caller may reuse the slice.
func TestEmpiricalCopies(t *testing.T) {
	vals := []float64{3, 1, 2}
	e := must(NewEmpirical(vals))
	vals[0] = 100
	if !slices.Equal(e.Values, []float64{1, 2, 3}) || !slices.Equal(vals, []float64{100, 1, 2}) {
		t.Errorf("after changing the input: Values = %v, input %v", e.Values, vals)
	}
}

func ExampleNewLogNormalMedianP90() {
	// An account's ACV: median $100k, and 1 account in 10 above $250k.
	acv, err := NewLogNormalMedianP90(100_000, 250_000)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(acv)
	fmt.Printf("median %.0f, p90 %.0f, mean %.0f\n", acv.Quantile(0.5), acv.Quantile(0.9), acv.Mean())

	// Randomness is explicit: a seeded generator gives the same draws every run.
	r := rng.New(rng.Mix(1), 2)
	sum := 0.0
	for range 1_000_000 {
		sum += acv.Sample(&r)
	}
	fmt.Printf("mean of 1000000 draws, to the nearest thousand: %.0f\n", math.Round(sum/1_000_000/1000)*1000)
	// Output:
	// lognormal(median 100000, p90 250000)
	// median 100000, p90 250000, mean 129124
	// mean of 1000000 draws, to the nearest thousand: 129000
}

// A distribution with exported fields is whatever its fields say: a
// lognormal literal samples, averages and prints by its parameters.
func TestLogNormalLiteralIsItsParameters(t *testing.T) {
	l := &LogNormal{Mu: 0, Sigma: 1}
	if got, want := l.Mean(), math.Exp(0.5); math.Abs(got-want) > 1e-15 {
		t.Errorf("mean %v, want %v", got, want)
	}
	if got := l.String(); got != "lognormal(mu 0, sigma 1)" {
		t.Errorf("String() = %q", got)
	}
}
