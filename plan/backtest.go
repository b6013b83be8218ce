package plan

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"csplan/results"
	"csplan/scenarios"
	"csplan/scenarios/calibrate"
	"csplan/sim"
)

// BacktestOptions are how Backtest cuts, fits and forecasts a history.
type BacktestOptions struct {
	Until string // the last month fitted, YYYY-MM
	// Every, when above 0, cuts again every so many months after Until,
	// while a month is left to forecast (a rolling backtest).
	Every   int
	Trials  int
	Seed    uint64
	Workers int
	Read    calibrate.ReadOptions
	Fit     calibrate.Options
	Version string
}

// Backtest reads the history at path and, for each cut month, calibrates
// a scenario on the history up to it (calibrate.Calibrate, with the book
// of that month exactly), runs it in Monte Carlo over the months the
// history has after it, and sets each month's ARR and customers, of the
// book and of each segment, beside the forecast's quantiles; then counts
// how often the actual fell inside the forecast's 50 % and 90 % intervals
// (nominally half and nine in ten of the months) and the median's error.
func Backtest(ctx context.Context, path string, opt BacktestOptions) (*results.Backtest, error) {
	h, err := ReadHistory(ctx, path, opt.Read)
	if err != nil {
		return nil, err
	}
	cuts, err := backtestCuts(h, opt)
	if err != nil {
		return nil, err
	}
	out := &results.Backtest{History: h.Name, Trials: opt.Trials, Seed: opt.Seed, Version: opt.Version}
	for m := h.First; m <= h.Last; m++ {
		mrr, n := h.Actual(m, -1)
		out.Book = append(out.Book, results.BacktestActual{Month: m.String(), ARR: 12 * mrr, Customers: n})
	}
	for _, cut := range cuts {
		c, err := backtestCut(ctx, h, cut, opt)
		if err != nil {
			return nil, fmt.Errorf("backtest cut at %s: %w", cut, err)
		}
		out.Cuts = append(out.Cuts, *c)
	}
	out.Coverage, out.ByHorizon = backtestCoverage(out.Cuts)
	return out, nil
}

// maxRolling bounds --rolling: a step longer than a century of history
// would leave one cut anyway.
const maxRolling = 1200

// backtestCuts are the cut months: Until, and with Every the months after
// it at that step, each with a month after it in h.
func backtestCuts(h *calibrate.History, opt BacktestOptions) ([]calibrate.Month, error) {
	if opt.Trials < 2 {
		return nil, &SettingError{Setting: "trials", Problem: "must be at least 2 for a forecast's intervals"}
	}
	if err := cmp.Or(CheckTrials(opt.Trials), CheckSeed(opt.Seed)); err != nil {
		return nil, err
	}
	if opt.Every < 0 || opt.Every > maxRolling {
		return nil, &SettingError{Setting: "rolling", Problem: fmt.Sprintf("must be 0 (one cut) or a number of months up to %d, got %d", maxRolling, opt.Every)}
	}
	until, ok := calibrate.ParseMonth(opt.Until)
	switch {
	case !ok:
		return nil, &SettingError{Setting: "until", Problem: fmt.Sprintf("%q: expected the last month to fit, YYYY-MM", opt.Until)}
	case until < h.First+1:
		return nil, &SettingError{Setting: "until", Problem: fmt.Sprintf("%s leaves less than two months to fit: the history starts in %s", until, h.First)}
	case until >= h.Last:
		return nil, &SettingError{Setting: "until", Problem: fmt.Sprintf("%s leaves no month to forecast: the history ends in %s", until, h.Last)}
	}
	cuts := []calibrate.Month{until}
	for opt.Every > 0 && cuts[len(cuts)-1]+calibrate.Month(opt.Every) < h.Last {
		cuts = append(cuts, cuts[len(cuts)-1]+calibrate.Month(opt.Every))
	}
	for _, c := range cuts {
		if _, n := h.Actual(c, -1); n == 0 {
			return nil, fmt.Errorf("%s: no account pays in %s, a cut month: a forecast needs a book to start from (cut later)", h.Name, c)
		}
	}
	return cuts, nil
}

