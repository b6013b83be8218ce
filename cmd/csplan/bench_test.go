package main

import (
	"context"
	"os"
	"strconv"
	"testing"

	"csplan/scenarios"
	"csplan/sim"
)

// BenchmarkSensitivityTenInputs: csplan sensitivity of the Acme company
// with ranges on ten inputs (scenarios/examples/acme-ten-inputs.yaml),
// valuation, 2,000 trials a point (CSPLAN_BENCH_TRIALS to change), on all
// cores: 22 runs of the model (every input at its median, each input at
// P10 and at P90, and the full Monte Carlo run).
func BenchmarkSensitivityTenInputs(b *testing.B) {
	s, err := scenarios.Load("../../scenarios/examples/acme-ten-inputs.yaml")
	if err != nil {
		b.Fatal(err)
	}
	set := s.Settings
	set.Trials = 2000
	if n, err := strconv.Atoi(os.Getenv("CSPLAN_BENCH_TRIALS")); err == nil {
		set.Trials = n
	}
	for b.Loop() {
		sens, err := sim.Sensitivity(context.Background(), s.Options[0].Model, set, "valuation", nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(sens.Inputs) != 10 {
			b.Fatalf("%d uncertain inputs, want 10", len(sens.Inputs))
		}
	}
}
