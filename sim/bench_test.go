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

// BenchmarkDrawsBound is the least work the engine's random-number design
// allows on the standard scenario: per account, its key, its three named
// streams (ACV, churn, upsell) and the draws the model needs from them (a
// lognormal ACV, one uniform for the sBG churn time, the upsells' geometric
// skips and sizes up to the churn month), with no booking, no trial summary
// and no aggregation. Set beside BenchmarkFloor it shows what streams named
// by (seed, trial, account, purpose) cost by themselves: the part of
// BenchmarkEngine no restructuring of the rest can remove.
func BenchmarkDrawsBound(b *testing.B) {
	const trials = 1000
	m := standardModel()
	type segDraws struct {
		key           uint64
		n             int
		acv, size     dist.Dist
		surv          []float64
		logUp         float64
		term, horizon int
	}
	var segs []segDraws
	for _, s := range m.Segments {
		segs = append(segs, segDraws{key: nameKey(s.Name), n: s.Count, acv: s.ACV, size: s.Upsell.Size,
			surv:  sbgSurvival(nil, s.Churn.SBG.Alpha.Dist.Mean(), s.Churn.SBG.Beta.Dist.Mean(), m.Horizon/12+2),
			logUp: logKeep(s.Upsell.Probability.Dist.Mean()), term: s.TermMonths, horizon: m.Horizon})
	}
	total := 0.0
	// Streams that distributions sample from live outside the loop: a
	// stream passed to an interface method escapes to the heap.
	acv, u := new(stream), new(stream)
	for b.Loop() {
		for t := range trials {
			tk := trialKey(1, uint64(t))
			for _, s := range segs {
				for j := range s.n {
					key := subKey(tk, accountKey(s.key, 0, j))
					*acv = newStream(key, purposeACV)
					mrr := s.acv.Sample(acv) / 12
					first := 1 + j%s.term
					opps := (s.horizon-first)/s.term + 1
					churn := newStream(key, purposeChurn)
					k := sbgTime(churn.Uniform(), s.surv, opps)
					last := min(s.horizon, first+(k-1)*s.term-1)
					*u = newStream(key, purposeUpsell)
					for mo := geometric(u, s.logUp); mo <= last; mo += geometric(u, s.logUp) {
						mrr *= 1 + s.size.Sample(u)
					}
					total += mrr
				}
			}
		}
	}
	if total == 0 {
		b.Fatal("no work")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(trials*standardAccountMonths), "ns/account-month")
}

