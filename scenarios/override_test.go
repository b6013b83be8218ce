package scenarios

import (
	"errors"
	"strings"
	"testing"

	"csplan/sim"
)

// overrideBase is a scenario with a headcount plan, starting 2027-01.
const overrideBase = `name: Base
start: 2027-01
horizon_months: 24
segments:
  - name: smb
    accounts: 100
    acv: 12k
team:
  csms: 6
  plan:
    - {from: 2027-03, csms: 8}
    - {from: 12, csms: 10}
`

func parseOverrideBase(t *testing.T, text string) *Scenario {
	t.Helper()
	s, err := Parse("base.yaml", []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The step of a plan from a month is changed when the plan has one from
// that month, written as YYYY-MM or as a month number, and added in time
// order when it has none; the other steps stay.
func TestOverridePlanStep(t *testing.T) {
	s := parseOverrideBase(t, overrideBase)
	for _, tc := range []struct {
		path, value string
		want        []sim.Step
	}{
		{"team.plan[2027-03].csms", "5", []sim.Step{{Month: 3, CSMs: 5}, {Month: 12, CSMs: 10}}},
		{"team.plan[3].csms", "7", []sim.Step{{Month: 3, CSMs: 7}, {Month: 12, CSMs: 10}}},
		{"team.plan[2027-12].csms", "11", []sim.Step{{Month: 3, CSMs: 8}, {Month: 12, CSMs: 11}}},
		{"team.plan[2027-06].csms", "9", []sim.Step{{Month: 3, CSMs: 8}, {Month: 6, CSMs: 9}, {Month: 12, CSMs: 10}}},
		{"team.plan[2].csms", "4", []sim.Step{{Month: 2, CSMs: 4}, {Month: 3, CSMs: 8}, {Month: 12, CSMs: 10}}},
		{"team.plan[2028-06].csms", "1", []sim.Step{{Month: 3, CSMs: 8}, {Month: 12, CSMs: 10}, {Month: 18, CSMs: 1}}},
	} {
		m, err := s.Override(map[string]string{tc.path: tc.value})
		if err != nil {
			t.Errorf("%s=%s: %v", tc.path, tc.value, err)
			continue
		}
		if got := m.Team.Plan; !equalSteps(got, tc.want) {
			t.Errorf("%s=%s: plan %v, want %v", tc.path, tc.value, got, tc.want)
		}
	}
	// A scenario without a plan gets one of one step.
	s = parseOverrideBase(t, strings.SplitAfter(overrideBase, "csms: 6\n")[0])
	m, err := s.Override(map[string]string{"team.plan[2027-04].csms": "9"})
	if err != nil || !equalSteps(m.Team.Plan, []sim.Step{{Month: 4, CSMs: 9}}) {
		t.Errorf("a plan added: %v, %v", m.Team.Plan, err)
	}
}

func equalSteps(a, b []sim.Step) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Month != b[i].Month || a[i].CSMs != b[i].CSMs {
			return false
		}
	}
	return true
}

// A list-valued field takes a flow-style YAML value whole: its commas do
// not split it.
func TestOverrideFlowValue(t *testing.T) {
	s := parseOverrideBase(t, overrideBase)
	m, err := s.Override(map[string]string{"team.plan": "[{from: 2027-04, csms: 9}, {from: 2027-09, csms: 3}]"})
	if err != nil || !equalSteps(m.Team.Plan, []sim.Step{{Month: 4, CSMs: 9}, {Month: 9, CSMs: 3}}) {
		t.Errorf("team.plan as flow YAML: %v, %v", m.Team.Plan, err)
	}
	m, err = s.Override(map[string]string{"team": "{csms: 2}"})
	if err != nil || m.Team.CSMs != 2 || len(m.Team.Plan) != 0 {
		t.Errorf("team as a flow mapping: %+v, %v", m.Team, err)
	}
}