// backtestCut fits h up to cut and forecasts the months after it.
func backtestCut(ctx context.Context, h *calibrate.History, cut calibrate.Month, opt BacktestOptions) (*results.BacktestCut, error) {
	past := h.Until(cut)
	cal, err := calibrate.Calibrate(past, opt.Fit)
	if err != nil {
		return nil, err
	}
	book, err := calibrate.BookCSV(past, cal)
	if err != nil {
		return nil, err
	}
	horizon := int(h.Last - cut)
	// The run's seed is opt.Seed; the scenario's own is never used.
	y := calibrate.Scenario(cal, calibrate.ScenarioOptions{Horizon: horizon, Trials: opt.Trials, AccountsFile: "backtest-accounts.csv"})
	sc, err := scenarios.Parse("backtest.yaml", y, func(string) ([]byte, error) { return book, nil })
	if err != nil {
		return nil, fmt.Errorf("the calibrated scenario does not validate (a csplan bug; please report it):\n%w", err)
	}
	// The book, and each segment on its own when there are several: a
	// calibrated scenario has no team, so its segments are independent,
	// and on common random numbers each segment alone is its part of the
	// book.
	base := sc.Options[0].Model
	opts := []sim.Option{{Name: calibrate.Unsegmented, Model: base}}
	if len(base.Segments) > 1 {
		for i := range base.Segments {
			opts = append(opts, sim.Option{Name: base.Segments[i].Name, Model: segmentOnly(base, i)})
		}
	}
	res, err := sim.Run(ctx, opts, sim.Settings{Trials: opt.Trials, Seed: opt.Seed, Workers: opt.Workers, Mode: sim.MonteCarlo}, nil)
	if err != nil {
		return nil, err
	}
	c := &results.BacktestCut{Until: cut.String(), Warnings: cal.Warnings}
	for k, o := range res.Options {
		si := -1 // the book
		if k > 0 {
			si = segmentIndex(h, cal, o.Name)
		}
		for ahead := 1; ahead <= horizon; ahead++ {
			m := cut + calibrate.Month(ahead)
			mrr, accounts := h.Actual(m, si)
			for _, x := range []struct {
				key    string
				actual float64
			}{{results.SeriesARR, 12 * mrr}, {results.SeriesLogos, float64(accounts)}} {
				p := o.Series[x.key][ahead]
				c.Rows = append(c.Rows, results.BacktestRow{Month: m.String(), Ahead: ahead, Segment: o.Name, Metric: x.key,
					Actual: x.actual, P5: p.P5, P25: p.P25, P50: p.P50, P75: p.P75, P95: p.P95})
			}
		}
	}
	return c, nil
}

// segmentOnly is m with its segment i alone, and the correlations between
// that segment's inputs.
func segmentOnly(m sim.Model, i int) sim.Model {
	m.Segments = []sim.Segment{m.Segments[i]}
	names := map[string]bool{}
	for _, a := range m.Assumptions() {
		names[a.Name] = true
	}
	m.Correlations = slices.DeleteFunc(slices.Clone(m.Correlations), func(c sim.Correlation) bool { return !names[c.A] || !names[c.B] })
	return m
}

// segmentIndex is the index in h of the segment the scenario calibrated
// as cal names name.
func segmentIndex(h *calibrate.History, cal *calibrate.Calibration, name string) int {
	for _, s := range cal.Segments {
		if s.Scenario == name {
			return slices.Index(h.Segments, s.Name)
		}
	}
	return -1
}

// backtestCoverage counts, per segment and metric over every cut and
// month, and for the book's ARR per month ahead, the actuals inside the
// forecast's intervals and the median's MAPE.
func backtestCoverage(cuts []results.BacktestCut) (all, byHorizon []results.BacktestCoverage) {
	type key struct {
		segment, metric string
		ahead           int
	}
	acc := map[key]*results.BacktestCoverage{}
	var order []key
	errSum := map[key]float64{}
	errN := map[key]int{}
	add := func(k key, r results.BacktestRow) {
		c, ok := acc[k]
		if !ok {
			c = &results.BacktestCoverage{Segment: k.segment, Metric: k.metric, Ahead: k.ahead}
			acc[k] = c
			order = append(order, k)
		}
		c.Months++
		if r.In50() {
			c.In50++
		}
		if r.In90() {
			c.In90++
		}
		if r.Actual > 0 {
			errSum[k] += math.Abs(r.P50-r.Actual) / r.Actual
			errN[k]++
		}
	}
	for _, cut := range cuts {
		for _, r := range cut.Rows {
			add(key{r.Segment, r.Metric, 0}, r)
			if r.Segment == calibrate.Unsegmented && r.Metric == results.SeriesARR {
				add(key{r.Segment, r.Metric, r.Ahead}, r)
			}
		}
	}
	for _, k := range order {
		c := acc[k]
		if c.MAPEMonths = errN[k]; errN[k] > 0 {
			c.MAPE = errSum[k] / float64(errN[k])
		}
		if k.ahead == 0 {
			all = append(all, *c)
		} else {
			byHorizon = append(byHorizon, *c)
		}
	}
	slices.SortStableFunc(byHorizon, func(a, b results.BacktestCoverage) int { return a.Ahead - b.Ahead })
	return all, byHorizon
}
