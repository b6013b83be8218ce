package scenarios

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// FuzzParse feeds the loader arbitrary bytes, starting from the examples and
// the catalogue of bad files. Parse must never panic or hang; what it
// accepts must be a runnable scenario; and it must be deterministic.
//
//	go test -fuzz=FuzzParse -fuzztime=60s -fuzzminimizetime=5s ./scenarios
//
// (By default each new input is minimised for up to 60 s, and the seeds are
// files of a few KB: a one-minute run is then mostly minimising.)
func FuzzParse(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"examples/*.yaml", "testdata/bad/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, m...)
	}
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// Accounts files come from memory: a fuzzed name must not reach the
	// file system (/dev/zero never ends).
	csvs := map[string][]byte{}
	files, _ := filepath.Glob("testdata/bad/*.csv")
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		csvs[filepath.Base(path)] = data
	}
	readFile := func(name string) ([]byte, error) {
		if data, ok := csvs[name]; ok {
			return data, nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseWithin(t, data, readFile)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("Parse returned %T %v, want a non-empty Errors", err, err)
			}
			for _, e := range es {
				if e.Msg == "" || e.File == "" {
					t.Fatalf("error without a message or a file: %#v", e)
				}
			}
			return
		}
		if s.Settings.Trials < 1 || s.Settings.Trials > 10_000_000 {
			t.Fatalf("accepted %d trials", s.Settings.Trials)
		}
		if len(s.Options) == 0 {
			t.Fatal("accepted a scenario without a baseline")
		}
		for _, o := range s.Options {
			if len(o.Model.Segments) == 0 {
				t.Fatalf("option %q has no segment", o.Name)
			}
			if h := o.Model.Horizon; h < 1 || h > 240 {
				t.Fatalf("option %q has horizon %d", o.Name, h)
			}
		}
		again, err := parseWithin(t, data, readFile)
		if err != nil {
			t.Fatalf("accepted once, then rejected: %v", err)
		}
		if f := differentField(*s, *again); f != "" {
			t.Fatalf("parsing the same bytes twice gave different %s", f)
		}
	})
}

// differentField returns the first exported field in which two scenarios
// differ, or "". Unexported fields (a file reader, say) are not results.
func differentField(a, b Scenario) string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		if f := va.Type().Field(i); f.IsExported() && !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			return f.Name
		}
	}
	return ""
}

// parseWithin runs Parse, failing the test if it does not return within a
// time no valid or invalid small input should need.
func parseWithin(t *testing.T, data []byte, readFile func(string) ([]byte, error)) (*Scenario, error) {
	type result struct {
		s   *Scenario
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := Parse("fuzz.yaml", data, readFile)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-time.After(10 * time.Second):
		t.Fatalf("Parse did not return within 10s")
		return nil, nil
	}
}

// fuzzAccountsScenario reads its accounts from a.csv, with first renewals.
const fuzzAccountsScenario = `name: Fuzzed accounts
start: 2027-01
horizon_months: 12
segments:
  - name: enterprise
    accounts_file: a.csv
    contract: {first_renewal: file}
`

// FuzzAccountsFile feeds the accounts file reader arbitrary CSV: it must
// never panic, and every account it accepts has an amount and a first
// renewal within the bounds the format states.
func FuzzAccountsFile(f *testing.F) {
	f.Add([]byte("id,acv,first_renewal\na,100000,3\nb,50k,12\n"))
	f.Add([]byte("id,mrr,first_renewal\n\"a,1\",1.2M,1\n"))
	f.Add([]byte("\ufeffID , MRR,first_renewal\r\nx,$12k,240\r\n"))
	f.Add([]byte("id,mrr,first_renewal,tenure_months\na,1000,2,60\nb,2k,5,\n"))
	files, _ := filepath.Glob("testdata/bad/*.csv")
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, csv []byte) {
		s, err := parseWithin(t, []byte(fuzzAccountsScenario), func(string) ([]byte, error) { return csv, nil })
		if err != nil {
			return
		}
		seg := s.Options[0].Model.Segments[0]
		if seg.Count != len(seg.Accounts) || seg.Count == 0 || seg.Count > 10_000_000 {
			t.Fatalf("%d accounts, count %d", len(seg.Accounts), seg.Count)
		}
		for _, a := range seg.Accounts {
			if !(a.MRR >= 0 && a.MRR <= kinds["money"].most) || a.FirstRenewal < 1 || a.FirstRenewal > 240 || a.TenureMonths < 0 || a.TenureMonths > 600 {
				t.Fatalf("account %q: MRR %v, first renewal %d, tenure %d", a.ID, a.MRR, a.FirstRenewal, a.TenureMonths)
			}
		}
	})
}

// FuzzOverride feeds Override (a sweep's --set, an option's path) any
// path and value: it must never panic, its errors must name the command
// line, and what it accepts is a model as runnable as the baseline.
func FuzzOverride(f *testing.F) {
	base, err := Parse("base.yaml", []byte(`name: Base
start: 2027-01
horizon_months: 24
segments:
  - name: smb
    accounts: 100
    acv: {lognormal: {median: 12k, p90: 30k}}
    churn: {annual: {beta: {mean: 8%, sd: 2%}}}
acquisition:
  smb: {per_month: 3}
team: {csms: 3}
second_order: {}
`), nil)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][2]string{
		{"team.csms", "5"}, {"team.csms", "-1"}, {"acquisition.smb.per_month", "1e9"}, {"segments.smb.acv", "{lognormal: {median: 1, p90: 1e15}}"},
		{"second_order.referrals_per_year", "10"}, {"segments.smb.churn.annual", "NaN"}, {"team", "{csms: 5}"}, {"segments.smb", "x"},
		{"segments.smb.accounts_file", "/dev/zero"}, {"horizon_months", "12"}, {"segments.smb.churn", "{monthly: 1%}"}, {"team.plan", "[{from: 2027-06, csms: 2}]"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, path, value string) {
		m, err := base.Override(map[string]string{path: value})
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("Override returned %T %v, want a non-empty Errors", err, err)
			}
			return
		}
		if m.Horizon != 24 || len(m.Segments) != 1 {
			t.Fatalf("horizon %d, %d segments", m.Horizon, len(m.Segments))
		}
		if w := TrialWork(&m); !(w <= MaxTrialWork) {
			t.Fatalf("accepted a trial of %v account-months", w)
		}
	})
}
