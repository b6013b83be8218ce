package synth

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/history/real-shaped.csv")

// The real-shaped example history in testdata is RealShaped's output, so
// that it can be made again (go test ./internal/synth -update).
func TestRealShapedExample(t *testing.T) {
	var b bytes.Buffer
	if err := RealShaped(&b); err != nil {
		t.Fatal(err)
	}
	const path = "../../testdata/history/real-shaped.csv"
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, b.Bytes()) {
		t.Errorf("%s is not RealShaped's output (%d bytes against %d); run go test ./internal/synth -update", path, len(have), b.Len())
	}
}
