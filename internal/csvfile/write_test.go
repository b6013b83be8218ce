package csvfile

import (
	"strings"
	"testing"
)

// Uncell gives back every text Cell wrote, over every string of up to
// four characters from the characters that matter (quote, formula starts,
// a digit, a dot, a letter), and a spreadsheet runs none of what Cell
// writes but numbers.
func TestCellRoundTrip(t *testing.T) {
	const alphabet = "'=+-@\t1.a"
	var all []string
	var grow func(s string)
	grow = func(s string) {
		all = append(all, s)
		if len(s) == 4 {
			return
		}
		for _, r := range alphabet {
			grow(s + string(r))
		}
	}
	grow("")
	for _, s := range all {
		c := Cell(s)
		if got := Uncell(c); got != s {
			t.Fatalf("Uncell(Cell(%q)) = Uncell(%q) = %q", s, c, got)
		}
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && !csvNumber.MatchString(c) {
			t.Fatalf("Cell(%q) = %q: a spreadsheet would run it", s, c)
		}
	}
	if len(all) < 7000 {
		t.Fatalf("only %d strings", len(all))
	}
}

// Headers compare by their words, whatever the case, spacing, punctuation
// or unit in brackets.
func TestHeaderKey(t *testing.T) {
	for in, want := range map[string]string{
		"Monthly Recurring Revenue (USD)": "monthly_recurring_revenue",
		" Account ID ":                    "account_id",
		"\ufeffaccount_id":                "account_id",
		"Renewal-Date":                    "renewal_date",
		"MRR [EUR]":                       "mrr",
		"Cust #":                          "cust",
		"#":                               "",
		"tenure_months":                   "tenure_months",
	} {
		if got := HeaderKey(in); got != want {
			t.Errorf("HeaderKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzMapHeader: no header and mapping make MapHeader or HeaderKey panic,
// a column it places is one of the header's, and no two columns share
// one.
func FuzzMapHeader(f *testing.F) {
	f.Add("Customer ID,Billing Month,MRR (USD)", "month=Billing Month")
	f.Add("a,b,a", "x=a;y=A")
	f.Add("", "")
	f.Add("\ufeff(,[,", "mrr=(")
	f.Fuzz(func(t *testing.T, header, mapping string) {
		cols := strings.Split(header, ",")
		m := map[string]string{}
		var known []string
		for _, p := range strings.Split(mapping, ";") {
			if k, v, ok := strings.Cut(p, "="); ok {
				m[k] = v
				known = append(known, k)
			}
		}
		for _, h := range cols {
			if k := HeaderKey(h); strings.Contains(k, "__") || strings.HasPrefix(k, "_") || strings.HasSuffix(k, "_") {
				t.Fatalf("HeaderKey(%q) = %q", h, k)
			}
		}
		col, taken, err := MapHeader(cols, m, known)
		if err != nil {
			return
		}
		seen := map[int]bool{}
		for k, i := range col {
			if i < 0 || i >= len(cols) || !taken[i] || seen[i] {
				t.Fatalf("%s placed at %d of %q (taken %v)", k, i, cols, taken)
			}
			seen[i] = true
		}
	})
}
