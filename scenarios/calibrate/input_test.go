package calibrate

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"csplan/scenarios"
)

// A fitted lognormal whose p90 writes the same as its median (values equal
// up to cent rounding give a tiny but non-zero σ) is written as a plain
// value: {median: 20%, p90: 20%} does not validate.
func TestLognormalTextNegligibleSpread(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		// σ 0.0001788: the upsells of ../../testdata/calibrate/constant-upsell.csv.
		{"size", sizeText(LogNormalFit{N: 20, Mu: Estimate{math.Log(0.2), 4e-5}, Sigma: Estimate{0.0001788, 2.8e-5}}), "20%"},
		{"acv", acvText(LogNormalFit{N: 20, Mu: Estimate{math.Log(12000), 1e-5}, Sigma: Estimate{5e-5, 1e-5}}), "12000"},
		{"size with spread", sizeText(LogNormalFit{N: 20, Mu: Estimate{math.Log(0.2), 0.1}, Sigma: Estimate{0.5, 0.1}}), "{lognormal: {median: 20%, p90: 37.96%}}"},
		{"acv with spread", acvText(LogNormalFit{N: 20, Mu: Estimate{math.Log(12000), 0.1}, Sigma: Estimate{0.5, 0.1}}), "{lognormal: {median: 12000, p90: 22780}}"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got, tc.want)
		}
	}
}

// Histories whose upsells, or whose accounts' ACV, are all the same up to
// cent rounding calibrate to a scenario that validates.
func TestScenarioConstantUpsellAndACV(t *testing.T) {
	data, err := os.ReadFile("../../testdata/calibrate/constant-upsell.csv")
	if err != nil {
		t.Fatal(err)
	}
	// Every account pays 100.00 or 100.01 a month and takes one 10 %
	// upsell, rounded to the cent.
	var b strings.Builder
	b.WriteString("account_id,month,mrr\n")
	for a := range 12 {
		mrr := 100 + 0.01*float64(a%2)
		for m := 1; m <= 12; m++ {
			v := mrr
			if m > 6 {
				v = math.Round(mrr*110) / 100
			}
			fmt.Fprintf(&b, "a%d,2024-%02d,%.2f\n", a, m, v)
		}
	}
	for name, d := range map[string][]byte{"constant-upsell.csv": data, "constant-acv.csv": []byte(b.String())} {
		h, err := ReadHistory(bytes.NewReader(d), name, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := Calibrate(h, Options{})
		if err != nil {
			t.Fatal(err)
		}
		y := Scenario(c, ScenarioOptions{Trials: 10})
		if _, err := scenarios.Parse(name+".yaml", y, nil); err != nil {
			t.Errorf("%s: %v\n%s", name, err, y)
		}
	}
}

// thousands never converts to an integer, so no amount overflows.
func TestThousandsNoOverflow(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", 999.4: "999", 1234.5: "1,235", -1234.6: "-1,235", -0.3: "0",
		1e12: "1,000,000,000,000", 1e19: "10,000,000,000,000,000,000",
	} {
		if got := thousands(v); got != want {
			t.Errorf("thousands(%g) = %s, want %s", v, got, want)
		}
	}
	if got := thousands(1e300); strings.HasPrefix(got, "-") || len(got) != 301+100 {
		t.Errorf("thousands(1e300) = %s (%d characters)", got, len(got))
	}
}

// An absurd MRR is rejected at read time, saying why, on every line.
func TestReadHistoryHugeMRR(t *testing.T) {
	data, err := os.ReadFile("../../testdata/kpi/huge-mrr.csv")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, "a6,2024-02,1e400\n"...)
	_, err = ReadHistory(bytes.NewReader(data), "huge.csv", ReadOptions{})
	var es Errors
	if !errors.As(err, &es) || len(es) != 6 {
		t.Fatalf("want 6 errors, got %v", err)
	}
	want := "huge.csv:2: mrr 1e300 is above 1,000,000,000,000 a month, more than any company's revenue"
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "huge.csv:7: mrr 1e400 is above") {
		t.Errorf("got\n%v\nwant it to start %q", err, want)
	}
	ok := "account_id,month,mrr\na1,2024-01,1e12\na1,2024-02,1e12\n"
	if _, err := ReadHistory(strings.NewReader(ok), "ok.csv", ReadOptions{}); err != nil {
		t.Errorf("1e12 a month: %v", err)
	}
}

