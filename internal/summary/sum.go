package summary

import (
	"math"
	"math/big"
	"math/bits"
)

// Sum adds float64s in 256-bit two's-complement fixed point with 64
// fraction bits. Integer addition is associative, so a sum does not depend
// on the order its terms arrive in: the monthly series summed by any number
// of workers, or by shards on other machines and merged later, give the
// same bits. Terms below 2^-64 in magnitude are dropped (float noise at the
// scale of money, counts and ratios) and the range reaches 2^191, far
// beyond any sum of squares of money. Infinities and NaNs are kept as flags.
type Sum struct {
	Limbs               [sumLimbs]uint64 // little-endian
	NaN, PosInf, NegInf bool             // NaN seen; +Inf seen; −Inf seen
}

const (
	sumLimbs    = 4
	sumFracBits = 64
)

// add adds v, truncating it to a multiple of 2^-64 (toward zero).
func (s *Sum) Add(v float64) {
	switch {
	case v == 0:
		return
	case math.IsNaN(v):
		s.NaN = true
		return
	case math.IsInf(v, 1):
		s.PosInf = true
		return
	case math.IsInf(v, -1):
		s.NegInf = true
		return
	}
	b := math.Float64bits(v)
	exp := int(b >> 52 & 0x7ff)
	mant := b & (1<<52 - 1)
	if exp == 0 {
		exp = 1 // subnormal
	} else {
		mant |= 1 << 52
	}
	// |v| = mant × 2^(exp−1075) = mant × 2^shift units of 2^-64.
	shift := exp - 1075 + sumFracBits
	if shift < 0 {
		if shift <= -53 {
			return
		}
		mant >>= uint(-shift)
		shift = 0
	}
	if shift+53 > 64*sumLimbs-1 {
		// Beyond the range: an overflow, kept as an infinity.
		if v > 0 {
			s.PosInf = true
		} else {
			s.NegInf = true
		}
		return
	}
	var t [sumLimbs]uint64
	i, off := shift/64, uint(shift%64)
	t[i] = mant << off
	if off > 0 && i+1 < sumLimbs {
		t[i+1] = mant >> (64 - off)
	}
	var c uint64
	if v > 0 {
		for k := range s.Limbs {
			s.Limbs[k], c = bits.Add64(s.Limbs[k], t[k], c)
		}
	} else {
		for k := range s.Limbs {
			s.Limbs[k], c = bits.Sub64(s.Limbs[k], t[k], c)
		}
	}
}

// merge adds o into s.
func (s *Sum) Merge(o *Sum) {
	var c uint64
	for k := range s.Limbs {
		s.Limbs[k], c = bits.Add64(s.Limbs[k], o.Limbs[k], c)
	}
	s.NaN, s.PosInf, s.NegInf = s.NaN || o.NaN, s.PosInf || o.PosInf, s.NegInf || o.NegInf
}

// float returns the sum rounded to the nearest float64.
func (s *Sum) Float() float64 {
	switch {
	case s.NaN || (s.PosInf && s.NegInf):
		return math.NaN()
	case s.PosInf:
		return math.Inf(1)
	case s.NegInf:
		return math.Inf(-1)
	}
	neg := s.Limbs[sumLimbs-1]>>63 != 0
	l := s.Limbs
	if neg { // two's complement: magnitude = ^l + 1
		var c uint64 = 1
		for k := range l {
			l[k], c = bits.Add64(^l[k], 0, c)
		}
	}
	words := make([]big.Word, 0, 2*sumLimbs)
	for _, x := range l {
		if bits.UintSize == 64 {
			words = append(words, big.Word(x))
		} else {
			words = append(words, big.Word(uint32(x)), big.Word(x>>32))
		}
	}
	f := new(big.Float).SetInt(new(big.Int).SetBits(words))
	f.SetMantExp(f, -sumFracBits)
	v, _ := f.Float64()
	if neg {
		v = -v
	}
	return v
}
