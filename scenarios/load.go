// Package scenarios is the csplan scenario format: it reads a YAML scenario,
// validates it, applies defaults, expands its options, and hands package sim
// one plain Model per option.
package scenarios

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"time"

	"csplan/sim"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest scenario file read: scenarios are hand-written,
// and a larger file is almost surely a mistake (or an attack).
const MaxFileSize = 10 << 20

// Scenario is a loaded, validated scenario.
type Scenario struct {
	Path        string
	Name        string
	Description string
	Question    string
	Currency    string
	Start       time.Time
	Settings    sim.Settings
	// Options[0] is the baseline; the rest follow the file's order.
	Options []Option
	// Spec is the decoded file, defaults applied, for listing assumptions.
	Spec *File
}

// Option is the baseline or one named variant of it.
type Option struct {
	Name        string
	Description string
	Set         []string // the paths it overrides
	Model       sim.Model
}

// Load reads and validates the scenario file at path. Accounts files are
// read relative to its directory. The error, if any, is an Errors listing
// every problem found.
func Load(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Errors{{File: path, Msg: "cannot read scenario: " + pathErr(err)}}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, Errors{{File: path, Msg: "cannot read scenario: " + pathErr(err)}}
	}
	dir := filepath.Dir(path)
	return Parse(path, data, func(name string) ([]byte, error) {
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		return os.ReadFile(name)
	})
}

func pathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse validates a scenario held in data; name is used in error messages
// and readFile opens accounts files.
func Parse(name string, data []byte, readFile func(string) ([]byte, error)) (*Scenario, error) {
	if len(data) > MaxFileSize {
		return nil, Errors{{File: name, Msg: fmt.Sprintf("file is larger than %d MiB; a scenario is a hand-written file", MaxFileSize>>20)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Errors{syntaxError(name, data, err)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, Errors{{File: name, Line: 1, Col: 1, Msg: "the file is empty; a scenario needs at least name, start and segments (csplan init writes a starter)"}}
	}
	doc := root.Content[0]
	d := newDecoder(name)
	d.nodes[""] = doc
	var f File
	d.decode(doc, reflect.ValueOf(&f).Elem(), "", tag{})
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	b := &builder{d: d, f: &f, readFile: readFile}
	base := b.model()
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	s := &Scenario{
		Path: name, Name: f.Name, Description: f.Description, Question: f.Question,
		Currency: f.Currency, Start: f.Start.Calendar, Spec: &f,
		Settings: sim.Settings{Trials: f.Trials, Seed: uint64(f.Seed)},
		Options:  []Option{{Name: "Baseline", Description: "the scenario as written", Model: base}},
	}
	if f.Mode == "expected" {
		s.Settings.Mode = sim.Expected
	}
	if f.NetRate == "additive" {
		s.Settings.NetRate = sim.Additive
	}
	var errs Errors
	names := map[string]bool{"Baseline": true}
	for i, o := range f.Options {
		on := d.at(fmt.Sprintf("options[%d]", i))
		if names[o.Name] {
			errs = append(errs, Error{File: name, Line: on.Line, Col: on.Column, Path: fmt.Sprintf("options[%d].name", i),
				Msg: fmt.Sprintf("option name %q is used twice (Baseline is reserved)", o.Name)})
			continue
		}
		names[o.Name] = true
		opt, oerrs := expandOption(name, doc, i, o, base, readFile)
		errs = append(errs, oerrs...)
		if len(oerrs) == 0 {
			s.Options = append(s.Options, opt)
		}
	}
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return s, nil
}

// syntaxError turns a yaml.v3 parse error into an Error; yaml.v3 reports a
// line but no column, so the column is found where possible (tabs).
func syntaxError(name string, data []byte, err error) Error {
	msg := err.Error()
	e := Error{File: name, Line: 1, Col: 1, Msg: "invalid YAML: " + msg}
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = "invalid YAML: " + m[2]
		line := lineOf(data, e.Line)
		for i, c := range line {
			if c == '\t' {
				e.Col = i + 1
				e.Msg += " (indent with spaces, not tabs)"
				break
			}
		}
	}
	return e
}

func lineOf(data []byte, n int) []byte {
	for i := 1; i < n; i++ {
		j := indexByte(data, '\n')
		if j < 0 {
			return nil
		}
		data = data[j+1:]
	}
	if j := indexByte(data, '\n'); j >= 0 {
		return data[:j]
	}
	return data
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
