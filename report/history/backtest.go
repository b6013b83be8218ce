package history

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"csplan/internal/csvfile"
	"csplan/report"
	"csplan/results"
	"csplan/scenarios/calibrate"
)

// WriteBacktest writes what csplan backtest prints: for the last cut, the
// book's ARR month by month against the forecast, then how often the
// actuals fell inside the forecasts' intervals, per segment and metric
// over every cut, with the median's error.
func WriteBacktest(w io.Writer, b *results.Backtest) error {
	last := b.Cuts[len(b.Cuts)-1]
	months := 0
	for _, r := range last.Rows {
		months = max(months, r.Ahead)
	}
	fmt.Fprintf(w, "Backtest of %s: %s, %d trials each, seed %d\n", b.History, cutsText(b), b.Trials, b.Seed)
	for _, warn := range last.Warnings {
		fmt.Fprintf(w, "note: %s\n", warn)
	}
	fmt.Fprintf(w, "\nARR of the book, fitted to %s:\n", last.Until)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  month\tactual\tforecast median\t50 % interval\t90 % interval\t")
	for _, r := range last.Rows {
		if r.Segment != calibrate.Unsegmented || r.Metric != results.SeriesARR {
			continue
		}
		money := func(v float64) string { return report.Money(v, b.Currency) }
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s to %s %s\t%s to %s %s\t\n", r.Month, money(r.Actual), money(r.P50),
			money(r.P25), money(r.P75), mark(r.In50()), money(r.P5), money(r.P95), mark(r.In90()))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nHow often the actual fell inside the forecast's intervals (nominally 50 %% and 90 %% of months):\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  segment\tmetric\tmonths\tinside 50 %\tinside 90 %\tmedian's error (MAPE)\t")
	for _, c := range b.Coverage {
		mape := report.Percent(c.MAPE)
		switch {
		case c.MAPEMonths == 0:
			mape = "none (no actual above 0)"
		case c.MAPEMonths < c.Months:
			mape += fmt.Sprintf(" (over the %d months with an actual above 0)", c.MAPEMonths)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\t\n", c.Segment, metricName(c.Metric), c.Months,
			share(c.In50, c.Months, 0.5), share(c.In90, c.Months, 0.9), mape)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(b.Cuts) > 1 && len(b.ByHorizon) > 0 {
		// By months ahead, the book's ARR: inside the 90 % interval in
		// how many of the cuts that reach that far.
		var parts []string
		for _, c := range b.ByHorizon {
			parts = append(parts, fmt.Sprintf("%d: %d of %d", c.Ahead, c.In90, c.Months))
		}
		fmt.Fprintf(w, "\nARR of the book inside the 90 %% interval, by months ahead (of the cuts that reach that far):\n  %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w, "\nA share far below nominal says the forecast is too sure of itself; far above, too unsure. The range after each")
	fmt.Fprintln(w, "share is where 95 % of shares would fall if months were independent; months in a row are not, so it is a guide.")
	return nil
}

// cutsText says which months were fitted and forecast.
func cutsText(b *results.Backtest) string {
	first, last := b.Cuts[0], b.Cuts[len(b.Cuts)-1]
	end := last.Rows[len(last.Rows)-1].Month
	if len(b.Cuts) == 1 {
		return fmt.Sprintf("fitted to %s, forecast to %s", first.Until, end)
	}
	return fmt.Sprintf("%d cuts, fitted to %s through %s, each forecast to %s", len(b.Cuts), first.Until, last.Until, end)
}

// share writes in of n with its percentage and, beside it, the range in
// which 95 % of shares of n independent months would fall at nominal p.
func share(in, n int, p float64) string {
	se := math.Sqrt(p * (1 - p) / float64(n))
	return fmt.Sprintf("%d (%s; %s to %s)", in, report.Percent(float64(in)/float64(n)),
		report.Percent(math.Max(0, p-1.96*se)), report.Percent(math.Min(1, p+1.96*se)))
}

func mark(in bool) string {
	if in {
		return "in"
	}
	return "out"
}

func metricName(key string) string {
	if key == results.SeriesLogos {
		return "customers"
	}
	return "ARR"
}

// BacktestCSV writes backtest.csv: a row per cut, month, segment and
// metric, with the actual, the forecast's quantiles and whether the actual
// lies inside the 50 % and 90 % intervals.
func BacktestCSV(w io.Writer, b *results.Backtest) error {
	cw := csvfile.NewWriter(w)
	cw.Write([]string{"until", "month", "months_ahead", "segment", "metric", "actual", "p5", "p25", "p50", "p75", "p95", "in_50", "in_90"})
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 10, 64) }
	for _, c := range b.Cuts {
		for _, r := range c.Rows {
			cw.Write([]string{c.Until, r.Month, strconv.Itoa(r.Ahead), r.Segment, r.Metric, g(r.Actual),
				g(r.P5), g(r.P25), g(r.P50), g(r.P75), g(r.P95), strconv.FormatBool(r.In50()), strconv.FormatBool(r.In90())})
		}
	}
	return cw.Flush()
}

// BacktestCharts draws the charts of csplan backtest and passes each to
// write: the last cut's forecast of the book's ARR and customers with the
// actuals, and with several cuts the coverage by months ahead.
func BacktestCharts(b *results.Backtest, write func(report.Chart) error) error {
	last := b.Cuts[len(b.Cuts)-1]
	for _, money := range []bool{true, false} {
		f := report.BacktestFan{Source: b.History, What: "Customers", Money: money, Currency: b.Currency, Until: last.Until}
		metric := results.SeriesLogos
		if money {
			f.What, metric = "ARR", results.SeriesARR
		}
		for _, a := range b.Book {
			if a.Month > last.Until {
				break
			}
			v := float64(a.Customers)
			if money {
				v = a.ARR
			}
			f.Before = append(f.Before, v)
		}
		f.Before = f.Before[max(0, len(f.Before)-24):] // two years of history at most
		for _, r := range last.Rows {
			if r.Segment != calibrate.Unsegmented || r.Metric != metric {
				continue
			}
			if f.First == "" {
				f.First = r.Month
			}
			f.Actual, f.P5, f.P25, f.P50, f.P75, f.P95 = append(f.Actual, r.Actual), append(f.P5, r.P5), append(f.P25, r.P25),
				append(f.P50, r.P50), append(f.P75, r.P75), append(f.P95, r.P95)
			if r.In50() {
				f.In50++
			}
			if r.In90() {
				f.In90++
			}
		}
		ch, err := report.BacktestFanChart(f)
		if err != nil {
			return err
		}
		if err := write(ch); err != nil {
			return err
		}
	}
	if len(b.Cuts) < 2 {
		return nil
	}
	h := report.BacktestHorizon{Source: b.History, What: "ARR of the book"}
	for _, c := range b.ByHorizon {
		h.Cuts = append(h.Cuts, c.Months)
		h.In50, h.In90 = append(h.In50, float64(c.In50)/float64(c.Months)), append(h.In90, float64(c.In90)/float64(c.Months))
	}
	ch, err := report.BacktestHorizonChart(h)
	if err != nil {
		return err
	}
	return write(ch)
}
