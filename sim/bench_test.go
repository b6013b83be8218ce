package sim

import (
	"context"
	"math/rand/v2"
	"testing"

	"csplan/sim/dist"
)

// standardModel is the engine's benchmark scenario (shipped as
// scenarios/examples/standard-benchmark.yaml): 2,000 existing accounts on
// annual contracts with spread renewals, sBG churn, monthly upsell
// opportunities and a 5 % price increase, 60 months, no acquisition.
func standardModel() Model {
	seg := func(name string, n int, median, p90, alpha, beta, upP float64) Segment {
		acv, _ := dist.NewLogNormalMedianP90(median, p90)
		size, _ := dist.NewUniform(0.02, 0.10)
		return Segment{Name: name, Count: n, ACV: acv, TermMonths: 12, Renewal: Spread,
			PriceIncrease: fixed(0.05), OnboardingSuccess: fixed(1),
			Churn:       Churn{SBG: &SBG{Alpha: fixed(alpha), Beta: fixed(beta)}, RateMonths: 12},
			Upsell:      Movement{Cadence: Monthly, Probability: fixed(upP), Size: size},
			Contraction: Movement{Probability: fixed(0)}, Digital: true}
	}
	return Model{Horizon: 60, Segments: []Segment{
		seg("enterprise", 200, 100000, 250000, 0.668, 3.806, 0.05),
		seg("mid-market", 1800, 36000, 80000, 0.704, 1.182, 0.03),
	}}
}

const standardAccountMonths = 2000 * 60

// BenchmarkFloor is the cost of the naive design: one PCG draw and one
// multiply-add per account-month, no branches. Engine figures are reported
// as a ratio to it, measured in the same run.
func BenchmarkFloor(b *testing.B) {
	const trials = 1000
	pcg := rand.NewPCG(1, 2)
	mrr := make([]float64, 2000)
	for b.Loop() {
		for range trials {
			for i := range mrr {
				mrr[i] = 3000
			}
			for range 60 {
				for i := range mrr {
					mrr[i] += float64(int64(pcg.Uint64()>>11)) * 0x1p-53
				}
			}
		}
	}
	if mrr[0] == 0 {
		b.Fatal("no work")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(trials*standardAccountMonths), "ns/account-month")
}

// BenchmarkEngine runs the standard scenario, 1,000 trials per iteration, on
// one worker (-cpu does not change it; see BenchmarkEngineParallel).
func BenchmarkEngine(b *testing.B) { benchEngine(b, 1) }

// BenchmarkEngineParallel runs the same on every core (GOMAXPROCS).
func BenchmarkEngineParallel(b *testing.B) { benchEngine(b, 0) }

func benchEngine(b *testing.B, workers int) {
	const trials = 1000
	opts := []Option{{Name: "Baseline", Model: standardModel()}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), opts, Settings{Trials: trials, Seed: 1, Workers: workers}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(trials*standardAccountMonths), "ns/account-month")
}
