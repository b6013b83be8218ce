package dist

import (
	"math"
	"testing"

	"csplan/internal/rng"
)

// exp agrees with math.Exp within 2 ulps over the range a lognormal's
// exponent takes and beyond, including the edges of its table and the
// fallback.
func TestExpAgreesWithMath(t *testing.T) {
	s := rng.New(rng.Mix(7), 1)
	worst, at := 0.0, 0.0
	check := func(x float64) {
		got, want := exp(x), math.Exp(x)
		if math.IsNaN(want) != math.IsNaN(got) {
			t.Fatalf("exp(%v) = %v, math.Exp %v", x, got, want)
		}
		if math.IsNaN(want) {
			return
		}
		if want == 0 || math.IsInf(want, 0) {
			if got != want {
				t.Fatalf("exp(%v) = %v, math.Exp %v", x, got, want)
			}
			return
		}
		ulp := math.Nextafter(want, math.Inf(1)) - want
		if d := math.Abs(got-want) / ulp; d > worst {
			worst, at = d, x
		}
	}
	for range 1_000_000 {
		check(40 * (s.Uniform() - 0.5))
		check(1400 * (s.Uniform() - 0.5))
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, math.Ln2, 699.99, -699.99, 700, -700, 709.7, -745, 800, -800,
		math.Inf(1), math.Inf(-1), math.NaN(), 1e-300, -1e-300} {
		check(x)
	}
	if worst > 2 {
		t.Errorf("exp is %v ulps from math.Exp at %v; at most 2 allowed", worst, at)
	}
	t.Logf("largest difference %v ulps, at %v", worst, at)
}

func BenchmarkExp(b *testing.B) {
	x, sum := 0.1, 0.0
	for b.Loop() {
		sum += exp(x)
		x += 1e-7
	}
	if sum == 0 {
		b.Fatal("no work")
	}
}
