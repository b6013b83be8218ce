package calibrate

import (
	"math"
	"strings"
	"testing"

	"csplan/internal/stattest"
)

// FitTenure on a table worked by hand: of 100 accounts 10 leave in
// period 1, 18 of the 90 left in period 2, 9 of the 72 in period 3 (30
// are still paying there), 3 of the 33 in period 4 and 1 of the 5 in
// period 5, too few at risk to count. The table is 10 %, 20 %, 12.5 %,
// 3/33, the last holding past the data (a year of an annual contract is
// its last period); period 5's loss counts in the likelihood at the last
// period's rate.
func TestFitTenureByHand(t *testing.T) {
	var l Lifetimes
	add := func(n int, f func()) {
		for range n {
			f()
		}
	}
	add(10, func() { l.addLost(1) })
	add(18, func() { l.addLost(2) })
	add(9, func() { l.addLost(3) })
	add(30, func() { l.addCensored(3) }) // at risk in periods 1 to 3
	add(3, func() { l.addLost(4) })
	add(25, func() { l.addCensored(4) })
	add(1, func() { l.addLost(5) })
	add(4, func() { l.addCensored(5) }) // period 5: 5 at risk, too few
	// At risk: 100, 90, 72, 33, 5.
	f, err := FitTenure(KaplanMeier(l), 12)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{10.0 / 100, 18.0 / 90, 9.0 / 72, 3.0 / 33}
	if f.Data != 4 || f.TailFrom != 4 || len(f.Periods) != 4 {
		t.Fatalf("data %d, tail from %d, periods %v; want 4 periods of data, the last holding", f.Data, f.TailFrom, f.Periods)
	}
	for i, w := range want {
		if math.Abs(f.Periods[i]-w) > 1e-15 {
			t.Errorf("period %d: %v, want %v", i+1, f.Periods[i], w)
		}
	}
	// Log-likelihood: each period's binomial, period 5 at the last's.
	ll := 0.0
	for _, c := range []struct{ d, n, q float64 }{{10, 100, want[0]}, {18, 90, want[1]}, {9, 72, want[2]}, {3, 33, want[3]}, {1, 5, want[3]}} {
		ll += c.d*math.Log(c.q) + (c.n-c.d)*math.Log(1-c.q)
	}
	if math.Abs(f.LogLik-ll) > 1e-9 || math.Abs(f.AIC-(2*4-2*ll)) > 1e-9 {
		t.Errorf("log-likelihood %v, AIC %v; want %v, %v", f.LogLik, f.AIC, ll, 2*4-2*ll)
	}
	if math.Abs(f.Scale.SE-1/math.Sqrt(41)) > 1e-15 {
		t.Errorf("scale SE %v, want 1/√41", f.Scale.SE)
	}
	// Monthly contracts pool the last 12 months into the tail; with no loss
	// there, further back until one.
	var m Lifetimes
	add(1000, func() { m.addCensored(30) })
	add(50, func() { m.addLost(3) })
	f, err = FitTenure(KaplanMeier(m), 1)
	if err != nil {
		t.Fatal(err)
	}
	if f.Data != 30 || f.TailFrom != 3 || f.Tail() != 50.0/(1050+27*1000) {
		t.Errorf("monthly: data %d, tail from %d, tail %v; want 30, 3, %v", f.Data, f.TailFrom, f.Tail(), 50.0/(1050+27*1000))
	}
	if _, err := FitTenure(KaplanMeier(Lifetimes{Lost: []float64{0, 5}, Censored: []float64{0, 50}}), 12); err == nil {
		t.Error("one period fitted a hazard by tenure")
	}
}

// tenureScenario is a known book whose churn no rate or sBG can follow:
// monthly hazard, a three-month lock-in, then falling from 8 % to 2 %.
const tenureScenario = `
name: tenure round trip
start: 2022-01
horizon_months: 36
trials: 1
seed: 7
segments:
  - name: smb
    accounts: 500
    acv: 6k
    contract: {term_months: 1}
    churn: {by_tenure: {periods: [0, 0, 0, 8%, 6%, 4%, 3%, 2%]}, timing: hazard}
    touch: digital
acquisition:
  smb: {per_month: 150, acv: 5k}
`

// A history simulated from a hazard by tenure calibrates back to it: AIC
// chooses the hazard by tenure, the lock-in months are 0 exactly, the
// other periods of the data agree with the truth by a chi-square on their
// binomial standard errors, the rule past the data gives the last value,
// and the written scenario (a table over several lines) validates and
// runs.
func TestTenureRoundTrip(t *testing.T) {
	c := calibrated(t, tenureScenario, 3)
	ch := c.Segments[0].Churn
	if ch.Term != 1 || ch.Chosen != ModelTenure {
		t.Fatalf("term %d, chose %s (%s)", ch.Term, ch.Chosen, aicNote(ch))
	}
	truth := []float64{0, 0, 0, 0.08, 0.06, 0.04, 0.03, 0.02}
	at := func(k int) float64 { return truth[min(k, len(truth))-1] }
	f := ch.Tenure
	chi, df := 0.0, 0
	for k := 1; k <= f.Data; k++ {
		p, q := f.Periods[k-1], at(k)
		if q == 0 {
			if p != 0 {
				t.Errorf("period %d of the lock-in: %v, want 0", k, p)
			}
			continue
		}
		se := math.Sqrt(q * (1 - q) / ch.KM[k].AtRisk)
		chi += (p - q) * (p - q) / (se * se)
		df++
	}
	t.Logf("%d periods of data; chi-square %.1f on %d df (critical %.1f); tail %.4f", f.Data, chi, df, stattest.ChiSquareCrit(df), f.Tail())
	if chi > stattest.ChiSquareCrit(df) {
		t.Errorf("the fitted table is off the truth: chi-square %.1f on %d df", chi, df)
	}
	tailSE := math.Sqrt(0.02 * 0.98 / tailAtRisk(ch.KM, f))
	stattest.CheckZ(t, "tail", f.Tail(), 0.02, tailSE)

	y := runsCalibrated(t, c)
	if !strings.Contains(string(y), "by_tenure:") || strings.Count(string(y), "%,\n") == 0 {
		t.Errorf("the scenario does not write the table over several lines:\n%s", y)
	}
}

// tailAtRisk is the accounts at risk over the periods the tail pools.
func tailAtRisk(km []KMPoint, f *TenureFit) float64 {
	n := 0.0
	for k := f.TailFrom; k <= f.Data; k++ {
		n += km[k].AtRisk
	}
	return n
}
