package results

import "testing"

// Float noise is a tie; a cent on millions, or any difference from zero,
// is not.
func TestTie(t *testing.T) {
	for _, c := range []struct {
		a, b float64
		tie  bool
	}{{5e6, 5e6 + 1e-9, true}, {5e6, 5e6 - 2e-9, true}, {0, 0, true}, {5e6, 5e6 + 0.01, false}, {0, 1e-300, false}, {-3, 3, false}} {
		if got := Tie(c.a, c.b); got != c.tie {
			t.Errorf("Tie(%g, %g) = %v", c.a, c.b, got)
		}
	}
}

// A tie's difference is exactly zero; any other is a − b.
func TestDifference(t *testing.T) {
	if d := Difference(5e6+1e-9, 5e6); d != 0 {
		t.Errorf("a tie's difference %g", d)
	}
	if d := Difference(5e6+0.01, 5e6); d <= 0 {
		t.Errorf("a cent's difference %g", d)
	}
}
