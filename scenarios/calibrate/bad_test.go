package calibrate

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csplan/scenarios"
)

// readAny reads a history or, by its header, a cohort table.
func readAny(data []byte, name string) (*History, *Cohort, error) {
	br := bufio.NewReader(bytes.NewReader(data))
	if IsCohortTable(ReadHeader(br)) {
		c, err := ReadCohort(br, name)
		return nil, c, err
	}
	h, err := ReadHistory(br, name, ReadOptions{})
	return h, nil, err
}

// The catalogue of malformed histories: each gives a clear error that
// names the line where there is one.
func TestBadHistories(t *testing.T) {
	cases := map[string]string{
		"missing-column.csv":     "missing-column.csv:1: missing column month; the header must name account_id, month and mrr",
		"bad-date.csv":           "bad-date.csv:3: month \"2024-13\": there is no month 13; write YYYY-MM with MM from 01 to 12\nbad-date.csv:4: month \"March 2024\": expected YYYY-MM (for example 2024-03) or a date YYYY-MM-DD",
		"negative-mrr.csv":       "negative-mrr.csv:3: mrr -20 is negative",
		"duplicate-row.csv":      "duplicate-row.csv:4: account a1 has a second row for 2024-01 (first on line 2), with the same MRR; pass --duplicates identical to drop rows that repeat another, or --duplicates sum",
		"bad-mrr.csv":            "bad-mrr.csv:3: mrr \"abc\": expected an amount",
		"header-only.csv":        "header-only.csv: the file has a header but no rows",
		"empty.csv":              "empty.csv:1: the file is empty",
		"non-utf8.csv":           "non-utf8.csv:3: the row is not UTF-8 text",
		"utf16.csv":              "utf16.csv:1: the file is UTF-16 text; save it as CSV UTF-8",
		"bad-nps.csv":            "bad-nps.csv:2: nps \"11\": expected a whole number from 0 to 10",
		"unterminated-quote.csv": "unterminated-quote.csv:2: extraneous or missing \" in quoted-field",
		"never-paid.csv":         "never-paid.csv: no account ever has MRR above 0",
		"semicolons.csv":         "semicolons.csv:1: missing column account_id, month, mrr; the header must name account_id, month and mrr (optional segment, nps), found account_id;month;mrr;extra_column_0;extra_column_1;extra_col…; the header is one column holding \";\": csplan reads comma-separated files, so save it as CSV with commas",
		"cohort-rising.csv":      "cohort-rising.csv:3: survivors rise from 1000 to 1200; a cohort only shrinks",
		"decimal-comma.csv":      "decimal-comma.csv:3: mrr \"1.200,50\": a comma separates thousands only, in groups of three digits after the first group (1,200,500 or 1,200.50); a decimal comma is not read (if the comma is a decimal point, write 1200.50)\ndecimal-comma.csv:4: mrr \"1,5\": a comma separates thousands only",
		"stray-row.csv":          "stray-row.csv:31: month 2150-01 is 125 years after the rest of the history (2024-01 to 2024-12, 60 rows), with no row between; a history has no gap of more than 3 years in which no account has a row: correct the month, or leave the row out",
		"stray-rows-before.csv":  "stray-rows-before.csv:2: month 1990-03 is 33 years before the rest of the history (2024-01 to 2024-12, 60 rows), with no row between; a history has no gap of more than 3 years in which no account has a row: correct the month, or leave the row out\nstray-rows-before.csv:63: month 1991-01 is 33 years before",
	}
	for file, want := range cases {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/bad", file))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = readAny(data, file)
			if err == nil {
				t.Fatalf("no error; want %q", want)
			}
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error\n%s\nwant it to start\n%s", err, want)
			}
		})
	}
}

// A history of one line of 2 MiB (its line ends lost) is refused at that
// line without echoing it, and a NUL byte past the first 8 KiB at its
// line, as binary data.
func TestHistoryLongLine(t *testing.T) {
	rows := strings.Repeat("a1,2024-01,100\n", 1000)
	for _, c := range []struct{ data, want string }{
		{"account_id,month,mrr\r" + strings.Repeat("a1,2024-01,100\r", 2<<20/15), "h.csv:1: the line is longer than 1 MiB, more than any record: is this a CSV file with a line per record?"},
		{"account_id,month,mrr\n" + rows + "a2,2024-01,1\x0000\n", "h.csv:1002: the file is not a CSV text file: this line holds a NUL byte, which is binary data"},
	} {
		if _, _, err := readAny([]byte(c.data), "h.csv"); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("error %.300v\nwant it to start %s", err, c.want)
		}
	}
}

