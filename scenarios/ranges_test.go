package scenarios

import (
	"strings"
	"testing"
)

// ParseRange never makes more than MaxRangePoints values, nor two alike,
// and refuses what is not a finite range.
func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // values joined by spaces, or the start of the error
	}{
		{"6..14:2", "6 8 10 12 14"},
		{"0.1..0.3:0.1", "0.1 0.2 0.3"},
		{"0.01..0.07:0.02", "0.01 0.03 0.05 0.07"},
		{"1%..7%:2%", "1% 3% 5% 7%"},
		{"100k..200k:50k", "100k 150k 200k"},
		{"1%..7", `range "1%..7": FROM, TO and STEP`},
		{"1..1", "1"},
		{"0..999", ""}, // 1,000 points: allowed; checked by length below
		{"0..1000", `range "0..1000" has more than 1,000 points`},
		{"infinity..1", `range "infinity..1": expected`},
		{"1..0", `range "1..0": expected`},
		{"0..1:0", `range "0..1:0": expected`},
		{"0..1:-1", `range "0..1:-1": expected`},
		{"5%,8%,12%", "5% 8% 12%"},
		{"a,,b", `list "a,,b" has an empty value`},
		{"[{from: 2027-04, csms: 9}]", "[{from: 2027-04, csms: 9}]"},
		{"[{from: 2027-04, csms: 9}, {from: 7, csms: 3}]", "[{from: 2027-04, csms: 9}, {from: 7, csms: 3}]"},
		{"[{from: 4, csms: 9}],[{from: 4, csms: 10}]", "[{from: 4, csms: 9}] [{from: 4, csms: 10}]"},
		{"{a: 'x, y'},{a: \"z]\"}", "{a: 'x, y'} {a: \"z]\"}"},
		{"it's,fine", "it's fine"},
		{"[1..3]", "[1..3]"},
		{"[{from: 4, csms: 9}", `list "[{from: 4, csms: 9}": a bracket, brace or quote is not closed`},
		{"[a}", `list "[a}": } at 3 closes nothing open`},
		{"a]", `list "a]": ] at 2 closes nothing open`},
		{"5-14", `"5-14" is not a range: write FROM..TO[:STEP] with two dots, 5..14`},
		{"0.1 - 0.3", `"0.1 - 0.3" is not a range: write FROM..TO[:STEP] with two dots, 0.1..0.3`},
		{"4,6-8", `"6-8" is not a range: write FROM..TO[:STEP] with two dots, 6..8`},
		{"2027-03,2027-04", "2027-03 2027-04"},
		{strings.Repeat("a,", 1000) + "b", "list has 1,001 values, more than 1,000"},
	} {
		got, err := ParseRange(tc.in)
		switch {
		case tc.in == "0..999":
			if err != nil || len(got) != MaxRangePoints {
				t.Errorf("%s: %d values, %v", tc.in, len(got), err)
			}
		case err != nil:
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("%s: %v, want %s", tc.in, err, tc.want)
			}
		case strings.Join(got, " ") != tc.want:
			t.Errorf("%s: %v, want %s", tc.in, got, tc.want)
		}
	}
}

// FuzzParseRange: no range panics, makes more than MaxRangePoints values,
// or makes two values alike.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"6..14:2", "0..1:1e-300", "NaN..1", "0..1e300", "-1e308..1e308:1e306", "5%,8%", "1e17..1.0000000000000002e17:1", "a,b,a",
		"[{from: 2027-04, csms: 9}]", "[{from: 4, csms: 9}],[{from: 4, csms: 10}]", "{a: 'x, y'},{a: \"z]\"}", "[a}", "5-14", "[1..3]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vals, err := ParseRange(s)
		if err != nil {
			return
		}
		if len(vals) == 0 || len(vals) > MaxRangePoints {
			t.Fatalf("%q: %d values", s, len(vals))
		}
		seen := map[string]bool{}
		for _, v := range vals {
			if seen[v] {
				t.Fatalf("%q: %s twice", s, v)
			}
			seen[v] = true
			// A value split off a list keeps its brackets balanced, and no
			// value is a range written with a dash.
			if strings.Count(v, "[")+strings.Count(v, "{") > 0 && !strings.ContainsAny(v, "'\"") &&
				strings.Count(v, "[")+strings.Count(v, "{") != strings.Count(v, "]")+strings.Count(v, "}") {
				t.Fatalf("%q: value %q is unbalanced", s, v)
			}
			if dashRange.MatchString(v) && !isMonth.MatchString(v) {
				t.Fatalf("%q: value %q is a range with a dash", s, v)
			}
		}
	})
}
