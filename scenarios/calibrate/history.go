// Package calibrate learns a scenario from history: it reads a CSV of
// account revenue by month (or a cohort survival table), computes the
// customer-success KPIs of the history, fits churn (Kaplan-Meier, the
// shifted-beta-geometric model and a constant rate, chosen by AIC),
// expansion and contraction, and new accounts' ACV, segments the book by
// revenue (Pareto), and writes a commented scenario YAML that csplan runs.
// See docs/history.md.
package calibrate

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"csplan/internal/csvfile"
	"csplan/scenarios"
)

// Month is a calendar month counted from year 0: year*12 + month - 1.
type Month int

// String writes m as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", int(m)/12, int(m)%12+1) }

// parseMonth reads YYYY-MM, or a date YYYY-MM-DD (the day is ignored).
func parseMonth(s string) (Month, bool) {
	m, msg := checkMonth(s)
	return m, msg == ""
}

// checkMonth reads YYYY-MM, or a date YYYY-MM-DD (the day is checked and
// then ignored); when s is not one, msg says why, after the quoted value.
func checkMonth(s string) (m Month, msg string) {
	const format = "expected YYYY-MM (for example 2024-03) or a date YYYY-MM-DD"
	day := 0
	if len(s) == 10 && s[7] == '-' {
		d, err := strconv.Atoi(s[8:])
		if err != nil || s[8] == '+' || s[8] == '-' {
			return 0, format
		}
		day, s = d, s[:7]
	}
	if len(s) != 7 || s[4] != '-' || s[0] == '+' || s[0] == '-' || s[5] == '+' || s[5] == '-' {
		return 0, format
	}
	y, err1 := strconv.Atoi(s[:4])
	mo, err2 := strconv.Atoi(s[5:])
	switch {
	case err1 != nil || err2 != nil:
		return 0, format
	case mo < 1 || mo > 12:
		return 0, fmt.Sprintf("there is no month %02d; write YYYY-MM with MM from 01 to 12", mo)
	case scenarios.CheckYear(y) != "":
		return 0, scenarios.CheckYear(y) // the range of every month csplan reads
	}
	if last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day(); day != 0 && (day < 1 || day > last) {
		return 0, fmt.Sprintf("there is no day %d in %s (it has %d days)", day, s, last)
	}
	return Month(y*12 + mo - 1), ""
}

// Unsegmented names the segment of accounts without one.
const Unsegmented = "all"

// Account is one account's history: MRR[i] is its MRR in month Start+i,
// 0 where it did not pay (a gap, or after it left). Its history ends at its
// last row with MRR above 0.
type Account struct {
	ID      string
	Segment int // index into History.Segments
	Start   Month
	MRR     []float64
}

// End is the last month the account paid.
func (a *Account) End() Month { return a.Start + Month(len(a.MRR)) - 1 }

// At is the account's MRR in month m (0 outside its history).
func (a *Account) At(m Month) float64 {
	i := int(m - a.Start)
	if i < 0 || i >= len(a.MRR) {
		return 0
	}
	return a.MRR[i]
}

// Response is one NPS answer (0 to 10) of an account in a month.
type Response struct {
	Account int32
	Month   Month
	Score   int8
}

// History is a book's revenue by account and month.
type History struct {
	Name        string
	First, Last Month // the months the file covers
	Segments    []string
	Accounts    []Account
	NPS         []Response
	Rows        int

	// What the reader did with irregular rows (see docs/history.md).
	Summed          int // rows added to another row of the same account and month
	Repeats         int // rows dropped as repeats of another (--duplicates identical)
	NeverPaid       int // accounts whose every row has MRR 0, left out
	SegmentChanges  int // accounts whose segment changes; they keep their latest
	Spellings       int // segment names read as an earlier one that differs only in case
	Reactivations   int // returns after at least one month without MRR
	HasSegments     bool
	HasNPS          bool
	DuplicateAction string
}

// Duplicates says what to do with two rows of one account and month.
type Duplicates string

