package scenarios

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// kind is what a number in the scenario means, which decides the forms it may
// be written in and the range it must lie in.
type kind struct {
	name     string
	lo, hi   float64
	openLo   bool // lo itself is not allowed
	percent  bool // "8%" allowed
	money    bool // "100k", "1.2M" allowed
	integer  bool
	expected string
	// most, if set (a power of ten), bounds a number as written (not a distribution's
	// range) far above any business, a quadrillion of money or a billion
	// meetings a year, so that a slip like 1e300 is caught here rather
	// than overflowing in the run.
	most float64
}

var kinds = map[string]kind{
	"prob":  {name: "prob", lo: 0, hi: 1, percent: true, expected: "a probability from 0% to 100% (write 8% or 0.08)"},
	"frac":  {name: "frac", lo: 0, hi: math.Inf(1), percent: true, expected: "a non-negative fraction (write 5% or 0.05)"},
	"rate":  {name: "rate", lo: -1, hi: math.Inf(1), percent: true, expected: "a rate of at least -100% (write 10% or 0.1)"},
	"money": {name: "money", lo: 0, hi: math.Inf(1), most: 1e15, money: true, expected: "a non-negative amount of money (write 100000, 100k or 1.2M)"},
	"real":  {name: "real", lo: 0, hi: math.Inf(1), most: 1e9, money: true, expected: "a non-negative number"},
	"mult":  {name: "mult", lo: 0, hi: math.Inf(1), most: 1e9, money: true, percent: true, expected: "a non-negative multiplier (write 2.0 or 85%)"},
	"raise": {name: "raise", lo: 1, hi: math.Inf(1), most: 1e9, percent: true, expected: "a multiplier of at least 1 (write 1.2 for 20% more)"},
	"lower": {name: "lower", lo: 0, hi: 1, percent: true, expected: "a multiplier from 0 to 1 (write 0.8 for 20% less)"},
	"pos":   {name: "pos", lo: 0, openLo: true, hi: math.Inf(1), expected: "a positive number"},
	"corr":  {name: "corr", lo: -1, hi: 1, expected: "a correlation between -1 and 1"},
	"int":   {name: "int", lo: 0, hi: math.Inf(1), integer: true, money: true, expected: "a whole number"},
	"nps":   {name: "nps", lo: -100, hi: 100, expected: "an NPS between -100 and 100"},
}

func (k kind) contains(v float64) bool {
	if k.openLo && v <= k.lo {
		return false
	}
	return v >= k.lo && v <= k.hi
}

// describe returns a short rendering of the value found in a node, for
// "expected X, found Y" messages.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode && len(n.Content) == 0:
		return "an empty mapping"
	case n.Kind == yaml.SequenceNode && len(n.Content) == 0:
		return "an empty list"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	if n.Tag == "!!null" {
		if n.Value != "" { // null, Null, NULL or ~
			return n.Value + ", which YAML reads as no value"
		}
		return "nothing"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:37] + "..."
	}
	return strconv.Quote(v)
}

// ReadCount reads a whole number as a scenario does (2000, 2k, 2_000),
// for a flag that stands for one of its counts, such as --trials; the error
// says what was expected and found, as a scenario's would.
func ReadCount(s string) (int, error) {
	k := kinds["int"]
	k.lo = math.Inf(-1) // the flag's range is the command's to check, and to explain
	v, msg := parseNumber(scalar(s), k)
	if msg != "" {
		return 0, errors.New(msg)
	}
	if math.Abs(v) > math.MaxInt32 {
		return 0, fmt.Errorf("expected a whole number, found %q (too large)", s)
	}
	return int(v), nil
}

