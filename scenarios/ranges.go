package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// MaxRangePoints bounds the values of one range: a sweep's axis, an
// optimizer's variable (the messages below say 1,000).
const MaxRangePoints = 1000

// ParseRange expands FROM..TO[:STEP] or a comma list into values as written.
// The numbers of a range must be finite, and the count of its points is
// checked as a float before anything is made of it, so that a range of
// 1e300 points, or one whose span overflows, is refused rather than
// allocated.
func ParseRange(s string) ([]string, error) {
	from, rest, ok := strings.Cut(s, "..")
	if !ok || strings.ContainsAny(s, "[{") {
		return parseList(s)
	}
	to, step := rest, "1"
	if t, st, ok := strings.Cut(rest, ":"); ok {
		to, step = t, st
	}
	// A unit written on the numbers (1%..7%:2%, 100k..200k:50k) is kept
	// on the values; every number must carry the same one.
	unit := rangeUnit(from)
	if unit != "" {
		if rangeUnit(to) != unit || (strings.Contains(rest, ":") && rangeUnit(step) != unit) {
			return nil, fmt.Errorf("range %q: FROM, TO and STEP must be written in the same unit (1%%..7%%:2%%)", s)
		}
		from, to = strings.TrimSuffix(strings.TrimSpace(from), unit), strings.TrimSuffix(strings.TrimSpace(to), unit)
		step = strings.TrimSuffix(strings.TrimSpace(step), unit)
	}
	a, ok1 := finite(from)
	b, ok2 := finite(to)
	d, ok3 := finite(step)
	if !ok1 || !ok2 || !ok3 || d <= 0 || b < a {
		return nil, fmt.Errorf("range %q: expected FROM..TO[:STEP] with finite numbers, FROM ≤ TO and STEP > 0", s)
	}
	span := (b - a) / d // +Inf when b − a overflows
	if !(span < MaxRangePoints) {
		return nil, fmt.Errorf("range %q has more than 1,000 points; give a larger STEP or a narrower range (at most 1,000 points)", s)
	}
	n := int(math.Floor(span+1e-9)) + 1
	out := make([]string, n)
	for i := range out {
		// Twelve significant digits: the float noise of a + i·d
		// (0.30000000000000004) is not part of a value as written.
		v, _ := strconv.ParseFloat(strconv.FormatFloat(a+float64(i)*d, 'g', 12, 64), 64)
		out[i] = strconv.FormatFloat(v, 'f', -1, 64) + unit
		if i > 0 && out[i] == out[i-1] {
			return nil, fmt.Errorf("range %q: the step %s is too small for numbers this large: points %d and %d would both be %s; give a larger STEP",
				s, step, i, i+1, out[i])
		}
	}
	return out, nil
}

// rangeUnit is the unit a number of a range is written in: %, k or M,
// or "" for a plain number.
func rangeUnit(v string) string {
	v = strings.TrimSpace(v)
	for _, u := range []string{"%", "k", "M"} {
		if strings.HasSuffix(v, u) {
			return u
		}
	}
	return ""
}

// parseList reads values separated by commas outside brackets, braces
// and quotes (splitList), none empty, given twice or written as a range
// with a dash (5-14).
func parseList(s string) ([]string, error) {
	vals, err := splitList(s)
	if err != nil {
		return nil, err
	}
	if len(vals) > MaxRangePoints {
		return nil, fmt.Errorf("list has %s values, more than 1,000; give fewer", thousands(float64(len(vals))))
	}
	for i := range vals {
		vals[i] = strings.TrimSpace(vals[i])
		if vals[i] == "" {
			return nil, fmt.Errorf("list %q has an empty value", s)
		}
		if slices.Contains(vals[:i], vals[i]) {
			return nil, fmt.Errorf("list %q has %s twice", s, vals[i])
		}
		if m := dashRange.FindStringSubmatch(vals[i]); m != nil && !isMonth.MatchString(vals[i]) {
			return nil, fmt.Errorf("%q is not a range: write FROM..TO[:STEP] with two dots, %s..%s", vals[i], m[1], m[2])
		}
	}
	return vals, nil
}

// dashRange is a value that looks like a range written with a dash (5-14,
// 0.1 - 0.3), a mistake for FROM..TO; isMonth is a month (2027-03), which
// is not.
var (
	dashRange = regexp.MustCompile(`^(-?\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$`)
	isMonth   = regexp.MustCompile(`^\d{4}-\d{1,2}$`)
)

// splitList splits s at the commas outside brackets, braces and the
// quotes within them, so that a flow-style YAML value ([{from: 2027-04, csms: 9}]) stays
// whole; brackets and braces must balance.
func splitList(s string) ([]string, error) {
	var vals []string
	var open []rune // the closers awaited
	quote, start := rune(0), 0
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case (r == '"' || r == '\'') && len(open) > 0: // a quote in YAML, not an apostrophe
			quote = r
		case r == '[' || r == '{':
			open = append(open, map[rune]rune{'[': ']', '{': '}'}[r])
		case r == ']' || r == '}':
			if len(open) == 0 || open[len(open)-1] != r {
				return nil, fmt.Errorf("list %q: %c at %d closes nothing open; a YAML value is written [a, b] or {key: value}", s, r, i+1)
			}
			open = open[:len(open)-1]
		case r == ',' && len(open) == 0:
			vals, start = append(vals, s[start:i]), i+1
		}
	}
	if len(open) > 0 || quote != 0 {
		return nil, fmt.Errorf("list %q: a bracket, brace or quote is not closed", s)
	}
	return append(vals, s[start:]), nil
}

// finite reads a number of a range, refusing NaN and infinities.
func finite(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}