// A costs file reports every problem, worded for costs.
func TestReadCostsAllErrors(t *testing.T) {
	data, err := os.ReadFile("../../testdata/kpi/bad-costs.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadCosts(bytes.NewReader(data), "costs.csv", ReadOptions{})
	want := "costs.csv:2: cost \"abc\": expected an amount such as 1200 or 1200.50\n" +
		"costs.csv:3: cost -5 is negative; expected the CS cost of the month, 0 or more"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	_, err = ReadCosts(strings.NewReader("month,cost\n2024-13,-1\n2024-02,2e12\n"), "c.csv", ReadOptions{})
	want = "c.csv:2: month \"2024-13\": there is no month 13; write YYYY-MM with MM from 01 to 12\n" +
		"c.csv:2: cost -1 is negative; expected the CS cost of the month, 0 or more\n" +
		"c.csv:3: cost 2e12 is above 1,000,000,000,000 a month"
	if err == nil || !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "MRR") {
		t.Errorf("got\n%v\nwant it to start\n%s", err, want)
	}
}

// A month in the right format but out of range says so, with the range.
func TestMonthOutOfRange(t *testing.T) {
	for s, want := range map[string]string{
		"9999-12":    "year 9999 is out of range; write a month from 1900-01 to 2199-12",
		"1899-12":    "year 1899 is out of range; write a month from 1900-01 to 2199-12",
		"2200-01":    "year 2200 is out of range; write a month from 1900-01 to 2199-12",
		"2024-13":    "there is no month 13; write YYYY-MM with MM from 01 to 12",
		"2024-00":    "there is no month 00; write YYYY-MM with MM from 01 to 12",
		"2023-02-29": "there is no day 29 in 2023-02 (it has 28 days)",
		"2024/02":    "expected YYYY-MM (for example 2024-03) or a date YYYY-MM-DD",
		"2024-02-29": "",
		"2199-12":    "",
		"1900-01":    "",
	} {
		if _, got := checkMonth(s); got != want {
			t.Errorf("%s: got %q, want %q", s, got, want)
		}
	}
	data, err := os.ReadFile("../../testdata/kpi/far-month.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadHistory(bytes.NewReader(data), "far.csv", ReadOptions{})
	if want := `far.csv:3: month "9999-12": year 9999 is out of range; write a month from 1900-01 to 2199-12`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// Every problem of a row is reported, not only the first.
func TestReadHistoryEveryProblemOfARow(t *testing.T) {
	_, err := ReadHistory(strings.NewReader("account_id,month,mrr,nps\na1,2024-13,-5,11\n"), "r.csv", ReadOptions{})
	var es Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Errorf("want 3 errors, got\n%v", err)
	}
}

// A binary file is said not to be a CSV text file, without an invented
// line number; a read error carries no line either.
func TestBinaryAndUnreadableFiles(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	bin := make([]byte, 3000)
	for i := range bin {
		bin[i] = byte(r.Uint32())
	}
	bin[0], bin[1] = 0xcc, 0x03 // no byte order mark
	noNUL := bytes.ReplaceAll(bin, []byte{0}, []byte{1})
	want := "bin.csv: the file is not a CSV text file: it holds binary data"
	for name, read := range map[string]func([]byte) error{
		"history": func(b []byte) error { _, err := ReadHistory(bytes.NewReader(b), "bin.csv", ReadOptions{}); return err },
		"costs":   func(b []byte) error { _, err := ReadCosts(bytes.NewReader(b), "bin.csv", ReadOptions{}); return err },
		"cohort":  func(b []byte) error { _, err := ReadCohort(bytes.NewReader(b), "bin.csv"); return err },
	} {
		for _, b := range [][]byte{bin, noNUL} {
			if err := read(b); err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%s: got %v, want %s", name, err, want)
			}
		}
	}
	// Latin-1 text is text: its rows are reported one by one.
	latin := []byte("account_id,month,mrr\nSoci\xe9t\xe9,2024-01,100\n")
	if _, err := ReadHistory(bytes.NewReader(latin), "l.csv", ReadOptions{}); err == nil || !strings.Contains(err.Error(), "l.csv:2: the row is not UTF-8") {
		t.Errorf("latin-1: %v", err)
	}
	_, err := ReadHistory(iotest.ErrReader(errors.New("read x: is a directory")), "x", ReadOptions{})
	if err == nil || err.Error() != "x: read x: is a directory" {
		t.Errorf("read error: %v", err)
	}
}