// The catalogue of amounts (an MRR or a CS cost): a comma separates
// thousands only, in groups of three after the first group; any other
// comma is an error naming the value and the rule (issue 22, item 10),
// where every comma used to be dropped ("1,5" read as 15).
func TestBadAmounts(t *testing.T) {
	const rule = ": a comma separates thousands only, in groups of three digits after the first group (1,200,500 or 1,200.50); a decimal comma is not read"
	for _, tc := range []struct {
		in   string
		want float64
		msg  string // the error, or "" when in reads as want
	}{
		{"1,200,500", 1200500, ""},
		{"1,200.50", 1200.5, ""},
		{"$1,200", 1200, ""},
		{"€12,345,678.9", 12345678.9, ""},
		{"999", 999, ""},
		{"1.200,50", 0, `mrr "1.200,50"` + rule + " (if the comma is a decimal point, write 1200.50)"},
		{"1,5", 0, `mrr "1,5"` + rule + " (if the comma is a decimal point, write 1.5)"},
		{"100,5", 0, `mrr "100,5"` + rule + " (if the comma is a decimal point, write 100.5)"},
		{"1,2,3", 0, `mrr "1,2,3"` + rule},
		{"1,2345", 0, `mrr "1,2345"` + rule + " (if the comma is a decimal point, write 1.2345)"},
		{"1234,567", 0, `mrr "1234,567"` + rule + " (if the comma is a decimal point, write 1234.567)"},
		{",100", 0, `mrr ",100"` + rule},
		{"100,", 0, `mrr "100,"` + rule},
		{"1,,200", 0, `mrr "1,,200"` + rule},
		{"1,200.5,0", 0, `mrr "1,200.5,0"` + rule},
		{"-1,200", 0, "mrr -1,200 is negative"},
	} {
		v, msg := mrrColumn.parse(tc.in)
		if !strings.HasPrefix(msg, tc.msg) || (tc.msg == "") != (msg == "") || v != tc.want {
			t.Errorf("%q: %v, %q; want %v, %q", tc.in, v, msg, tc.want, tc.msg)
		}
	}
	if _, msg := costColumn.parse("2.500,00"); msg != `cost "2.500,00"`+rule+" (if the comma is a decimal point, write 2500.00)" {
		t.Errorf("cost: %s", msg)
	}
}

// Degenerate histories read and calibrate to a scenario that validates,
// with the documented results.
func TestDegenerateHistories(t *testing.T) {
	for _, tc := range []struct {
		file  string
		check func(t *testing.T, h *History, c *Calibration)
	}{
		{"ok-single-account.csv", func(t *testing.T, h *History, c *Calibration) {
			if c.Segments[0].Churn.Chosen != "none" || c.Segments[0].Upsell.Events != 1 {
				t.Errorf("churn %s, upsells %d", c.Segments[0].Churn.Chosen, c.Segments[0].Upsell.Events)
			}
		}},
		{"ok-no-churn.csv", func(t *testing.T, h *History, c *Calibration) {
			ch := c.Segments[0].Churn
			// No account starts inside the history: the opening book is used.
			if ch.Chosen != "none" || !ch.Opening || !(ch.Upper95 > 0.05 && ch.Upper95 < 0.2) {
				t.Errorf("chosen %s, opening %v, upper bound %.3f", ch.Chosen, ch.Opening, ch.Upper95)
			}
		}},
		{"ok-all-churned.csv", func(t *testing.T, h *History, c *Calibration) {
			s := c.Segments[0]
			if s.Accounts != 1 || s.Churn.Chosen != "constant" {
				t.Errorf("accounts %d, chosen %s (%s)", s.Accounts, s.Churn.Chosen, s.Churn.SBGNote)
			}
		}},
		{"ok-gap-unsorted.csv", func(t *testing.T, h *History, c *Calibration) {
			if h.Reactivations != 2 || h.Segments[0] != "ent" {
				t.Errorf("reactivations %d, segments %v", h.Reactivations, h.Segments)
			}
			if got := h.Accounts[0].MRR; fmt.Sprint(got) != "[100 0 100 100]" {
				t.Errorf("b1 MRR %v", got)
			}
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/bad", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			h, _, err := readAny(data, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Calibrate(h, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, h, c)
			y := Scenario(c, ScenarioOptions{Trials: 10})
			if _, err := scenarios.Parse(tc.file+".yaml", y, nil); err != nil {
				t.Errorf("%v\n%s", err, y)
			}
			KPIs(h, PeriodMonth, nil)
		})
	}
}

