// Package summary sums and summarises a run's monthly series over its
// trials in ways that merge in any order to the same bits: exact sums
// (Sum) and integer quantile sketches (Sketch). Workers, and shards run on
// other machines, add up to what one serial run gives.
package summary

import (
	"fmt"
	"math"
)

// Sketch is a mergeable quantile summary of one monthly quantity over the
// trials: counts in log-linear buckets read straight from a float's bits
// (its exponent and the top mantissaBits bits of its mantissa), so a bucket
// spans at most 2^-7 of its lower edge and a quantile is returned within
// ±0.4 % of the true order statistic's value. Counts are integers, so
// merging sketches in any order gives the same result: a sharded or
// parallel run reports the same quantiles as a serial one.
type Sketch struct {
	Lo, Hi float64  // the smallest and largest value added (n > 0)
	N      uint64   // values added
	Offset int      // bucket index of counts[0]
	Counts []uint64 // positive values
	Neg    *Sketch  // magnitudes of negative values
	Zeros  uint64
}

// mantissaBits is the number of leading mantissa bits in a bucket index.
const mantissaBits = 7

const bucketShift = 52 - mantissaBits

// bucketOf is the bucket index of a positive float: monotone in v.
func bucketOf(v float64) int { return int(math.Float64bits(v) >> bucketShift) }

// sketchZero is the magnitude below which a value counts as zero: float
// noise left when difference arrays cancel.
const sketchZero = 1e-9

// Add counts one value.
func (s *Sketch) Add(v float64) {
	if v == 0 {
		v = 0 // −0 as +0: a part's encoding may not keep the sign of a zero
	}
	s.observe(v, v, 1)
	s.addValue(v)
}

// observe widens the observed range; min and max merge in any order.
func (s *Sketch) observe(lo, hi float64, n uint64) {
	if s.N == 0 {
		s.Lo, s.Hi = lo, hi
	} else {
		s.Lo, s.Hi = min(s.Lo, lo), max(s.Hi, hi)
	}
	s.N += n
}

func (s *Sketch) addValue(v float64) {
	switch {
	case math.Abs(v) < sketchZero:
		s.Zeros++
	case v < 0:
		if s.Neg == nil {
			s.Neg = &Sketch{}
		}
		s.Neg.addValue(-v)
	default:
		s.addBucket(bucketOf(v), 1)
	}
}

func (s *Sketch) addBucket(i int, c uint64) {
	if len(s.Counts) == 0 {
		s.Offset = i
		s.Counts = append(s.Counts, 0)
	}
	if i < s.Offset {
		grow := make([]uint64, s.Offset-i, s.Offset-i+len(s.Counts))
		s.Counts = append(grow, s.Counts...)
		s.Offset = i
	}
	for i-s.Offset >= len(s.Counts) {
		s.Counts = append(s.Counts, 0)
	}
	s.Counts[i-s.Offset] += c
}

func (s *Sketch) total() uint64 {
	n := s.Zeros
	for _, c := range s.Counts {
		n += c
	}
	if s.Neg != nil {
		n += s.Neg.total()
	}
	return n
}

// Merge adds o's counts into s.
func (s *Sketch) Merge(o *Sketch) {
	if o.N > 0 {
		s.observe(o.Lo, o.Hi, o.N)
	}
	s.Zeros += o.Zeros
	for i, c := range o.Counts {
		if c > 0 {
			s.addBucket(o.Offset+i, c)
		}
	}
	if o.Neg != nil {
		if s.Neg == nil {
			s.Neg = &Sketch{}
		}
		s.Neg.Merge(o.Neg)
	}
}

// bucketValue is the value that represents bucket i: the midpoint of its
// edges, within 2^-8 of any value in it, relatively.
func bucketValue(i int) float64 {
	lo := math.Float64frombits(uint64(i) << bucketShift)
	hi := math.Float64frombits(uint64(i+1) << bucketShift)
	return (lo + hi) / 2
}

// quantile returns the value at rank round(p·(n − 1)) in ascending order,
// within the range of the values added (a bucket's midpoint can lie
// outside it: 8 CSMs in every trial must read 8, not 8.03).
func (s *Sketch) Quantile(p float64) float64 {
	if s.N == 0 {
		return 0
	}
	return min(max(s.bucketQuantile(p), s.Lo), s.Hi)
}

func (s *Sketch) bucketQuantile(p float64) float64 {
	n := s.total()
	if n == 0 {
		return 0
	}
	rank := uint64(math.Round(p * float64(n-1)))
	if s.Neg != nil {
		nn := s.Neg.total()
		if rank < nn {
			return -s.Neg.bucketQuantile(1 - float64(rank)/float64(max(nn-1, 1)))
		}
		rank -= nn
	}
	if rank < s.Zeros {
		return 0
	}
	rank -= s.Zeros
	for i, c := range s.Counts {
		if rank < c {
			return bucketValue(s.Offset + i)
		}
		rank -= c
	}
	return bucketValue(s.Offset + len(s.Counts) - 1)
}

// check reports a Sketch that add and merge cannot have made (one decoded
// from a damaged part).
func (s *Sketch) Check() error {
	ok := func(t *Sketch) bool {
		return len(t.Counts) == 0 || (t.Offset >= 0 && t.Offset <= 1<<(64-bucketShift)-len(t.Counts))
	}
	switch {
	case !ok(s), s.Neg != nil && (s.Neg.Neg != nil || !ok(s.Neg)):
		return fmt.Errorf("malformed quantile sketch")
	case s.total() != s.N:
		return fmt.Errorf("quantile sketch holds %d values, says %d", s.total(), s.N)
	case s.N > 0 && !(s.Lo <= s.Hi):
		return fmt.Errorf("quantile Sketch range %v to %v", s.Lo, s.Hi)
	}
	return nil
}
