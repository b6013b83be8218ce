package report

import (
	"bytes"
	"csplan/internal/csvfile"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

// A text cell a spreadsheet would run as a formula gets a quote in front
// (OWASP's rule); numbers, negative ones too, and other text are left as
// they are.
func TestCSVCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
		{"=1+1", "'=1+1"},
		{"+1+1", "'+1+1"},
		{"-1+1", "'-1+1"},
		{"-", "'-"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-Inf", "'-Inf"},
		{"+Inf", "'+Inf"},
		{"-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"},
		// numbers stay numbers
		{"-123.5", "-123.5"},
		{"+3", "+3"},
		{"-0", "-0"},
		{"-.5", "-.5"},
		{"-5.", "-5."},
		{"-1.5e-05", "-1.5e-05"},
		{"-3.7812e+07", "-3.7812e+07"},
		{"-5%", "-5%"},
		{"59683757.118037365", "59683757.118037365"},
		{"NaN", "NaN"},
		// other text is left alone
		{"", ""},
		{"Baseline", "Baseline"},
		{"a=1", "a=1"},
		{" =1", " =1"},
		{"segments.=1+1.churn.annual", "segments.=1+1.churn.annual"},
		{"'quoted", "'quoted"},
	} {
		if got := csvfile.Cell(tc.in); got != tc.want {
			t.Errorf("csvfile.Cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Every CSV of the report passes its cells through CSVCell: an option and
// an input named like formulas are written as text, and the numbers beside
// them, negative ones too, as numbers.
func TestCSVFilesNeutraliseFormulas(t *testing.T) {
	r := loadFixture(t, fixtures[0].path)
	if len(r.Options) < 2 {
		t.Fatal("the fixture needs an option")
	}
	r.Options[1].Name = `=HYPERLINK("http://evil","x")`
	s := loadSensitivity(t)
	s.Inputs[0].Name, s.Inputs[0].Dist = "@SUM(A1)", "-1+1"
	s.Inputs[0].RankCorrelation = -0.25
	var sum, ts bytes.Buffer
	if err := SummaryCSV(&sum, r); err != nil {
		t.Fatal(err)
	}
	if err := TimeseriesCSV(&ts, r); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file  string
		data  string
		row   int      // the first row of the renamed option or input
		text  []string // its first cells
		minus int      // a column holding a negative number somewhere
	}{
		{"summary.csv", sum.String(), 0, []string{`'=HYPERLINK("http://evil","x")`}, 10},
		{"timeseries.csv", ts.String(), 0, []string{`'=HYPERLINK("http://evil","x")`}, -1},
		{"sensitivity.csv", sensitivityCSV(s), 1, []string{"'@SUM(A1)", "'-1+1"}, 7},
	} {
		recs, err := csv.NewReader(strings.NewReader(tc.data)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		found, negative := false, tc.minus < 0
		for i, rec := range recs[1:] {
			if (tc.row == 0 && rec[0] == tc.text[0]) || i+1 == tc.row {
				found = found || slices.Equal(rec[:len(tc.text)], tc.text)
			}
			for _, cell := range rec {
				if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
					t.Fatalf("%s row %d: a cell a spreadsheet would run: %q", tc.file, i+1, cell)
				}
			}
			if tc.minus >= 0 && strings.HasPrefix(rec[tc.minus], "-") && csvfile.Cell(rec[tc.minus]) == rec[tc.minus] {
				negative = true
			}
		}
		if !found {
			t.Errorf("%s: no row starting %q", tc.file, tc.text)
		}
		if !negative {
			t.Errorf("%s: no negative number left in column %d", tc.file, tc.minus)
		}
	}
}
