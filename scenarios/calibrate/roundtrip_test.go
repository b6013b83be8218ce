package calibrate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"testing"

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

// writeHistory writes simulated account paths as a history CSV: simulation
// month m is calendar month start + m − 1 (month 0, the opening book, is
// the month before start); an account has a row each month it pays.
func writeHistory(w io.Writer, paths []sim.AccountPath, start Month, horizon int) {
	fmt.Fprintln(w, "account_id,month,mrr,segment")
	for i, p := range paths {
		k := 0
		for m := p.Join; m <= horizon; m++ {
			for k+1 < len(p.Months) && p.Months[k+1] <= m {
				k++
			}
			if p.MRR[k] == 0 {
				break
			}
			fmt.Fprintf(w, "a%d,%s,%.4f,%s\n", i, start+Month(m)-1, p.MRR[k], p.Segment)
		}
	}
}

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
	writeHistory(&b, paths, start, s.Options[0].Model.Horizon)
	return b.Bytes()
}

// A history simulated from a known scenario calibrates back to its
// parameters: each within two of its standard errors (a 95 % band; the
// seed is fixed, so the test is deterministic), and the written scenario
// validates and runs.
func TestRoundTrip(t *testing.T) {
	data := simulatedHistory(t, roundTripScenario, 12)
	h, err := ReadHistory(bytes.NewReader(data), "roundtrip.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Calibrate(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
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

	y := Scenario(c, ScenarioOptions{Trials: 50})
	sc, err := scenarios.Parse("calibrated.yaml", y, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	opts := []sim.Option{{Name: "baseline", Model: sc.Options[0].Model}}
	res, err := sim.Run(context.Background(), opts, sc.Settings, nil)
	if err != nil {
		t.Fatal(err)
	}
	if arr := res.Options[0].Metrics["arr_end"].Mean; !(arr > 0) {
		t.Errorf("calibrated scenario ends with ARR %v", arr)
	}
	if testing.Verbose() {
		t.Logf("\n%s", y)
	}
}