const (
	DuplicatesError Duplicates = "error" // reject the file, naming both lines
	DuplicatesSum   Duplicates = "sum"   // add them up (one row per product)
	// DuplicatesIdentical drops a row that repeats the other's MRR (an
	// export that lists a row twice); rows that differ are still an error.
	DuplicatesIdentical Duplicates = "identical"
)

// ReadOptions control the reading of a history.
type ReadOptions struct {
	Duplicates Duplicates // default DuplicatesError
	MaxErrors  int        // errors listed before giving up; default 20
	// Columns maps a history's columns (HistoryColumns) to the file's own
	// headers, for an export whose headers csplan does not know.
	Columns map[string]string
}

// Error is one problem in an input file, at a line (0 when not at one).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Errors are all the problems found in a file, in line order.
type Errors []Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Column names and the other spellings accepted for them.
var columnNames = map[string][]string{
	"account_id": {"account_id", "account", "accountid", "customer_id", "customer", "id", "customerid", "company_id", "client_id", "organization_id"},
	"month":      {"month", "period", "date", "billing_month", "billing_period", "invoice_month", "invoice_date", "month_start", "period_start"},
	"mrr":        {"mrr", "revenue", "amount", "monthly_recurring_revenue", "recurring_revenue", "monthly_revenue", "mrr_amount"},
	"segment":    {"segment", "tier", "customer_segment", "account_segment", "plan"},
	"nps":        {"nps", "nps_score", "score"},
}

// HistoryColumns are the columns a history has, for a mapping of its
// own headers (ReadOptions.Columns).
var HistoryColumns = []string{"account_id", "month", "mrr", "segment", "nps"}

// normalise is a header as csplan compares it: lower case, a unit in
// brackets left out, and every run of spaces and punctuation one
// underscore ("Monthly Recurring Revenue (USD)": monthly_recurring_revenue).
func normalise(h string) string { return csvfile.HeaderKey(h) }

// cell is one parsed row kept until the file is read.
type cell struct {
	month Month
	line  int32
	mrr   float64
}

// errs collects errors up to a limit.
type errs struct {
	file  string
	list  Errors
	max   int
	extra int
}

func (e *errs) add(line int, format string, a ...any) {
	if len(e.list) >= e.max {
		e.extra++
		return
	}
	e.list = append(e.list, Error{e.file, line, fmt.Sprintf(format, a...)})
}

func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	if e.extra > 0 {
		e.list = append(e.list, Error{File: e.file, Msg: fmt.Sprintf("and %d more errors", e.extra)})
	}
	return e.list
}

// checkEncoding rejects UTF-16 and UTF-32 files and files that are not
// text at all (a spreadsheet, a compressed file), skips a UTF-8 byte
// order mark, and returns the CSV reader of the rest, which fails at a
// line too long to be a record or holding a NUL byte (csvfile).
func checkEncoding(br *bufio.Reader, name string) (*csv.Reader, error) {
	head, _ := br.Peek(8 << 10)
	bom, problem, line := csvfile.Start(head)
	if problem != "" {
		return nil, Errors{{name, line, problem}}
	}
	br.Discard(bom)
	return csv.NewReader(csvfile.Reader(br)), nil
}

// IsCohortTable reports whether a CSV header is that of a cohort survival
// table (period, survivors) rather than a history.
func IsCohortTable(header []string) bool {
	return len(header) == 2 && normalise(header[1]) == "survivors"
}

// ReadHeader peeks at the header line of br without consuming it.
func ReadHeader(br *bufio.Reader) []string {
	b, _ := br.Peek(min(br.Buffered()+4096, 64<<10))
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	line, _, _ := bytes.Cut(b, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(line))
	rec, _ := r.Read()
	return rec
}

