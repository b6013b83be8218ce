package calibrate

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"csplan/internal/csvfile"
)

// Period kinds of the KPIs.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year"
)

// KPI is one metric of one period and segment beside its benchmark.
type KPI struct {
	Value  float64 `json:"value"`
	Low    float64 `json:"benchmark_low"`
	High   float64 `json:"benchmark_high"`
	Status string  `json:"status"` // above, within, below; "" without a benchmark
}

// KPIRow are the KPIs of one period and segment ("all" for the book).
type KPIRow struct {
	Period        string         `json:"period"`
	Kind          string         `json:"kind"`
	Segment       string         `json:"segment"`
	StartAccounts int            `json:"start_accounts"`
	EndAccounts   int            `json:"end_accounts"`
	StartMRR      float64        `json:"start_mrr"`
	EndMRR        float64        `json:"end_mrr"`
	Metrics       map[string]KPI `json:"metrics"`
}

// KPINames are the metrics of a row, in display order.
var KPINames = []string{"nrr", "grr", "unit_churn", "revenue_churn", "churn_lost", "churn_contraction", "expansion", "new_mrr", "reactivated_mrr", "nps", "crc_ratio"}

// benchmark is a K1 benchmark for a year (OpenView, "Building Your
// Customer Success Strategy"; ../shared/reference/README.md K1).
type benchmark struct {
	lo, hi float64
	kind   string // how it scales to a shorter period: "ratio" (NRR), "rate", "level"
}

var benchmarks = map[string]benchmark{
	"nrr":           {1.04, 1.04, "ratio"}, // about 104 %; best in class 110-125 %
	"grr":           {0.93, 0.94, "ratio"}, // 1 − revenue churn benchmark
	"unit_churn":    {0.08, 0.10, "rate"},
	"revenue_churn": {0.06, 0.07, "rate"},
	"nps":           {25, 29, "level"},
	"crc_ratio":     {0.08, 0.13, "level"},
}

// periodBenchmark scales a yearly benchmark to a period of months:
// ratios compound (1.04^(m/12)), rates too (1 − (1 − r)^(m/12)).
func periodBenchmark(b benchmark, months int) (lo, hi float64) {
	f := float64(months) / 12
	switch b.kind {
	case "ratio":
		return math.Pow(b.lo, f), math.Pow(b.hi, f)
	case "rate":
		return 1 - math.Pow(1-b.lo, f), 1 - math.Pow(1-b.hi, f)
	}
	return b.lo, b.hi
}

// Costs are CS costs by month.
type Costs map[Month]float64

// ReadCosts reads a costs CSV: a header month,cost (or cs_cost) and a row
// per month. A month given twice is an error naming both lines, unless
// opt.Duplicates is DuplicatesSum, and a sum is held to MaxAmount as a
// row is. It reports every problem in the file at once.
func ReadCosts(r io.Reader, name string, opt ReadOptions) (Costs, error) {
	cr, err := checkEncoding(bufio.NewReader(r), name)
	if err != nil {
		return nil, err
	}
	if err := readCostsHeader(cr, name); err != nil {
		return nil, err
	}
	c := Costs{}
	first := map[Month]int{} // the line of each month's first row
	e := &errs{file: name, max: 20}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			e.add(csvLine(err), "%s", csvMsg(err))
			if isFieldCount(err) {
				continue
			}
			break
		}
		line, _ := cr.FieldPos(0)
		m, v, ok := parseCostRow(e, rec, line)
		if !ok {
			continue
		}
		prev, dup := first[m]
		switch {
		case !dup:
			first[m], c[m] = line, v
		case opt.Duplicates == DuplicatesIdentical && c[m] == v:
		case opt.Duplicates != DuplicatesSum && c[m] == v:
			e.add(line, "month %s is given a second time (first on line %d), with the same cost; pass --duplicates identical to drop rows that repeat another, or --duplicates sum to add them up", m, prev)
		case opt.Duplicates != DuplicatesSum:
			e.add(line, "month %s is given a second time (first on line %d); give one row per month, or pass --duplicates sum to add them up", m, prev)
		case c[m]+v > MaxAmount:
			e.add(line, "the costs of %s add up to %s with this row (--duplicates sum), above %s a month; check that the column holds the month's CS cost in currency units",
				m, thousands(c[m]+v), thousands(MaxAmount))
		default:
			c[m] += v
		}
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// readCostsHeader reads the header of a costs file: month, then a column
// whose name holds cost.
func readCostsHeader(cr *csv.Reader, name string) error {
	header, err := cr.Read()
	if err == nil && len(header) >= 2 && normalise(header[0]) == "month" && strings.Contains(normalise(header[1]), "cost") {
		return nil
	}
	found := "an empty file"
	if err == nil {
		found = csvfile.Clip(strings.Join(header, ","))
	} else if err != io.EOF {
		found = csvMsg(err)
	}
	return Errors{{name, 1, "expected a header month,cost and a row per month (CS cost of that month), found " + found}}
}