// Bad plan steps and flow values get a clear error that names --set.
func TestOverrideStepErrors(t *testing.T) {
	s := parseOverrideBase(t, overrideBase)
	for path, c := range map[string]struct{ value, want string }{
		"team.plan[2027-13].csms":   {"5", "base.yaml with --set: team.plan[2027-13].csms: team.plan[2027-13]: expected the step's month as YYYY-MM (e.g. 2027-04) or a month number from 1"},
		"team.plan[march].csms":     {"5", "base.yaml with --set: team.plan[march].csms: team.plan[march]: expected the step's month as YYYY-MM"},
		"team.plan[2027-03]":        {"5", "base.yaml with --set: team.plan[2027-03]: a step of team.plan sets its headcount, team.plan[2027-03].csms (its month is the one in brackets)"},
		"team.plan[2027-03].from":   {"5", "base.yaml with --set: team.plan[2027-03].from: a step of team.plan sets its headcount"},
		"team.csms[2]":              {"5", "base.yaml with --set: team.csms[2]: unknown path: only the step of a headcount plan takes brackets"},
		"team.plan[2027-01].csms":   {"5", "base.yaml with --set: team.plan[0].from: 2027-01 is not after the start (2027-01)"},
		"team.plan[2030-01].csms":   {"5", "base.yaml with --set: team.plan[2].from: 2030-01 is after the last simulated month"},
		"team.plan[2027-05].csms":   {"-2", "base.yaml with --set: team.plan[1].csms: expected a whole number from 0 to 100,000"},
		"team.plan":                 {"[{from: 2027-04, csms: 9}", "base.yaml with --set: team.plan: [{from: 2027-04, csms: 9} is not a YAML list or mapping in flow style"},
		"segments.smb.plan[3].csms": {"5", "base.yaml with --set: segments.smb.plan[3].csms: unknown path"},
	} {
		_, err := s.Override(map[string]string{path: c.value})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("--set %s=%s: %v\nwant %s", path, c.value, err, c.want)
		}
	}
}

// FuzzOverridePlanStep feeds a plan step's month and headcount, and a
// flow-style plan, to Override: it never panics, its errors are Errors,
// and a plan it accepts is in time order within the horizon.
func FuzzOverridePlanStep(f *testing.F) {
	s, err := Parse("base.yaml", []byte(overrideBase), nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][3]string{
		{"2027-03", "5", ""}, {"3", "7", ""}, {"2027-06", "9", ""}, {"2027-13", "1", ""}, {"0", "1", ""}, {"march", "x", ""},
		{"2", "4", "[{from: 2027-04, csms: 9}]"}, {"5", "1", "[{from: 5, csms: 2}, {from: 4, csms: 1}]"}, {"9999-01", "1", "{a: [}"},
		{"2027-06", "[1, 2]", "[&a {from: 3, csms: 1}, *a]"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, month, csms, plan string) {
		set := map[string]string{"team.plan[" + month + "].csms": csms}
		if plan != "" {
			set["team.plan"] = plan
		}
		m, err := s.Override(set)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("Override returned %T %v, want a non-empty Errors", err, err)
			}
			return
		}
		for i, st := range m.Team.Plan {
			if st.Month < 2 || st.Month > m.Horizon || (i > 0 && st.Month <= m.Team.Plan[i-1].Month) {
				t.Fatalf("accepted plan %v", m.Team.Plan)
			}
		}
	})
}

// Value is the baseline's value at a path, and the headcount in effect at
// a plan step's month.
func TestValue(t *testing.T) {
	s := parseOverrideBase(t, overrideBase)
	for path, want := range map[string]string{
		"team.csms": "6", "segments.smb.accounts": "100", "segments.smb.acv": "12k",
		"team.plan[2].csms": "6", "team.plan[2027-03].csms": "8", "team.plan[2027-06].csms": "8", "team.plan[12].csms": "10",
		"team.plan": "", "team.attrition": "", "segments.nope.accounts": "", "team.plan[x].csms": "",
	} {
		if got, ok := s.Value(path); got != want || ok != (want != "") {
			t.Errorf("Value(%s) = %q, %v, want %q", path, got, ok, want)
		}
	}
}
