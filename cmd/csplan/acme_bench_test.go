package main

import (
	"context"
	"testing"

	"csplan/plan"
	"csplan/scenarios"
	"csplan/sim"
)

// BenchmarkAcmeRun: the simulation part of csplan run on the Acme example
// (four options, 36 months), 1,000 trials on one worker.
func BenchmarkAcmeRun(b *testing.B) {
	s, err := scenarios.Load("../../scenarios/examples/acme-company.yaml")
	if err != nil {
		b.Fatal(err)
	}
	set := s.Settings
	set.Trials, set.Workers = 1000, 1
	var opts []sim.Option
	for _, o := range s.Options {
		opts = append(opts, sim.Option{Name: o.Name, Model: o.Model})
	}
	for b.Loop() {
		if _, err := sim.Run(context.Background(), opts, set, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAcmeExpected: the expected path of the Acme example's baseline
// (what an optimizer's screen and a what-if page compute per candidate).
func BenchmarkAcmeExpected(b *testing.B) {
	s, err := scenarios.Load("../../scenarios/examples/acme-company.yaml")
	if err != nil {
		b.Fatal(err)
	}
	set := s.Settings
	set.Mode, set.Workers = sim.Expected, 1
	opts := []sim.Option{{Name: s.Options[0].Name, Model: s.Options[0].Model}}
	for b.Loop() {
		if _, err := sim.Run(context.Background(), opts, set, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAcmeOptimize: csplan optimize on the Acme example with its team
// in two pools, 0 to 20 CSMs each, and the enterprise upsell cadence
// (882 plans), to its answer with 2,000 trials for the finalists; and
// BenchmarkAcmePoolsRun, one 2,000-trial run of the same scenario's
// baseline, which the optimization's time is measured against.
func BenchmarkAcmeOptimize(b *testing.B) {
	s, set := acmePools(b)
	for b.Loop() {
		opt, err := plan.NewOptimizer(s, s.Optimize)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := opt.Optimize(context.Background(), set); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAcmePoolsRun(b *testing.B) {
	s, set := acmePools(b)
	opts := []sim.Option{{Name: s.Options[0].Name, Model: s.Options[0].Model}}
	for b.Loop() {
		if _, err := sim.Run(context.Background(), opts, set.Settings, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func acmePools(b *testing.B) (*scenarios.Scenario, plan.Settings) {
	s, err := scenarios.Load("testdata/acme-pools.yaml")
	if err != nil {
		b.Fatal(err)
	}
	set := plan.Settings{Settings: s.Settings}
	set.Trials = 2000
	return s, set
}
