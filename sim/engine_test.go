package sim

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"csplan/results"
	"csplan/sim/dist"
)

// acmeLike is a small model with every mechanism of this engine: several
// segments, acquisition, onboarding, hazard and renewal churn, sBG, upsell,
// contraction, price increases, per-trial uncertainty.
func acmeLike() Model {
	acv, _ := dist.NewLogNormalMedianP90(50000, 120000)
	churn, _ := dist.NewBeta(0.1, 0.03)
	upP, _ := dist.NewPERT(0.05, 0.1, 0.2)
	size, _ := dist.NewUniform(0.05, 0.3)
	smbACV, _ := dist.NewLogNormalMedianP90(5000, 12000)
	return Model{Horizon: 36, Segments: []Segment{
		{Name: "ent", Count: 150, ACV: acv, TermMonths: 12, Renewal: Spread,
			PriceIncrease: fixed(0.04), OnboardingSuccess: fixed(0.95), OnboardingMonths: 2,
			Churn:       Churn{Rate: Assumption{"churn", churn}, RateMonths: 12},
			Upsell:      Movement{Cadence: Quarterly, Probability: Assumption{"up", upP}, Size: size},
			Contraction: Movement{Cadence: AtRenewal, Probability: fixed(0.05), Size: dist.Const(0.2)},
			Acquisition: Acquisition{PerMonth: fixed(3), Growth: fixed(0.1)}},
		{Name: "smb", Count: 400, ACV: smbACV, TermMonths: 1, Renewal: Spread,
			PriceIncrease: fixed(0), OnboardingSuccess: fixed(0.9), OnboardingMonths: 1,
			Churn:       Churn{Timing: Hazard, SBG: &SBG{Alpha: fixed(0.7), Beta: fixed(12)}},
			Upsell:      Movement{Cadence: Monthly, Probability: fixed(0.02), Size: size},
			Contraction: Movement{Probability: fixed(0)},
			Acquisition: Acquisition{PerMonth: fixed(20), ACV: smbACV}},
	}}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	m := acmeLike()
	alt := acmeLike()
	alt.Segments[0].Upsell.Cadence = Monthly
	opts := []Option{{Name: "Baseline", Model: m}, {Name: "monthly", Model: alt}}
	var first *results.Results
	for _, j := range []int{1, 2, 8} {
		r, err := Run(context.Background(), opts, Settings{Trials: 150, Seed: 42, Workers: j}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = r
			continue
		}
		a, _ := results.Marshal(first)
		b, _ := results.Marshal(r)
		if string(a) != string(b) {
			t.Fatalf("-j %d gives different results from -j 1", j)
		}
	}
}

