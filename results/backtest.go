package results

// Backtest is backtest.json: the forecasts of scenarios calibrated on a
// history cut at a month, against what the history shows after the cut.
type Backtest struct {
	History  string `json:"history"`
	Currency string `json:"currency,omitempty"`
	Trials   int    `json:"trials"`
	Seed     uint64 `json:"seed"`
	// Book is the history's book month by month: its ARR and customers.
	Book []BacktestActual `json:"book"`
	// Cuts are the forecasts, one per cut month.
	Cuts []BacktestCut `json:"cuts"`
	// Coverage is, per segment ("all" for the book) and metric, over
	// every cut and month, how often the actual fell inside the forecast's
	// intervals, and the median's error.
	Coverage []BacktestCoverage `json:"coverage"`
	// ByHorizon is the book's ARR coverage by months ahead, over the cuts.
	ByHorizon []BacktestCoverage `json:"by_horizon"`
	Version   string             `json:"csplan_version,omitempty"`
}

// BacktestActual is the book of one month of the history.
type BacktestActual struct {
	Month     string  `json:"month"` // YYYY-MM
	ARR       float64 `json:"arr"`
	Customers int     `json:"customers"`
}

// BacktestCut is one cut: the last month fitted, the months forecast and
// the calibration's warnings.
type BacktestCut struct {
	Until    string        `json:"until"` // YYYY-MM, the last month fitted
	Rows     []BacktestRow `json:"rows"`
	Warnings []string      `json:"warnings,omitempty"`
}

// BacktestRow is one month, segment and metric of a forecast: the actual
// and the forecast's quantiles over the trials.
type BacktestRow struct {
	Month   string  `json:"month"` // YYYY-MM
	Ahead   int     `json:"months_ahead"`
	Segment string  `json:"segment"` // "all" for the book
	Metric  string  `json:"metric"`  // arr or logos
	Actual  float64 `json:"actual"`
	P5      float64 `json:"p5"`
	P25     float64 `json:"p25"`
	P50     float64 `json:"p50"`
	P75     float64 `json:"p75"`
	P95     float64 `json:"p95"`
}

// In50 and In90 tell whether the actual lies in the middle 50 % or 90 %
// of the forecast, ends included.
func (r BacktestRow) In50() bool { return r.P25 <= r.Actual && r.Actual <= r.P75 }
func (r BacktestRow) In90() bool { return r.P5 <= r.Actual && r.Actual <= r.P95 }

// BacktestCoverage counts the months whose actual fell inside the
// forecast's middle 50 % and 90 %, and the mean absolute percentage error
// of its median (MAPE, over months with an actual above 0).
type BacktestCoverage struct {
	Segment string  `json:"segment"`
	Metric  string  `json:"metric"`
	Ahead   int     `json:"months_ahead,omitempty"` // in ByHorizon
	Months  int     `json:"months"`
	In50    int     `json:"in_50"`
	In90    int     `json:"in_90"`
	MAPE    float64 `json:"mape"`
	// MAPEMonths are the months the MAPE is over: those with an actual
	// above 0 (a percentage error of 0 is none).
	MAPEMonths int `json:"mape_months"`
}

// MarshalBacktest encodes b as indented JSON.
func MarshalBacktest(b *Backtest) ([]byte, error) {
	return indentJSON(b)
}
