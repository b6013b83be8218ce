package sim

import (
	"context"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// Reusing a segment simulated for an earlier option of the trial gives the
// bytes simulating it again gives: options that change one segment, the
// team (short of hours: the served book runs month by month), second-order
// effects, and inputs given as distributions.
func TestSegmentReuseChangesNothing(t *testing.T) {
	base := acmeLike()
	upsell := acmeLike()
	upsell.Segments[0].Upsell.Cadence = Monthly
	smbChurn := acmeLike()
	smbChurn.Segments[1].Churn.SBG = &SBG{Alpha: fixed(0.8), Beta: fixed(12)}
	so := secondOrderModel()
	so2 := secondOrderModel()
	so2.Segments[0].PriceIncrease = fixed(0.07)
	short := withTeam(27)
	short.Horizon = base.Horizon
	shorter := withTeam(20)
	shorter.Horizon = base.Horizon
	acv, _ := dist.NewLogNormalMedianP90(50000, 120000)
	sameACV := acmeLike()
	sameACV.Segments[0].ACV = acv // equal content, another object
	for _, opts := range [][]Option{
		{{Name: "Baseline", Model: base}, {Name: "upsell", Model: upsell}, {Name: "smb", Model: smbChurn}, {Name: "same", Model: sameACV}, {Name: "again", Model: base}},
		{{Name: "Baseline", Model: so}, {Name: "price", Model: so2}},
		{{Name: "Baseline", Model: short}, {Name: "shorter", Model: shorter}},
	} {
		run := func() []byte {
			r, err := Run(context.Background(), opts, Settings{Trials: 64, Seed: 11}, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := results.Marshal(r)
			return b
		}
		with := run()
		noReuse = true
		without := run()
		noReuse = false
		if string(with) != string(without) {
			t.Errorf("%s: results differ with segment reuse", opts[1].Name)
		}
	}
}

// Segments of equal content share a key; a changed input changes it; and
// an option that leaves a segment alone reuses it.
func TestSegmentKey(t *testing.T) {
	key := func(m *Model, i int) segKey {
		w := newWorker(1, 36)
		d := drawer{trial: w.trial, st: w.assume}
		segs := resolve(m, &d, nil)
		return w.segKey(&segs[i])
	}
	a, b := acmeLike(), acmeLike()
	b.Segments[0].ACV, _ = dist.NewLogNormalMedianP90(50000, 120000)
	if key(&a, 0) != key(&b, 0) {
		t.Error("equal segments have different keys")
	}
	b.Segments[0].ACV, _ = dist.NewLogNormalMedianP90(50000, 120001)
	if key(&a, 0) == key(&b, 0) {
		t.Error("another ACV distribution has the same key")
	}
	b.Segments[1].Upsell.Probability = fixed(0.021)
	if key(&a, 1) == key(&b, 1) {
		t.Error("another upsell probability has the same key")
	}

	w := newWorker(1, 36)
	upsell := acmeLike()
	upsell.Segments[0].Upsell.Cadence = Monthly
	w.runTrial(&a, 3)
	w.runTrial(&upsell, 3)
	if w.reuse.hits != 1 {
		t.Errorf("%d segments reused, want 1 (smb)", w.reuse.hits)
	}
	w.runTrial(&a, 4)
	if w.reuse.hits != 1 {
		t.Errorf("a segment of another trial was reused")
	}
}
