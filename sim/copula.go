package sim

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// copula draws rank-correlated per-trial assumptions with a Gaussian
// copula: each correlated assumption's own uniform u (from its own stream,
// as without correlations) becomes z = Φ⁻¹(u); the vector z is multiplied by
// the Cholesky factor L of the normal correlation matrix, and Φ(Lz) is used
// instead of u. A Spearman (rank) correlation ρs corresponds to the normal
// correlation 2·sin(π·ρs/6) (Pearson's relation for normal variables), and
// ranks are what the copula keeps whatever the marginal distributions.
// Assumptions outside the correlations keep their own uniform, so common
// random numbers are unchanged for them.
type copula struct {
	names []string       // correlated assumptions, sorted
	index map[string]int // name → position
	l     *mat.TriDense  // lower Cholesky factor
}

// newCopula prepares the copula of the correlations; nil without any.
func newCopula(cs []Correlation) (*copula, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	c := &copula{index: map[string]int{}}
	for _, r := range cs {
		for _, n := range []string{r.A, r.B} {
			if !slices.Contains(c.names, n) {
				c.names = append(c.names, n)
			}
		}
	}
	slices.Sort(c.names)
	for i, n := range c.names {
		c.index[n] = i
	}
	k := len(c.names)
	sym := mat.NewSymDense(k, nil)
	for i := range k {
		sym.SetSym(i, i, 1)
	}
	for _, r := range cs {
		sym.SetSym(c.index[r.A], c.index[r.B], 2*math.Sin(math.Pi*r.Rho/6))
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		return nil, fmt.Errorf("the correlations cannot hold together (the normal correlation matrix is not positive definite); weaken the largest")
	}
	c.l = mat.NewTriDense(k, mat.Lower, nil)
	ch.LTo(c.l)
	return c, nil
}

// uniforms returns the trial's correlated uniforms, in names order.
func (c *copula) uniforms(d *drawer, out []float64) []float64 {
	k := len(c.names)
	z := make([]float64, k)
	for i, n := range c.names {
		z[i] = distuv.UnitNormal.Quantile(d.uniform(n))
	}
	out = out[:0]
	for i := range k {
		s := 0.0
		for j := 0; j <= i; j++ {
			s += c.l.At(i, j) * z[j]
		}
		u := distuv.UnitNormal.CDF(s)
		out = append(out, min(max(u, 1e-16), 1-1e-16))
	}
	return out
}
