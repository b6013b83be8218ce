package plan

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csplan/internal/synth"
	"csplan/results"
	"csplan/scenarios"
	"csplan/scenarios/calibrate"
	"csplan/sim"
)

// knownBook is the model the coverage test draws its histories from:
// monthly contracts, a constant churn rate and Poisson arrivals, which
// calibrate fits within its family.
const knownBook = `
name: known
start: 2022-01
horizon_months: 30
trials: 1
segments:
  - name: smb
    accounts: 400
    acv: {lognormal: {median: 6k, p90: 15k}}
    contract: {term_months: 1}
    churn: {monthly: 3%}
acquisition:
  smb: {per_month: 15, acv: {lognormal: {median: 5k, p90: 12k}}}
`

// writeKnownHistory simulates knownBook with seed and writes it as a
// history CSV in dir.
func writeKnownHistory(t *testing.T, dir string, seed uint64) string {
	t.Helper()
	s, err := scenarios.Parse("known.yaml", []byte(knownBook), nil)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := sim.History(s.Options[0].Model, seed, 0)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	start, _ := calibrate.ParseMonth("2022-01")
	calibrate.WriteHistory(&b, paths, start, 30)
	path := filepath.Join(dir, "known.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Histories drawn from a known model, fitted on their first 24 months,
// fall inside the forecast's intervals six months on about as often as
// the intervals say: one month per history, so the counts are binomial,
// and each lies within three of its standard errors of nominal.
func TestBacktestCoverage(t *testing.T) {
	const histories = 40
	in := map[string][2]int{} // metric → months inside 50 %, 90 %
	for seed := range uint64(histories) {
		path := writeKnownHistory(t, t.TempDir(), 100+seed)
		bt, err := Backtest(context.Background(), path, BacktestOptions{Until: "2023-12", Trials: 300, Seed: 1 + seed})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range bt.Cuts[0].Rows {
			if r.Ahead == 6 {
				c := in[r.Metric]
				if r.In50() {
					c[0]++
				}
				if r.In90() {
					c[1]++
				}
				in[r.Metric] = c
			}
		}
	}
	for _, metric := range []string{results.SeriesARR, results.SeriesLogos} {
		for i, p := range []float64{0.5, 0.9} {
			got, want, se := float64(in[metric][i]), p*histories, math.Sqrt(histories*p*(1-p))
			t.Logf("%s inside its %.0f %% interval in %.0f of %d histories (nominal %.0f ± %.1f)", metric, 100*p, got, histories, want, se)
			if math.Abs(got-want) > 3*se {
				t.Errorf("%s inside its %.0f %% interval in %.0f of %d histories, nominal %.0f ± %.1f", metric, 100*p, got, histories, want, se)
			}
		}
	}
}

// BenchmarkBacktest100k backtests 100,000 accounts × 36 months in three
// segments: read, fit to month 24 and forecast months 25 to 36 with 500
// trials, for the book and each segment (the budget: under 30 s on 2
// cores).
func BenchmarkBacktest100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "history.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := synth.History(f, 100_000); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ResetTimer()
	for range b.N {
		if _, err := Backtest(context.Background(), path, BacktestOptions{Until: "2023-12", Trials: 500, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// Settings out of range are refused before any work, naming the setting;
// a cut month with no account paying is refused, not forecast from nothing.
func TestBacktestRefuses(t *testing.T) {
	path := writeKnownHistory(t, t.TempDir(), 1)
	for _, c := range []struct {
		opt  BacktestOptions
		want string
	}{
		{BacktestOptions{Until: "2023-12", Trials: 1_000_000_000, Seed: 1}, "trials must be between 1 and 10000000"},
		{BacktestOptions{Until: "2023-12", Trials: 10, Seed: math.MaxUint64}, "seed"},
		{BacktestOptions{Until: "2023-12", Trials: 10, Seed: 1, Every: math.MaxInt}, "rolling must be 0 (one cut) or a number of months up to 1200"},
		{BacktestOptions{Until: "2024-06", Trials: 10, Seed: 1}, "leaves no month to forecast: the history ends in 2024-06"},
		{BacktestOptions{Until: "2022-13", Trials: 10, Seed: 1}, `"2022-13": expected the last month to fit, YYYY-MM`},
	} {
		if _, err := Backtest(context.Background(), path, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.opt, err, c.want)
		}
	}
	empty := filepath.Join(t.TempDir(), "late.csv")
	os.WriteFile(empty, []byte("account_id,month,mrr\na,2024-01,0\na,2024-02,0\na,2024-03,100\na,2024-04,100\nb,2024-04,50\n"), 0o644)
	if _, err := Backtest(context.Background(), empty, BacktestOptions{Until: "2024-02", Trials: 10, Seed: 1}); err == nil || !strings.Contains(err.Error(), "no account pays in 2024-02, a cut month") {
		t.Errorf("a cut with no book: %v", err)
	}
}