// parseCostRow reads the month and cost of a row, reporting every
// problem of the row.
func parseCostRow(e *errs, rec []string, line int) (Month, float64, bool) {
	ms := strings.TrimSpace(rec[0])
	m, mmsg := checkMonth(ms)
	if mmsg != "" {
		e.add(line, "month %q: %s", ms, mmsg)
	}
	v, vmsg := costColumn.parse(rec[1])
	if vmsg != "" {
		e.add(line, "%s", vmsg)
	}
	return m, v, mmsg == "" && vmsg == ""
}

// periodOf returns the first month and the label of the period holding m.
func periodOf(kind string, m Month) (Month, int, string) {
	y, mo := int(m)/12, int(m)%12
	switch kind {
	case PeriodQuarter:
		return Month(y*12 + mo/3*3), 3, fmt.Sprintf("%04d-Q%d", y, mo/3+1)
	case PeriodYear:
		return Month(y * 12), 12, fmt.Sprintf("%04d", y)
	}
	return m, 1, m.String()
}

// KPIs computes the KPIs of every whole period of kind in h whose month
// before is in the history, for the book ("all") and each segment (when
// the history has segments). costs may be nil.
//
// For a period from month a to month b, the customers of the period are
// the accounts paying in month a − 1, and: NRR = their MRR in b / their
// MRR in a − 1; GRR the same with each account capped at its MRR in a − 1;
// unit churn = the share of them not paying in b; revenue churn = (MRR of
// those lost + contraction of the rest) / MRR in a − 1; expansion = the
// rest's growth / MRR in a − 1; new MRR = MRR in b of accounts not paying
// in a − 1 (reactivated MRR: those of them that paid before).
func KPIs(h *History, kind string, costs Costs) []KPIRow {
	segs := []string{Unsegmented}
	if len(h.Segments) > 1 || (len(h.Segments) == 1 && h.Segments[0] != Unsegmented) {
		segs = append(segs, h.Segments...)
	}
	var rows []KPIRow
	for m := h.First + 1; m <= h.Last; {
		a, months, label := periodOf(kind, m)
		b := a + Month(months) - 1
		if a-1 < h.First || b > h.Last {
			m = b + 1
			continue
		}
		for si, seg := range segs {
			rows = append(rows, periodKPIs(h, kind, label, a, b, seg, si-1, costs, months))
		}
		m = b + 1
	}
	return rows
}

// periodKPIs are the KPIs of segment si (-1 for the book, named seg) over
// the months a to b, a period of the given kind and length.
func periodKPIs(h *History, kind, label string, a, b Month, seg string, si int, costs Costs, months int) KPIRow {
	r := KPIRow{Period: label, Kind: kind, Segment: seg, Metrics: map[string]KPI{}}
	f := r.countFlows(h, a, b, si)
	set := func(name string, v float64) { r.Metrics[name] = benchmarked(name, v, months) }
	if r.StartMRR > 0 {
		set("nrr", f.retained/r.StartMRR)
		set("grr", (r.StartMRR-f.lost-f.contraction)/r.StartMRR)
		set("unit_churn", float64(f.lostN)/float64(r.StartAccounts))
		set("revenue_churn", (f.lost+f.contraction)/r.StartMRR)
		set("churn_lost", f.lost/r.StartMRR)
		set("churn_contraction", f.contraction/r.StartMRR)
		set("expansion", f.expansion/r.StartMRR)
	}
	set("new_mrr", f.newMRR-f.react)
	set("reactivated_mrr", f.react)
	if nps, ok := periodNPS(h, a, b, si); ok {
		set("nps", nps)
	}
	if costs != nil && si < 0 && f.revenue > 0 {
		if cost, ok := costs.over(a, b); ok {
			set("crc_ratio", cost/f.revenue)
		}
	}
	return r
}

