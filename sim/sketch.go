package sim

import "math"

// sketch is a mergeable quantile summary of one monthly quantity over the
// trials: counts in log-linear buckets read straight from a float's bits
// (its exponent and the top mantissaBits bits of its mantissa), so a bucket
// spans at most 2^-7 of its lower edge and a quantile is returned within
// ±0.4 % of the true order statistic's value. Counts are integers, so
// merging sketches in any order gives the same result: a sharded or
// parallel run reports the same quantiles as a serial one.
type sketch struct {
	lo, hi float64  // the smallest and largest value added (n > 0)
	n      uint64   // values added
	offset int      // bucket index of counts[0]
	counts []uint64 // positive values
	neg    *sketch  // magnitudes of negative values
	zeros  uint64
}

// mantissaBits is the number of leading mantissa bits in a bucket index.
const mantissaBits = 7

const bucketShift = 52 - mantissaBits

// bucketOf is the bucket index of a positive float: monotone in v.
func bucketOf(v float64) int { return int(math.Float64bits(v) >> bucketShift) }

// sketchZero is the magnitude below which a value counts as zero: float
// noise left when difference arrays cancel.
const sketchZero = 1e-9

func (s *sketch) add(v float64) {
	s.observe(v, v, 1)
	s.addValue(v)
}

// observe widens the observed range; min and max merge in any order.
func (s *sketch) observe(lo, hi float64, n uint64) {
	if s.n == 0 {
		s.lo, s.hi = lo, hi
	} else {
		s.lo, s.hi = min(s.lo, lo), max(s.hi, hi)
	}
	s.n += n
}

func (s *sketch) addValue(v float64) {
	switch {
	case math.Abs(v) < sketchZero:
		s.zeros++
	case v < 0:
		if s.neg == nil {
			s.neg = &sketch{}
		}
		s.neg.addValue(-v)
	default:
		s.addBucket(bucketOf(v), 1)
	}
}

func (s *sketch) addBucket(i int, c uint64) {
	if len(s.counts) == 0 {
		s.offset = i
		s.counts = append(s.counts, 0)
	}
	if i < s.offset {
		grow := make([]uint64, s.offset-i, s.offset-i+len(s.counts))
		s.counts = append(grow, s.counts...)
		s.offset = i
	}
	for i-s.offset >= len(s.counts) {
		s.counts = append(s.counts, 0)
	}
	s.counts[i-s.offset] += c
}

func (s *sketch) total() uint64 {
	n := s.zeros
	for _, c := range s.counts {
		n += c
	}
	if s.neg != nil {
		n += s.neg.total()
	}
	return n
}

// merge adds o's counts into s.
func (s *sketch) merge(o *sketch) {
	if o.n > 0 {
		s.observe(o.lo, o.hi, o.n)
	}
	s.zeros += o.zeros
	for i, c := range o.counts {
		if c > 0 {
			s.addBucket(o.offset+i, c)
		}
	}
	if o.neg != nil {
		if s.neg == nil {
			s.neg = &sketch{}
		}
		s.neg.merge(o.neg)
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
func (s *sketch) quantile(p float64) float64 {
	if s.n == 0 {
		return 0
	}
	return min(max(s.bucketQuantile(p), s.lo), s.hi)
}

func (s *sketch) bucketQuantile(p float64) float64 {
	n := s.total()
	if n == 0 {
		return 0
	}
	rank := uint64(math.Round(p * float64(n-1)))
	if s.neg != nil {
		nn := s.neg.total()
		if rank < nn {
			return -s.neg.bucketQuantile(1 - float64(rank)/float64(max(nn-1, 1)))
		}
		rank -= nn
	}
	if rank < s.zeros {
		return 0
	}
	rank -= s.zeros
	for i, c := range s.counts {
		if rank < c {
			return bucketValue(s.offset + i)
		}
		rank -= c
	}
	return bucketValue(s.offset + len(s.counts) - 1)
}
