// Package report renders results: text summaries, charts, documents and
// spreadsheets. It knows nothing of how the numbers were made; its input is
// a results.Results value (the results.json contract).
package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// currencySymbols are the prefixes used for common currencies; others are
// written as a code after the amount.
var currencySymbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "C$", "AUD": "A$"}

// currencyCode is the results' currency, USD where they name none.
func currencyCode(c string) string {
	if c == "" {
		return "USD"
	}
	return c
}

// Money formats an amount for people: $1.2M, $350k, $950, with the sign in
// front (−$1.2M). Three significant digits. An amount that rounds to zero
// has no sign ($0, never −$0).
func Money(v float64, currency string) string {
	sign := ""
	if v < 0 {
		sign, v = "−", -v
	}
	var s string
	// Round first, so that 999,960 reads $1.00M rather than $1000k.
	switch {
	case roundSig3(v) >= 1e9:
		s = sig3(v/1e9) + "B"
	case roundSig3(v) >= 1e6:
		s = sig3(v/1e6) + "M"
	case roundSig3(v) >= 1e3:
		s = sig3(v/1e3) + "k"
	default:
		s = strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	if zeroText(s) {
		sign = ""
	}
	if sym, ok := currencySymbols[currency]; ok || currency == "" {
		if currency == "" {
			sym = "$"
		}
		return sign + sym + s
	}
	return sign + s + " " + currency
}

// roundSig3 rounds v to three significant digits.
func roundSig3(v float64) float64 {
	if v == 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v))-2)
	return math.Round(v/p) * p
}

// sig3 writes v (1 ≤ v < 1000) with three significant digits, dropping
// trailing zeros: 1.20 → 1.2, 350 → 350. Round tick values stay short
// ($45M, $1.5M).
func sig3(v float64) string {
	d := 2
	switch {
	case v >= 99.95:
		d = 0
	case v >= 9.995:
		d = 1
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Percent formats a fraction as a percentage with one decimal: 0.957 → 95.7%.
// A fraction that rounds to zero has no sign (0.0%, never -0.0%).
func Percent(v float64) string {
	s := strconv.FormatFloat(100*v, 'f', 1, 64)
	if zeroText(s) {
		s = strings.TrimPrefix(s, "-")
	}
	return s + "%"
}

// zeroText reports whether a formatted number reads as zero: it has no
// digit but 0. A value that rounds to zero is written without a sign.
func zeroText(s string) bool { return !strings.ContainsAny(s, "123456789") }

// Count formats a count of accounts with thousands separators. A count
// that rounds to zero has no sign.
func Count(v float64) string {
	n := int64(math.Round(v))
	s := strconv.FormatInt(abs(n), 10)
	var b strings.Builder
	if n < 0 {
		b.WriteString("−")
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// MonthLabel is the calendar month of simulation month m (1-based; 0 is the
// opening book, the month before start) as "Apr 2027".
func MonthLabel(start string, m int) string {
	t, err := time.Parse("2006-01", start)
	if err != nil {
		return fmt.Sprintf("month %d", m)
	}
	return t.AddDate(0, m-1, 0).Format("Jan 2006")
}
