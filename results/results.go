// Package results is the results.json contract: the values csplan run
// produces and csplan report renders. It holds data and its encoding only;
// how the numbers are made is package sim's business.
package results

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
)

// Results is the whole results.json document. Fields may be added; none may
// be removed or renamed (see ../shared/results.schema.json).
type Results struct {
	Scenario string `json:"scenario"`
	File     string `json:"scenario_file,omitempty"` // the scenario file's name, for the rerun line
	// Compared are the other scenario files whose options the run added
	// (csplan run a.yaml b.yaml): all on the same random draws.
	Compared []string `json:"compared_files,omitempty"`
	Question string   `json:"question,omitempty"`
	Currency string   `json:"currency,omitempty"`
	Start    string   `json:"start,omitempty"` // first month, YYYY-MM
	// FiscalYearStart is the month, 1 to 12, the fiscal year starts in;
	// 0 (absent) is January.
	FiscalYearStart int      `json:"fiscal_year_start,omitempty"`
	Seed            uint64   `json:"seed"`
	Trials          int      `json:"trials"`
	HorizonMonths   int      `json:"horizon_months"`
	Mode            string   `json:"mode"`
	NetRate         string   `json:"net_rate,omitempty"`
	Sampling        string   `json:"sampling,omitempty"` // "lhs" for Latin hypercube; random otherwise
	Version         string   `json:"csplan_version,omitempty"`
	Warnings        []string `json:"warnings,omitempty"`
	// Assumptions lists every input of the baseline with its value or
	// distribution, so a report can show what the numbers rest on.
	Assumptions []Assumption `json:"assumptions,omitempty"`
	// Convergence, when trials were run to a precision: each round's
	// trials, mean and widest relative 95 % half-width.
	Convergence *Convergence `json:"convergence,omitempty"`
	Options     []Option     `json:"options"`
	// Sensitivity, when the run also measured which uncertain inputs of
	// the baseline move a metric most (as sensitivity.json holds it).
	Sensitivity *Sensitivity `json:"sensitivity,omitempty"`
	// Breakeven, when the run also asked what would have to be true for
	// an option to pay (as breakeven.json holds it).
	Breakeven *Breakeven `json:"breakeven,omitempty"`
}

// Assumption is one input of the scenario.
type Assumption struct {
	Path  string `json:"path"`  // e.g. segments.enterprise.churn.annual
	Label string `json:"label"` // e.g. enterprise annual churn
	Value string `json:"value"` // e.g. "beta(mean 8%, sd 2%)", "$165k"
	// Kind says how the input is used: "per-trial" (an uncertain
	// assumption drawn once per trial), "per-event" (drawn per account or
	// event), or "fixed".
	Kind string `json:"kind"`
}

// Convergence records a run to a precision target.
type Convergence struct {
	Metric    string  `json:"metric"`
	Target    float64 `json:"target"`   // relative half-width asked
	Achieved  float64 `json:"achieved"` // relative half-width reached
	Converged bool    `json:"converged"`
	Rounds    []Round `json:"rounds"`
}

// Round is one round of a run to precision.
type Round struct {
	Trials            int     `json:"trials"`
	Mean              float64 `json:"mean"`
	SE                float64 `json:"se"`
	RelativeHalfWidth float64 `json:"relative_half_width"` // widest of the mean's and the paired differences'
}

// Change is an option's override of one baseline input.
type Change struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// Option is the baseline (first) or one option.
type Option struct {
	Name        string             `json:"name"`
	Description string             `json:"description,omitempty"`
	Changes     []Change           `json:"changes,omitempty"`
	Metrics     map[string]Summary `json:"metrics"`
	Series      map[string][]Point `json:"series"`
	VsBaseline  map[string]Diff    `json:"vs_baseline,omitempty"`
	// TextbookCLV is, per segment, the steady-state CLV of the textbook:
	// an account's ARR × margin over its annual churn, discounted (see
	// sim.TextbookCLV), at the inputs' means; beside the clv_SEGMENT
	// metrics for comparison.
	TextbookCLV map[string]float64 `json:"textbook_clv,omitempty"`
	// Payback, options only: when the option's cumulative gross profit
	// gets ahead of the baseline's for good.
	Payback *Payback `json:"payback,omitempty"`
	// Bridge, options only: the mean difference from the baseline in gross
	// profit over the horizon, leg by leg; the legs add up to the mean
	// difference in gross profit.
	Bridge []BridgeLeg `json:"bridge,omitempty"`
	// SegmentBridge, options only: the same difference split by segment
	// (Driver is the segment's name), and BridgeUnallocated for the CS
	// cost no segment carries.
	SegmentBridge []BridgeLeg `json:"segment_bridge,omitempty"`
}

// BridgeLeg is one leg of an option's gross-profit bridge: the part of its
// difference from the baseline that comes from one driver (a Bridge...
// key), as a mean over the trials with its 95 % interval.
type BridgeLeg struct {
	Driver   string     `json:"driver"`
	MeanDiff float64    `json:"mean_diff"`
	CI95     [2]float64 `json:"ci95"`
}

// Payback is when an option pays back against the baseline: its payback
// month in a trial is the first month from which its cumulative Metric
// (a series), less the baseline's in the same trial, stays above 0 to the
// horizon; a trial where it is not above 0 at the horizon never pays back.
type Payback struct {
	Metric string `json:"metric"`
	// ShareOfTrials is the share of trials that pay back (1 or 0 in
	// expected mode, where the one path is the expected one).
	ShareOfTrials float64 `json:"share_of_trials"`
	// Month is the distribution of the payback month over the trials that
	// pay back; absent when none does.
	Month *Summary `json:"month,omitempty"`
}

