// Package synth writes synthetic company histories for benchmarks and
// tests: large files of a known shape, the same for a seed.
package synth

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
)

// History writes n accounts × 36 months of monthly-contract history as a
// history CSV (account_id, month, mrr, segment) from 2022-01: churn
// propensities varying by account, a 2 % chance of a 10 % upsell each
// month, three segments; 70 % of the accounts there from the first month,
// the rest starting later. 100,000 accounts make about 2.5 million rows.
func History(out io.Writer, n int) error {
	w := bufio.NewWriterSize(out, 1<<20)
	r := rand.New(rand.NewPCG(1, 2))
	fmt.Fprintln(w, "account_id,month,mrr,segment")
	segs := []string{"enterprise", "mid-market", "smb"}
	for a := range n {
		start := 0
		if a%10 >= 7 {
			start = r.IntN(36)
		}
		theta := 0.005 + 0.03*r.Float64()*r.Float64()
		mrr := math.Exp(6 + r.NormFloat64())
		for m := start; m < 36; m++ {
			if m > start && r.Float64() < theta {
				break
			}
			if r.Float64() < 0.02 {
				mrr *= 1.1
			}
			fmt.Fprintf(w, "acct-%07d,%d-%02d,%.2f,%s\n", a, 2022+m/12, m%12+1, mrr, segs[a%3])
		}
	}
	return w.Flush()
}

// RealShaped writes a history shaped like a real book, for examples and
// backtests: 48 months from 2022-01 of about 1,500 accounts on three kinds
// of contract, each a segment:
//
//   - monthly: month to month, 3.5 % a month leaving, falling with tenure
//     (to 2 % after a year);
//   - annual: leaving only at a renewal, more at each (8 %, then 15 %, then
//     25 %): a hazard that rises with tenure;
//   - two-year: nobody leaving for 24 months (lock-in), then 20 % at each
//     yearly renewal.
//
// Prices have two humps (a self-serve tier near $250 a month, a sales-led
// one near $2,500), upsells of 10 % come at renewals, and new accounts
// arrive every month. The same bytes for every call.
func RealShaped(out io.Writer) error {
	w := bufio.NewWriterSize(out, 1<<20)
	r := rand.New(rand.NewPCG(7, 11))
	fmt.Fprintln(w, "account_id,month,mrr,segment")
	const months = 48
	type kind struct {
		name    string
		opening int // accounts in the first month
		perMon  int // new accounts a month
		leaves  func(tenure int) float64
	}
	kinds := []kind{
		{"monthly", 300, 12, func(t int) float64 { return 0.035 - 0.015*math.Min(1, float64(t)/12) }},
		{"annual", 250, 6, func(t int) float64 {
			if t%12 != 0 {
				return 0
			}
			return []float64{0.08, 0.15, 0.25}[min(t/12, 3)-1]
		}},
		{"two-year", 150, 3, func(t int) float64 {
			if t < 24 || t%12 != 0 {
				return 0
			}
			return 0.2
		}},
	}
	id := 0
	for _, k := range kinds {
		for start := 0; start < months; start++ {
			n := k.perMon
			if start == 0 {
				n = k.opening
			}
			for range n {
				id++
				// Tenure before the history for the opening book.
				tenure := 0
				if start == 0 {
					tenure = r.IntN(36)
				}
				mrr := math.Exp(math.Log(250) + 0.5*r.NormFloat64())
				if r.Float64() < 0.3 {
					mrr = math.Exp(math.Log(2500) + 0.4*r.NormFloat64())
				}
				for m := start; m < months; m++ {
					t := tenure + m - start
					if m > start {
						if r.Float64() < k.leaves(t) {
							break
						}
						if t%12 == 0 && r.Float64() < 0.2 {
							mrr *= 1.1
						}
					}
					fmt.Fprintf(w, "a%05d,%d-%02d,%.2f,%s\n", id, 2022+m/12, m%12+1, mrr, k.name)
				}
			}
		}
	}
	return w.Flush()
}
