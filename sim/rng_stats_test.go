package sim

// Statistical tests of the engine's stream keys and derived variates
// (issue 14, item 4): independence of the streams named by adjacent
// account keys, trials, months, seeds and purposes, and the moments and
// tails of gammaRand, betaRand, geometric and poisson against their closed
// forms. The generator's own uniform, normal and exponential draws are
// tested in package rng.
//
// Every test uses fixed seeds and is deterministic. Its bounds are derived
// as if the draws were random: a chi-square statistic is compared with its
// critical value at a false-alarm rate of stattest.Alpha = 1e-6, and a sample
// moment or frequency with its closed form plus or minus stattest.ZTol = 5
// standard errors (a two-sided normal false-alarm rate of 5.7e-7), so a
// correct generator fails any one check with negligible probability.

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"csplan/internal/stattest"

	"gonum.org/v1/gonum/stat/distuv"
)

const (
	statsSeed = 20240614
)

// statsCheckMoments checks the sample mean and variance of xs against mu
// and sigma2, given the closed-form fourth central moment mu4. The SE of
// the mean is sqrt(sigma2/n); that of the sample variance is
// sqrt((mu4 - sigma2^2)/n), the variance of (X - mu)^2 over n (the
// correction for estimating the mean is of order 1/n).
func statsCheckMoments(t *testing.T, xs []float64, mu, sigma2, mu4 float64) {
	t.Helper()
	n := float64(len(xs))
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / n
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	stattest.CheckZ(t, "mean", mean, mu, math.Sqrt(sigma2/n))
	stattest.CheckZ(t, "variance", ss/(n-1), sigma2, math.Sqrt((mu4-sigma2*sigma2)/n))
}

// centralMu4 is the fourth central moment from the raw moments e1..e4.
func centralMu4(e1, e2, e3, e4 float64) float64 {
	return e4 - 4*e1*e3 + 6*e1*e1*e2 - 3*e1*e1*e1*e1
}

// TestStatsStreamIndependence checks that streams named by neighbouring
// keys are independent: for n disjoint pairs of streams whose names differ
// in one step (account j and j+1, trial t and t+1, ...), the first uniform
// of each stream, (u, v), must be uniform on the unit square. Two checks:
//
//   - Pearson's correlation, with the known mean 1/2 and variance 1/12:
//     r = 12 mean((u - 1/2)(v - 1/2)), whose SE under independence is
//     exactly 1/sqrt(n) (Var((u - 1/2)(v - 1/2)) = (1/12)^2), so
//     |r| ≤ 5/sqrt(n);
//   - a chi-square over a 32×32 grid of the pairs (1,023 df), which also
//     sees non-linear dependence and non-uniform marginals.
//
// The pairs start at j = 3i (and t = 3i, ...), so they are disjoint and
// their first member is alternately even and odd: a step of one flips only
// the low bit half the time and carries through several bits the other
// half.
func TestStatsStreamIndependence(t *testing.T) {
	const n, g = 1 << 20, 32
	seg := nameKey("Enterprise")
	acct := func(seed, trial uint64, month, j int) uint64 {
		return subKey(trialKey(seed, trial), accountKey(seg, month, j))
	}
	first := func(key, purpose uint64) float64 {
		s := newStream(key, purpose)
		return s.Uniform()
	}
	tk := trialKey(statsSeed, 0)
	cases := []struct {
		name string
		pair func(i int) (u, v float64)
	}{
		{"adjacent accounts", func(i int) (float64, float64) {
			j := 3 * i
			return first(subKey(tk, accountKey(seg, 0, j)), purposeChurn),
				first(subKey(tk, accountKey(seg, 0, j+1)), purposeChurn)
		}},
		{"adjacent trials", func(i int) (float64, float64) {
			tr := uint64(3 * i)
			return first(acct(statsSeed, tr, 0, 17), purposeChurn),
				first(acct(statsSeed, tr+1, 0, 17), purposeChurn)
		}},
		{"adjacent months", func(i int) (float64, float64) {
			m := 3 * (i % 40)
			return first(acct(statsSeed, 0, m, i), purposeChurn),
				first(acct(statsSeed, 0, m+1, i), purposeChurn)
		}},
		{"adjacent seeds", func(i int) (float64, float64) {
			s := uint64(3 * i)
			return first(acct(s, 0, 0, 17), purposeChurn),
				first(acct(s+1, 0, 0, 17), purposeChurn)
		}},
		{"churn vs upsell", func(i int) (float64, float64) {
			key := subKey(tk, accountKey(seg, 0, i))
			return first(key, purposeChurn), first(key, purposeUpsell)
		}},
	}
	exp := make([]float64, g*g)
	for i := range exp {
		exp[i] = float64(n) / (g * g)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			obs := make([]int, g*g)
			var sxy float64
			for i := range n {
				u, v := c.pair(i)
				obs[int(u*g)*g+int(v*g)]++
				sxy += (u - 0.5) * (v - 0.5)
			}
			stattest.CheckZ(t, "correlation", 12*sxy/n, 0, 1/math.Sqrt(n))
			stattest.CheckChi(t, "32×32 grid", obs, exp)
		})
	}
}

