package report

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"csplan/results"
)

// optimizeAnswer is an optimization of CSMs and a cadence under a budget
// and a chance constraint: the best plan, today's, and one the budget
// rules out.
func optimizeAnswer() *results.Optimize {
	o := &results.Optimize{Scenario: "Acme", Currency: "USD", Seed: 1, Trials: 2000, Confidence: 0.95,
		Objective: results.OptObjective{Metric: results.ContributionTotal, Label: "Contribution, total", Maximize: true, Statistic: "mean"},
		Variables: []results.OptVariable{{Path: "team.csms", Label: "CSMs", Values: []string{"12", "13"}, Names: []string{"12", "13"}},
			{Path: "segments.enterprise.upsell", Label: "enterprise upsell", Values: []string{"{cadence: annual}", "{cadence: quarterly}"}, Names: []string{"annual", "quarterly"}}},
		Constraints: []results.OptConstraint{{Kind: "budget", Metric: results.CSCostTotal, AtMost: true, Bound: 2e6},
			{Kind: "chance", Metric: results.GRR12m, Bound: 0.8, Probability: 0.6}},
		Candidates: []results.OptCandidate{
			{Values: []string{"12", "{cadence: annual}"}, Objective: 71.5e6, CSCost: 5.75e6, Feasible: true, Misses: -1, Today: true, Round: 2},
			{Values: []string{"12", "{cadence: quarterly}"}, Objective: 72e6, CSCost: 5.75e6, Feasible: true, Misses: -1, Round: 2},
			{Values: []string{"13", "{cadence: quarterly}"}, Objective: 72.3e6, CSCost: 6.25e6, Misses: 0, Round: -1},
		},
		Rounds: []results.OptRound{{Trials: 250, Candidates: 1, Kept: 1}, {Trials: 2000, Candidates: 1, Kept: 1}},
		Finalists: []results.OptFinalist{
			{Candidate: 1, Values: []string{"12", "{cadence: quarterly}"}, Objective: results.Interval{Value: 72.3e6, Lo: 72.1e6, Hi: 72.5e6}, CSCost: 5.77e6, Feasible: true,
				Checks: []results.OptCheck{{Value: 1.93e6, Bound: 2e6, Holds: true, Year: "FY2027"}, {Value: 0.629, Bound: 0.61, Holds: true}}},
			{Candidate: 0, Values: []string{"12", "{cadence: annual}"}, Objective: results.Interval{Value: 71.8e6, Lo: 71.6e6, Hi: 72e6}, CSCost: 5.77e6, Feasible: true, Today: true,
				Checks: []results.OptCheck{{Value: 1.93e6, Bound: 2e6, Holds: true, Year: "FY2027"}, {Value: 0.623, Bound: 0.605, Holds: true}}},
		},
		Best: 0, Today: 1, RunnerUp: 1, Closest: -1,
		Versus:  map[string]results.OptVs{"today": {Values: []string{"12", "{cadence: annual}"}, MeanDiff: results.Interval{Value: 511e3, Lo: 499e3, Hi: 523e3}, PBetter: 0.997}},
		Binding: []results.OptBinding{{Constraint: 0, Step: 95.9e3, Gain: 367e3, Values: []string{"13", "{cadence: quarterly}"}, Finalist: -1}},
		Option:  "- name: Optimized plan\n",
	}
	return o
}

// The answer says what to do, how sure, against today, and what binds,
// with the named alternatives' names; the files are written.
func TestOptimizeAnswer(t *testing.T) {
	o := optimizeAnswer()
	var b bytes.Buffer
	if err := OptimizeText(&b, o); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{
		"Best: CSMs 12, enterprise upsell quarterly, with mean contribution $72.3M (95 % interval $72.1M to $72.5M).",
		"Against today's plan (CSMs 12, enterprise upsell annual): +$511k contribution on average",
		"The budget binds: $95.9k more a year ($2.1M) would buy $367k more contribution on the expected path, with CSMs 13, enterprise upsell quarterly.",
		"GRR, last 12 months at least 80.0% in at least 60.0% of trials",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the answer lacks %q:\n%s", want, b.String())
		}
	}
	dir := t.TempDir()
	if err := WriteOptimize(dir, o); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"optimize.csv", "optimize-frontier.png", "optimize-frontier.svg", "optimized-option.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	if title := frontierTitle(o); title != "Best: CSMs 12, enterprise upsell quarterly, +$511k contribution against today on average" {
		t.Errorf("title %q", title)
	}
}

// With no plan feasible, the answer says so and how close the closest
// comes, and no option is written.
func TestOptimizeInfeasible(t *testing.T) {
	o := optimizeAnswer()
	o.Best, o.RunnerUp, o.Closest, o.Option, o.Versus, o.Binding = -1, -1, 0, "", nil, nil
	for k := range o.Finalists {
		o.Finalists[k].Feasible = false
		o.Finalists[k].Checks[1] = results.OptCheck{Value: 0.58, Bound: 0.56}
	}
	var b bytes.Buffer
	if err := OptimizeText(&b, o); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(b.String()), " ")
	if !strings.Contains(text, "Infeasible: no plan meets every constraint. The closest, CSMs 12, enterprise upsell quarterly, has GRR, last 12 months at least 80.0% in 58.0% of trials") {
		t.Errorf("the answer does not say how close the closest comes:\n%s", b.String())
	}
	dir := t.TempDir()
	if err := WriteOptimize(dir, o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "optimized-option.yaml")); err == nil {
		t.Error("an option was written with no feasible plan")
	}
	if frontierTitle(o) != "No plan meets every constraint" {
		t.Errorf("title %q", frontierTitle(o))
	}
}

// With one variable and few plans, the frontier writes each plan's value
// beside its dot and says what the labels are; with two, it does not.
func TestFrontierLabelsOneVariable(t *testing.T) {
	o := optimizeAnswer()
	o.Variables = o.Variables[:1]
	for i := range o.Candidates {
		o.Candidates[i].Values = []string{[]string{"11", "12", "13"}[i]}
	}
	for i := range o.Finalists {
		o.Finalists[i].Values = o.Finalists[i].Values[:1]
	}
	dir := t.TempDir()
	if err := WriteOptimize(dir, o); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "optimize-frontier.svg"))
	if err != nil {
		t.Fatal(err)
	}
	texts := svgText(t, svg)
	for _, want := range []string{"11", "12", "13"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no label %q on the frontier: %q", want, texts)
		}
	}
	if !strings.Contains(strings.Join(texts, " "), "(labelled by CSMs)") {
		t.Errorf("the subtitle does not say what the labels are: %q", texts)
	}
	if two := optimizeAnswer(); labelledBy(two) != "" {
		t.Errorf("two variables labelled: %q", labelledBy(two))
	}
}