// A cohort table reports every problem at once, and rejects a cohort no
// scenario can hold (whose count would overflow an int).
func TestReadCohortAllErrors(t *testing.T) {
	in := "year,survivors\n0,1000\n2,900\n2,abc\n3,1200\n4,1e300\n"
	_, err := ReadCohort(strings.NewReader(in), "c.csv")
	want := "c.csv:3: year \"2\": expected 1 (periods run 0, 1, 2, ... in order)\n" +
		"c.csv:4: survivors \"abc\": expected a count, 0 or more\n" +
		"c.csv:5: survivors rise from 1000 to 1200; a cohort only shrinks\n" +
		"c.csv:6: survivors 1e300: expected at most 10,000,000, the most accounts a scenario holds"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

// A cohort's accounts are the cohort at period 0; the calibration keeps
// what is left at the table's end, and the scenario says which is which.
func TestCohortSummary(t *testing.T) {
	data, err := os.ReadFile("../../testdata/fader-hardie-regular.csv")
	if err != nil {
		t.Fatal(err)
	}
	co, err := ReadCohort(bytes.NewReader(data), "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	c := CalibrateCohort(co, 7)
	s := c.Segments[0]
	if want := (CohortSummary{Unit: "year", Last: 12, Fitted: 7, End: 173}); s.Accounts != 1000 || s.Table != want {
		t.Errorf("accounts %d, table %+v", s.Accounts, s.Table)
	}
	y := string(Scenario(c, ScenarioOptions{}))
	for _, want := range []string{"# the cohort at year 0 of the table; 173 remain at year 12", "with churn fitted to years 1 to 7"} {
		if !strings.Contains(y, want) {
			t.Errorf("no %q in\n%s", want, y)
		}
	}
	if strings.Contains(y, "0000-01") {
		t.Errorf("a cohort table has no calendar:\n%s", y)
	}
}

// A CRM export's history: its headers known by their common names in any
// case, spacing or unit, or named with --columns; a header csplan cannot
// place gets an error that names the columns left and the flag.
func TestHistoryFromACRM(t *testing.T) {
	const rows = "a,2024-01-31,100,smb\na,2024-02-29,110,smb\nb,2024-02-15,50,mid\n"
	h, err := ReadHistory(strings.NewReader("Customer ID, Billing Month ,Monthly Recurring Revenue (USD),Plan\n"+rows), "crm.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Accounts) != 2 || h.First != 2024*12 || h.Last != 2024*12+1 || !slices.Equal(h.Segments, []string{"mid", "smb"}) && !slices.Equal(h.Segments, []string{"smb", "mid"}) {
		t.Errorf("read %d accounts from %s to %s in %q", len(h.Accounts), h.First, h.Last, h.Segments)
	}
	odd := "Cust #,Posted,Amt,Tier\n" + rows
	_, err = ReadHistory(strings.NewReader(odd), "odd.csv", ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), `missing column account_id, month, mrr`) || !strings.Contains(err.Error(), `--columns account_id=NAME`) || !strings.Contains(err.Error(), `"Cust #", "Posted", "Amt"`) {
		t.Errorf("unknown headers: %v", err)
	}
	h, err = ReadHistory(strings.NewReader(odd), "odd.csv", ReadOptions{Columns: map[string]string{"account_id": "cust #", "month": "Posted", "mrr": "AMT"}})
	if err != nil || len(h.Accounts) != 2 {
		t.Errorf("mapped: %v", err)
	}
	_, err = ReadHistory(strings.NewReader(odd), "odd.csv", ReadOptions{Columns: map[string]string{"month": "Booked"}})
	if err == nil || !strings.Contains(err.Error(), `month is mapped to "Booked", which the header does not have (found Cust #,Posted,Amt,Tier) (--columns)`) {
		t.Errorf("a mapping to a header the file lacks: %v", err)
	}
}

// A history whose MRR jumps around calibrates to an upsell size whose
// 99.9th percentile is capped at the most a scenario takes, with a note,
// and the scenario validates.
func TestVolatileMRRCalibrates(t *testing.T) {
	var b strings.Builder
	b.WriteString("account_id,month,mrr\n")
	r := rand.New(rand.NewPCG(1, 2))
	for a := range 30 {
		for m := range 24 {
			fmt.Fprintf(&b, "a%d,%d-%02d,%.2f\n", a, 2023+m/12, m%12+1, 50+450*r.Float64())
		}
	}
	h, err := ReadHistory(strings.NewReader(b.String()), "v.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Calibrate(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := cappedSize(c.Segments[0].Upsell.Size)
	if q := math.Exp(f.Mu.Value + z999*f.Sigma.Value); q > maxUpsellSize*(1+1e-12) {
		t.Errorf("capped size reaches %v", q)
	}
	y := Scenario(c, ScenarioOptions{Trials: 5})
	if _, err := scenarios.Parse("v.yaml", y, nil); err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	if c.Segments[0].Upsell.Size == f {
		t.Fatalf("the fit needs no cap (%+v): the test history is not volatile enough", f)
	}
	if !strings.Contains(string(y), "capped so that its 99.9th percentile is 1000%") {
		t.Errorf("no note of the cap:\n%s", y)
	}
}

// Segment names that differ only in case are one segment, spelt as it
// first appears, as a scenario compares names; the calibration says so.
func TestSegmentNamesFoldCase(t *testing.T) {
	in := "account_id,month,mrr,segment\n" +
		"a,2024-01,100,Enterprise\na,2024-02,100,enterprise\n" +
		"b,2024-01,200,ENTERPRISE\nb,2024-02,200,ENTERPRISE\n" +
		"c,2024-01,50,SMB\nc,2024-02,50,smb\n"
	h, err := ReadHistory(strings.NewReader(in), "crm.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Enterprise", "SMB"}; !slices.Equal(h.Segments, want) || h.Spellings != 3 {
		t.Fatalf("segments %q (%d other spellings), want %q and 3", h.Segments, h.Spellings, want)
	}
	if h.SegmentChanges != 0 {
		t.Errorf("%d accounts change segment, want none: a spelling is not a change", h.SegmentChanges)
	}
	c, err := Calibrate(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(c.Warnings, func(w string) bool { return strings.Contains(w, "only in case") }) {
		t.Errorf("no warning of the merged spellings: %q", c.Warnings)
	}
}

// --duplicates identical drops a row that repeats another of the same
// account, month and MRR (an export listing a row twice), says how many,
// and still refuses two rows that differ.
func TestDuplicatesIdentical(t *testing.T) {
	repeat := "account_id,month,mrr\na,2024-01,100\na,2024-01,100\na,2024-02,100\nb,2024-01,50\nb,2024-02,50\nb,2024-02,50\n"
	h, err := ReadHistory(strings.NewReader(repeat), "h.csv", ReadOptions{Duplicates: DuplicatesIdentical})
	if err != nil {
		t.Fatal(err)
	}
	if h.Repeats != 2 || h.Accounts[0].At(h.First) != 100 || h.Accounts[1].At(h.Last) != 50 {
		t.Errorf("%d repeats dropped, MRRs %v and %v; want 2, 100 and 50", h.Repeats, h.Accounts[0].MRR, h.Accounts[1].MRR)
	}
	differ := "account_id,month,mrr\na,2024-01,100\na,2024-01,40\na,2024-02,100\n"
	_, err = ReadHistory(strings.NewReader(differ), "h.csv", ReadOptions{Duplicates: DuplicatesIdentical})
	if err == nil || !strings.Contains(err.Error(), "h.csv:3: account a has a second row for 2024-01 (first on line 2); give one row per account and month") {
		t.Errorf("two rows that differ: %v", err)
	}
}
