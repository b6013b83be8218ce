package main

import (
	"context"
	"testing"

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
