package results

import "math"

// TieTolerance is the relative difference below which two values of a
// metric in the same trial are one number reached by another order of
// floating-point additions: a few thousand ulps, far below a cent on any
// amount a scenario can hold.
const TieTolerance = 1e-12

// Tie reports whether a and b, a metric of two options (or sweep points,
// or plans) in the same trial, are the same number: hiring CSMs changed
// acquisition cost by 1e-11 in some trials, which counted as higher in 7 %
// of them and lower in 6 %. Every paired comparison counts ties by it.
func Tie(a, b float64) bool {
	return math.Abs(a-b) <= TieTolerance*max(math.Abs(a), math.Abs(b))
}

// Difference is a − b, and exactly 0 for a tie (Tie): the difference every
// paired comparison takes, so that a metric that ties in every trial has a
// mean difference of 0, not float noise.
func Difference(a, b float64) float64 {
	if Tie(a, b) {
		return 0
	}
	return a - b
}
