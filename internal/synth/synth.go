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