// parseNumber reads a scalar as a number of the given kind: plain numbers,
// percentages, and money with k/M/B suffixes where the kind allows them. A
// suffix becomes a decimal exponent before the number is parsed, so 8% and
// 0.08, or 1.2M and 1200000, give the same float64.
func parseNumber(n *yaml.Node, k kind) (float64, string) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return 0, fmt.Sprintf("expected %s, found %s", k.expected, describe(n))
	}
	s := strings.TrimSpace(n.Value)
	exp := ""
	switch {
	case strings.HasSuffix(s, "%"):
		if !k.percent {
			return 0, fmt.Sprintf("expected %s, found %s (a percentage is not allowed here)", k.expected, describe(n))
		}
		s, exp = strings.TrimSpace(strings.TrimSuffix(s, "%")), "e-2"
	case k.money && len(s) > 1:
		s = strings.TrimPrefix(s, "$")
		switch s[len(s)-1] {
		case 'k', 'K':
			s, exp = s[:len(s)-1], "e3"
		case 'm', 'M':
			s, exp = s[:len(s)-1], "e6"
		case 'b', 'B':
			s, exp = s[:len(s)-1], "e9"
		}
	}
	s = strings.ReplaceAll(s, "_", "")
	v, err := strconv.ParseFloat(s+exp, 64)
	if err != nil || strings.ContainsAny(s, "xXpP") || s == "" || exp != "" && strings.ContainsAny(s, "eE") {
		lower := strings.ToLower(n.Value)
		switch {
		case n.Tag == "!!float" && (lower == ".nan" || strings.Contains(lower, "inf")):
			return 0, fmt.Sprintf("expected %s, found %s (must be a finite number)", k.expected, describe(n))
		case strings.Contains(s, ","):
			return 0, fmt.Sprintf("expected %s, found %s (write numbers without thousands separators: 100000 or 100k)", k.expected, describe(n))
		}
		return 0, fmt.Sprintf("expected %s, found %s", k.expected, describe(n))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Sprintf("expected %s, found %s (must be a finite number)", k.expected, describe(n))
	}
	if k.integer && v != math.Trunc(v) {
		return 0, fmt.Sprintf("expected %s, found %s", k.expected, describe(n))
	}
	if !k.contains(v) {
		hint := ""
		if k.name == "prob" && exp == "" && v > 1 && v <= 100 {
			hint = fmt.Sprintf(" (did you mean %s%%?)", n.Value)
		}
		return 0, fmt.Sprintf("expected %s, found %s%s", k.expected, describe(n), hint)
	}
	if k.most > 0 && v > k.most {
		return 0, fmt.Sprintf("expected %s, found %s (too large: at most %s)", k.expected, describe(n), fmt.Sprintf("1e%.0f", math.Log10(k.most)))
	}
	return v, ""
}

// format renders v in the units a person writes for this kind: 8% for a
// percentage, 100k for money.
func (k kind) format(v float64) string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }
	switch {
	case math.IsInf(v, 0) || math.IsNaN(v):
		return fmtBound(v)
	case k.percent:
		return g(v*100) + "%"
	case k.money && math.Abs(v) >= 1e6:
		return g(v/1e6) + "M"
	case k.money && math.Abs(v) >= 1e3:
		return g(v/1e3) + "k"
	}
	return g(v)
}

// levenshtein is the edit distance between a and b, for "did you mean".
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// synonyms are names people write for a field that has another name.
var synonyms = map[string]string{
	"std": "sd", "stdev": "sd", "stddev": "sd", "sigma": "sd", "average": "mean", "avg": "mean",
	"likely": "mode", "most_likely": "mode", "low": "min", "high": "max", "p50": "median",
}

// suggest returns the candidate s most likely stands for, or "" when none
// is close: a synonym, a near spelling, or the one candidate containing s.
func suggest(s string, candidates []string) string {
	s = strings.ToLower(s)
	if syn, ok := synonyms[s]; ok && slices.Contains(candidates, syn) {
		return syn
	}
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := levenshtein(s, c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	var containing []string
	for _, c := range candidates {
		if len(s) >= 3 && strings.Contains(c, s) {
			containing = append(containing, c)
		}
	}
	if len(containing) == 1 {
		return containing[0]
	}
	return ""
}

// choices ends an "unknown name" message: the candidate s most likely
// stands for, or else the candidates, when they are few enough to read.
func choices(s string, candidates []string) string {
	if c := suggest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	if len(candidates) > 20 {
		return ""
	}
	return " (use one of: " + strings.Join(candidates, ", ") + ")"
}