// ReadHistory reads a history CSV from r, streaming it: each row is parsed
// as it is read and kept as (month, MRR), never as text. name is used in
// errors, which carry line numbers.
func ReadHistory(r io.Reader, name string, opt ReadOptions) (*History, error) {
	if opt.Duplicates == "" {
		opt.Duplicates = DuplicatesError
	}
	if opt.MaxErrors <= 0 {
		opt.MaxErrors = 20
	}
	cr, err := checkEncoding(bufio.NewReaderSize(r, 1<<16), name)
	if err != nil {
		return nil, err
	}
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	cols, err := readColumns(cr, name, opt.Columns)
	if err != nil {
		return nil, err
	}
	hr := &historyReader{
		h:        &History{Name: name, HasSegments: cols.segment >= 0, HasNPS: cols.nps >= 0, DuplicateAction: string(opt.Duplicates)},
		cols:     cols,
		dup:      opt.Duplicates,
		e:        &errs{file: name, max: opt.MaxErrors},
		index:    map[string]int32{},
		segIndex: map[string]int{},
		segFold:  map[string]int{},
	}
	if err := hr.readRows(cr); err != nil {
		return nil, err
	}
	if len(hr.cells) == 0 {
		return nil, Errors{{name, 0, "the file has a header but no rows; expected a row per account and month"}}
	}
	if err := checkGaps(hr.e, hr.cells); err != nil {
		return nil, err
	}
	return hr.history()
}

// columns are the places of a history's columns in its rows; segment and
// nps are -1 when the file has none.
type columns struct {
	header                            []string
	account, month, mrr, segment, nps int
	need                              int // the fields a row needs to reach every column
}

// readColumns reads the header of a history and finds its columns by
// their names (columnNames).
func readColumns(cr *csv.Reader, name string, mapping map[string]string) (columns, error) {
	header, err := cr.Read()
	if err == io.EOF {
		return columns{}, Errors{{name, 1, "the file is empty; expected a header account_id,month,mrr (optional segment, nps) and a row per account and month"}}
	}
	if err != nil {
		return columns{}, Errors{{name, csvLine(err), csvMsg(err)}}
	}
	header = slices.Clone(header)
	if IsCohortTable(header) {
		return columns{}, Errors{{name, 1, "this is a cohort survival table (period, survivors): csplan calibrate reads it, csplan kpi needs an account history"}}
	}
	col, err := nameColumns(header, name, mapping)
	if err != nil {
		return columns{}, err
	}
	c := columns{header: header, account: col["account_id"], month: col["month"], mrr: col["mrr"], segment: -1, nps: -1}
	if i, ok := col["segment"]; ok {
		c.segment = i
	}
	if i, ok := col["nps"]; ok {
		c.nps = i
	}
	for _, i := range col {
		c.need = max(c.need, i+1)
	}
	return c, nil
}