// statsCheckContinuous bins xs by the quantiles of the closed-form
// distribution at the probabilities 1e-4, 1e-3, 0.01, 0.02, ..., 0.99,
// 0.999, 0.9999 (103 cells, finer in both tails) and compares the counts
// with n times the cells' probabilities by chi-square; it also checks the
// two 1e-3 tails by their binomial SEs.
func statsCheckContinuous(t *testing.T, xs []float64, quantile func(float64) float64) {
	t.Helper()
	ps := []float64{1e-4, 1e-3}
	for k := 1; k <= 99; k++ {
		ps = append(ps, float64(k)/100)
	}
	ps = append(ps, 0.999, 0.9999)
	qs := make([]float64, len(ps))
	for i, p := range ps {
		qs[i] = quantile(p)
	}
	obs := make([]int, len(ps)+1)
	for _, x := range xs {
		obs[sort.SearchFloat64s(qs, x)]++
	}
	n := float64(len(xs))
	exp := make([]float64, len(obs))
	prev := 0.0
	for i, p := range ps {
		exp[i] = n * (p - prev)
		prev = p
	}
	exp[len(ps)] = n * (1 - prev)
	stattest.CheckChi(t, "quantile bins", obs, exp)
	stattest.CheckFreq(t, "P(X<q.001)", obs[0]+obs[1], len(xs), 1e-3)
	stattest.CheckFreq(t, "P(X>q.999)", obs[len(obs)-1]+obs[len(obs)-2], len(xs), 1e-3)
}

// statsCheckDiscrete compares the counts of integer draws with a pmf on
// k ≥ 0 by chi-square, merging neighbouring values into cells of expected
// count at least 20 (the upper tail beyond the last cell joins it), and
// checks the upper tail P(X ≥ k*) by its binomial SE, k* the least value
// with P(X ≥ k*) ≤ 1e-3.
func statsCheckDiscrete(t *testing.T, ks []int, pmf func(int) float64) {
	t.Helper()
	n := float64(len(ks))
	const minExp = 20
	// Cell boundaries: cell c holds the values lo[c] ≤ k < lo[c+1].
	var lo []int
	var exp []float64
	var acc, cum float64
	start, tailK, tailP := 0, -1, 0.0
	for k := 0; cum < 1-1e-12 && k < 1<<20; k++ {
		p := pmf(k)
		if tailK < 0 && 1-cum <= 1e-3 {
			tailK, tailP = k, 1-cum
		}
		cum += p
		acc += p
		if acc*n >= minExp {
			lo, exp = append(lo, start), append(exp, acc*n)
			start, acc = k+1, 0
		}
	}
	if len(lo) < 2 {
		t.Fatalf("pmf gives %d cells of expected count ≥ %d: too few draws", len(lo), minExp)
	}
	// The remainder, and everything past the loop, joins the last cell.
	exp[len(exp)-1] += (1 - cum + acc) * n
	obs := make([]int, len(lo))
	tail := 0
	for _, k := range ks {
		c := sort.SearchInts(lo, k+1) - 1
		obs[max(c, 0)]++
		if k >= tailK {
			tail++
		}
	}
	stattest.CheckChi(t, "pmf cells", obs, exp)
	stattest.CheckFreq(t, fmt.Sprintf("P(X>=%d)", tailK), tail, len(ks), tailP)
}

// TestStatsGammaMoments checks gammaRand(a) for a shape below 1 (the
// boosted path Gamma(a+1)·U^(1/a)), at 1 and above: mean a and variance a,
// the variance's SE from the closed-form fourth central moment
// mu4 = 3a^2 + 6a, and the whole distribution against gonum's Gamma
// quantiles, tails included.
func TestStatsGammaMoments(t *testing.T) {
	const n = 1 << 20
	for i, a := range []float64{0.5, 1, 3.8} {
		t.Run(fmt.Sprint("a=", a), func(t *testing.T) {
			t.Parallel()
			s := newStream(mix(statsSeed+uint64(i)), purposeAssumption)
			xs := make([]float64, n)
			for k := range xs {
				xs[k] = gammaRand(&s, a)
				if !(xs[k] > 0) {
					t.Fatalf("gammaRand(%g) = %v", a, xs[k])
				}
			}
			statsCheckMoments(t, xs, a, a, 3*a*a+6*a)
			statsCheckContinuous(t, xs, distuv.Gamma{Alpha: a, Beta: 1}.Quantile)
		})
	}
}

