package calibrate

import (
	"bytes"
	"strings"
	"testing"

	"csplan/internal/synth"
)

// A history of three months: the few accounts that start within it have
// hardly left, so churn is fitted on every account, the opening book as if
// it started with the history, and says so. On the entrants alone the
// monthly rate came out at 22 % to 63 % against the book's 1 %.
func TestShortHistoryFitsChurnOnTheBook(t *testing.T) {
	h := realShaped(t)
	c, err := Calibrate(h.Until(h.First+2), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Segments {
		if !s.Churn.Opening {
			t.Errorf("segment %s: churn fitted on the %d accounts that start within three months", s.Name, s.Churn.Observed)
		}
		if s.Churn.Term == 1 {
			if p := s.Churn.Const.P.Value; p > 0.05 {
				t.Errorf("segment %s: monthly churn %.3g fitted on three months, the book loses about 1 %% a month", s.Name, p)
			}
		}
	}
	n := 0
	for _, w := range c.Warnings {
		if strings.Contains(w, "too few to fit churn on") {
			n++
		}
	}
	if n != len(c.Segments) {
		t.Errorf("%d warnings of too few losses for %d segments: %q", n, len(c.Segments), c.Warnings)
	}
}

// A history of a year or more keeps churn on the accounts that start
// within it, however few of them have left: taking the book as new would
// understate churn. Thirteen months of real-shaped.csv: the annual
// entrants have hardly reached a renewal.
func TestYearOfHistoryKeepsTheEntrants(t *testing.T) {
	h := realShaped(t)
	c, err := Calibrate(h.Until(h.First+12), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Segments {
		if s.Name == "annual" && s.Churn.Opening {
			t.Errorf("annual churn fitted on the book as if new after thirteen months (%d entrants)", s.Churn.Observed)
		}
	}
}

// realShaped is testdata/history/real-shaped.csv, read.
func realShaped(t *testing.T) *History {
	t.Helper()
	var b bytes.Buffer
	if err := synth.RealShaped(&b); err != nil {
		t.Fatal(err)
	}
	h, err := ReadHistory(&b, "real-shaped.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}
