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
	purposeChampion
	purposeChampionMove
	purposeReferral
)

// splitmix64 is the SplitMix64 finaliser: a bijective mixer that turns
// structured inputs (counters, small ids) into well-spread PCG seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// trialKey mixes the seed and the trial number into the root of every
// stream of that trial.
func trialKey(seed, trial uint64) uint64 {
	return splitmix64(splitmix64(seed) ^ trial)
}

// subKey derives the key of a thing (an account, an assumption) in a trial.
func subKey(trial, key uint64) uint64 { return splitmix64(trial ^ key) }

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

// stream is a reusable generator: reseeding it costs one mix, so a worker
// keeps one per purpose and reseeds it per account.
type stream struct {
	pcg rand.PCG
	r   *rand.Rand // the same generator, for distributions' Sample
}

func newStream() *stream {
	s := &stream{}
	s.r = rand.New(&s.pcg)
	return s
}

// seed points the stream at (key, purpose); key is already well mixed.
func (s *stream) seed(key, purpose uint64) *stream {
	s.pcg.Seed(splitmix64(key^purpose*0x9e3779b97f4a7c15), key)
	return s
}

// uniform returns a float64 in (0, 1): never 0, so its logarithm is finite.
func (s *stream) uniform() float64 {
	return (float64(s.pcg.Uint64()>>11) + 0.5) * (1.0 / (1 << 53))
}

// geometric returns the number of Bernoulli(p) trials up to and including
// the first success (≥ 1); logq is log(1 − p). By inversion,
// ⌊log U / log(1 − p)⌋ + 1, with −log U drawn as a standard exponential by
// the ziggurat method, which avoids a logarithm in most draws. It returns
// math.MaxInt32 when p is 0.
func (s *stream) geometric(logq float64) int {
	if logq == 0 {
		return math.MaxInt32
	}
	if math.IsInf(logq, -1) {
		return 1
	}
	g := s.r.ExpFloat64() / -logq
	if g >= math.MaxInt32 {
		return math.MaxInt32
	}
	return 1 + int(g)
}
