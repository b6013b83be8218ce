package sim

import (
	"context"
	"reflect"
	"testing"
	"unsafe"

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
	// A team that runs short after month 1 (the independent pass runs,
	// then the served book again month by month) beside a digital segment.
	later, later35 := withDigital(withTeam(36)), withDigital(withTeam(35))
	later.Horizon, later35.Horizon = 36, 36
	// Options that change only the digital segment or the CSMs' cost keep
	// the served book.
	digital, cost := withDigital(withTeam(36)), withDigital(withTeam(36))
	digital.Horizon, cost.Horizon = 36, 36
	digital.Segments[2].Upsell.Probability = fixed(0.05)
	cost.Team.LoadedCost = fixed(190000)
	// Uncertain response curves (drawn into the worker's buffer for every
	// option) under a short team: options differing only in a curve.
	y, _ := dist.NewUniform(1.5, 2.5)
	curved := func(mid float64) Model {
		m := withTeam(20)
		m.Horizon = base.Horizon
		m.Response = Response{Churn: Curve{X: []float64{0, 0.5, 1}, Y: []float64{2, mid, 1}},
			Uncertain: []UncertainPoint{{Curve: ChurnResponse, Y: Assumption{"coverage_response.churn[0]", y}}}}
		return m
	}
	for _, opts := range [][]Option{
		{{Name: "Baseline", Model: curved(1.4)}, {Name: "milder", Model: curved(1.1)}, {Name: "again", Model: curved(1.4)}},
		{{Name: "Baseline", Model: later}, {Name: "35 CSMs", Model: later35}, {Name: "digital", Model: digital}, {Name: "cost", Model: cost}},
		{{Name: "Baseline", Model: base}, {Name: "upsell", Model: upsell}, {Name: "smb", Model: smbChurn}, {Name: "same", Model: sameACV}, {Name: "again", Model: base}},
		{{Name: "Baseline", Model: so}, {Name: "price", Model: so2}},
		{{Name: "Baseline", Model: short}, {Name: "shorter", Model: shorter}},
	} {
		run := func(c checks) []byte {
			r, err := Run(context.Background(), opts, Settings{Trials: 64, Seed: 11, check: c}, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := results.Marshal(r)
			return b
		}
		with := run(checks{})
		without := run(checks{noReuse: true})
		if string(with) != string(without) {
			t.Errorf("%s: results differ with segment reuse", opts[1].Name)
		}
	}
}

// Segments of equal content share a key; a changed input changes it; and
// an option that leaves a segment alone reuses it.
func TestSegmentKey(t *testing.T) {
	key := func(m *Model, i int) segKey {
		w := newWorker(1, 36, checks{})
		d := drawer{trial: w.trial}
		segs := resolve(m, &m.Response, &d, nil)
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

	w := newWorker(1, 36, checks{})
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

// Every resolved input of a segment is in its key: perturbing any field of
// segInputs, however deep, gives another key.
func TestSegmentKeyHoldsEveryInput(t *testing.T) {
	m := acmeLike()
	w := newWorker(1, 36, checks{})
	d := drawer{trial: w.trial}
	segs := resolve(&m, &m.Response, &d, nil)
	r := &segs[0]
	base := w.segKey(r)
	var perturb func(v reflect.Value, path string)
	perturb = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				// The fields are unexported: reach them through their
				// address.
				f := v.Field(i)
				f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
				perturb(f, path+"."+v.Type().Field(i).Name)
			}
			return
		}
		old := reflect.New(v.Type()).Elem()
		old.Set(v)
		switch v.Kind() {
		case reflect.Bool:
			v.SetBool(!v.Bool())
		case reflect.Int:
			v.SetInt(v.Int() + 1)
		case reflect.Uint64:
			v.SetUint(v.Uint() + 1)
		case reflect.Float64:
			v.SetFloat(v.Float() + 0.5)
		default:
			t.Fatalf("%s: a %s field; extend the test", path, v.Kind())
		}
		if w.segKey(r) == base {
			t.Errorf("%s changed and the segment key did not", path)
		}
		v.Set(old)
	}
	perturb(reflect.ValueOf(&r.segInputs).Elem(), "segInputs")
	if w.segKey(r) != base {
		t.Fatal("the test did not restore the inputs")
	}
}

// withDigital adds a digital segment to m.
func withDigital(m Model) Model {
	d := standardModel().Segments[1]
	d.Name, d.Count = "smb", 600
	m.Segments = append(m.Segments, d)
	return m
}

// A digital segment does not depend on the team: its CLV is the same, to
// the bit, whether the team has hours to spare or runs short after month 1
// and the served book runs again month by month (its accounts were once
// counted twice then).
func TestDigitalSegmentIndependentOfTeam(t *testing.T) {
	short, spare := withDigital(withTeam(36)), withDigital(withTeam(80))
	short.Horizon, spare.Horizon = 36, 36
	short.Economics = secondOrderModel().Economics
	spare.Economics = short.Economics
	for _, reuse := range []bool{false, true} {
		w := newWorker(5, 36, checks{noReuse: !reuse})
		synced := 0
		for trial := range uint64(12) {
			var clv [2]float64
			for k, m := range []*Model{&short, &spare} {
				w.runTrial(m, trial)
				if k == 0 && w.synced {
					synced++
				}
				var series [numSeries][]float64
				for i := range series {
					series[i] = make([]float64, 37)
				}
				var metrics [numMetrics]float64
				w.summarise(&series, &metrics)
				clv[k] = w.segCLV[2]
			}
			if clv[0] == 0 {
				t.Fatal("no CLV: the test does not test")
			}
			if clv[0] != clv[1] {
				t.Errorf("reuse %v, trial %d: digital CLV %v with a short team, %v with a spare one", reuse, trial, clv[0], clv[1])
			}
		}
		if synced == 0 || (reuse && w.reuse.hits == 0) {
			t.Errorf("%d trials ran month by month, %d segments reused: the test does not test", synced, w.reuse.hits)
		}
	}
}

// An option that changes neither the served segments nor the team's hours
// reuses the served book of a trial whose team is short.
func TestServedBookReuse(t *testing.T) {
	short, digital := withDigital(withTeam(30)), withDigital(withTeam(30))
	short.Horizon, digital.Horizon = 36, 36
	digital.Segments[2].Upsell.Probability = fixed(0.05)
	w := newWorker(2, 36, checks{})
	w.runTrial(&short, 1)
	if !w.synced {
		t.Fatal("the team is not short: the test does not test")
	}
	w.runTrial(&digital, 1)
	if w.reuse.served.hits != 1 || w.reuse.hits != 0 {
		t.Errorf("%d served books and %d segments reused, want 1 and 0", w.reuse.served.hits, w.reuse.hits)
	}
	w.runTrial(&short, 2)
	if w.reuse.served.hits != 1 {
		t.Error("a served book of another trial was reused")
	}
}