// BenchmarkRecordBound is what the engine must do after each trial of the
// standard scenario whatever happened in it: summarise the trial into its
// metrics and monthly series, and add the series to the exact sums and the
// quantile sketches that make results the same at any -j and shard count.
// The same trial is recorded over and over (its book stays warm in cache),
// so this is a lower bound. BenchmarkDrawsBound plus this is the least the
// design (per-account named streams, exact per-trial aggregation) allows.
func BenchmarkRecordBound(b *testing.B) {
	const trials = 1000
	opts := []Option{{Name: "Baseline", Model: standardModel()}}
	s := Settings{Trials: trials, Seed: 1, Workers: 1}
	h := opts[0].Model.Horizon
	cop, err := newCopula(nil)
	if err != nil {
		b.Fatal(err)
	}
	agg := newAggregate(opts, s, 0, trials)
	w := newWorker(s.Seed, h, s.check)
	w.cop, w.lhs = cop, newLHS(opts, s)
	part, block := agg.newShare(), agg.newBlockSums()
	var series [numSeries][]float64
	for i := range series {
		series[i] = make([]float64, h+1)
	}
	w.runTrial(&opts[0].Model, 0)
	for b.Loop() {
		for t := range trials {
			agg.record(w, 0, t, &series, block, part)
		}
	}
	if series[sMRR][0] == 0 {
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

// withTeam serves the standard scenario's accounts with a CS team of csms
// CSMs: enterprise accounts need 72 h a year, mid-market 20.75 h (W3), so
// 2,000 accounts need 51,750 h a year and 36 CSMs (1,456 h each) cover them.
func withTeam(csms int) Model {
	m := standardModel()
	m.Segments[0].Digital, m.Segments[1].Digital = false, false
	m.Segments[0].Meetings = []Meeting{{"monthly", 12, 1, 1}, {"ebr", 4, 2, 4}, {"workshop", 2, 3, 3}, {"ad hoc", 6, 1, 1}}
	m.Segments[1].Meetings = []Meeting{{"monthly", 12, 0.5, 0.25}, {"ebr", 2, 1, 2}, {"workshop", 1, 1.5, 2}, {"ad hoc", 3, 0.5, 0.25}}
	m.Team = Team{CSMs: csms, HoursPerYear: 2080, Productivity: fixed(0.7), LoadedCost: fixed(150000),
		HiringCost: fixed(20000), RampMonths: 3, Attrition: fixed(0.15), HiringLagMonths: 3}
	m.Response = Response{Churn: Curve{X: []float64{0, 0.5, 1}, Y: []float64{2, 1.4, 1}},
		Upsell: Curve{X: []float64{0, 1}, Y: []float64{0.3, 1}}, Onboarding: Curve{X: []float64{0, 1}, Y: []float64{0.85, 1}}}
	return m
}

// BenchmarkEngineTeamSpare: the standard scenario served by a team with
// spare hours (40 CSMs): the team is simulated and checked, accounts stay
// independent.
func BenchmarkEngineTeamSpare(b *testing.B) { benchModel(b, withTeam(40)) }

// BenchmarkEngineTeamShort: the same with 27 CSMs (three quarters of the
// hours needed): coverage falls and the served book runs month by month.
func BenchmarkEngineTeamShort(b *testing.B) { benchModel(b, withTeam(27)) }

func benchModel(b *testing.B, m Model) {
	const trials = 1000
	opts := []Option{{Name: "Baseline", Model: m}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), opts, Settings{Trials: trials, Seed: 1, Workers: 1}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(trials*standardAccountMonths), "ns/account-month")
}

// BenchmarkTeamShortAtCut measures what a design that runs lockstep only
// for the accounts the short team touches would save on
// BenchmarkEngineTeamShort's model: the share of accounts whose priority
// slot is at or below the month's cut (partly or not covered) in some
// month of their life. The rest get full coverage throughout and could go
// the skip-ahead way, if a first pass could tell them apart.
func BenchmarkTeamShortAtCut(b *testing.B) {
	const trials = 100
	m := withTeam(27)
	opts := []Option{{Name: "Baseline", Model: m}}
	s := Settings{Trials: trials, Seed: 1, Workers: 1}
	cop, err := newCopula(nil)
	if err != nil {
		b.Fatal(err)
	}
	total, touched := 0, 0
	for b.Loop() {
		w := newWorker(s.Seed, m.Horizon, s.check)
		w.cop, w.lhs = cop, newLHS(opts, s)
		total, touched = 0, 0
		for t := range trials {
			w.runTrial(&opts[0].Model, uint64(t))
			for i := range w.ls.accts {
				total++
				if atCut(&w.ls, &w.ls.accts[i], m.Horizon) {
					touched++
				}
			}
		}
	}
	b.ReportMetric(100*float64(touched)/float64(total), "%accounts-at-cut")
}

// atCut reports whether account a held a slot at or below a month's cut
// (or the month shared evenly) in some month it was active.
func atCut(l *lockstep, a *live, h int) bool {
	for mo := max(1, int(a.join)); mo <= min(int(a.churnAt)-1, h); mo++ {
		slot := -1
		for k := a.span; k >= 0; k = l.spans[k].prev {
			if int(l.spans[k].from) <= mo {
				slot = int(l.spans[k].slot)
				break
			}
		}
		if c := l.cut[mo]; c == cutEven || (c != cutNone && slot <= c) {
			return true
		}
	}
	return false
}
