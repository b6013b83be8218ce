package plan

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"csplan/results"
	"csplan/scenarios"
	"csplan/sim"
)

// BreakevenInputs is how many of the uncertain inputs that move the
// paired difference most a break-even analysis solves for.
const BreakevenInputs = 5

// Breakeven says what would have to be true for the option named option
// (empty: the scenario's only option) to beat the baseline of s on metric
// (sim.Breakeven): for the top uncertain inputs, the value at which the
// paired mean difference crosses zero, with its Monte Carlo error; always
// in Monte Carlo, whatever set.Mode. Each input is labelled in words, its
// distribution written as the scenario writes it, its unit given.
func Breakeven(ctx context.Context, s *scenarios.Scenario, set Settings, option, metric string) (*results.Breakeven, error) {
	if err := CheckMetric(metric); err != nil {
		return nil, err
	}
	k, err := optionIndex(s, option)
	if err != nil {
		return nil, err
	}
	base, opt := s.Options[0].Model, s.Options[k].Model
	uncertain := 0
	for _, a := range base.Assumptions() {
		if !a.Dist.Fixed() {
			uncertain++
		}
	}
	set.Mode = sim.MonteCarlo
	pairs := sim.BreakevenPairs(uncertain, BreakevenInputs)
	if err := checkWork(slices.Repeat([]sim.Option{{Model: base}, {Model: opt}}, pairs), set, 1); err != nil {
		return nil, err
	}
	if set.Trials < 2 {
		return nil, &SettingError{Setting: "trials", Problem: "must be at least 2 for a break-even: its Monte Carlo error needs two trials"}
	}
	be, err := sim.Breakeven(ctx, base, opt, set.Settings, metric, BreakevenInputs, inputBounds(s), set.Progress)
	if err != nil {
		return nil, err
	}
	be.Option, be.Scenario, be.Currency, be.Version = s.Options[k].Name, s.Name, s.Currency, set.Version
	written := map[string]string{}
	for _, a := range s.Assumptions() {
		written[a.Path] = a.Value
	}
	for i := range be.Inputs {
		in := &be.Inputs[i]
		if v, ok := written[in.Name]; ok {
			in.Dist = v
		}
		in.Label, in.Unit = s.InputLabel(in.Name, in.Dist)
	}
	return be, nil
}

// CheckBreakeven refuses a break-even on an unknown metric, or asked in
// expected mode (mode as a command line gives it): it needs Monte Carlo
// trials.
func CheckBreakeven(metric, mode string) error {
	if mode == sim.Expected.String() {
		return &SettingError{Setting: "mode", Problem: "expected cannot find a break-even: it needs Monte Carlo trials"}
	}
	return CheckMetric(metric)
}

// inputBounds are the values the break-even may search an input of s at:
// what validation allows (Scenario.InputBounds), and for a DCF with a
// Gordon terminal value, a discount rate above the terminal growth and a
// growth below the rate, every value the other may take.
func inputBounds(s *scenarios.Scenario) sim.Bounds {
	v := s.Options[0].Model.Valuation
	gordon := (v.Method == sim.DCF || v.DCFBeside) && v.Terminal == sim.Gordon
	return func(name string) (lo, hi float64, open bool) {
		lo, hi, open, ok := s.InputBounds(name)
		if !ok {
			lo, hi = math.Inf(-1), math.Inf(1)
		}
		if !gordon {
			return lo, hi, open
		}
		switch name {
		case "economics.discount_rate":
			if _, g := v.TerminalGrowth.Dist.Support(); g >= lo {
				lo, open = g, true
			}
		case "valuation.dcf.terminal_growth":
			if r, _ := s.Options[0].Model.Economics.DiscountRate.Dist.Support(); r <= hi {
				hi = math.Nextafter(r, math.Inf(-1))
			}
		}
		return lo, hi, open
	}
}

// optionIndex finds the option named name among s's options (not the
// baseline); an empty name is the only option, when there is one.
func optionIndex(s *scenarios.Scenario, name string) (int, error) {
	var names []string
	for i, o := range s.Options[1:] {
		if o.Name == name || (name == "" && len(s.Options) == 2) {
			return i + 1, nil
		}
		names = append(names, fmt.Sprintf("%q", o.Name))
	}
	if len(names) == 0 {
		return 0, fmt.Errorf("the scenario has no options to compare with the baseline; add one under options")
	}
	if name == "" {
		return 0, &SettingError{Setting: "option", Problem: fmt.Sprintf("is needed: the scenario has %d options (%s)", len(names), strings.Join(names, ", "))}
	}
	return 0, &SettingError{Setting: "option", Value: name, Choices: names}
}
