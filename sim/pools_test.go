package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
)

// Pools are teams of their own: a model whose two segments are served by
// two pools gives, trial by trial, the sum of two models that each hold
// one segment and its pool's team (no attrition, so the teams draw
// nothing; every other draw is named by its segment). Checked with teams
// short of hours (lockstep), with one short and one with hours to spare,
// and in expected mode.
func TestPoolsAreTeamsOfTheirOwn(t *testing.T) {
	single := func(seg int, csms int) Model {
		m := withTeam(csms)
		m.Horizon = 24
		m.Team.Attrition = fixed(0)
		m.Segments = m.Segments[seg : seg+1]
		return m
	}
	pooled := func(csmsA, csmsB int) Model {
		m := withTeam(0)
		m.Horizon = 24
		a, b := m.Team, m.Team
		a.CSMs, b.CSMs = csmsA, csmsB
		a.Attrition, b.Attrition = fixed(0), fixed(0)
		m.Pools = []Pool{{Name: "ent", Segments: []int{0}, Team: a}, {Name: "mm", Segments: []int{1}, Team: b}}
		m.Team = Team{}
		return m
	}
	for _, c := range []struct {
		name   string
		a, b   int
		mode   Mode
		trials int
	}{{"both short", 4, 5, MonteCarlo, 40}, {"one short, one spare", 4, 40, MonteCarlo, 40}, {"expected", 4, 5, Expected, 1}} {
		run := func(m Model) *results.Results {
			r, err := Run(context.Background(), []Option{{Name: "Baseline", Model: m}}, Settings{Trials: c.trials, Seed: 3, Mode: c.mode}, nil)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		whole, a, b := run(pooled(c.a, c.b)), run(single(0, c.a)), run(single(1, c.b))
		for _, k := range []string{results.ARREnd, results.LogosEnd, results.CSCostTotal, results.RevenueTotal} {
			got := whole.Options[0].Metrics[k].Mean
			want := a.Options[0].Metrics[k].Mean + b.Options[0].Metrics[k].Mean
			if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s: %s %v with pools, %v as two models", c.name, k, got, want)
			}
		}
		if ca, cb := a.Options[0].Metrics[results.CoverageMean].Mean, b.Options[0].Metrics[results.CoverageMean].Mean; c.name != "expected" && !(ca < 1) {
			t.Errorf("%s: the enterprise pool should be short: coverage %v (mid-market %v)", c.name, ca, cb)
		}
	}
}

// A copy of a model (what sensitivity and break-even change an input of)
// shares no assumption with the model, its pools' teams included.
func TestCopyModelSharesNoAssumption(t *testing.T) {
	m := withTeam(4)
	m.Pools = []Pool{{Name: "all", Segments: []int{0, 1}, Team: m.Team}}
	m.Response.Uncertain = []UncertainPoint{{Curve: ChurnResponse, Y: fixed(2)}}
	before := len(m.Assumptions())
	c := copyModel(m)
	for _, a := range c.Assumptions() {
		a.Dist = nil
	}
	if after := len(m.Assumptions()); after != before {
		t.Errorf("changing the copy's assumptions changed %d of the model's %d", before-after, before)
	}
}
