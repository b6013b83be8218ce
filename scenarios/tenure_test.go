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
	// The assumptions state the tenure the run takes: the file's, per
	// account, and the segment's for those without one.
	stated := ""
	for _, a := range s.Assumptions() {
		if a.Path == "segments.book.contract.tenure_months" {
			stated = a.Value
		}
	}
	if stated != "per account from the accounts file: median 60 months (60 to 60); 24 for the 2 without one" {
		t.Errorf("the book's tenure is stated as %q", stated)
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

// An accounts file exported from a CRM: its headers in any case and
// spacing, known by their common names, renewals as dates, and with
// accounts_columns its own headers named and the other columns left alone.
func TestAccountsFileFromACRM(t *testing.T) {
	const doc = `name: CRM
start: 2027-01
segments:
  - name: smb
    accounts_file: crm.csv%s
    contract: {first_renewal: file}
    churn: {annual: 10%%}
`
	files := map[string]string{
		"crm.csv": "Account ID,Monthly Recurring Revenue (USD),Renewal Date,Tenure\na,100,2027-03-31,14\nb,250.5,2028-01-15,2\n",
	}
	read := func(name string) ([]byte, error) { return []byte(files[name]), nil }
	accounts := func(extra string) ([]string, error) {
		s, err := Parse("crm.yaml", []byte(fmt.Sprintf(doc, extra)), read)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, a := range s.Options[0].Model.Segments[0].Accounts {
			out = append(out, fmt.Sprintf("%s:%g:%d:%d", a.ID, a.MRR, a.FirstRenewal, a.TenureMonths))
		}
		return out, nil
	}
	want := []string{"a:100:3:14", "b:250.5:13:2"}
	if got, err := accounts(""); err != nil || !slices.Equal(got, want) {
		t.Errorf("common CRM headers: %q, %v", got, err)
	}
	files["crm.csv"] = "Owner,Customer #,Monthly Amount,Next Term Starts\nann,a,100,2027-03\nbob,b,250.5,2028-01\n"
	if _, err := accounts(""); err == nil || !strings.Contains(err.Error(), `unknown column "Owner"`) || !strings.Contains(err.Error(), "accounts_columns") {
		t.Errorf("unknown headers, no mapping: %v", err)
	}
	got, err := accounts("\n    accounts_columns: {id: \"Customer #\", mrr: monthly amount, first_renewal: Next Term Starts}")
	if want := []string{"a:100:3:0", "b:250.5:13:0"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("mapped headers, the owner left alone: %q, %v", got, err)
	}
	if _, err := accounts("\n    accounts_columns: {mrr: Amount}"); err == nil || !strings.Contains(err.Error(), `mrr is mapped to "Amount", which the header does not have`) {
		t.Errorf("a mapping to a header the file lacks: %v", err)
	}
	files["crm.csv"] = "id,mrr,renewal date\na,100,2026-11-30\n"
	if _, err := accounts(""); err == nil || !strings.Contains(err.Error(), "2026-11-30 is before the scenario's start, 2027-01") {
		t.Errorf("a renewal before the start: %v", err)
	}
}

// A row whose segment no segment reading the file is, or an id given
// twice, is an error: the row would vanish, or two accounts share draws.
func TestAccountsFileRowsThatWouldBeLost(t *testing.T) {
	const doc = `name: Lost rows
start: 2027-01
segments:
  - name: smb
    accounts_file: book.csv
    churn: {annual: 10%}
  - name: mid
    accounts_file: book.csv
    churn: {annual: 10%}
`
	for book, want := range map[string]string{
		"id,segment,mrr\na,smb,100\nb,mid,200\nc,nomatch,300\n": `accounts file "book.csv" has rows of segment "nomatch", which no segment reading it is (mid, smb)`,
		"id,segment,mrr\na,smb,100\nb,mid,200\na,smb,300\n":     `book.csv:4:1: id "a" is given twice (lines 2 and 4)`,
	} {
		_, err := Parse("lost.yaml", []byte(doc), func(string) ([]byte, error) { return []byte(book), nil })
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", book, err, want)
		}
	}
}