// Summary is the distribution of a per-trial scalar over the trials.
type Summary struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	// SE is the standard error of the mean.
	SE  float64 `json:"se"`
	P5  float64 `json:"p5"`
	P25 float64 `json:"p25"`
	P50 float64 `json:"p50"`
	P75 float64 `json:"p75"`
	P95 float64 `json:"p95"`
	// QuantileSE are the standard errors of P5..P95, in that order, from
	// the order statistics bracketing each quantile's 95 % interval (half
	// its width over 1.96). Zero in expected mode.
	QuantileSE [5]float64 `json:"quantile_se"`
}

// Point is the distribution over the trials of a monthly quantity.
type Point struct {
	Month int     `json:"month"`
	Mean  float64 `json:"mean"`
	P5    float64 `json:"p5"`
	P25   float64 `json:"p25"`
	P50   float64 `json:"p50"`
	P75   float64 `json:"p75"`
	P95   float64 `json:"p95"`
	// SE is the standard error of the mean (Monte Carlo).
	SE float64 `json:"se,omitempty"`
}

// Diff is a paired comparison of an option with the baseline.
type Diff struct {
	MeanDiff float64    `json:"mean_diff"`
	CI95     [2]float64 `json:"ci95"`
	PBetter  float64    `json:"p_better"`
	// PWorse is the share of trials in which the option is worse (a tie,
	// Tie, is neither);
	// PBetter + PWorse < 1 when some trials tie.
	PWorse float64 `json:"p_worse"`
	// HigherIsBetter records the direction used for PBetter.
	HigherIsBetter bool `json:"higher_is_better"`
	// Histogram of the per-trial differences (Monte Carlo only).
	Histogram *Histogram `json:"histogram,omitempty"`
}

// Histogram counts values in equal-width bins: Counts[i] values fall in
// [Edges[i], Edges[i+1]) (the last bin includes its upper edge).
type Histogram struct {
	Edges  []float64 `json:"edges"`
	Counts []int     `json:"counts"`
}

// Marshal encodes r as indented JSON. Non-finite numbers, which JSON cannot
// hold, are an error rather than silently written.
func Marshal(r *Results) ([]byte, error) {
	if err := r.checkFinite(); err != nil {
		return nil, err
	}
	return indentJSON(r)
}

// Unmarshal decodes results.json.
func Unmarshal(data []byte) (*Results, error) {
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	if len(r.Options) == 0 {
		return nil, fmt.Errorf("results has no options")
	}
	if r.HorizonMonths < 1 {
		return nil, fmt.Errorf("results has horizon_months %d; expected 1 or more", r.HorizonMonths)
	}
	// What the contract (results.schema.json) requires of every option; a
	// file without it was cut short or edited.
	for i, o := range r.Options {
		if o.Name == "" {
			return nil, fmt.Errorf("option %d has no name", i+1)
		}
		for _, m := range []string{ARREnd, RevenueTotal, NRR12m, GRR12m, LogosEnd} {
			if _, ok := o.Metrics[m]; !ok {
				return nil, fmt.Errorf("option %q has no metric %s", o.Name, m)
			}
		}
		for _, name := range []string{SeriesARR, SeriesMRR, SeriesLogos} {
			if len(o.Series[name]) == 0 {
				return nil, fmt.Errorf("option %q has no series %s", o.Name, name)
			}
		}
	}
	return &r, nil
}

func (r *Results) checkFinite() error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	for _, o := range r.Options {
		for name, s := range o.Metrics {
			for _, v := range []float64{s.Mean, s.SD, s.SE, s.P5, s.P25, s.P50, s.P75, s.P95} {
				if bad(v) {
					return fmt.Errorf("option %q metric %s is not a finite number", o.Name, name)
				}
			}
		}
		for name, ps := range o.Series {
			for _, p := range ps {
				for _, v := range []float64{p.Mean, p.P5, p.P25, p.P50, p.P75, p.P95} {
					if bad(v) {
						return fmt.Errorf("option %q series %s month %d is not a finite number", o.Name, name, p.Month)
					}
				}
			}
		}
		for name, d := range o.VsBaseline {
			if bad(d.MeanDiff) || bad(d.CI95[0]) || bad(d.CI95[1]) || bad(d.PBetter) {
				return fmt.Errorf("option %q comparison %s is not a finite number", o.Name, name)
			}
		}
	}
	if s := r.Sensitivity; s != nil {
		f := s.Full
		for _, v := range []float64{s.Median, f.Mean, f.SD, f.SE, f.P5, f.P25, f.P50, f.P75, f.P95} {
			if bad(v) {
				return fmt.Errorf("sensitivity of %s is not a finite number", s.Metric)
			}
		}
		for _, in := range s.Inputs {
			for _, v := range []float64{in.P10, in.P90, in.Low, in.High, in.Swing, in.RankCorrelation, in.VarianceShare} {
				if bad(v) {
					return fmt.Errorf("sensitivity of %s to %s is not a finite number", s.Metric, in.Name)
				}
			}
		}
	}
	if b := r.Breakeven; b != nil {
		return b.checkFinite()
	}
	return nil
}

// indentJSON encodes v as JSON indented by two spaces, as every JSON file
// csplan writes is.
func indentJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
