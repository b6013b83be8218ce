package report

import "testing"

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