// nameColumns maps each column a history knows to its place in the
// header, by the mapping first and then by the names it goes by, and
// rejects a header that names one twice or lacks a required one.
func nameColumns(header []string, name string, mapping map[string]string) (map[string]int, error) {
	if msg := csvfile.NotUTF8(header, "header"); msg != "" {
		return nil, Errors{{name, 1, msg}}
	}
	col, taken, err := csvfile.MapHeader(header, mapping, HistoryColumns)
	if err != nil {
		return nil, Errors{{name, 1, err.Error() + " (--columns)"}}
	}
	for i, h := range header {
		if taken[i] {
			continue
		}
		n := normalise(h)
		for key, names := range columnNames {
			if _, mapped := mapping[key]; !mapped && slices.Contains(names, n) {
				if j, dup := col[key]; dup {
					return nil, Errors{{name, 1, fmt.Sprintf("two columns mean %s (%s and %s); keep one, or say which with --columns %s=NAME", key, csvfile.Quote(header[j]), csvfile.Quote(h), key)}}
				}
				col[key], taken[i] = i, true
			}
		}
	}
	var missing []string
	for _, k := range []string{"account_id", "month", "mrr"} {
		if _, ok := col[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, Errors{{name, 1, fmt.Sprintf("missing column %s; the header must name account_id, month and mrr (optional segment, nps), found %s%s",
			strings.Join(missing, ", "), csvfile.Clip(strings.Join(header, ",")), csvfile.MapHint("--columns", missing[0], header, taken))}}
	}
	return col, nil
}

// historyReader gathers the rows of a history by account until the file
// is read.
type historyReader struct {
	h    *History
	cols columns
	dup  Duplicates
	e    *errs

	index    map[string]int32 // account ID → index into cells and segments
	cells    [][]cell         // each account's rows
	segments []segmentTrack   // each account's segment
	segIndex map[string]int   // segment name → index into h.Segments
	segFold  map[string]int   // the same by the name folded (scenarios.FoldName)
}

// row is one good row of a history.
type row struct {
	id, segment string
	month       Month
	mrr         float64
	score       int8 // the NPS answer, -1 for none
}

// readRows reads every row after the header, reporting each bad one.
func (hr *historyReader) readRows(cr *csv.Reader) error {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			hr.e.add(csvLine(err), "%s", csvMsg(err))
			if !isFieldCount(err) {
				return hr.e.err()
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		hr.h.Rows++
		if r, ok := hr.parseRow(rec, line); ok {
			hr.add(r, line)
		}
	}
	return hr.e.err()
}

// parseRow reads one record, reporting every problem of the row, not
// only the first.
func (hr *historyReader) parseRow(rec []string, line int) (row, bool) {
	c, e := hr.cols, hr.e
	if len(rec) < c.need {
		e.add(line, "expected %d fields (%s), found %d", len(c.header), csvfile.Clip(strings.Join(c.header, ",")), len(rec))
		return row{}, false
	}
	if msg := csvfile.NotUTF8(rec, "row"); msg != "" {
		e.add(line, "%s", msg)
		return row{}, false
	}
	r := row{id: strings.TrimSpace(rec[c.account]), segment: Unsegmented, score: -1}
	if r.id == "" {
		e.add(line, "account_id is empty")
		return row{}, false
	}
	ok := true
	ms := strings.TrimSpace(rec[c.month])
	var msg string
	if r.month, msg = checkMonth(ms); msg != "" {
		e.add(line, "month %q: %s", ms, msg)
		ok = false
	}
	if r.mrr, msg = mrrColumn.parse(rec[c.mrr]); msg != "" {
		e.add(line, "%s", msg)
		ok = false
	}
	if c.segment >= 0 {
		if s := strings.TrimSpace(rec[c.segment]); s != "" {
			r.segment = s
		}
	}
	if c.nps >= 0 {
		if s := strings.TrimSpace(rec[c.nps]); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 || v > 10 {
				e.add(line, "nps %q: expected a whole number from 0 to 10, or nothing", s)
				ok = false
			} else {
				r.score = int8(v)
			}
		}
	}
	return r, ok
}

// add files a good row under its account and segment.
func (hr *historyReader) add(r row, line int) {
	ai, ok := hr.index[r.id]
	if !ok {
		ai = int32(len(hr.cells))
		hr.index[strings.Clone(r.id)] = ai
		hr.cells = append(hr.cells, nil)
		hr.segments = append(hr.segments, segmentTrack{seg: -1})
	}
	si, ok := hr.segIndex[r.segment]
	if !ok {
		// Names that differ only in case are one segment, spelt as it
		// first appears (a CRM's "Enterprise" and "ENTERPRISE"), as a
		// scenario compares names.
		key := scenarios.FoldName(r.segment)
		if si, ok = hr.segFold[key]; ok {
			hr.h.Spellings++
		} else {
			si = len(hr.h.Segments)
			hr.segFold[strings.Clone(key)] = si
			hr.h.Segments = append(hr.h.Segments, strings.Clone(r.segment))
		}
		hr.segIndex[strings.Clone(r.segment)] = si
	}
	hr.segments[ai].see(int32(si), r.month)
	hr.cells[ai] = append(hr.cells[ai], cell{month: r.month, line: int32(line), mrr: r.mrr})
	if r.score >= 0 {
		hr.h.NPS = append(hr.h.NPS, Response{Account: ai, Month: r.month, Score: r.score})
	}
}

