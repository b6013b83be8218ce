// Package rng is the engine's random-number generator: SplitMix64 streams
// (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
// OOPSLA 2014; the generator of Java's SplittableRandom) with ziggurat
// normal and exponential variates.
//
// The n-th draw of a stream is Mix(s + n·γ), where s is the stream's name
// mixed to 64 bits, γ the golden-ratio increment and Mix the MurmurHash3
// style finaliser with Stafford's constants. It is counter-based: a draw is
// a pure function of (name, index), a stream is one 64-bit word that costs
// a single mix to open, and the output passes BigCrush. The engine's streams
// are short (an account draws tens of numbers), so the 2^64 period is no
// constraint.
package rng

import "math"

// Golden is SplitMix64's increment γ: 2^64 divided by the golden ratio, odd.
const Golden = 0x9e3779b97f4a7c15

// Mix is SplitMix64's finaliser: a bijection of 64-bit words that spreads
// every input bit over the output.
func Mix(x uint64) uint64 {
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Stream is a SplitMix64 stream: its state is the name's mix plus n·γ after
// n draws. It is a value of one word, so streams are held in place and
// copied freely; a copy continues the same sequence.
type Stream struct{ s uint64 }

// New opens the stream named by a well-mixed key and a purpose: the key's
// sequence jumped ahead by purpose·2^40 draws, so a key's purposes are
// disjoint stretches of one sequence and opening one costs no mix.
func New(key, purpose uint64) Stream {
	return Stream{key + purpose<<40*Golden}
}

// Uint64 returns the stream's next 64 random bits.
func (s *Stream) Uint64() uint64 {
	s.s += Golden
	return Mix(s.s)
}

// Uniform returns a float64 in (0, 1): never 0 or 1, so its logarithm and
// inverse CDFs are finite.
func (s *Stream) Uniform() float64 {
	return (float64(s.Uint64()>>11) + 0.5) * (1.0 / (1 << 53))
}

// Index returns a uniform integer in [0, n) by Lemire's multiply-shift on
// 32 bits (bias below n / 2^32), for n < 2^31.
func (s *Stream) Index(n int) int {
	return int(uint64(n) * (s.Uint64() >> 32) >> 32)
}

// Norm returns a standard normal variate by the ziggurat method of
// Marsaglia and Tsang ("The ziggurat method for generating random
// variables", J. Stat. Softw. 5(8), 2000) with 128 layers: one draw and a
// table lookup in about 97 % of cases.
func (s *Stream) Norm() float64 {
	for {
		u := s.Uint64()
		j := int32(u)
		i := u >> 32 & 0x7f
		x := float64(j) * zig.wn[i]
		if absInt32(j) < zig.kn[i] {
			return x
		}
		if i == 0 {
			// The tail beyond rn, by Marsaglia's method.
			for {
				x = -math.Log(s.Uniform()) * (1 / zigRn)
				y := -math.Log(s.Uniform())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigRn + x
			}
			return -zigRn - x
		}
		if zig.fn[i]+s.Uniform()*(zig.fn[i-1]-zig.fn[i]) < math.Exp(-0.5*x*x) {
			return x
		}
	}
}

// Exp returns a standard exponential variate by the ziggurat method with
// 256 layers.
func (s *Stream) Exp() float64 {
	for {
		u := s.Uint64()
		j := uint32(u)
		i := uint8(u >> 32)
		x := float64(j) * zig.we[i]
		if j < zig.ke[i] {
			return x
		}
		if i == 0 {
			// Memorylessness: the tail beyond re is re plus a fresh
			// exponential.
			return zigRe - math.Log(s.Uniform())
		}
		if zig.fe[i]+s.Uniform()*(zig.fe[i-1]-zig.fe[i]) < math.Exp(-x) {
			return x
		}
	}
}

func absInt32(i int32) uint32 {
	if i < 0 {
		return uint32(-i)
	}
	return uint32(i)
}

// Ziggurat constants of Marsaglia and Tsang: the right end of the base
// layer (rn, re) and the common area of every layer (vn, ve).
const (
	zigRn = 3.442619855899
	zigVn = 9.91256303526217e-3
	zigRe = 7.697117470131487
	zigVe = 3.949659822581572e-3
)

// zig holds the ziggurat tables, computed once by Marsaglia and Tsang's
// zigset: k are the integer thresholds under which a draw is accepted at
// once, w the scale from integer to variate, f the density at each layer's
// upper edge.
var zig = func() (t struct {
	kn     [128]uint32
	wn, fn [128]float64
	ke     [256]uint32
	we, fe [256]float64
}) {
	const m1, m2 = 1 << 31, 1 << 32
	dn, tn := zigRn, zigRn
	q := zigVn / math.Exp(-0.5*dn*dn)
	t.kn[0], t.kn[1] = uint32(dn/q*m1), 0
	t.wn[0], t.wn[127] = q/m1, dn/m1
	t.fn[0], t.fn[127] = 1, math.Exp(-0.5*dn*dn)
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(zigVn/dn+math.Exp(-0.5*dn*dn)))
		t.kn[i+1] = uint32(dn / tn * m1)
		tn = dn
		t.fn[i] = math.Exp(-0.5 * dn * dn)
		t.wn[i] = dn / m1
	}
	de, te := zigRe, zigRe
	q = zigVe / math.Exp(-de)
	t.ke[0], t.ke[1] = uint32(de/q*m2), 0
	t.we[0], t.we[255] = q/m2, de/m2
	t.fe[0], t.fe[255] = 1, math.Exp(-de)
	for i := 254; i >= 1; i-- {
		de = -math.Log(zigVe/de + math.Exp(-de))
		t.ke[i+1] = uint32(de / te * m2)
		te = de
		t.fe[i] = math.Exp(-de)
		t.we[i] = de / m2
	}
	return t
}()
