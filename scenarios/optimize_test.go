package scenarios

import (
	"slices"
	"strings"
	"testing"
)

const optimizeScenario = `
name: o
start: 2027-01
segments:
  - name: smb
    accounts: 100
    acv: 12k
    touch:
      monthly_meeting: {per_year: 12, hours: 1}
    upsell: {cadence: annual, probability: 20%, size: 10%}
team:
  csms: 2
  productivity: 70%
  plan: [{from: 2027-07, csms: 3}]
`

// A value written in two forms is one value (10 and 1e1, 70% and 0.7, a
// mapping in either style); the baseline's value is recognised in any form.
func TestOptimizeValues(t *testing.T) {
	s, err := Parse("o.yaml", []byte(optimizeScenario), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		vals []string
		want string
	}{
		{"team.csms", []string{"10", "11", "1e1"}, "values 10 and 1e1 are the same value"},
		{"team.productivity", []string{"50%", "0.5"}, "values 50% and 0.5 are the same value"},
		{"team.csms", []string{"4", "5"}, ""},
	} {
		got := s.CheckVariable(&Variable{Path: c.path, Values: c.vals})
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s %v: %q, want %q", c.path, c.vals, got, c.want)
		}
	}
	for _, c := range []struct {
		path, value string
		same        bool
	}{
		{"team.productivity", "0.7", true},
		{"team.productivity", "70.0%", true},
		{"team.productivity", "0.71", false},
		{"segments.smb.upsell", "{cadence: annual, probability: 0.2, size: 10%}", true},
		{"segments.smb.upsell", "{cadence: quarterly, probability: 20%, size: 10%}", false},
	} {
		if got := s.SameValue(c.path, c.value); got != c.same {
			t.Errorf("SameValue(%s, %s) = %v", c.path, c.value, got)
		}
	}
}

// OptionSet turns plan steps into the whole plan an option sets, the
// baseline's steps kept; other paths stay as given.
func TestOptionSet(t *testing.T) {
	s, err := Parse("o.yaml", []byte(optimizeScenario), nil)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"team.plan[2027-04].csms", "segments.smb.upsell.cadence", "team.plan[2027-07].csms"}
	gotPaths, gotVals, err := OptionSet(s.Start, s.Plans(paths), paths, []string{"4", "quarterly", "5"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotPaths, []string{"team.plan", "segments.smb.upsell.cadence"}) ||
		!slices.Equal(gotVals, []string{"[{from: 2027-04, csms: 4}, {from: 2027-07, csms: 5}]", "quarterly"}) {
		t.Errorf("OptionSet = %v %v", gotPaths, gotVals)
	}
	// The set parses as an option of the scenario.
	opt := "options:\n  - name: x\n    set: {team.plan: " + gotVals[0] + ", segments.smb.upsell.cadence: quarterly}\n"
	if _, err := Parse("o.yaml", []byte(optimizeScenario+opt), nil); err != nil {
		t.Error(err)
	}
}