// segmentTrack follows the segment of an account: that of its latest
// row, and whether it changes.
type segmentTrack struct {
	seg     int32 // -1 before the first row
	month   Month // the month of the row seg comes from
	changed bool
}

// see notes a row of the account in segment seg and month m.
func (t *segmentTrack) see(seg int32, m Month) {
	switch {
	case t.seg < 0:
		t.seg, t.month = seg, m
	case t.seg != seg:
		t.changed = true
		if m >= t.month {
			t.seg, t.month = seg, m
		}
	}
}

// history builds the History from the rows read: each account's months
// in order, duplicates resolved, months without MRR at both ends
// trimmed, accounts that never paid left out.
func (hr *historyReader) history() (*History, error) {
	h := hr.h
	h.First, h.Last = monthSpan(hr.cells)
	ids := make([]string, len(hr.cells))
	for id, i := range hr.index {
		ids[i] = id
	}
	newIndex := make([]int32, len(hr.cells))
	for ai, cs := range hr.cells {
		slices.SortFunc(cs, func(a, b cell) int { return int(a.month) - int(b.month) })
		paid := trimUnpaid(hr.mergeDuplicates(cs, ids[ai]))
		if len(paid) == 0 {
			h.NeverPaid++
			newIndex[ai] = -1
			continue
		}
		a, reactivations := newAccount(ids[ai], paid)
		h.Reactivations += reactivations
		if hr.segments[ai].changed {
			h.SegmentChanges++
		}
		a.Segment = int(hr.segments[ai].seg)
		newIndex[ai] = int32(len(h.Accounts))
		h.Accounts = append(h.Accounts, a)
		hr.cells[ai] = nil
	}
	if err := hr.e.err(); err != nil {
		return nil, err
	}
	if len(h.Accounts) == 0 {
		return nil, Errors{{h.Name, 0, fmt.Sprintf("no account ever has MRR above 0 (%d accounts, every row 0)", h.NeverPaid)}}
	}
	h.renumberNPS(newIndex)
	h.dropUnusedSegments()
	return h, nil
}

// monthSpan is the first and last month of any row.
func monthSpan(cells [][]cell) (first, last Month) {
	first, last = Month(math.MaxInt32), Month(math.MinInt32)
	for _, cs := range cells {
		for _, c := range cs {
			first, last = min(first, c.month), max(last, c.month)
		}
	}
	return first, last
}

// mergeDuplicates resolves the rows of one account and month, adjacent
// in cs sorted by month: it adds them up (--duplicates sum), drops a
// repeat of the same MRR (--duplicates identical) or reports them. It
// reuses cs.
func (hr *historyReader) mergeDuplicates(cs []cell, id string) []cell {
	out := cs[:0]
	for _, c := range cs {
		n := len(out)
		if n == 0 || out[n-1].month != c.month {
			out = append(out, c)
			continue
		}
		same := out[n-1].mrr == c.mrr
		switch {
		case same && hr.dup == DuplicatesIdentical:
			hr.h.Repeats++
			continue
		case same && hr.dup != DuplicatesSum:
			hr.e.add(int(c.line), "account %s has a second row for %s (first on line %d), with the same MRR; pass --duplicates identical to drop rows that repeat another, or --duplicates sum to add them up (one row per product)",
				id, c.month, out[n-1].line)
			continue
		case hr.dup != DuplicatesSum:
			hr.e.add(int(c.line), "account %s has a second row for %s (first on line %d); give one row per account and month, or pass --duplicates sum to add them up",
				id, c.month, out[n-1].line)
			continue
		}
		if sum := out[n-1].mrr + c.mrr; sum > MaxAmount {
			hr.e.add(int(c.line), "account %s's MRR for %s adds up to %s with this row (--duplicates sum), above %s a month; check that the column holds monthly revenue in currency units",
				id, c.month, thousands(sum), thousands(MaxAmount))
			continue
		}
		out[n-1].mrr += c.mrr
		hr.h.Summed++
	}
	return out
}

