package calibrate

import (
	"bytes"
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/scenarios"
	"csplan/sim"
)

// roundTripScenario is the known book the round trip simulates: monthly
// contracts, sBG churn, monthly upsell and contraction, 150 new accounts a
// month.
const roundTripScenario = `
name: round trip
start: 2022-01
horizon_months: 36
trials: 1
seed: 7
segments:
  - name: smb
    accounts: 2000
    acv: {lognormal: {median: 6k, p90: 15k}}
    contract: {term_months: 1}
    churn: {sbg: {alpha: 0.9, beta: 12}}
    upsell: {cadence: monthly, probability: 3%, size: {lognormal: {median: 10%, p90: 30%}}}
    contraction: {cadence: monthly, probability: 1%, size: {uniform: {min: 10%, max: 30%}}}
    touch: digital
acquisition:
  smb: {per_month: 150, acv: {lognormal: {median: 5k, p90: 12k}}}
`

func simulatedHistory(t testing.TB, yaml string, seed uint64) []byte {
	t.Helper()
	s, err := scenarios.Parse("roundtrip.yaml", []byte(yaml), nil)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := sim.History(s.Options[0].Model, seed, 0)
	if err != nil {
		t.Fatal(err)
	}
	start, _ := parseMonth(s.Start.Format("2006-01"))
	var b bytes.Buffer
	WriteHistory(&b, paths, start, s.Options[0].Model.Horizon)
	return b.Bytes()
}

// A history simulated from a known scenario calibrates back to its
// parameters: each within two of its standard errors (a 95 % band; the
// seed is fixed, so the test is deterministic), and the written scenario
// validates and runs.
func TestRoundTrip(t *testing.T) {
	c := calibrated(t, roundTripScenario, 12)
	if len(c.Segments) != 1 {
		t.Fatalf("segments %d", len(c.Segments))
	}
	s := c.Segments[0]
	within := func(name string, got Estimate, want float64) {
		t.Helper()
		z := (got.Value - want) / got.SE
		t.Logf("%-22s %.5f ± %.5f (true %.5f, z %+.2f)", name, got.Value, got.SE, want, z)
		if !(math.Abs(z) <= 2) {
			t.Errorf("%s = %.5f ± %.5f, true %.5f: %.1f standard errors off", name, got.Value, got.SE, want, z)
		}
	}
	if s.Churn.Term != 1 {
		t.Errorf("term %d (%s), want 1", s.Churn.Term, s.Churn.TermNote)
	}
	if s.Churn.Chosen != "sbg" || s.Churn.SBG == nil {
		t.Fatalf("chose %s (sBG: %v %s)", s.Churn.Chosen, s.Churn.SBG, s.Churn.SBGNote)
	}
	within("sBG alpha", s.Churn.SBG.Alpha, 0.9)
	within("sBG beta", s.Churn.SBG.Beta, 12)
	within("new accounts a month", s.NewPerMonth, 150)
	within("upsell probability", s.Upsell.Probability, 0.03*(1-0.01))
	within("contraction probability", s.Contract.Probability, 0.01*(1-0.03))
	within("upsell log median", s.Upsell.Size.Mu, math.Log(0.10))
	within("new ACV log median", s.NewACV.Mu, math.Log(5000))
	within("new ACV log sd", s.NewACV.Sigma, math.Log(12.0/5)/z90)
	if s.Upsell.Cadence != "monthly" {
		t.Errorf("upsell cadence %s", s.Upsell.Cadence)
	}

	y := runsCalibrated(t, c)
	if testing.Verbose() {
		t.Logf("\n%s", y)
	}
}

// calibrated is the calibration of a history simulated from the scenario
// yaml with seed.
func calibrated(t *testing.T, yaml string, seed uint64) *Calibration {
	t.Helper()
	data := simulatedHistory(t, yaml, seed)
	h, err := ReadHistory(bytes.NewReader(data), "simulated.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Calibrate(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// runsCalibrated writes c's scenario, checks that it validates and that
// a short run ends with some ARR, and returns it.
func runsCalibrated(t *testing.T, c *Calibration) []byte {
	t.Helper()
	y := Scenario(c, ScenarioOptions{Trials: 20})
	sc, err := scenarios.Parse("calibrated.yaml", y, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	res, err := sim.Run(context.Background(), []sim.Option{{Name: "baseline", Model: sc.Options[0].Model}}, sc.Settings, nil)
	if err != nil {
		t.Fatal(err)
	}
	if arr := res.Options[0].Metrics[results.ARREnd].Mean; !(arr > 0) {
		t.Errorf("calibrated scenario ends with ARR %v", arr)
	}
	return y
}
