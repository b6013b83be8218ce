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