// trimUnpaid drops the months without MRR at both ends of an account's
// rows; none are left when it never paid.
func trimUnpaid(cs []cell) []cell {
	lo, hi := 0, len(cs)
	for lo < hi && cs[lo].mrr == 0 {
		lo++
	}
	for hi > lo && cs[hi-1].mrr == 0 {
		hi--
	}
	return cs[lo:hi]
}

// newAccount lays out an account's rows, sorted and trimmed, month by
// month, and counts its returns after at least one month without MRR.
func newAccount(id string, cs []cell) (a Account, reactivations int) {
	a = Account{ID: id, Start: cs[0].month}
	a.MRR = make([]float64, int(cs[len(cs)-1].month-cs[0].month)+1)
	prev := cs[0].month
	for _, c := range cs {
		if c.mrr > 0 && c.month > prev+1 && a.MRR[prev-a.Start] > 0 {
			reactivations++
		}
		a.MRR[c.month-a.Start] = c.mrr
		if c.mrr > 0 {
			prev = c.month
		}
	}
	return a, reactivations
}

// renumberNPS points the NPS answers at the accounts kept, by newIndex
// (-1 for an account left out), dropping the answers of the others.
func (h *History) renumberNPS(newIndex []int32) {
	nps := h.NPS[:0]
	for _, r := range h.NPS {
		if j := newIndex[r.Account]; j >= 0 {
			r.Account = j
			nps = append(nps, r)
		}
	}
	h.NPS = nps
}

// MaxGap is the longest run of months in which no account has a row that
// a history may have. A longer one is a typing mistake (2924 for 2024):
// kept, it would make kpi print centuries of empty periods and calibrate
// start the scenario after the stray row.
const MaxGap = 36

// checkGaps reports every row cut off from the bulk of the history by
// more than MaxGap months without a row: the months with rows fall into
// runs separated by such gaps, the run with the most rows is the history,
// and each row of another run is named.
func checkGaps(e *errs, cells [][]cell) error {
	rows := map[Month]int{}
	for _, cs := range cells {
		for _, c := range cs {
			rows[c.month]++
		}
	}
	months := make([]Month, 0, len(rows))
	for m := range rows {
		months = append(months, m)
	}
	slices.Sort(months)
	type run struct {
		first, last Month
		rows        int
	}
	runs := []run{{months[0], months[0], 0}}
	for _, m := range months {
		if r := &runs[len(runs)-1]; m-r.last-1 > MaxGap {
			runs = append(runs, run{m, m, 0})
		}
		r := &runs[len(runs)-1]
		r.last, r.rows = m, r.rows+rows[m]
	}
	if len(runs) == 1 {
		return nil
	}
	main := runs[0]
	for _, r := range runs[1:] {
		if r.rows > main.rows {
			main = r
		}
	}
	var stray []cell
	for _, cs := range cells {
		for _, c := range cs {
			if c.month < main.first || c.month > main.last {
				stray = append(stray, c)
			}
		}
	}
	slices.SortFunc(stray, func(a, b cell) int { return int(a.line) - int(b.line) })
	for _, c := range stray {
		way, apart := "after", c.month-main.last
		if c.month < main.first {
			way, apart = "before", main.first-c.month
		}
		e.add(int(c.line), "month %s is %s %s the rest of the history (%s to %s, %s rows), with no row between; a history has no gap of more than %d years in which no account has a row: correct the month, or leave the row out",
			c.month, monthsText(int(apart)), way, main.first, main.last, thousands(float64(main.rows)), MaxGap/12)
	}
	return e.err()
}

// monthsText writes a span of months as months or, from two years, years.
func monthsText(n int) string {
	if n < 24 {
		return fmt.Sprintf("%d months", n)
	}
	return fmt.Sprintf("%d years", n/12)
}

