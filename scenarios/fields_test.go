package scenarios

import (
	"math"
	"testing"
)

// Bounds reads a field's min and max tags, 0 and 2^63 − 1 where it has
// none.
func TestBounds(t *testing.T) {
	for _, tc := range []struct {
		field  string
		lo, hi int64
	}{
		{"trials", 1, 10_000_000},
		{"horizon_months", 1, 240},
		{"seed", 0, math.MaxInt64},
	} {
		if lo, hi := Bounds(tc.field); lo != tc.lo || hi != tc.hi {
			t.Errorf("Bounds(%q) = %d, %d; want %d, %d", tc.field, lo, hi, tc.lo, tc.hi)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Bounds of a field that does not exist did not panic")
		}
	}()
	Bounds("no_such_field")
}

// Book counts the baseline's accounts and their ARR at the start: count
// × mean ACV for a segment that draws its accounts.
func TestBook(t *testing.T) {
	s, err := Parse("book.yaml", []byte(`name: Book
start: 2027-01
segments:
  - name: a
    accounts: 10
    acv: 100k
    churn: {annual: 10%}
  - name: b
    accounts: 5
    acv: 12k
    churn: {annual: 10%}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if accounts, arr := s.Book(); accounts != 15 || math.Abs(arr-1_060_000) > 1e-6 {
		t.Errorf("Book() = %d, %v; want 15, 1060000", accounts, arr)
	}
}