// With common random numbers the difference between two options varies far
// less than between two independent runs of them.
func TestCommonRandomNumbers(t *testing.T) {
	base := acmeLike()
	alt := acmeLike()
	alt.Segments[0].PriceIncrease = fixed(0.06)
	const n = 300
	paired, err := Run(context.Background(), []Option{{Name: "Baseline", Model: base}, {Name: "alt", Model: alt}},
		Settings{Trials: n, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Run(context.Background(), []Option{{Name: "alt", Model: alt}}, Settings{Trials: n, Seed: 6}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := paired.Options[1].VsBaseline["arr_end"]
	sdPaired := (d.CI95[1] - d.CI95[0]) / 2 / 1.968 * math.Sqrt(n)
	sa, sb := paired.Options[0].Metrics["arr_end"].SD, other.Options[0].Metrics["arr_end"].SD
	sdIndependent := math.Sqrt(sa*sa + sb*sb)
	if sdPaired > sdIndependent/5 {
		t.Errorf("paired sd %.0f is not far below the independent sd %.0f", sdPaired, sdIndependent)
	}
	if d.PBetter < 0.99 {
		t.Errorf("a higher price increase should raise ARR in nearly every trial, p_better = %.3f", d.PBetter)
	}
}

// The coverage hook: at a fixed coverage the response curves multiply churn
// and upsell. Coverage 0 with churn ×2 doubles the per-renewal churn
// probability, visible in expected mode exactly.
func TestFixedCoverageMultipliesChurnAndUpsell(t *testing.T) {
	m := simpleModel(100, 12000, 12, Churn{Rate: fixed(0.1), RateMonths: 12},
		Movement{Cadence: AtRenewal, Probability: fixed(0.5), Size: dist.Const(0.1)}, 24)
	m.Response = Response{Churn: Curve{X: []float64{0, 1}, Y: []float64{2, 1}}, Upsell: Curve{X: []float64{0, 1}, Y: []float64{0.3, 1}}}
	zero := 0.0
	m.FixedCoverage = &zero
	r := run(t, m, Settings{Mode: Expected})
	// One renewal at month 13: survivors 1 − 0.2, upsell 0.15 × 10 %.
	want := 100 * 1000 * (1 - 0.2) * (1 + 0.3*0.5*0.1)
	within(t, "MRR after the renewal", r.Options[0].Series["mrr"][13].Mean, want, 1e-6)
	mc := run(t, m, Settings{Trials: 2000, Seed: 10}).Options[0].Metrics["arr_end"]
	within(t, "simulated ARR", mc.Mean, 12*want, 3*mc.SE)
}

// The reported standard errors are honest: over many seeds, the squared
// z-scores of the simulated mean against the exact expectation average 1
// (a chi-square with k degrees of freedom divided by k has sd sqrt(2/k); the
// bounds are about 3.5 of those from 1).
func TestStandardErrorsAreCalibrated(t *testing.T) {
	m := simpleModel(100, 12000, 12, Churn{Rate: fixed(0.1), RateMonths: 12},
		Movement{Cadence: AtRenewal, Probability: fixed(0.15), Size: dist.Const(0.1)}, 24)
	want := 12 * 100 * 1000 * (1 - 0.1) * (1 + 0.15*0.1)
	const k = 40
	sum := 0.0
	for seed := range uint64(k) {
		mc := run(t, m, Settings{Trials: 200, Seed: seed}).Options[0].Metrics["arr_end"]
		z := (mc.Mean - want) / mc.SE
		sum += z * z
	}
	if mean := sum / k; mean < 1-3.5*math.Sqrt(2.0/k) || mean > 1+3.5*math.Sqrt(2.0/k) {
		t.Errorf("mean squared z-score %.3f over %d seeds; want about 1", mean, k)
	}
}

func TestExpectedModeSummaries(t *testing.T) {
	r := run(t, acmeLike(), Settings{Mode: Expected})
	for name, s := range r.Options[0].Metrics {
		if s.SD != 0 || s.P5 != s.Mean || s.P95 != s.Mean {
			t.Errorf("%s: expected mode must have sd 0 and quantiles equal to the mean: %+v", name, s)
		}
	}
}

// The Monte Carlo mean agrees with the expected path where the model is
// linear in the random draws: fixed rates (no per-trial uncertainty).
func TestMonteCarloMeanMatchesExpected(t *testing.T) {
	m := acmeLike()
	m.Segments[0].Churn.Rate = fixed(0.1)
	m.Segments[0].Upsell.Probability = fixed(0.1)
	e := run(t, m, Settings{Mode: Expected}).Options[0].Metrics
	mc := run(t, m, Settings{Trials: 1000, Seed: 11}).Options[0].Metrics
	for _, name := range []string{"arr_end", "revenue_total", "logos_end"} {
		within(t, name, mc[name].Mean, e[name].Mean, 3*mc[name].SE)
	}
}

// A trial that asks for enormous work (a million new logos a month, served
// by a short team, over 20 years) stops within a second of cancellation:
// the engine looks at the context inside a trial, not only between them.
func TestCancelInsideATrial(t *testing.T) {
	for _, m := range []Model{withTeam(5), standardModel()} {
		m.Horizon = 240
		m.Segments[1].Acquisition = Acquisition{PerMonth: fixed(1e6), Growth: fixed(0)}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := Run(ctx, []Option{{Name: "Baseline", Model: m}}, Settings{Trials: 2, Seed: 1, Workers: 1}, nil)
			done <- err
		}()
		time.Sleep(200 * time.Millisecond)
		start := time.Now()
		cancel()
		select {
		case err := <-done:
			if err == nil {
				t.Error("a cancelled run must return an error")
			}
			t.Logf("stopped %v after cancellation", time.Since(start))
		case <-time.After(time.Second):
			t.Fatal("the run did not stop within a second of cancellation")
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, []Option{{Name: "Baseline", Model: acmeLike()}}, Settings{Trials: 10000, Seed: 1}, nil)
	if err == nil {
		t.Fatal("a cancelled run must return an error")
	}
}

// Calendar booking (price increases per renewal calendar) must give what
// booking every account event by event gives, up to float rounding.
func TestCalendarBookingMatchesPath(t *testing.T) {
	for _, m := range []Model{standardModel(), acmeLike()} {
		m.Horizon = 30
		fast := run(t, m, Settings{Trials: 64, Seed: 4})
		slow := run(t, m, Settings{Trials: 64, Seed: 4, check: checks{pathBooking: true}})
		for name, ps := range slow.Options[0].Series {
			for i, p := range ps {
				q := fast.Options[0].Series[name][i]
				if math.Abs(p.Mean-q.Mean) > 1e-9*math.Max(1, math.Abs(p.Mean)) {
					t.Fatalf("%s month %d: calendar %v, path %v", name, p.Month, q.Mean, p.Mean)
				}
			}
		}
	}
}

// Standard errors: a series' mean at the horizon has the standard error of
// the matching metric; a median's comes from the order statistics, about
// 1.2533·σ/√n for a smooth distribution (the asymptotic normal value).
func TestStandardErrorsReported(t *testing.T) {
	r := run(t, acmeLike(), Settings{Trials: 2000, Seed: 12}).Options[0]
	m := r.Metrics["arr_end"]
	p := r.Series["arr"][len(r.Series["arr"])-1]
	if math.Abs(p.SE-m.SE) > 1e-6*m.SE {
		t.Errorf("series SE %v, metric SE %v", p.SE, m.SE)
	}
	want := 1.2533 * m.SD / math.Sqrt(2000)
	// The bracket spans about 88 ranks, so the estimate varies by about
	// 1/√88 ≈ 11 %; three of those are allowed.
	if got := m.QuantileSE[2]; got < 0.67*want || got > 1.33*want {
		t.Errorf("median SE %v, about %v expected", got, want)
	}
}

// Inputs far too large overflow float64. The run says so, naming the option,
// metric and trial, instead of panicking while it bins the paired
// differences or writing numbers that say nothing.
func TestOverflowIsAnError(t *testing.T) {
	m := simpleModel(10, 120000, 12, Churn{Rate: fixed(0), RateMonths: 12},
		Movement{Cadence: Monthly, Probability: fixed(1), Size: dist.Const(50)}, 240)
	opts := []Option{{Name: "Baseline", Model: m}, {Name: "same", Model: m}}
	_, err := Run(context.Background(), opts, Settings{Trials: 40, Seed: 1}, nil)
	if err == nil || !strings.Contains(err.Error(), "overflow") || !strings.Contains(err.Error(), `option "Baseline"`) {
		t.Fatalf("want an overflow error naming the option, got %v", err)
	}
	if h := histogram([]float64{1, math.NaN(), 2}, 30); h != nil {
		t.Fatalf("a histogram of NaN should be nil, got %+v", h)
	}
}

// The engine's metrics and series are the catalogue's, every one of them
// (the per-trial payback month and bridge legs are reported as an option's
// payback and bridge).
func TestMetricsFollowTheCatalogue(t *testing.T) {
	reported := 0
	for i := range numMetrics {
		if (&RunInfo{}).reported(0, i) {
			reported++
		}
	}
	if len(results.Metrics) != reported || len(results.Series) != numSeries {
		t.Fatalf("catalogue has %d metrics and %d series, the engine %d and %d", len(results.Metrics), len(results.Series), reported, numSeries)
	}
	for i, name := range MetricNames {
		if _, ok := results.MetricByKey(name); !ok && (&RunInfo{}).reported(0, i) {
			t.Errorf("metric %q is not in the catalogue", name)
		}
	}
	for _, name := range SeriesNames {
		if _, ok := results.SeriesByKey(name); !ok {
			t.Errorf("series %q is not in the catalogue", name)
		}
	}
}

// Two trials' values that differ only by the order of their floating-point
// additions tie; a difference of a cent on millions does not.
func TestPairedDiffTiesFloatNoise(t *testing.T) {
	base := []float64{5e6, 5e6, 5e6, 0, 5e6}
	opt := []float64{5e6 + 1e-9, 5e6 - 2e-9, 5e6 + 0.01, 0, 5e6 - 0.01}
	d := pairedDiff(opt, base, true)
	if d.PBetter != 0.2 || d.PWorse != 0.2 {
		t.Errorf("better in %g, worse in %g of trials; want 0.2 each (three ties)", d.PBetter, d.PWorse)
	}
	// A tie is a difference of zero, so a metric that ties in every trial
	// has a mean difference of exactly zero, not float noise.
	if d := pairedDiff(opt[:2], base[:2], true); d.MeanDiff != 0 {
		t.Errorf("mean difference of two ties %g, want 0", d.MeanDiff)
	}
}