// dropUnusedSegments removes segments left without accounts (their
// accounts moved or never paid) and sorts the rest by name.
func (h *History) dropUnusedSegments() {
	used := make([]bool, len(h.Segments))
	for _, a := range h.Accounts {
		used[a.Segment] = true
	}
	var names []string
	for i, s := range h.Segments {
		if used[i] {
			names = append(names, s)
		}
	}
	slices.Sort(names)
	remap := make([]int, len(h.Segments))
	for i, s := range h.Segments {
		remap[i], _ = slices.BinarySearch(names, s)
	}
	for i := range h.Accounts {
		h.Accounts[i].Segment = remap[h.Accounts[i].Segment]
	}
	h.Segments = names
}

// MaxAmount is the largest MRR, or CS cost, a month that the readers
// accept: a trillion a month is beyond any company's book, so a larger
// value is a unit or typing mistake, and keeping amounts below it keeps
// every sum far from overflowing.
const MaxAmount = 1e12

// amountColumn is a column of amounts a month and what its messages say.
type amountColumn struct {
	name     string // as in the header
	word     string // what the amounts are: revenue, CS cost
	holds    string // what it should hold, in currency units
	empty    string // what to do instead of an empty cell
	negative string // why a negative amount is wrong
}

var (
	mrrColumn = amountColumn{"mrr", "revenue", "monthly revenue", "write 0 for a month without revenue, or leave the row out",
		"MRR is revenue a month, 0 or more (record a credit as lower MRR, or leave the row out)"}
	costColumn = amountColumn{"cost", "CS cost", "the month's CS cost", "expected the CS cost of the month (write 0 for none), or leave the row out",
		"expected the CS cost of the month, 0 or more"}
)

// parse reads a cell of the column: a number, optionally with a currency
// sign and thousands separators ($1,200.50).
func (c amountColumn) parse(s string) (float64, string) {
	v, msg := parseAmount(s)
	switch msg {
	case "":
		return v, ""
	case "empty":
		return 0, fmt.Sprintf("%s is empty; %s", c.name, c.empty)
	case "negative":
		return 0, fmt.Sprintf("%s %s is negative; %s", c.name, strings.TrimSpace(s), c.negative)
	case "comma":
		msg := fmt.Sprintf("%s %q: %s", c.name, strings.TrimSpace(s), commaRule)
		if d := decimalComma(s); d != "" {
			msg += fmt.Sprintf(" (if the comma is a decimal point, write %s)", d)
		}
		return 0, msg
	case "huge":
		return 0, fmt.Sprintf("%s %s is above %s a month, more than any company's %s; check that the column holds %s in currency units",
			c.name, strings.TrimSpace(s), thousands(MaxAmount), c.word, c.holds)
	}
	return 0, fmt.Sprintf("%s %q: expected an amount such as 1200 or 1200.50", c.name, s)
}

// commaRule is how an amount may use commas.
const commaRule = "a comma separates thousands only, in groups of three digits after the first group (1,200,500 or 1,200.50); a decimal comma is not read"

// thousandsGroups is a number whose commas separate groups of three.
var thousandsGroups = regexp.MustCompile(`^[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$`)

// decimalComma is s read with its one comma as the decimal point and its
// dots as thousands separators (1.200,50 → 1200.50), or "" when s does
// not read so.
func decimalComma(s string) string {
	t := strings.TrimSpace(s)
	if strings.Count(t, ",") != 1 {
		return ""
	}
	whole, frac, _ := strings.Cut(t, ",")
	d := strings.ReplaceAll(whole, ".", "") + "." + frac
	if _, err := strconv.ParseFloat(strings.TrimLeft(d, "$€"), 64); err != nil || frac == "" {
		return ""
	}
	return d
}

// parseAmount reads an amount of money a month from 0 to MaxAmount; the
// problem, if any, is one word: empty, bad, comma, negative or huge.
func parseAmount(s string) (float64, string) {
	t := strings.TrimSpace(s)
	t = strings.TrimPrefix(strings.TrimPrefix(t, "$"), "€")
	if strings.Contains(t, ",") {
		if !thousandsGroups.MatchString(t) {
			return 0, "comma"
		}
		t = strings.ReplaceAll(t, ",", "")
	}
	if t == "" {
		return 0, "empty"
	}
	v, err := strconv.ParseFloat(t, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) && math.IsInf(v, 1):
		return 0, "huge" // 1e400
	case errors.Is(err, strconv.ErrRange) && math.IsInf(v, -1):
		return 0, "negative"
	case errors.Is(err, strconv.ErrRange) && v == 0:
		return 0, "" // 1e-400
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return 0, "bad"
	case v < 0:
		return 0, "negative"
	case v > MaxAmount:
		return 0, "huge"
	}
	return v, ""
}

