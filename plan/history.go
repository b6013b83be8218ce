package plan

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"csplan/results"
	"csplan/scenarios"
	"csplan/scenarios/calibrate"
	"csplan/sim"
)

// The CSV inputs: a history, read as a stream, and CS costs by month.
var (
	historyInput = scenarios.Input{What: "CSV file", Limit: 2 << 30,
		Large: "that is some 60 million rows, more than a history of every account and month of a large company (is this the right file?)"}
	costsInput = scenarios.Input{What: "CSV file", Limit: 10 << 20,
		Large: "CS costs have one row a month (is this the right file?)"}
)

// ReadHistory reads the history of account revenue by month at path (see
// docs/history.md). It stops with ctx's error once ctx is done: a large
// history takes seconds to read.
func ReadHistory(ctx context.Context, path string, opt calibrate.ReadOptions) (*calibrate.History, error) {
	f, err := openCSV(ctx, historyInput, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return calibrate.ReadHistory(f, path, opt)
}

// ReadCosts reads CS cost by month (columns month, cost) at path.
func ReadCosts(ctx context.Context, path string, opt calibrate.ReadOptions) (calibrate.Costs, error) {
	f, err := openCSV(ctx, costsInput, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return calibrate.ReadCosts(f, path, opt)
}

// ParseDuplicates reads what reading a history or costs does with two
// rows of one account (or of costs) and month: error, sum them, or drop
// a row that repeats the other (identical).
func ParseDuplicates(name string) (calibrate.ReadOptions, error) {
	err := OneOf("duplicates", name, string(calibrate.DuplicatesError), string(calibrate.DuplicatesSum), string(calibrate.DuplicatesIdentical))
	return calibrate.ReadOptions{Duplicates: calibrate.Duplicates(name)}, err
}

// ParseColumns reads --columns KEY=HEADER pairs: for a history whose
// headers csplan does not know, which of its columns is account_id,
// month, mrr, segment or nps.
func ParseColumns(pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		k = strings.TrimSpace(k)
		switch {
		case !ok || strings.TrimSpace(v) == "":
			return nil, &SettingError{Setting: "columns", Problem: fmt.Sprintf("%q: expected KEY=HEADER, such as month=\"Billing Month\"", p)}
		case !slices.Contains(calibrate.HistoryColumns, k):
			return nil, &SettingError{Setting: "columns", Value: k, Choices: calibrate.HistoryColumns}
		}
		if _, dup := out[k]; dup {
			return nil, &SettingError{Setting: "columns", Problem: fmt.Sprintf("%q maps %s a second time", p, k)}
		}
		out[k] = v
	}
	return out, nil
}

// Periods are the kinds of period of KPIs: months, quarters and years.
var Periods = []string{calibrate.PeriodMonth, calibrate.PeriodQuarter, calibrate.PeriodYear}

// CheckPeriod refuses a kind of period that is none of Periods.
func CheckPeriod(kind string) error { return OneOf("period", kind, Periods...) }

// KPIs are the KPIs of h per period of kind (one of Periods) and segment,
// each beside its benchmark, with the CS cost ratio where costs has the
// months; an error when h has no whole period of kind (shorter periods
// may do).
func KPIs(h *calibrate.History, kind string, costs calibrate.Costs) ([]calibrate.KPIRow, error) {
	if err := CheckPeriod(kind); err != nil {
		return nil, err
	}
	rows := calibrate.KPIs(h, kind, costs)
	if len(rows) == 0 {
		return nil, noPeriodError(fmt.Sprintf("%s: no whole %s with the month before it in the history (%s to %s)", h.Name, kind, h.First, h.Last))
	}
	return rows, nil
}

// ErrNoWholePeriod is the error, as errors.Is sees it, of KPIs for a
// history without a whole period of the kind asked: a shorter kind may do.
var ErrNoWholePeriod = errors.New("no whole period in the history")

// noPeriodError is ErrNoWholePeriod, saying which period and history.
type noPeriodError string

func (e noPeriodError) Error() string        { return string(e) }
func (e noPeriodError) Is(target error) bool { return target == ErrNoWholePeriod }

// A KPIReport is what kpi shows of a history: its KPIs per period of
// one kind, with the history and costs they come from.
type KPIReport struct {
	History *calibrate.History
	Costs   calibrate.Costs    // CS cost by month; nil without a costs file
	Rows    []calibrate.KPIRow // per period of the kind asked and segment (KPIs)
	// Warnings are what reading the history found that changes what the
	// KPIs mean (calibrate.HistoryWarnings): a snapshot export, for one.
	Warnings []string
}

// ReadKPIs checks kind (CheckPeriod), reads the history at path and,
// unless costs is empty, the CS costs at costs, under read's rule for
// duplicate rows, and computes the KPIs per period of kind (KPIs).
func ReadKPIs(ctx context.Context, path, costs, kind string, read calibrate.ReadOptions) (*KPIReport, error) {
	if err := CheckPeriod(kind); err != nil {
		return nil, err
	}
	h, err := ReadHistory(ctx, path, read)
	if err != nil {
		return nil, err
	}
	r := &KPIReport{History: h, Warnings: calibrate.HistoryWarnings(h)}
	if costs != "" {
		if r.Costs, err = ReadCosts(ctx, costs, read); err != nil {
			return nil, err
		}
	}
	r.Rows, err = KPIs(h, kind, r.Costs)
	return r, err
}

// CalibrateOptions are how Calibrate reads, fits and writes.
type CalibrateOptions struct {
	Read     calibrate.ReadOptions     // a history's duplicate rows
	Fit      calibrate.Options         // a history's contract term
	Periods  int                       // a cohort table's periods to fit, 1 to Periods (0: all)
	Scenario calibrate.ScenarioOptions // the written scenario's horizon and trials
	Name     string                    // the scenario file's name, in its messages; default calibrated.yaml
}

// ParseTerm reads a contract term for CalibrateOptions.Fit: auto (0:
// detected from when accounts leave) or a number of months from 1 to
// calibrate.MaxTerm.
func ParseTerm(name string) (months int, err error) {
	if name == "auto" {
		return 0, nil
	}
	months, err = strconv.Atoi(name)
	if err != nil || months < 1 || months > calibrate.MaxTerm {
		return 0, &SettingError{Setting: "term", Problem: fmt.Sprintf("%q: expected auto, or a number of months from 1 to %d", name, calibrate.MaxTerm)}
	}
	return months, nil
}

// Parse reads the contract term (ParseTerm) and the rule for duplicate
// rows (ParseDuplicates), written as text, into o, and checks o (Check):
// the first problem, by its setting.
func (o *CalibrateOptions) Parse(term, duplicates string) (err error) {
	o.Fit.Term, err = ParseTerm(term)
	var dupErr error
	o.Read, dupErr = ParseDuplicates(duplicates)
	return cmp.Or(err, dupErr, o.Check())
}

// ChartsDir is where calibrate's charts go by default: beside the
// scenario file at path, named after it (company.yaml: company-charts).
func ChartsDir(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + "-charts"
}

// A Calibrated is a history or a cohort table fitted, and the scenario
// written from the fits.
type Calibrated struct {
	*calibrate.Calibration
	History  *calibrate.History // the history read; nil for a cohort table
	Scenario []byte             // YAML that validates as a scenario
	// Accounts is the accounts file the scenario reads its opening book
	// from (calibrate.Book), to be written at AccountsFile, beside the
	// scenario; nil for a cohort table.
	Accounts     []byte
	AccountsFile string
}

// AccountsFile is where the accounts file of the scenario at path goes:
// beside it, named after it (q3.yaml: q3-accounts.csv).
func AccountsFile(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + "-accounts.csv"
}

// Calibrate reads the history of account revenue (or the cohort survival
// table, period,survivors) at path, fits it (calibrate.Calibrate,
// calibrate.CalibrateCohort) and writes the scenario of the fits, which it
// checks, so that a failure comes before anything is printed or written.
func Calibrate(ctx context.Context, path string, opt CalibrateOptions) (*Calibrated, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	f, err := openCSV(ctx, historyInput, path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	out := &Calibrated{}
	if calibrate.IsCohortTable(calibrate.ReadHeader(br)) {
		co, err := calibrate.ReadCohort(br, path)
		if err != nil {
			return nil, err
		}
		out.Calibration = calibrate.CalibrateCohort(co, opt.Periods)
	} else {
		if out.History, err = calibrate.ReadHistory(br, path, opt.Read); err != nil {
			return nil, err
		}
		if out.Calibration, err = calibrate.Calibrate(out.History, opt.Fit); err != nil {
			return nil, err
		}
	}
	name := cmp.Or(opt.Name, "calibrated.yaml")
	if out.History != nil {
		if err := out.writeBook(name, &opt.Scenario); err != nil {
			return nil, err
		}
	}
	out.Scenario = calibrate.Scenario(out.Calibration, opt.Scenario)
	read := func(string) ([]byte, error) { return out.Accounts, nil }
	sc, err := scenarios.Parse(name, out.Scenario, read)
	if err == nil && out.History != nil {
		// The scenario's first year against the history's last: a gap is
		// a warning of its own, at the top of the scenario too.
		var nrr float64
		if nrr, err = firstYearNRR(ctx, sc); err == nil {
			if w := calibrate.NRRGapWarning(out.History, nrr); w != "" {
				out.Calibration.Warnings = append(out.Calibration.Warnings, w)
				out.Scenario = calibrate.Scenario(out.Calibration, opt.Scenario)
				_, err = scenarios.Parse(name, out.Scenario, read)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the calibrated scenario does not validate (a csplan bug; please report it):\n%w", err)
	}
	return out, nil
}

// writeBook makes the accounts file of the opening book (calibrate.Book)
// for the scenario named name, and has the scenario read it.
func (out *Calibrated) writeBook(name string, opt *calibrate.ScenarioOptions) error {
	book, err := calibrate.BookCSV(out.History, out.Calibration)
	if err != nil {
		return err
	}
	out.Accounts, out.AccountsFile = book, AccountsFile(name)
	opt.AccountsFile = filepath.Base(out.AccountsFile)
	return nil
}

// firstYearNRR is the NRR of the scenario's baseline over its first 12
// months on the expected path: its rates at their means.
func firstYearNRR(ctx context.Context, sc *scenarios.Scenario) (float64, error) {
	m := sc.Options[0].Model
	m.Horizon = 12
	res, err := sim.Run(ctx, []sim.Option{{Name: "baseline", Model: m}}, sim.Settings{Trials: 1, Seed: 1, Mode: sim.Expected}, nil)
	if err != nil {
		return 0, err
	}
	return res.Options[0].Metrics[results.NRR12m].Mean, nil
}

// openCSV opens an input CSV file under the rule for inputs (a regular
// file, within the input's limit), as a reader that stops with the
// context's error once ctx is done.
func openCSV(ctx context.Context, in scenarios.Input, path string) (io.ReadCloser, error) {
	f, err := in.Open(path)
	if err != nil {
		return nil, err
	}
	return ctxReader{ctx, f}, nil
}

// ctxReader reads from a file until its context is done.
type ctxReader struct {
	ctx context.Context
	*os.File
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.File.Read(p)
}
