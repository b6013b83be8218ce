package scenarios

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// Inputs are named in words: a segment's before the label, a pool's after
// it, a curve's point by its coverage or load, with the unit the field's
// kind or the written value gives.
func TestInputLabels(t *testing.T) {
	s, err := Load(filepath.Join("examples", "cut-csms.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, written, label, unit string }{
		{"coverage_response.churn[0]", "", "churn multiplier at no coverage", "x"},
		{"coverage_response.churn[1]", "", "churn multiplier at 100% coverage", "x"},
		{"team.attrition_load[1]", "", "attrition multiplier at 150% load", "x"},
		{"coverage_response.upsell", "", "upsell multiplier by coverage", "x"},
		{"team.pools.mid-market.handoff.churn", "", "hand-off churn multiplier (mid-market pool)", "x"},
		{"team.pools.mid-market.loaded_cost", "$160,000", "CSM loaded cost (mid-market pool)", "money"},
		{"team.csms", "12", "CSMs", ""},
		{"team.plan[0]", "", "headcount change 1", ""},
		{"segments.mid-market.churn.annual", "beta(mean 12%, sd 3%)", "mid-market annual churn", "%"},
		{"segments.mid-market.upsell.probability", "", "mid-market upsell probability", "%"},
		{"segments.mid-market.touch.per_opportunity.upsell", "", "mid-market CSM hours per upsell opportunity", "h"},
		{"segments.mid-market.touch.qbr.hours", "", "mid-market qbr hours a meeting", "h"},
		{"acquisition.mid-market.per_month", "", "mid-market new logos a month", ""},
		{"economics.operating_cost.ratio", "30%", "operating cost ratio", "%"},
		{"valuation.multiple.base", "6", "base ARR multiple", ""},
		{"no.such.input", "", "no.such.input", ""},
		{"segments.mid-market.churn.annual.more", "", "segments.mid-market.churn.annual.more", ""},
	} {
		if label, unit := s.InputLabel(c.path, c.written); label != c.label || unit != c.unit {
			t.Errorf("%s: %q (%s), want %q (%s)", c.path, label, unit, c.label, c.unit)
		}
	}
}

// Every input an example lists has a label from the table, not its path:
// an input added to the format without a label tag fails here.
func TestEveryListedInputHasALabel(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("examples", "*.yaml"))
	if len(paths) < 5 {
		t.Fatalf("only %d examples", len(paths))
	}
	for _, p := range paths {
		s, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range s.Assumptions() {
			if _, ok := labelOf(a.Path); !ok {
				t.Errorf("%s: %s has no label", filepath.Base(p), a.Path)
			}
			if a.Label == "" || a.Label == a.Path {
				t.Errorf("%s: %s is listed without a label (%q)", filepath.Base(p), a.Path, a.Label)
			}
		}
	}
}

// Every field of the format that holds an input has a label tag: the
// walk covers fields no example writes.
func TestEveryFieldHasALabel(t *testing.T) {
	notInputs := map[string]bool{"name": true, "description": true, "question": true, "currency": true, "trials": true,
		"seed": true, "mode": true, "net_rate": true, "sampling": true, "options": true, "set": true, "between": true, "rank": true}
	seen := map[reflect.Type]bool{}
	var walk func(typ reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || notInputs[name] {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			leaf := ft.Kind() != reflect.Struct || ft == reflect.TypeFor[Param]() || ft == reflect.TypeFor[CurveSpec]() ||
				ft == reflect.TypeFor[MonthRef]() || ft == reflect.TypeFor[RenewalSpec]() || ft == reflect.TypeFor[TouchSpec]()
			if leaf && f.Tag.Get("label") == "" {
				t.Errorf("%s.%s (%s) has no label tag", path, name, typ.Name())
			}
			walk(f.Type, path+"."+name)
		}
	}
	walk(reflect.TypeFor[File](), "")
	// A touch model decodes itself: its meetings and hours per opportunity
	// have no field path of their own.
	walk(reflect.TypeFor[OpportunitySpec](), "touch.per_opportunity")
	walk(reflect.TypeFor[MeetingSpec](), "touch.MEETING")
	if !seen[reflect.TypeFor[SecondOrderSpec]()] || !seen[reflect.TypeFor[HandoffSpec]()] {
		t.Error("the walk did not reach every part of the format")
	}
}