func csvMsg(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Cohort is a cohort survival table: Survivors[t] customers at the start of
// period t (t = 0, 1, ...).
type Cohort struct {
	Name      string
	Unit      string // the first column's name: year, month, period
	Survivors []float64
}

// MaxCohort is the most customers a cohort table may start with: the
// most accounts a scenario holds.
const MaxCohort = 10_000_000

// ReadCohort reads a cohort survival table: a header (period, survivors)
// and one row per period from 0, survivors never rising. It reports every
// problem in the table at once.
func ReadCohort(r io.Reader, name string) (*Cohort, error) {
	cr, err := checkEncoding(bufio.NewReader(r), name)
	if err != nil {
		return nil, err
	}
	header, err := cr.Read()
	if err != nil {
		return nil, Errors{{name, csvLine(err), "expected a header period,survivors"}}
	}
	if !IsCohortTable(header) {
		return nil, Errors{{name, 1, fmt.Sprintf("expected a header period,survivors, found %s", csvfile.Clip(strings.Join(header, ",")))}}
	}
	c := &Cohort{Name: name, Unit: normalise(header[0])}
	e := &errs{file: name, max: 20}
	rows := 0 // the rows read: the period the next row must have
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			e.add(csvLine(err), "%s", csvMsg(err))
			if isFieldCount(err) {
				rows++
				continue
			}
			break
		}
		line, _ := cr.FieldPos(0)
		c.addRow(e, rec, line, rows)
		rows++
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	if len(c.Survivors) < 2 {
		return nil, Errors{{name, 0, "a cohort table needs at least periods 0 and 1"}}
	}
	return c, nil
}

// addRow reads the row at line, which must be that of period want: a
// count of survivors from 0 to MaxCohort, not above the period before. A
// count that rises, or a cohort starting at 0, is reported but kept.
func (c *Cohort) addRow(e *errs, rec []string, line, want int) {
	p, err1 := strconv.Atoi(strings.TrimSpace(rec[0]))
	s, err2 := strconv.ParseFloat(strings.TrimSpace(rec[1]), 64)
	switch {
	case err1 != nil || p != want:
		e.add(line, "%s %q: expected %d (periods run 0, 1, 2, ... in order)", c.Unit, rec[0], want)
		return
	case err2 != nil || s < 0 || math.IsNaN(s) || math.IsInf(s, 0):
		e.add(line, "survivors %q: expected a count, 0 or more", rec[1])
		return
	case s > MaxCohort:
		e.add(line, "survivors %s: expected at most %s, the most accounts a scenario holds", strings.TrimSpace(rec[1]), thousands(MaxCohort))
		return
	case len(c.Survivors) > 0 && s > c.Survivors[len(c.Survivors)-1]:
		e.add(line, "survivors rise from %g to %g; a cohort only shrinks", c.Survivors[len(c.Survivors)-1], s)
	case want == 0 && s == 0:
		e.add(line, "the cohort starts with 0 customers")
	}
	c.Survivors = append(c.Survivors, s)
}

// isFieldCount reports whether err is a CSV row with the wrong number of
// fields, after which reading can go on.
func isFieldCount(err error) bool {
	var pe *csv.ParseError
	return errors.As(err, &pe) && pe.Err == csv.ErrFieldCount
}

// csvLine is the line of a CSV parse error (0 if it has none).
func csvLine(err error) int {
	var pe *csv.ParseError
	var le *csvfile.LineError
	switch {
	case errors.As(err, &pe):
		return pe.Line
	case errors.As(err, &le):
		return le.Line
	}
	return 0
}
