package csvfile

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// HeaderKey is a header as csplan compares it: lower case, a unit in
// brackets left out, every run of spaces and punctuation one underscore,
// none at the ends ("Monthly Recurring Revenue (USD)":
// monthly_recurring_revenue; "Account ID": account_id). CRM exports name
// the same column in many ways.
func HeaderKey(h string) string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")
	if i := strings.IndexAny(h, "(["); i > 0 {
		h = h[:i]
	}
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
			continue
		}
		gap = true
	}
	return b.String()
}

// MapHeader places the columns a mapping names: mapping holds, for
// columns of known (the columns the file may have), the file's own
// header of each. It returns each mapped column's place and which places
// are taken, or an error naming a column known does not have, or a header
// the file does not have.
func MapHeader(header []string, mapping map[string]string, known []string) (col map[string]int, taken []bool, err error) {
	col, taken = map[string]int{}, make([]bool, len(header))
	keys := make([]string, 0, len(mapping))
	for k := range mapping {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			return nil, nil, fmt.Errorf("a mapping of %s, which is no column csplan reads here (map one of %s)", Quote(Clip(k)), strings.Join(known, ", "))
		}
		want := HeaderKey(mapping[k])
		i := slices.IndexFunc(header, func(h string) bool { return HeaderKey(h) == want })
		switch {
		case i < 0:
			return nil, nil, fmt.Errorf("%s is mapped to %s, which the header does not have (found %s)", k, Quote(Clip(mapping[k])), Clip(strings.Join(header, ",")))
		case taken[i]:
			return nil, nil, fmt.Errorf("%s is mapped to %s, which another column is mapped to too", k, Quote(Clip(mapping[k])))
		}
		col[k], taken[i] = i, true
	}
	return col, taken, nil
}

// MapHint suggests, for a missing column, mapping it with flag to one of
// the header's columns that no column took; "" when every column is
// taken.
func MapHint(flag, missing string, header []string, taken []bool) string {
	if len(header) == 1 {
		for _, sep := range []string{";", "\t", "|"} {
			if strings.Contains(header[0], sep) {
				return fmt.Sprintf("; the header is one column holding %s: csplan reads comma-separated files, so save it as CSV with commas (a spreadsheet in a European locale separates with semicolons)", Quote(sep))
			}
		}
	}
	var free []string
	for i, h := range header {
		if i < len(taken) && !taken[i] {
			free = append(free, Quote(Clip(h)))
		}
	}
	if len(free) == 0 {
		return ""
	}
	if len(free) > 6 {
		free = append(free[:6], "…")
	}
	return fmt.Sprintf("; if %s is one of the columns not read (%s), say which: %s %s=NAME", missing, strings.Join(free, ", "), flag, missing)
}
