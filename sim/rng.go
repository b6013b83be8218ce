package sim

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
)

// Random streams. Every random number is drawn from a stream named by
// (seed, trial, key, purpose), never from a shared generator, so a number
// does not depend on how many workers ran, in which order, or which other
// streams were used: the basis of reproducibility at any -j and of common
// random numbers across options (the same account sees the same draws for the
// same event in every option).

// Stream purposes.
const (
	purposeAssumption uint64 = iota + 1
	purposeACV
	purposeChurn
	purposeUpsell
	purposeContraction
	purposeOnboarding
	purposeArrivals
)

// splitmix64 is the SplitMix64 finaliser: a bijective mixer that turns
// structured inputs (counters, small ids) into well-spread PCG seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// streamKey mixes the parts naming a stream.
func streamKey(seed, trial, key, purpose uint64) uint64 {
	h := splitmix64(seed)
	h = splitmix64(h ^ trial)
	h = splitmix64(h ^ key)
	return splitmix64(h ^ purpose)
}

// nameKey hashes a name (an assumption path, a segment name) into a key.
func nameKey(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// accountKey names account j of a segment: existing accounts by their index,
// new ones by arrival month and order within it, so an account keeps its
// draws whatever else an option changes.
func accountKey(segment uint64, month, j int) uint64 {
	return splitmix64(segment ^ uint64(month)<<40 ^ uint64(j))
}

// stream is a reusable generator: reseeding it costs two multiplies, so a
// worker keeps one per purpose and reseeds it per account.
type stream struct {
	pcg rand.PCG
	r   *rand.Rand
}

func newStream() *stream {
	s := &stream{}
	s.r = rand.New(&s.pcg)
	return s
}

func (s *stream) seed(k uint64) *rand.Rand {
	s.pcg.Seed(k, splitmix64(k))
	return s.r
}

// uniform returns a float64 in (0, 1): never 0, so its logarithm is finite.
func uniform(r *rand.Rand) float64 {
	return (float64(r.Uint64()>>11) + 0.5) * (1.0 / (1 << 53))
}

// geometric returns the number of Bernoulli(p) trials up to and including
// the first success (≥ 1), by inversion; logq is log(1 − p). It returns
// math.MaxInt32 when p is 0.
func geometric(r *rand.Rand, logq float64) int {
	if logq == 0 {
		return math.MaxInt32
	}
	if math.IsInf(logq, -1) {
		return 1
	}
	g := math.Log(uniform(r)) / logq
	if g >= math.MaxInt32 {
		return math.MaxInt32
	}
	return 1 + int(g)
}
