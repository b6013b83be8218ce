package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"csplan/results"
)

// Workbook sheet names.
const (
	SheetSummary     = "Summary"
	SheetYears       = "By fiscal year"
	SheetBridge      = "Bridge and payback"
	SheetByMonth     = "By month"
	SheetTimeseries  = "Time series"
	SheetAssumptions = "Assumptions"
	SheetSensitivity = "Sensitivity"
	SheetRun         = "Run"
)

// Workbook writes results.xlsx: the sheets Summary (as summary.csv), By
// fiscal year (each option's money less the baseline's, as in the report),
// Bridge and payback (each option's gross-profit bridge and payback), By
// month (a row per option and series, a column per month: the means), Time
// series (as timeseries.csv, long, with real dates and quantiles), Assumptions (every
// input), Sensitivity (when the results carry a sensitivity analysis: a row
// per uncertain input, as in the report) and Run (scenario, mode, trials,
// seed, version, warnings). Numbers
// are stored as numbers in full precision and shown with number formats:
// currency for money, 0.0% for rates (0.00% for differences of rates),
// #,##0 for counts. Each sheet has a bold, frozen header row with a filter.
func Workbook(w io.Writer, r *results.Results) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxWriter{f: f, cur: r.Currency}
	if err := x.styles(); err != nil {
		return err
	}
	steps := []func(*results.Results) error{x.summary, x.years, x.bridge, x.byMonth, x.timeseries, x.assumptions, x.sensitivity, x.run}
	for _, step := range steps {
		if err := step(r); err != nil {
			return err
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{Title: r.Scenario, Subject: r.Question, Creator: "csplan " + r.Version}); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

type xlsxWriter struct {
	f   *excelize.File
	cur string
	// style IDs
	header, text, wrap, integer, date, share, ratio int
	value, diff                                     map[unit]int // by unit, for values and for differences
}

// currencyFormat is the number format of amounts in cur.
func currencyFormat(cur string) string {
	sym, ok := currencySymbols[cur]
	if cur == "" {
		sym, ok = "$", true
	}
	if ok {
		return `"` + sym + `"#,##0`
	}
	return `#,##0 "` + cur + `"`
}

func (x *xlsxWriter) styles() error {
	var err error
	style := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = x.f.NewStyle(s)
		return id
	}
	custom := func(format string) *excelize.Style { return &excelize.Style{CustomNumFmt: &format} }
	x.header = style(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F0"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "1D2733", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	x.text = style(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	x.wrap = style(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	x.integer = style(custom("0"))
	x.date = style(custom("mmm yyyy"))
	x.share = style(custom("0.0%"))
	x.ratio = style(custom("0.00"))
	money := currencyFormat(x.cur)
	x.value = map[unit]int{
		unitMoney:  style(custom(money)),
		unitRate:   style(custom("0.0%")),
		unitCount:  style(custom("#,##0")),
		unitNumber: style(custom("General")),
	}
	x.diff = map[unit]int{
		unitMoney:  x.value[unitMoney],
		unitRate:   style(custom("0.00%")),
		unitCount:  x.value[unitCount],
		unitNumber: x.value[unitNumber],
	}
	return err
}

// cell is the A1 name of column col (1-based) in row.
func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// sheet creates a sheet with a styled, frozen header row and column widths.
func (x *xlsxWriter) sheet(name string, header []string, widths []float64) error {
	if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	for i, h := range header {
		if err := x.f.SetCellValue(name, cell(i+1, 1), h); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := x.f.SetColWidth(name, col, col, widths[i]); err != nil {
			return err
		}
	}
	if err := x.f.SetCellStyle(name, cell(1, 1), cell(len(header), 1), x.header); err != nil {
		return err
	}
	return x.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// finish adds a filter over the header and rows written.
func (x *xlsxWriter) finish(name string, cols, rows int) error {
	if rows < 2 {
		return nil
	}
	return x.f.AutoFilter(name, cell(1, 1)+":"+cell(cols, rows), nil)
}

// setRow writes values from column col on, then styles them.
func (x *xlsxWriter) setRow(sheet string, col, row int, style int, values ...any) error {
	for i, v := range values {
		if err := x.f.SetCellValue(sheet, cell(col+i, row), v); err != nil {
			return err
		}
	}
	return x.f.SetCellStyle(sheet, cell(col, row), cell(col+len(values)-1, row), style)
}

func (x *xlsxWriter) summary(r *results.Results) error {
	const s = SheetSummary
	header := []string{"Option", "Metric", "Metric key", "Mean", "SD", "SE", "P5", "P25", "Median (P50)", "P75", "P95",
		"Mean difference", "95% CI of mean diff, low", "95% CI of mean diff, high", "Share of trials better", "Share of trials worse"}
	widths := []float64{30, 26, 16, 15, 14, 13, 15, 15, 15, 15, 15, 16, 16, 16, 12, 12}
	if err := x.sheet(s, header, widths); err != nil {
		return err
	}
	row := 1
	metrics := metricsOf(r)
	for _, o := range r.Options {
		for _, q := range metrics {
			m, ok := o.Metrics[q.key]
			if !ok {
				continue
			}
			row++
			if err := x.setRow(s, 1, row, x.text, o.Name, metricLabel(q, r), q.key); err != nil {
				return err
			}
			if err := x.setRow(s, 4, row, x.value[q.unit], m.Mean, m.SD, m.SE, m.P5, m.P25, m.P50, m.P75, m.P95); err != nil {
				return err
			}
			d, ok := o.VsBaseline[q.key]
			if !ok {
				continue
			}
			if err := x.setRow(s, 12, row, x.diff[q.unit], d.MeanDiff, d.CI95[0], d.CI95[1]); err != nil {
				return err
			}
			if err := x.setRow(s, 15, row, x.share, d.PBetter, d.PWorse); err != nil {
				return err
			}
		}
	}
	return x.finish(s, len(header), row)
}

// years writes each option's difference from the baseline by fiscal year.
func (x *xlsxWriter) years(r *results.Results) error {
	if len(r.Options) < 2 {
		return nil
	}
	const s = SheetYears
	header := append([]string{"Option", "Fiscal year", "First month", "Last month"}, yearHeads...)
	widths := []float64{30, 12, 11, 11}
	for range yearHeads {
		widths = append(widths, 16)
	}
	if err := x.sheet(s, header, widths); err != nil {
		return err
	}
	row := 1
	for _, d := range yearDiffs(r) {
		row++
		if err := x.setRow(s, 1, row, x.text, d.option, d.year.Name()); err != nil {
			return err
		}
		for i, m := range []int{d.year.From, d.year.To} {
			if t, ok := monthDate(r.Start, m); ok {
				if err := x.setRow(s, 3+i, row, x.date, t); err != nil {
					return err
				}
			} else if err := x.setRow(s, 3+i, row, x.integer, m); err != nil {
				return err
			}
		}
		values := make([]any, len(d.values))
		for i, v := range d.values {
			values[i] = v
		}
		if err := x.setRow(s, 5, row, x.diff[unitMoney], values...); err != nil {
			return err
		}
	}
	return x.finish(s, len(header), row)
}

// bridge writes each option's gross-profit bridge, then its payback.
func (x *xlsxWriter) bridge(r *results.Results) error {
	if len(r.Options) < 2 {
		return nil
	}
	const s = SheetBridge
	header := []string{"Option", "Driver", "Mean difference in gross profit", "95% CI of mean, low", "95% CI of mean, high"}
	if err := x.sheet(s, header, []float64{30, 30, 18, 16, 16}); err != nil {
		return err
	}
	row := 1
	for _, o := range r.Options[1:] {
		for _, l := range o.Bridge {
			row++
			if err := x.setRow(s, 1, row, x.text, o.Name, bridgeLegNames[l.Driver]); err != nil {
				return err
			}
			if err := x.setRow(s, 3, row, x.diff[unitMoney], l.MeanDiff, l.CI95[0], l.CI95[1]); err != nil {
				return err
			}
		}
		if d, ok := o.VsBaseline[results.GrossProfitTotal]; ok && len(o.Bridge) > 0 {
			row++
			if err := x.setRow(s, 1, row, x.text, o.Name, "Net: gross profit"); err != nil {
				return err
			}
			if err := x.setRow(s, 3, row, x.diff[unitMoney], d.MeanDiff, d.CI95[0], d.CI95[1]); err != nil {
				return err
			}
		}
	}
	if err := x.finish(s, len(header), row); err != nil {
		return err
	}
	row += 2
	// The story in words, as the terminal and the report tell it, beside
	// the numbers: a cut that is ahead at first and behind later "pays
	// back" early in the numbers' sense only.
	first := "month 1 = " + MonthLabel(r.Start, 1)
	if err := x.setRow(s, 1, row, x.header, "Option", "Pays back in (share of trials)", "Payback month, median ("+first+")", "Payback month, P5", "Payback month, P95", "In words, as the report says it"); err != nil {
		return err
	}
	for _, o := range r.Options[1:] {
		p := o.Payback
		if p == nil {
			continue
		}
		row++
		if err := x.setRow(s, 1, row, x.text, o.Name); err != nil {
			return err
		}
		if err := x.setRow(s, 2, row, x.share, p.ShareOfTrials); err != nil {
			return err
		}
		if m := p.Month; m != nil {
			if err := x.setRow(s, 3, row, x.integer, m.P50, m.P5, m.P95); err != nil {
				return err
			}
		}
		if err := x.setRow(s, 6, row, x.wrap, paybackLine(r, o)); err != nil {
			return err
		}
	}
	return nil
}

// byMonth writes the series' means wide: a row per option and series, a
// column per month.
func (x *xlsxWriter) byMonth(r *results.Results) error {
	const s = SheetByMonth
	h := r.HorizonMonths
	header := []string{"Option", "Series", "Series key"}
	widths := []float64{30, 30, 18}
	for m := 0; m <= h; m++ {
		label := fmt.Sprintf("Month %d", m)
		if t, ok := monthDate(r.Start, m); ok {
			label = t.Format("Jan 2006") // month 0, the opening book, is the month before the start
		}
		header, widths = append(header, label), append(widths, 13)
	}
	if err := x.sheet(s, header, widths); err != nil {
		return err
	}
	row := 1
	for _, o := range r.Options {
		for _, q := range seriesOf(r) {
			pts := o.Series[q.key]
			if len(pts) == 0 {
				continue
			}
			row++
			if err := x.setRow(s, 1, row, x.text, o.Name, q.label, q.key); err != nil {
				return err
			}
			for _, p := range pts {
				if p.Month < 0 || p.Month > h {
					continue
				}
				if err := x.setRow(s, 4+p.Month, row, x.value[q.unit], p.Mean); err != nil {
					return err
				}
			}
		}
	}
	return x.finish(s, len(header), row)
}

func (x *xlsxWriter) timeseries(r *results.Results) error {
	const s = SheetTimeseries
	header := []string{"Option", "Month", "Date", "Series", "Mean", "P5", "P25", "Median (P50)", "P75", "P95"}
	widths := []float64{30, 8, 11, 18, 15, 15, 15, 15, 15, 15}
	if err := x.sheet(s, header, widths); err != nil {
		return err
	}
	row := 1
	for _, o := range r.Options {
		for _, q := range seriesOf(r) {
			for _, p := range o.Series[q.key] {
				row++
				if err := x.setRow(s, 1, row, x.text, o.Name); err != nil {
					return err
				}
				if err := x.setRow(s, 2, row, x.integer, p.Month); err != nil {
					return err
				}
				if t, ok := monthDate(r.Start, p.Month); ok {
					if err := x.setRow(s, 3, row, x.date, t); err != nil {
						return err
					}
				}
				if err := x.setRow(s, 4, row, x.text, q.key); err != nil {
					return err
				}
				if err := x.setRow(s, 5, row, x.value[q.unit], p.Mean, p.P5, p.P25, p.P50, p.P75, p.P95); err != nil {
					return err
				}
			}
		}
	}
	return x.finish(s, len(header), row)
}

func (x *xlsxWriter) assumptions(r *results.Results) error {
	const s = SheetAssumptions
	header := []string{"Group", "Input", "Path", "Value or distribution", "Number", "Unit", "Kind"}
	if err := x.sheet(s, header, []float64{24, 40, 46, 60, 16, 10, 30}); err != nil {
		return err
	}
	row := 1
	for _, g := range groupAssumptions(r.Assumptions) {
		for _, a := range g.Rows {
			row++
			if err := x.setRow(s, 1, row, x.wrap, g.Title, a.Cells[0], g.Prefix+a.Cells[1], a.Cells[2]); err != nil {
				return err
			}
			if err := x.setRow(s, 7, row, x.wrap, a.Cells[3]); err != nil {
				return err
			}
			// A plain value is a number too, for formulas, with its unit.
			if v, u, ok := plainValue(a.Cells[2], x.cur); ok {
				style := map[string]int{"%": x.share, x.cur: x.value[unitMoney]}[u]
				if style == 0 {
					style = x.value[unitNumber]
				}
				if err := x.setRow(s, 5, row, style, v); err != nil {
					return err
				}
				if err := x.setRow(s, 6, row, x.text, u); err != nil {
					return err
				}
			}
		}
	}
	return x.finish(s, len(header), row)
}

// plainValue reads an assumption's value when it is a single number: "5%"
// (0.05, "%"), "$165,000" or "$165k" (165000, the currency), "12" (12, "");
// ok is false for a distribution or a word.
func plainValue(s, currency string) (v float64, unit string, ok bool) {
	s = strings.TrimSpace(s)
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "%"):
		s, unit, mult = strings.TrimSuffix(s, "%"), "%", 0.01
	case strings.HasPrefix(s, "$"), strings.HasPrefix(s, "€"), strings.HasPrefix(s, "£"):
		_, size := utf8.DecodeRuneInString(s)
		s, unit = s[size:], currency
	}
	for suffix, m := range map[string]float64{"k": 1e3, "M": 1e6, "B": 1e9} {
		if t, found := strings.CutSuffix(s, suffix); found && unit == currency {
			s, mult = t, m
		}
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, "", false
	}
	return v * mult, unit, true
}

