package calibrate

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"csplan/scenarios"
)

// twoYearBook has two-year contracts: accounts leave only at a 24-month
// renewal, 36 % of them each time (20 % a year).
const twoYearBook = `
name: two-year
start: 2020-01
horizon_months: 72
trials: 1
segments:
  - name: ent
    accounts: 0
    contract: {term_months: 24}
    churn: {annual: 20%%, timing: renewal}
acquisition:
  ent: {per_month: %d, acv: 50k}
`

// A book of two-year contracts calibrates to a 24-month term, its rate
// written a year and recovered within two standard errors, and the
// scenario validates.
func TestTwoYearTerm(t *testing.T) {
	c := calibrated(t, fmt.Sprintf(twoYearBook, 40), 9)
	ch := c.Segments[0].Churn
	if ch.Term != 24 {
		t.Fatalf("term %d (%s), want 24", ch.Term, ch.TermNote)
	}
	p := ch.Const.P
	if z := (p.Value - 0.36) / p.SE; math.Abs(z) > 2 {
		t.Errorf("churn a 24-month period %.4f ± %.4f, true 0.36 (z %.1f)", p.Value, p.SE, z)
	}
	y := Scenario(c, ScenarioOptions{Trials: 10})
	if _, err := scenarios.Parse("two.yaml", y, nil); err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	if !bytes.Contains(y, []byte("term_months: 24")) || !bytes.Contains(y, []byte("applies at each 24-month renewal")) {
		t.Errorf("the scenario does not carry the term:\n%s", y)
	}
}

// A rate of a term's periods is written a year, its standard error
// carried by the delta method.
func TestYearly(t *testing.T) {
	got := yearly(Estimate{0.36, 0.02}, 24)
	want := Estimate{1 - math.Sqrt(0.64), 0.02 * 0.5 / math.Sqrt(0.64)}
	if math.Abs(got.Value-want.Value) > 1e-12 || math.Abs(got.SE-want.SE) > 1e-12 {
		t.Errorf("yearly = %+v, want %+v", got, want)
	}
	if got := yearly(Estimate{0.1, 0.01}, 12); got != (Estimate{0.1, 0.01}) {
		t.Errorf("an annual rate changed: %+v", got)
	}
}

// A hazard that rises with tenure (lost at the third renewal far more
// than at the first) leaves the constant rate and sBG outside
// Kaplan-Meier's band; the hazard by tenure follows it, is chosen by AIC,
// and so no warning is given; had a model outside the band been chosen, the
// fit would warn. A constant rate's history does not.
func TestGapToKaplanMeier(t *testing.T) {
	var life Lifetimes // 1,000 accounts: 10 % leave at year 1, 20 % of the rest at 2, 60 % at 3
	add := func(n int, f func()) {
		for range n {
			f()
		}
	}
	add(100, func() { life.addLost(1) })
	add(180, func() { life.addLost(2) })
	add(432, func() { life.addLost(3) })
	add(288, func() { life.addCensored(3) })
	ch := ChurnFit{Term: 12, Life: life}
	ch.fit()
	if ch.Chosen != ModelTenure || ch.Tenure == nil {
		t.Fatalf("a rising hazard: chose %s (AIC constant %.1f, tenure %+v)", ch.Chosen, ch.Const.AIC, ch.Tenure)
	}
	if g := ch.ChosenGap(); g.Outside || g.Max > 1e-12 {
		t.Errorf("the hazard by tenure is Kaplan-Meier over the data: gap %+v", g)
	}
	if w := gapWarning("ent", ch); w != "" {
		t.Errorf("warning %q for a model that fits", w)
	}
	gaps := map[string]KMGap{ModelConstant: ch.ConstGap}
	if ch.SBG != nil { // sBG cannot bend upwards, and may run off to the constant rate
		gaps[ModelSBG] = ch.SBGGap
	}
	for m, g := range gaps {
		if !g.Outside || g.Max < 0.1 {
			t.Errorf("a rising hazard, %s: gap %+v", m, g)
		}
	}
	ch.Chosen = ModelConstant
	if w := gapWarning("ent", ch); !strings.Contains(w, "segment ent: the chosen constant rate") || !strings.Contains(w, "Kaplan-Meier keeps") {
		t.Errorf("warning %q", w)
	}

	flat := Lifetimes{}
	for t, n := range []int{0, 100, 90, 81, 73} { // 10 % a year of those left
		for range n {
			flat.addLost(t)
		}
	}
	for range 656 {
		flat.addCensored(4)
	}
	ch = ChurnFit{Term: 12, Life: flat}
	ch.fit()
	if ch.Chosen != ModelConstant || ch.ConstGap.Outside || gapWarning("smb", ch) != "" {
		t.Errorf("a constant rate: chose %s, gap %+v", ch.Chosen, ch.ConstGap)
	}
}
