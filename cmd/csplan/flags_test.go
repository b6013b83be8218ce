package main

import "testing"

// --trials is read as a person writes a count, as the scenario's trials are.
func TestReadCount(t *testing.T) {
	for s, want := range map[string]int{"2000": 2000, "2,000": 2000, "2k": 2000, "2K": 2000, "2_000": 2000, "1,000,000": 1000000, "2.5k": 2500, "1M": 1000000, " 64 ": 64} {
		if got, err := readCount(s); err != nil || got != want {
			t.Errorf("readCount(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"1,00", "12,0000", ",000", "abc", "1e3", "2.5", "0x10", "NaN", "Inf", "1e300", "2,000k0"} {
		if got, err := readCount(s); err == nil {
			t.Errorf("readCount(%q) = %d, want an error", s, got)
		}
	}
}
