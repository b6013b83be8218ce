package calibrate

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// writeBigHistory writes n accounts × 36 months of monthly-contract
// history (churn propensities varying by account, monthly upsells, three segments;
// each month), about 2.5 million rows: 70 % of the accounts are there from the first month, the rest start later.
func writeBigHistory(tb testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
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
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// BenchmarkCalibrate100k reads and calibrates 100,000 accounts × 36 months
// from a file (the budget: under 10 s on 2 cores).
func BenchmarkCalibrate100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "history.csv")
	writeBigHistory(b, path, 100_000)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for range b.N {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		h, err := ReadHistory(f, path, ReadOptions{})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		c, err := Calibrate(h, Options{})
		if err != nil {
			b.Fatal(err)
		}
		_ = Scenario(c, ScenarioOptions{})
	}
}
