package calibrate

import (
	"os"
	"path/filepath"
	"testing"

	"csplan/internal/synth"
)

// writeBigHistory writes synth.History of n accounts at path.
func writeBigHistory(tb testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := synth.History(f, n); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
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