// flows are the MRR movements of a period's accounts, from the month
// before it (the start) to its last month (the end).
type flows struct {
	lost        float64 // start MRR of the accounts not paying at the end
	lostN       int     // how many of them
	contraction float64 // MRR lost by the accounts paying less at the end
	expansion   float64 // MRR gained by the accounts paying more
	retained    float64 // end MRR of the accounts paying at the start
	newMRR      float64 // end MRR of the accounts not paying at the start
	react       float64 // the part of newMRR from accounts that paid before
	revenue     float64 // MRR over every month of the period
}

// countFlows counts the accounts and MRR of segment si (-1 for all) at
// the start and end of the months a to b into r, and returns the flows
// between them.
func (r *KPIRow) countFlows(h *History, a, b Month, si int) flows {
	var f flows
	for i := range h.Accounts {
		ac := &h.Accounts[i]
		if si >= 0 && ac.Segment != si {
			continue
		}
		s, e := ac.At(a-1), ac.At(b)
		for m := a; m <= b; m++ {
			f.revenue += ac.At(m)
		}
		if e > 0 {
			r.EndAccounts++
			r.EndMRR += e
		}
		switch {
		case s > 0:
			r.StartAccounts++
			r.StartMRR += s
			switch {
			case e == 0:
				f.lost += s
				f.lostN++
			case e < s:
				f.contraction += s - e
			default:
				f.expansion += e - s
			}
			f.retained += e
		case e > 0:
			f.newMRR += e
			if ac.Start < a-1 {
				f.react += e
			}
		}
	}
	return f
}

// benchmarked is the KPI of value v beside its benchmark for a period of
// months, if the metric has one.
func benchmarked(name string, v float64, months int) KPI {
	k := KPI{Value: v}
	bm, ok := benchmarks[name]
	if !ok {
		k.Low, k.High = math.NaN(), math.NaN()
		return k
	}
	k.Low, k.High = periodBenchmark(bm, months)
	if bm.kind == "level" {
		k.Low, k.High = bm.lo, bm.hi
	}
	switch {
	case v > k.High*(1+1e-12):
		k.Status = "above"
	case v < k.Low*(1-1e-12):
		k.Status = "below"
	default:
		k.Status = "within"
	}
	return k
}

// periodNPS is the NPS of the answers of segment si (-1 for all) in the
// months a to b; false when there are none.
func periodNPS(h *History, a, b Month, si int) (float64, bool) {
	var pro, det, n int
	for _, x := range h.NPS {
		if x.Month < a || x.Month > b || (si >= 0 && h.Accounts[x.Account].Segment != si) {
			continue
		}
		n++
		switch {
		case x.Score >= 9:
			pro++
		case x.Score <= 6:
			det++
		}
	}
	if n == 0 {
		return 0, false
	}
	return 100 * float64(pro-det) / float64(n), true
}

// over is the total CS cost of the months a to b; false when a month has
// no cost.
func (c Costs) over(a, b Month) (float64, bool) {
	cost, have := 0.0, true
	for m := a; m <= b; m++ {
		v, ok := c[m]
		cost += v
		have = have && ok
	}
	return cost, have
}

// TrailingRetention is the NRR and GRR over the 12 months to each month
// of h from month First + 12 (point to point, as in KPIs); with a shorter
// history, over one month. Months is the month each value ends at.
func TrailingRetention(h *History) (months []Month, nrr, grr []float64, window int) {
	window = 12
	if h.Last-h.First < 12 {
		window = 1
	}
	for b := h.First + Month(window); b <= h.Last; b++ {
		a := b - Month(window) + 1
		r := periodKPIs(h, "", "", a, b, Unsegmented, -1, nil, window)
		if _, ok := r.Metrics["nrr"]; !ok {
			continue
		}
		months = append(months, b)
		nrr = append(nrr, r.Metrics["nrr"].Value)
		grr = append(grr, r.Metrics["grr"].Value)
	}
	return months, nrr, grr, window
}

// FormatAmount writes an amount of money, or a count, rounded to a whole
// number with thousands separators (no integer conversion, so no
// overflow), as the money KPIs are written.
func FormatAmount(v float64) string { return thousands(v) }

// IsMoneyKPI tells whether a KPI is an amount of money, not a rate or a
// level.
func IsMoneyKPI(name string) bool { return name == "new_mrr" || name == "reactivated_mrr" }

// FormatKPI writes a metric's value for people: rates as percentages, NPS
// as a number, money with thousands separators.
func FormatKPI(name string, v float64) string {
	if IsMoneyKPI(name) {
		return thousands(v)
	}
	switch name {
	case "nps":
		return strconv.FormatFloat(v, 'f', 0, 64)
	case "crc_ratio":
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
}
