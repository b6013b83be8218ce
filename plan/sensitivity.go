package plan

import (
	"context"
	"slices"

	"csplan/results"
	"csplan/scenarios"
	"csplan/sim"
)

// Sensitivity measures which uncertain inputs of the baseline of s move
// metric most (sim.Sensitivity): each input at its 10th and its 90th
// percentile with every other at its median, and each input's rank
// correlation with metric over a full run; always in Monte Carlo, whatever
// set.Mode. The result is labelled with the scenario's name and currency,
// the version, and each input's distribution as the scenario writes it
// (beta(mean 8%, sd 2%) rather than beta(mean 0.08, sd 0.02)), so that
// reports show its values in their units.
func Sensitivity(ctx context.Context, s *scenarios.Scenario, set Settings, metric string) (*results.Sensitivity, error) {
	// The analysis runs the baseline twice per uncertain input, at its
	// medians, and in full.
	base := s.Options[0].Model
	uncertain := map[string]bool{}
	for _, a := range base.Assumptions() {
		if !a.Dist.Fixed() {
			uncertain[a.Name] = true
		}
	}
	set.Mode = sim.MonteCarlo
	if err := checkWork(slices.Repeat([]sim.Option{{Model: base}}, 2*len(uncertain)+2), set, 1); err != nil {
		return nil, err
	}
	sens, err := sim.Sensitivity(ctx, base, set.Settings, metric, set.Progress)
	if err != nil {
		return nil, err
	}
	sens.Scenario, sens.Currency, sens.Version = s.Name, s.Currency, set.Version
	written := map[string]string{}
	for _, a := range s.Assumptions() {
		written[a.Path] = a.Value
	}
	for i, in := range sens.Inputs {
		if v, ok := written[in.Name]; ok {
			sens.Inputs[i].Dist = v
		}
		sens.Inputs[i].Label, _ = s.InputLabel(in.Name, sens.Inputs[i].Dist)
	}
	return sens, nil
}
