// Package stattest holds the statistical checks the generator's tests
// share: a value against its closed form within a number of standard
// errors, a frequency against its probability, and Pearson's chi-square
// against its critical value. Tolerances come from standard errors and a
// false-alarm rate, so a correct generator fails with negligible
// probability and a wrong one fails reliably.
package stattest

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

const (
	// Alpha is the false-alarm rate of every chi-square and KS test.
	Alpha = 1e-6
	// ZTol is the tolerance of every moment and frequency check, in
	// standard errors.
	ZTol = 5.0
)

// ChiSquareCrit is the upper Alpha critical value of the chi-square
// distribution with df degrees of freedom.
func ChiSquareCrit(df int) float64 {
	return distuv.ChiSquared{K: float64(df)}.Quantile(1 - Alpha)
}

// ChiSquare is Pearson's statistic Σ (O − E)² / E of observed counts
// against expected counts.
func ChiSquare(obs []int, exp []float64) float64 {
	var x float64
	for i, o := range obs {
		d := float64(o) - exp[i]
		x += d * d / exp[i]
	}
	return x
}

// CheckChi compares Pearson's statistic with its critical value on
// len(obs) − 1 degrees of freedom (the expected counts are fully given,
// no parameter is estimated), and logs it either way.
func CheckChi(t *testing.T, name string, obs []int, exp []float64) {
	t.Helper()
	x, df := ChiSquare(obs, exp), len(obs)-1
	crit := ChiSquareCrit(df)
	t.Logf("%-14s chi-square %8.1f on %4d df, critical value %7.1f", name, x, df, crit)
	if x > crit {
		t.Errorf("%s: chi-square %.1f > %.1f on %d df", name, x, crit, df)
	}
}

// CheckZ reports a statistic more than ZTol standard errors from its
// closed form, and logs it either way.
func CheckZ(t *testing.T, name string, got, want, se float64) {
	t.Helper()
	z := (got - want) / se
	t.Logf("%-14s %12.6g  closed form %12.6g  SE %9.3g  z %+6.2f", name, got, want, se, z)
	if math.Abs(z) > ZTol {
		t.Errorf("%s = %.6g, want %.6g ± %g·%.3g (z = %.2f)", name, got, want, ZTol, se, z)
	}
}

// CheckFreq compares the share of n draws that fall in an event of
// probability p with p, using the binomial SE √(p (1 − p) / n).
func CheckFreq(t *testing.T, name string, count, n int, p float64) {
	t.Helper()
	CheckZ(t, name, float64(count)/float64(n), p, math.Sqrt(p*(1-p)/float64(n)))
}
