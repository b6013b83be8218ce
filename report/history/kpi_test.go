package history

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"

	"csplan/scenarios/calibrate"
)

// kpiRows are two periods of one segment and of the book, the segment
// first, one KPI without a benchmark (NaN).
func kpiRows() []calibrate.KPIRow {
	row := func(seg, period string) calibrate.KPIRow {
		return calibrate.KPIRow{Period: period, Kind: calibrate.PeriodQuarter, Segment: seg, StartAccounts: 1200, EndAccounts: 1234, EndMRR: 56789.4,
			Metrics: map[string]calibrate.KPI{
				"nrr":        {Value: 1.05, Low: 1.0098, High: 1.0098, Status: "above"},
				"unit_churn": {Value: 0.03, Low: 0.0206, High: 0.0260, Status: "below"},
				"expansion":  {Value: 0.02, Low: math.NaN(), High: math.NaN()},
			}}
	}
	return []calibrate.KPIRow{row("smb", "2024-Q1"), row("smb", "2024-Q2"), row(calibrate.Unsegmented, "2024-Q1")}
}

// The text table lists the book first, one table per segment, values
// with their marks and the benchmarks under the heads.
func TestKPIText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteKPIs(&b, FormatText, kpiRows()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	book, seg := strings.Index(out, "Segment all "), strings.Index(out, "Segment smb ")
	if book < 0 || seg < book {
		t.Fatalf("the book is not first:\n%s", out)
	}
	for _, want := range []string{"NRR", "Logo churn", "Expansion", "Start accts  End accts  End MRR", "2024-Q1        1,200      1,234   56,789",
		"105.0% ↑", "3.0% ↓", "101.0%", "2.1%-2.6%"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

// JSON writes a benchmark that does not exist as 0 to 0, and CSV leaves
// it empty.
func TestKPIJSONAndCSV(t *testing.T) {
	var j, c bytes.Buffer
	if err := WriteKPIs(&j, FormatJSON, kpiRows()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Rows   []calibrate.KPIRow `json:"rows"`
		Source string             `json:"benchmark_source"`
	}
	if err := json.Unmarshal(j.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if e := doc.Rows[0].Metrics["expansion"]; len(doc.Rows) != 3 || e.Low != 0 || e.High != 0 || doc.Source == "" {
		t.Errorf("kpi.json: %d rows, expansion %+v, source %q", len(doc.Rows), e, doc.Source)
	}
	if err := WriteKPIs(&c, FormatCSV, kpiRows()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.String(), "2024-Q1,quarter,smb,expansion,0.02,,,\n") {
		t.Errorf("kpi.csv:\n%s", c.String())
	}
}

// A segment without customers before its first period has no rates in
// it; the benchmarks under its heads come from its later periods.
func TestKPITextBenchmarkOfALaterPeriod(t *testing.T) {
	rows := kpiRows()[:2]
	delete(rows[0].Metrics, "nrr")
	delete(rows[0].Metrics, "unit_churn")
	var b bytes.Buffer
	if err := WriteKPIs(&b, FormatText, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	var bench string
	for _, l := range lines {
		if strings.Contains(l, "benchmark") && !strings.Contains(l, "Segment") {
			bench = l
		}
	}
	for _, want := range []string{"101.0%", "2.1%-2.6%"} {
		if !strings.Contains(bench, want) {
			t.Errorf("no %q in the benchmark row of\n%s", want, b.String())
		}
	}
}

// CSV and JSON give money to the cent and rates to 10 significant
// digits, without the noise of summing MRR in binary.
func TestKPIRounded(t *testing.T) {
	r := kpiRows()[0]
	r.StartMRR, r.EndMRR = 21031.499999999996, 25588.00000000001
	r.Metrics["nrr"] = calibrate.KPI{Value: 1.0650125058621223, Low: 1.0098534065489688, High: 1.0098534065489688, Status: "above"}
	r.Metrics["new_mrr"] = calibrate.KPI{Value: 455.65000000000003, Low: math.NaN(), High: math.NaN()}
	noise := regexp.MustCompile(`\d*\.\d*(0000000|9999999)\d*|\d{11,}`)
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{FormatCSV, []string{",new_mrr,455.65,", ",nrr,1.065012506,1.009853407,1.009853407,above"}},
		{FormatJSON, []string{`"value": 455.65,`, `"value": 1.065012506`, `"benchmark_low": 1.009853407`, `"start_mrr": 21031.5,`, `"end_mrr": 25588,`}},
	} {
		var b bytes.Buffer
		if err := WriteKPIs(&b, tc.format, []calibrate.KPIRow{r}); err != nil {
			t.Fatal(err)
		}
		for _, want := range tc.want {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: no %q in\n%s", tc.format, want, b.String())
			}
		}
		if n := noise.FindString(b.String()); n != "" {
			t.Errorf("%s: %s in\n%s", tc.format, n, b.String())
		}
	}
	if r.Metrics["new_mrr"].Value != 455.65000000000003 {
		t.Error("writing rounded the row given")
	}
}
