package calibrate

import (
	"math"
	"os"
	"testing"
)

// Reference case F1 (Fader and Hardie 2007, "How to Project Customer
// Retention", the "regular" segment; ../shared/reference/README.md): the
// sBG fit on years 1..7 gives α = 0.704, β = 1.182, log-likelihood
// −1680.27, and projects 220.1, 204.4, 191.2, 179.9, 170.0 survivors at the
// start of years 8..12.
func TestF1(t *testing.T) {
	f, err := os.Open("../../testdata/fader-hardie-regular.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := ReadCohort(f, "fader-hardie-regular.csv")
	if err != nil {
		t.Fatal(err)
	}
	fit, err := FitSBG(CohortLifetimes(c).Truncate(7))
	if err != nil {
		t.Fatal(err)
	}
	round3 := func(v float64) float64 { return math.Round(v*1000) / 1000 }
	if round3(fit.Alpha.Value) != 0.704 || round3(fit.Beta.Value) != 1.182 {
		t.Errorf("α, β = %.5f, %.5f; want 0.704, 1.182", fit.Alpha.Value, fit.Beta.Value)
	}
	if math.Abs(fit.LogLik-(-1680.27)) > 0.005 {
		t.Errorf("log-likelihood %.4f, want −1680.27", fit.LogLik)
	}
	for i, want := range []float64{220.1, 204.4, 191.2, 179.9, 170.0} {
		if got := 1000 * fit.Survival(8+i); math.Abs(got-want) > 0.05 {
			t.Errorf("year %d: %.2f survivors, want %.1f", 8+i, got, want)
		}
	}
	if !(fit.Alpha.SE > 0 && fit.Alpha.SE < 0.2 && fit.Beta.SE > 0 && fit.Beta.SE < 0.4) {
		t.Errorf("standard errors α %.4f, β %.4f", fit.Alpha.SE, fit.Beta.SE)
	}
	t.Logf("α %.4f ± %.4f, β %.4f ± %.4f, corr %.3f, LL %.3f", fit.Alpha.Value, fit.Alpha.SE, fit.Beta.Value, fit.Beta.SE, fit.Corr, fit.LogLik)
	cf := FitConst(CohortLifetimes(c).Truncate(7))
	if cf.AIC <= fit.AIC {
		t.Errorf("constant rate AIC %.2f should lose to sBG %.2f on F1", cf.AIC, fit.AIC)
	}
}
