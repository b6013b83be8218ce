package summary

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestExactSumOrderFree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 5000)
	for i := range xs {
		// Magnitudes from 1e-12 to 1e15, both signs: float addition of
		// these depends on the order; the exact sum must not.
		xs[i] = math.Pow(10, r.Float64()*27-12) * float64(1-2*r.IntN(2))
	}
	var a Sum
	for _, x := range xs {
		a.Add(x)
	}
	var parts [7]Sum
	for _, i := range r.Perm(len(xs)) {
		parts[i%7].Add(xs[i])
	}
	var b Sum
	for i := len(parts) - 1; i >= 0; i-- {
		b.Merge(&parts[i])
	}
	if a != b {
		t.Fatalf("sums differ: %v vs %v", a.Limbs, b.Limbs)
	}
	// Against a compensated float sum: the same to float rounding.
	var sum, comp float64
	for _, x := range xs {
		y := x - comp
		t := sum + y
		comp = (t - sum) - y
		sum = t
	}
	if got := a.Float(); math.Abs(got-sum) > 1e-15*math.Abs(sum)+1e-12 {
		t.Fatalf("exact sum %v, compensated %v", got, sum)
	}
}

func TestExactSumValues(t *testing.T) {
	cases := []struct {
		in   []float64
		want float64
	}{
		{[]float64{1, 2, 3.5}, 6.5},
		{[]float64{-1, -2}, -3},
		{[]float64{1e300, -1e300}, math.Inf(1)}, // both beyond range: +Inf and −Inf → NaN below
		{[]float64{0.1, 0.2}, 0.30000000000000004},
		{[]float64{1e16, 1, -1e16}, 1},
		{[]float64{math.NaN(), 1}, math.NaN()},
		{[]float64{math.Inf(-1), 1}, math.Inf(-1)},
		{[]float64{5e-324, 1}, 1},
		{[]float64{-0.75}, -0.75},
	}
	cases[2].want = math.NaN()
	for _, c := range cases {
		var s Sum
		for _, x := range c.in {
			s.Add(x)
		}
		got := s.Float()
		if got != c.want && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("sum of %v = %v, want %v", c.in, got, c.want)
		}
	}
}
