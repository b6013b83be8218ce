package sim

import (
	"context"
	"math"
	"testing"

	"csplan/results"
	"csplan/sim/dist"
)

// The coverage memory rule (Response.MemoryMonths): which months an event
// looks back at.
func TestCoverageFrom(t *testing.T) {
	r := segRun{segInputs: segInputs{term: 12, memory: 12, onbMonths: 3}}
	for _, c := range []struct{ join, firstRenewal, m, want int }{
		{0, 13, 13, 2},   // the opening book's renewal in month 13: months 2 to 13
		{0, 5, 5, 1},     // a renewal in month 5: its term began before month 1
		{0, 5, 17, 6},    // the next renewal: the months after the last one
		{0, 5, 9, 6},     // a hazard opportunity mid-term: since the renewal in 5
		{0, 5, 6, 6},     // the month after a renewal: that month alone
		{3, 15, 15, 4},   // a new logo's first renewal: the months after it joined
		{3, 15, 4, 4},    // its first month after joining
		{30, 42, 42, 31}, // late joiners too
	} {
		if got := r.coverageFrom(c.join, c.firstRenewal, c.m); got != c.want {
			t.Errorf("join %d, first renewal %d, month %d: from %d, want %d", c.join, c.firstRenewal, c.m, got, c.want)
		}
	}
	r.memory = 4
	if got := r.coverageFrom(0, 13, 13); got != 10 {
		t.Errorf("memory 4: from %d, want 10", got)
	}
	r.memory = 1
	if got := r.coverageFrom(0, 13, 13); got != 13 {
		t.Errorf("no memory: from %d, want 13", got)
	}
	r.memory = 12
	if decided, from := r.onboarding(7); decided != 9 || from != 7 {
		t.Errorf("onboarding of a logo joining in 7 over 3 months: decided %d from %d, want 9 from 7", decided, from)
	}
	r.memory = 2
	if decided, from := r.onboarding(7); decided != 9 || from != 8 {
		t.Errorf("memory 2: onboarding decided %d from %d, want 9 from 8", decided, from)
	}
}

// noCSMsThenHire is the case a CFO raises: no CSM at all for months 1 to
// 12, a full team from month 13, and every account renewing in month 13.
// Without memory only month 13's coverage counts and nothing is lost.
func noCSMsThenHire(memory int, staffed bool) Model {
	m := Model{Horizon: 13, Segments: []Segment{{Name: "book", Count: 1000, ACV: dist.Const(12000), TermMonths: 12,
		Renewal: AtMonth, FirstRenewalMonth: 13, PriceIncrease: fixed(0), OnboardingSuccess: fixed(1),
		Churn:    Churn{Rate: fixed(0.2), RateMonths: 12},
		Meetings: []Meeting{{"monthly", 12, 1, 0}}}},
		Team: Team{CSMs: 0, Plan: []Step{{Month: 13, CSMs: 20}}, HoursPerYear: 1200, Productivity: fixed(1),
			LoadedCost: fixed(0), HiringCost: fixed(0), Attrition: fixed(0)},
		Response: Response{Churn: Curve{X: []float64{0, 1}, Y: []float64{2, 1}}, MemoryMonths: memory},
	}
	if staffed {
		m.Team.CSMs = 20
	}
	return m
}

