package sim

import (
	"hash/fnv"
	"math"

	"csplan/internal/rng"
)

// Random streams. Every random number is drawn from a stream named by
// (seed, trial, key, purpose), never from a shared generator, so a number
// does not depend on how many workers ran, in which order, or which other
// streams were used: the basis of reproducibility at any -j and of common
// random numbers across options (the same account sees the same draws for the
// same event in every option).
//
// The generator is SplitMix64 (package rng): a draw is a pure function of
// the stream's name and its index, so opening a stream costs one mix.

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
	purposeShuffle
	purposeHandoff
)

// mix is the generator's finaliser, used to spread structured keys.
func mix(x uint64) uint64 { return rng.Mix(x) }

// splitmix64 is one step of SplitMix64 from state x: it turns structured
// inputs (counters, small ids) into well-spread keys.
func splitmix64(x uint64) uint64 { return rng.Mix(x + rng.Golden) }

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

// stream is one named random stream (see package rng).
type stream = rng.Stream

// newStream opens the stream of a (key, purpose); key is already well mixed.
func newStream(key, purpose uint64) stream { return rng.New(key, purpose) }

// geometric returns the number of Bernoulli(p) trials up to and including
// the first success (≥ 1); logq is log(1 − p). By inversion,
// ⌊E / −log(1 − p)⌋ + 1 with E a standard exponential (E = −log U), drawn
// by the ziggurat method, which avoids a logarithm in most draws. It
// returns math.MaxInt32 when p is 0.
func geometric(s *stream, logq float64) int {
	if logq == 0 {
		return math.MaxInt32
	}
	if math.IsInf(logq, -1) {
		return 1
	}
	g := s.Exp() / -logq
	if g >= math.MaxInt32 {
		return math.MaxInt32
	}
	return 1 + int(g)
}

// hashUniform is a uniform in (0, 1) named by a key and a counter: a
// counter-based draw for decisions that need no stream.
func hashUniform(key, n uint64) float64 {
	return (float64(splitmix64(key^splitmix64(n))>>11) + 0.5) * (1.0 / (1 << 53))
}
