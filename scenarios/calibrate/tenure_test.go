package calibrate

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"csplan/scenarios"
)

// calibrate writes the book's tenure: the median months as customers of
// the accounts paying in the last month, "at least" when most were there
// when the history starts; the scenario reads it back.
func TestCalibrateWritesTenure(t *testing.T) {
	var b strings.Builder
	b.WriteString("account_id,month,mrr\n")
	// Three accounts started in months 1, 4 and 10 of 2024 and pay to
	// December: tenures 12, 9 and 3 months, median 9.
	for a, start := range []int{1, 4, 10} {
		for m := start; m <= 12; m++ {
			fmt.Fprintf(&b, "a%d,2024-%02d,100\n", a, m)
		}
	}
	h, err := ReadHistory(bytes.NewReader([]byte(b.String())), "h.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Calibrate(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Segments[0]; s.Tenure != 9 || s.Censored {
		t.Errorf("tenure %d (censored %v), want 9", s.Tenure, s.Censored)
	}
	y := Scenario(c, ScenarioOptions{Trials: 10})
	s, err := scenarios.Parse("c.yaml", y, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	if got := s.Options[0].Model.Segments[0].TenureMonths; got != 9 {
		t.Errorf("the written scenario's tenure is %d months, want 9\n%s", got, y)
	}
}
