package results

// Sweep is sweep.json: one metric (and the headline metrics) over a grid of
// one or two inputs, every point run on the same random numbers.
type Sweep struct {
	Scenario   string   `json:"scenario"`
	Currency   string   `json:"currency,omitempty"`
	Seed       uint64   `json:"seed"`
	Trials     int      `json:"trials"`
	Mode       string   `json:"mode"`
	Metric     string   `json:"metric"`
	Parameters []string `json:"parameters"` // input paths, e.g. team.csms
	// Labels name the parameters in words ("CSMs", "enterprise annual
	// churn"), for charts.
	Labels []string     `json:"labels,omitempty"`
	Points []SweepPoint `json:"points"`
	// Best is the index of the point with the best mean of Metric.
	Best int `json:"best"`
	// Today is the baseline's value of each parameter, as the scenario
	// writes it ("" where it has none to show: a list, a default), and
	// TodayNumbers the same as a number for the chart's axis (0 for none).
	Today        []string  `json:"today,omitempty"`
	TodayNumbers []float64 `json:"today_numbers,omitempty"`
	// Edges are the parameters at whose first or last value the best
	// point lies: the grid may end before the optimum.
	Edges   []SweepEdge `json:"edges,omitempty"`
	Version string      `json:"csplan_version,omitempty"`
}

// SweepEdge is a parameter whose best value is the first or last of the
// grid (numbers only, so the grid can be extended that way).
type SweepEdge struct {
	Parameter string `json:"parameter"`
	Value     string `json:"value"`  // the best point's value, the grid's end
	Extend    string `json:"extend"` // "below" or "above": where to extend the range
}

// SweepPoint is one point of the grid.
type SweepPoint struct {
	Values  []string           `json:"values"`  // as written, one per parameter
	Numbers []float64          `json:"numbers"` // the same as numbers, for axes
	Metrics map[string]Summary `json:"metrics"`
	// Beats compares the point with each of its neighbours on the grid
	// (one value up or down one parameter) on the same trials.
	Beats []SweepBeat `json:"beats,omitempty"`
}

// SweepBeat is a point's paired comparison with a neighbour on the
// sweep's metric: with common random numbers, the share of trials in
// which the point is strictly better (Share), and the mean difference,
// point minus neighbour.
type SweepBeat struct {
	Values   []string `json:"values"` // the neighbour's
	Share    float64  `json:"share"`
	MeanDiff float64  `json:"mean_diff"`
}

// MarshalSweep encodes s as indented JSON.
func MarshalSweep(s *Sweep) ([]byte, error) {
	return indentJSON(s)
}

// Sensitivity is sensitivity.json, and the sensitivity of results.json
// when a run measures it: how much each uncertain input moves a metric.
type Sensitivity struct {
	Scenario string             `json:"scenario"`
	Currency string             `json:"currency,omitempty"`
	Metric   string             `json:"metric"`
	Trials   int                `json:"trials"`
	Seed     uint64             `json:"seed"`
	Median   float64            `json:"median_inputs"` // the metric's mean with every input at its median
	Full     Summary            `json:"full"`          // the metric over the full Monte Carlo run
	Inputs   []SensitivityInput `json:"inputs"`        // sorted by swing, largest first
	Version  string             `json:"csplan_version,omitempty"`
}

// SensitivityInput is one uncertain input's effect.
type SensitivityInput struct {
	Name            string  `json:"name"`
	Label           string  `json:"label,omitempty"` // what it is, in words ("mid-market annual churn")
	Dist            string  `json:"distribution"`    // as the scenario writes it where known: beta(mean 8%, sd 2%)
	P10             float64 `json:"p10"`
	P90             float64 `json:"p90"`
	Low             float64 `json:"metric_at_p10"`
	High            float64 `json:"metric_at_p90"`
	Swing           float64 `json:"swing"`
	RankCorrelation float64 `json:"rank_correlation"`
	VarianceShare   float64 `json:"variance_share"`
}