func TestCoverageMemoryRemembersAnUnstaffedYear(t *testing.T) {
	const n, trials = 1000, 400
	for _, c := range []struct {
		memory int
		cov    float64 // mean coverage months 2 to 13 (memory) or month 13
	}{{12, 1.0 / 12}, {1, 1}} {
		// Expected churn at renewal: 20 % times the churn multiplier at
		// the remembered coverage (the curve runs from 2 at none to 1).
		want := n * (1 - 0.2*(2-c.cov))
		opts := []Option{{Name: "Baseline", Model: noCSMsThenHire(c.memory, true)}, {Name: "no CSMs for a year", Model: noCSMsThenHire(c.memory, false)}}
		exp, err := Run(context.Background(), opts, Settings{Trials: 1, Mode: Expected}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := exp.Options[1].Metrics[results.LogosEnd].Mean; math.Abs(got-want) > 1e-9 {
			t.Errorf("memory %d, expected mode: %.6f customers at the horizon, want %.6f", c.memory, got, want)
		}
		mc, err := Run(context.Background(), opts, Settings{Trials: trials, Seed: 3}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Each trial's count is binomial: the mean of the trials is
		// within 4 standard errors of the expectation.
		p := 0.2 * (2 - c.cov)
		se := math.Sqrt(n*p*(1-p)) / math.Sqrt(trials)
		got := mc.Options[1].Metrics[results.LogosEnd].Mean
		if math.Abs(got-want) > 4*se {
			t.Errorf("memory %d, Monte Carlo: %.2f customers at the horizon, want %.2f ± %.2f (4 standard errors)", c.memory, got, want, 4*se)
		}
		lost := mc.Options[1].VsBaseline[results.LogosEnd].MeanDiff
		if c.memory == 1 && lost != 0 {
			t.Errorf("no memory: the unstaffed year changes the customers at the horizon by %.2f; only month 13 counts", lost)
		}
		if c.memory == 12 && lost > -n*0.2*(1-c.cov)+4*math.Sqrt(2)*se {
			t.Errorf("memory 12: the unstaffed year loses %.2f customers, want about %.0f", -lost, n*0.2*(1-c.cov))
		}
	}
}

// An uncertain point of a response curve is drawn once per trial: the
// trials' spread of customers holds the spread of the multiplier, the
// mean follows the mean multiplier, expected mode takes it at its mean,
// and sensitivity sees it as an input.
func TestUncertainResponsePoint(t *testing.T) {
	const n, trials, p = 1000, 400, 0.2
	m := noCSMsThenHire(12, false)
	m.Team.Plan = nil // no CSM all along: coverage 0
	y0, _ := dist.NewUniform(1.5, 2.5)
	m.Response.Uncertain = []UncertainPoint{{Curve: ChurnResponse, Point: 0, Y: Assumption{"coverage_response.churn[0]", y0}}}
	found := false
	for _, a := range m.Assumptions() {
		found = found || a.Name == "coverage_response.churn[0]"
	}
	if !found {
		t.Error("the uncertain multiplier is not among the model's assumptions (sensitivity and LHS would miss it)")
	}
	opts := []Option{{Name: "Baseline", Model: m}}
	// Customers at the horizon: binomial given the trial's multiplier y,
	// churn p·y at the renewal in month 13.
	meanY, varY := 2.0, 1.0/12
	want := n * (1 - p*meanY)
	exp, err := Run(context.Background(), opts, Settings{Trials: 1, Mode: Expected}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := exp.Options[0].Metrics[results.LogosEnd].Mean; math.Abs(got-want) > 1e-9 {
		t.Errorf("expected mode: %.6f customers, want %.6f (the multiplier at its mean)", got, want)
	}
	mc, err := Run(context.Background(), opts, Settings{Trials: trials, Seed: 9}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Law of total variance: binomial within a trial, plus n²p²·Var(y)
	// between trials.
	sd := math.Sqrt(n*p*meanY*(1-p*meanY) - n*p*p*varY + n*n*p*p*varY)
	got := mc.Options[0].Metrics[results.LogosEnd]
	if se := sd / math.Sqrt(trials); math.Abs(got.Mean-want) > 4*se {
		t.Errorf("Monte Carlo mean %.2f customers, want %.2f ± %.2f (4 standard errors)", got.Mean, want, 4*se)
	}
	if se := sd / math.Sqrt(2*trials); math.Abs(got.SD-sd) > 5*se {
		t.Errorf("trials' SD %.2f, want %.2f ± %.2f (5 standard errors of an SD): the multiplier is not drawn per trial", got.SD, sd, 5*se)
	}
}
