package main

import (
	"strings"
	"testing"
)

// --trials is read as the scenario's trials are: 2000, 2k, 1.001k or
// 2_000; anything else says what was expected, not a Go parser's words.
func TestTrialsFlag(t *testing.T) {
	for s, want := range map[string]int{"2000": 2000, "2k": 2000, "2K": 2000, "2_000": 2000, "1.001k": 1001, "1M": 1000000, " 64 ": 64} {
		var c countValue
		if err := c.Set(s); err != nil || int(c) != want {
			t.Errorf("--trials %q = %d, %v; want %d", s, c, err, want)
		}
	}
	for _, s := range []string{"2,000", "abc", "2.5", "NaN", "Inf", "1e300", "-1e300"} {
		var c countValue
		err := c.Set(s)
		if err == nil || strings.Contains(err.Error(), "strconv") || !strings.Contains(err.Error(), "expected a whole number") {
			t.Errorf("--trials %q: %v, want an error that says what was expected", s, err)
		}
	}
}
