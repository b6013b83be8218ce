package report

import (
	"math"
	"testing"
)

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		v    float64
		cur  string
		want string
	}{
		{0, "USD", "$0"}, {950, "USD", "$950"}, {999.6, "USD", "$1k"}, {1234, "USD", "$1.23k"},
		{54e6, "USD", "$54M"}, {64.7e6, "USD", "$64.7M"}, {999960, "USD", "$1M"},
		{350000, "USD", "$350k"}, {-1.9e6, "USD", "−$1.9M"}, {2.5e9, "EUR", "€2.5B"}, {12000, "CHF", "12k CHF"},
	} {
		if got := Money(c.v, c.cur); got != c.want {
			t.Errorf("Money(%v, %s) = %q, want %q", c.v, c.cur, got, c.want)
		}
	}
}

func TestPercentCountMonth(t *testing.T) {
	if got := Percent(0.957); got != "95.7%" {
		t.Errorf("Percent = %q", got)
	}
	if got := Count(1234567); got != "1,234,567" {
		t.Errorf("Count = %q", got)
	}
	if got := MonthLabel("2027-01", 4); got != "Apr 2027" {
		t.Errorf("MonthLabel = %q", got)
	}
}

// TestNoNegativeZero checks that a value that rounds to zero is written
// without a sign (never "−0", "−$0" or "-0.0%"), wherever numbers are
// formatted for people; a value that rounds away from zero keeps its sign.
func TestNoNegativeZero(t *testing.T) {
	negZero := math.Copysign(0, -1)
	for _, c := range []struct {
		name, have, want string
	}{
		{"Money rounds to zero", Money(-0.3, "USD"), "$0"},
		{"Money rounds to zero, code", Money(-0.3, "CHF"), "0 CHF"},
		{"Money rounds away", Money(-0.6, "USD"), "−$1"},
		{"Percent rounds to zero", Percent(-0.0001), "0.0%"},
		{"Percent negative zero", Percent(negZero), "0.0%"},
		{"Percent rounds away", Percent(-0.001), "-0.1%"},
		{"Count rounds to zero", Count(-0.4), "0"},
		{"Count rounds away", Count(-0.6), "−1"},
		// A mean difference of counts keeps three significant digits: a
		// fraction of an account can be a clear difference.
		{"signed count, small", unitCount.signed(-0.124, ""), "−0.124"},
		{"signed count, tiny", unitCount.signed(-0.00001, ""), "0.0000"},
		{"signed count, whole", unitCount.signed(-50, ""), "−50"},
		{"signed count, large", unitCount.signed(-1234.4, ""), "−1,234"},
		{"signed money", unitMoney.signed(-0.3, "USD"), "$0"},
		{"signed rate", unitRate.signed(-1e-9, ""), "0.0000 pp"},
		{"signed exact zero", unitCount.signed(negZero, ""), "0"},
		{"plain number negative zero", unitNumber.format(negZero, ""), "0"},
		{"chart money", chartValue(-0.3, axisMoney, "USD", true), "$0"},
		{"chart points, below", chartValue(-1e-5, axisPoints, "", true), "0.00 pp"},
		{"chart points, above", chartValue(1e-5, axisPoints, "", true), "0.00 pp"},
		{"chart points, away", chartValue(-0.01, axisPoints, "", true), "−1.00 pp"},
		{"chart rate", chartValue(-0.0001, axisRate, "", false), "0.0%"},
		{"chart count", chartValue(-0.4, axisCount, "", true), "0"},
		{"chart number", chartValue(negZero, axisNumber, "", true), "0"},
		{"money tick", moneyTick(-1e-9, 5e5, 1e6, "USD"), "$0.0M"},
		{"money tick, away", moneyTick(-5e5, 5e5, 1e6, "USD"), "−$0.5M"},
	} {
		if c.have != c.want {
			t.Errorf("%s: have %q, want %q", c.name, c.have, c.want)
		}
	}
}

func TestPluralAndFormatMetric(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{Plural(1, "month"), "1 month"},
		{Plural(0, "option"), "0 options"},
		{Plural(2000, "account"), "2,000 accounts"},
		{FormatMetric("valuation", 144982781, "USD"), Money(144982781, "USD")},
		{FormatMetric("nrr_12m", 0.9512, "USD"), Percent(0.9512)},
		{FormatMetric("logos_end", 1834, "USD"), "1,834"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