// TestStatsBetaMoments checks betaRand(a, b), including the shapes of the
// engine's calibrated churn heterogeneity: mean a/(a+b), variance
// ab/((a+b)^2 (a+b+1)), the variance's SE from the fourth central moment
// computed from the raw moments E[X^k] = prod_{r<k} (a+r)/(a+b+r), and the
// whole distribution against gonum's Beta quantiles.
func TestStatsBetaMoments(t *testing.T) {
	const n = 1 << 19
	for i, c := range [][2]float64{{0.668, 3.806}, {0.704, 1.182}, {0.5, 0.5}, {2, 5}} {
		a, b := c[0], c[1]
		t.Run(fmt.Sprintf("a=%g,b=%g", a, b), func(t *testing.T) {
			t.Parallel()
			s := newStream(mix(statsSeed+100+uint64(i)), purposeChurn)
			xs := make([]float64, n)
			for k := range xs {
				xs[k] = betaRand(&s, a, b)
				if !(xs[k] >= 0 && xs[k] <= 1) {
					t.Fatalf("betaRand(%g, %g) = %v", a, b, xs[k])
				}
			}
			var e [5]float64
			e[0] = 1
			for k := 1; k <= 4; k++ {
				e[k] = e[k-1] * (a + float64(k-1)) / (a + b + float64(k-1))
			}
			mu, v := a/(a+b), a*b/((a+b)*(a+b)*(a+b+1))
			statsCheckMoments(t, xs, mu, v, centralMu4(e[1], e[2], e[3], e[4]))
			statsCheckContinuous(t, xs, distuv.Beta{Alpha: a, Beta: b}.Quantile)
		})
	}
}

// TestStatsGeometricMoments checks geometric(s, log(1-p)), the number of
// Bernoulli(p) trials up to the first success: mean 1/p, variance
// (1-p)/p^2, fourth central moment (1-p)(p^2 - 9p + 9)/p^4 (excess
// kurtosis 6 + p^2/(1-p)), and the pmf (1-p)^(k-1) p cell by cell with its
// upper tail. p = 1 must always give 1 and p = 0 math.MaxInt32.
func TestStatsGeometricMoments(t *testing.T) {
	const n = 1 << 20
	for i, p := range []float64{0.03, 0.3, 0.9, 1} {
		t.Run(fmt.Sprint("p=", p), func(t *testing.T) {
			t.Parallel()
			s := newStream(mix(statsSeed+200+uint64(i)), purposeUpsell)
			logq := math.Log1p(-p)
			ks := make([]int, n)
			xs := make([]float64, n)
			for k := range ks {
				ks[k] = geometric(&s, logq)
				xs[k] = float64(ks[k])
				if ks[k] < 1 {
					t.Fatalf("geometric(%g) = %d < 1", p, ks[k])
				}
			}
			if p == 1 {
				for _, k := range ks {
					if k != 1 {
						t.Fatalf("geometric(p = 1) = %d, want 1", k)
					}
				}
				return
			}
			q := 1 - p
			statsCheckMoments(t, xs, 1/p, q/(p*p), q*(p*p-9*p+9)/(p*p*p*p))
			statsCheckDiscrete(t, ks, func(k int) float64 {
				if k < 1 {
					return 0
				}
				return math.Exp(float64(k-1)*logq) * p
			})
		})
	}
	s := newStream(mix(statsSeed), purposeUpsell)
	if k := geometric(&s, math.Log1p(-0)); k != math.MaxInt32 {
		t.Errorf("geometric(p = 0) = %d, want MaxInt32", k)
	}
}

// TestStatsPoissonMoments checks poisson(lambda) by inversion (lambda ≤ 30)
// and as a sum of chunks of 30 (45 = 30 + 15, 75 = 30 + 30 + 15): mean and
// variance lambda, fourth central moment lambda(1 + 3 lambda), and the pmf
// e^-lambda lambda^k / k! cell by cell with its upper tail.
func TestStatsPoissonMoments(t *testing.T) {
	const n = 1 << 19
	for i, lam := range []float64{0.5, 4, 30, 45, 75} {
		t.Run(fmt.Sprint("lambda=", lam), func(t *testing.T) {
			t.Parallel()
			s := newStream(mix(statsSeed+300+uint64(i)), purposeArrivals)
			ks := make([]int, n)
			xs := make([]float64, n)
			for k := range ks {
				ks[k] = poisson(&s, lam)
				xs[k] = float64(ks[k])
			}
			statsCheckMoments(t, xs, lam, lam, lam*(1+3*lam))
			statsCheckDiscrete(t, ks, func(k int) float64 {
				lg, _ := math.Lgamma(float64(k + 1))
				return math.Exp(float64(k)*math.Log(lam) - lam - lg)
			})
		})
	}
}