// sensitivity writes the report's sensitivity table, numbers in full.
func (x *xlsxWriter) sensitivity(r *results.Results) error {
	sens := r.Sensitivity
	if sens == nil {
		return nil
	}
	const s = SheetSensitivity
	header := buildSensitivity(sens, "", nil).Table.Header
	if err := x.sheet(s, header, []float64{42, 40, 12, 12, 16, 16, 15, 12, 12}); err != nil {
		return err
	}
	m := metricQuantity(sens.Metric).unit
	for i, in := range sens.Inputs {
		row := i + 2
		u := inputUnit(in.Dist, sens.Currency)
		for _, set := range []struct {
			col, style int
			values     []any
		}{
			{1, x.text, []any{in.Name, in.Dist}},
			{3, x.value[u], []any{in.P10, in.P90}},
			{5, x.value[m], []any{in.Low, in.High}},
			{7, x.diff[m], []any{in.Swing}},
			{8, x.ratio, []any{in.RankCorrelation}},
			{9, x.share, []any{in.VarianceShare}},
		} {
			if err := x.setRow(s, set.col, row, set.style, set.values...); err != nil {
				return err
			}
		}
	}
	return x.finish(s, len(header), len(sens.Inputs)+1)
}

func (x *xlsxWriter) run(r *results.Results) error {
	const s = SheetRun
	if err := x.sheet(s, []string{"Field", "Value"}, []float64{18, 90}); err != nil {
		return err
	}
	rows := [][2]string{
		{"Scenario", r.Scenario},
		{"Question", r.Question},
		{"Mode", r.Mode},
		{"Trials", strconv.Itoa(r.Trials)},
		// The seed is text: a float64 cell cannot hold every uint64 exactly.
		{"Seed", strconv.FormatUint(r.Seed, 10)},
		{"Start", r.Start},
		{"Horizon (months)", strconv.Itoa(r.HorizonMonths)},
		{"Currency", r.Currency},
		{"Net rate", r.NetRate},
		{"csplan version", r.Version},
	}
	for _, w := range r.Warnings {
		rows = append(rows, [2]string{"Warning", w})
	}
	for i, kv := range rows {
		var v any = kv[1]
		if n, err := strconv.Atoi(kv[1]); err == nil && kv[0] != "Seed" {
			v = n
		}
		if err := x.setRow(s, 1, i+2, x.wrap, kv[0], v); err != nil {
			return fmt.Errorf("run sheet: %w", err)
		}
	}
	return nil
}
