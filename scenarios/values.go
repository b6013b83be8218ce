package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// kind is what a number in the scenario means, which decides the forms it may
// be written in and the range it must lie in.
type kind struct {
	name       string
	lo, hi     float64
	openLo     bool // lo itself is not allowed
	percent    bool // "8%" allowed
	money      bool // "100k", "1.2M" allowed
	integer    bool
	expected   string
	schemaDesc string
}

var kinds = map[string]kind{
	"prob":  {name: "prob", lo: 0, hi: 1, percent: true, expected: "a probability between 0 and 1 (write 8% or 0.08)"},
	"frac":  {name: "frac", lo: 0, hi: math.Inf(1), percent: true, expected: "a non-negative fraction (write 5% or 0.05)"},
	"rate":  {name: "rate", lo: -1, hi: math.Inf(1), percent: true, expected: "a rate of at least -100% (write 10% or 0.1)"},
	"money": {name: "money", lo: 0, hi: math.Inf(1), money: true, expected: "a non-negative amount of money (write 100000, 100k or 1.2M)"},
	"real":  {name: "real", lo: 0, hi: math.Inf(1), money: true, expected: "a non-negative number"},
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
		return "nothing"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:37] + "..."
	}
	return strconv.Quote(v)
}

// parseNumber reads a scalar as a number of the given kind: plain numbers,
// percentages, and money with k/M/B suffixes where the kind allows them.
func parseNumber(n *yaml.Node, k kind) (float64, string) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return 0, fmt.Sprintf("expected %s, found %s", k.expected, describe(n))
	}
	s := strings.TrimSpace(n.Value)
	mult := 1.0
	what := ""
	switch {
	case strings.HasSuffix(s, "%"):
		if !k.percent {
			return 0, fmt.Sprintf("expected %s, found %s (a percentage is not allowed here)", k.expected, describe(n))
		}
		s, mult, what = strings.TrimSpace(strings.TrimSuffix(s, "%")), 0.01, "%"
	case k.money && len(s) > 1:
		s = strings.TrimPrefix(s, "$")
		switch s[len(s)-1] {
		case 'k', 'K':
			s, mult = s[:len(s)-1], 1e3
		case 'm', 'M':
			s, mult = s[:len(s)-1], 1e6
		case 'b', 'B':
			s, mult = s[:len(s)-1], 1e9
		}
	}
	s = strings.ReplaceAll(s, "_", "")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "xXpP") || s == "" {
		if n.Tag == "!!float" && (strings.EqualFold(n.Value, ".nan") || strings.Contains(strings.ToLower(n.Value), "inf")) {
			return 0, fmt.Sprintf("expected %s, found %s (must be a finite number)", k.expected, describe(n))
		}
		return 0, fmt.Sprintf("expected %s, found %s", k.expected, describe(n))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Sprintf("expected %s, found %s (must be a finite number)", k.expected, describe(n))
	}
	v *= mult
	if k.integer && v != math.Trunc(v) {
		return 0, fmt.Sprintf("expected %s, found %s", k.expected, describe(n))
	}
	if !k.contains(v) {
		hint := ""
		if k.name == "prob" && what == "" && v > 1 && v <= 100 {
			hint = fmt.Sprintf(" (did you mean %s%%?)", n.Value)
		}
		return 0, fmt.Sprintf("expected %s, found %s%s", k.expected, describe(n), hint)
	}
	return v, ""
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

// suggest returns the closest candidate to s, or "" when none is close.
func suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(s), c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}
