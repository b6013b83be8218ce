package scenarios

import (
	"strings"
	"testing"
)

// Existing accounts carry a tenure: the segment's, or per account from the
// accounts file's tenure_months column.
func TestTenure(t *testing.T) {
	const doc = `name: Tenure
start: 2027-01
segments:
  - name: book
    accounts_file: book.csv
    contract: {term_months: 12, tenure_months: 24}
    churn: {sbg: {alpha: 0.7, beta: 1.2}}
`
	files := map[string]string{"book.csv": "id,mrr,tenure_months\na,1000,60\nb,2000,\nc,1500,0\n"}
	read := func(name string) ([]byte, error) { return []byte(files[name]), nil }
	s, err := Parse("tenure.yaml", []byte(doc), read)
	if err != nil {
		t.Fatal(err)
	}
	seg := s.Options[0].Model.Segments[0]
	if seg.TenureMonths != 24 || len(seg.Accounts) != 3 || seg.Accounts[0].TenureMonths != 60 || seg.Accounts[1].TenureMonths != 0 {
		t.Errorf("tenure %d, accounts %+v", seg.TenureMonths, seg.Accounts)
	}
	files["book.csv"] = "id,mrr,tenure_months\na,1000,ten\n"
	if _, err := Parse("tenure.yaml", []byte(doc), read); err == nil || !strings.Contains(err.Error(), "tenure_months") {
		t.Errorf("a tenure that is not a number: %v", err)
	}
}
