package results

import (
	"fmt"
	"math"
)

// Breakeven says what would have to be true for an option to beat the
// baseline on a metric: for each of the uncertain inputs that move the
// paired difference most, the value of the input at which the mean
// difference (option − baseline, on common random numbers, every other
// input drawn as assumed) crosses zero.
type Breakeven struct {
	Scenario string `json:"scenario,omitempty"`
	Currency string `json:"currency,omitempty"`
	Version  string `json:"csplan_version,omitempty"`
	Option   string `json:"option"`
	Metric   string `json:"metric"`
	Trials   int    `json:"trials"`
	Seed     uint64 `json:"seed"`
	// MeanDiff is the paired mean difference with every input as assumed.
	MeanDiff float64 `json:"mean_diff"`
	// HigherIsBetter is the metric's direction: the option pays off where
	// the difference is positive if true, negative otherwise.
	HigherIsBetter bool             `json:"higher_is_better"`
	Inputs         []BreakevenInput `json:"inputs"`
	// Screened is how many uncertain inputs were screened for the ones
	// that move the difference most.
	Screened int `json:"screened"`
}

// BreakevenInput is one input's break-even.
type BreakevenInput struct {
	Name  string `json:"name"`  // the input's path in the scenario
	Label string `json:"label"` // what it is, in words ("churn multiplier at no coverage")
	Dist  string `json:"dist"`  // its distribution as the scenario writes it
	// Unit is how its values are written: "%" (a share), "x" (a
	// multiplier), "money" (in the currency), "h" (hours) or "" (a plain
	// number).
	Unit string `json:"unit,omitempty"`
	// P5, P50 and P95 of the distribution as assumed.
	P5  float64 `json:"p5"`
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	// Swing is how much the mean difference moves between the input's
	// 10th and 90th percentiles.
	Swing float64 `json:"swing"`
	// SearchLow and SearchHigh bound the values searched.
	SearchLow  float64 `json:"search_low"`
	SearchHigh float64 `json:"search_high"`
	// Found reports whether the mean difference crosses zero in the
	// search range; Value is then where, with its Monte Carlo standard
	// error, and Pays says on which side of it the option beats the
	// baseline ("below" or "above").
	Found bool    `json:"found"`
	Value float64 `json:"value,omitempty"`
	SE    float64 `json:"se,omitempty"`
	Pays  string  `json:"pays,omitempty"`
	// Curve is the paired mean difference at the values evaluated, in
	// increasing order of value.
	Curve []BreakevenPoint `json:"curve"`
}

// BreakevenPoint is the paired mean difference with the input at Value.
type BreakevenPoint struct {
	Value    float64 `json:"value"`
	MeanDiff float64 `json:"mean_diff"`
	SE       float64 `json:"se"` // standard error of the mean difference
}

// checkFinite refuses a break-even holding a number that is not finite;
// only an input's search bounds may be infinite.
func (b *Breakeven) checkFinite() error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	if bad(b.MeanDiff) {
		return fmt.Errorf("break-even of %s: the mean difference is not a finite number", b.Metric)
	}
	for _, in := range b.Inputs {
		vals := []float64{in.P5, in.P50, in.P95, in.Swing, in.Value, in.SE}
		for _, p := range in.Curve {
			vals = append(vals, p.Value, p.MeanDiff, p.SE)
		}
		for _, v := range vals {
			if bad(v) {
				return fmt.Errorf("break-even of %s in %s is not a finite number", b.Metric, in.Name)
			}
		}
	}
	return nil
}
