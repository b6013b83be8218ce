package scenarios

import (
	"fmt"
	"slices"
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

// With a segment column, one accounts file holds several segments: each
// reads its own rows, in the file's order, and nothing of the others'.
func TestAccountsFileBySegment(t *testing.T) {
	const doc = `name: Two segments, one file
start: 2027-01
segments:
  - name: smb
    accounts_file: book.csv
    churn: {annual: 10%}
  - name: mid-market
    accounts_file: book.csv
    contract: {first_renewal: file}
    churn: {annual: 10%}
`
	book := "id,segment,mrr,first_renewal\na,smb,100,1\nb,mid-market,2500.25,7\nc,smb,120.5,12\nd, mid-market ,3000,2\n"
	s, err := Parse("two.yaml", []byte(doc), func(string) ([]byte, error) { return []byte(book), nil })
	if err != nil {
		t.Fatal(err)
	}
	segs := s.Options[0].Model.Segments
	ids := func(k int) (out []string) {
		for _, a := range segs[k].Accounts {
			out = append(out, fmt.Sprintf("%s:%g:%d", a.ID, a.MRR, a.FirstRenewal))
		}
		return out
	}
	if got := ids(0); !slices.Equal(got, []string{"a:100:1", "c:120.5:12"}) {
		t.Errorf("smb reads %q", got)
	}
	if got := ids(1); !slices.Equal(got, []string{"b:2500.25:7", "d:3000:2"}) {
		t.Errorf("mid-market reads %q", got)
	}
}
