package plan

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
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