// The catalogue of bad costs files: a month twice (issue 22, item 14),
// and sums past the limit on amounts.
func TestBadCosts(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		dups     Duplicates
		want     string // the error, or the costs read
	}{
		{"a month twice", "month,cost\n2024-01,100\n2024-02,50\n2024-01,200\n", DuplicatesError,
			"c.csv:4: month 2024-01 is given a second time (first on line 2); give one row per month, or pass --duplicates sum to add them up"},
		{"a month twice, summed", "month,cost\n2024-01,100\n2024-02,50\n2024-01,200\n", DuplicatesSum, "map[2024-01:300 2024-02:50]"},
		{"a sum past the limit", "month,cost\n2024-01,1e12\n2024-01,1\n", DuplicatesSum,
			"c.csv:3: the costs of 2024-01 add up to 1,000,000,000,001 with this row (--duplicates sum), above 1,000,000,000,000 a month"},
		{"a month twice as a date", "month,cost\n2024-01,100\n2024-01-15,200\n", DuplicatesError,
			"c.csv:3: month 2024-01 is given a second time (first on line 2)"},
		{"a month repeated", "month,cost\n2024-01,100\n2024-01,100\n", DuplicatesError,
			"c.csv:3: month 2024-01 is given a second time (first on line 2), with the same cost; pass --duplicates identical"},
		{"a month repeated, dropped", "month,cost\n2024-01,100\n2024-02,50\n2024-01,100\n", DuplicatesIdentical, "map[2024-01:100 2024-02:50]"},
		{"a month twice, not a repeat", "month,cost\n2024-01,100\n2024-01,200\n", DuplicatesIdentical,
			"c.csv:3: month 2024-01 is given a second time (first on line 2); give one row per month"},
	} {
		c, err := ReadCosts(strings.NewReader(tc.in), "c.csv", ReadOptions{Duplicates: tc.dups})
		got := fmt.Sprint(c)
		if err != nil {
			got = err.Error()
		}
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: %s\nwant %s", tc.name, got, tc.want)
		}
	}
	// An MRR summed past the limit is refused as a single row is.
	_, err := ReadHistory(strings.NewReader("account_id,month,mrr\na,2024-01,1e12\na,2024-01,1e12\n"), "h.csv", ReadOptions{Duplicates: DuplicatesSum})
	if want := "h.csv:3: account a's MRR for 2024-01 adds up to 2,000,000,000,000 with this row (--duplicates sum), above 1,000,000,000,000 a month"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("history: %v\nwant %s", err, want)
	}
}

// Duplicates can be summed instead.
func TestDuplicatesSum(t *testing.T) {
	data, _ := os.ReadFile("testdata/bad/duplicate-row.csv")
	h, err := ReadHistory(bytes.NewReader(data), "d.csv", ReadOptions{Duplicates: DuplicatesSum})
	if err != nil {
		t.Fatal(err)
	}
	if h.Summed != 1 || h.Accounts[0].MRR[0] != 200 {
		t.Errorf("summed %d, MRR %v", h.Summed, h.Accounts[0].MRR)
	}
}

// FuzzReadHistory: the reader never panics, and what it accepts is a
// consistent history that calibrates.
func FuzzReadHistory(f *testing.F) {
	files, _ := filepath.Glob("testdata/bad/*.csv")
	for _, p := range files {
		data, _ := os.ReadFile(p)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadHistory(bytes.NewReader(data), "fuzz.csv", ReadOptions{})
		if err != nil {
			return
		}
		for _, a := range h.Accounts {
			if len(a.MRR) == 0 || a.MRR[0] <= 0 || a.MRR[len(a.MRR)-1] <= 0 || a.Start < h.First || a.End() > h.Last {
				t.Fatalf("account %q: start %s, %d months, history %s to %s", a.ID, a.Start, len(a.MRR), h.First, h.Last)
			}
			for _, v := range a.MRR {
				if !(v >= 0 && v <= MaxAmount) {
					t.Fatalf("account %q: MRR %v", a.ID, v)
				}
			}
		}
		if scenarios.CheckYear(int(h.First)/12) != "" || scenarios.CheckYear(int(h.Last)/12) != "" {
			t.Fatalf("history %s to %s", h.First, h.Last)
		}
		if h.Last-h.First > 240 {
			return // calibrating centuries of months is slow, not wrong
		}
		if _, err := Calibrate(h, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzReadCosts: the costs reader never panics, and what it accepts is a
// cost from 0 to MaxAmount for months in range, with or without sums.
func FuzzReadCosts(f *testing.F) {
	for _, seed := range []string{"month,cost\n2024-01,1200\n2024-02,\"1,200.50\"\n", "month,cost\n2024-01,1e12\n2024-01,1\n",
		"month,cs_cost\n2024-01-31,$5\n", "month,cost\n2024-13,-1\n", "month,cost\n2024-01,\"1.200,50\"\n", "period,survivors\n0,10\n"} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, sum bool) {
		opt := ReadOptions{}
		if sum {
			opt.Duplicates = DuplicatesSum
		}
		c, err := ReadCosts(bytes.NewReader(data), "c.csv", opt)
		if err != nil {
			return
		}
		for m, v := range c {
			if !(v >= 0 && v <= MaxAmount) || scenarios.CheckYear(int(m)/12) != "" {
				t.Fatalf("%s: %v", m, v)
			}
		}
	})
}
