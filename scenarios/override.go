package scenarios

import (
	"csplan/sim"

	"go.yaml.in/yaml/v3"
)

// Override returns the baseline model with the fields at the given paths set
// to the given values (as they would be written in the file, e.g. "9",
// "8%", "quarterly"), validated like an option's overrides. A sweep uses it
// to vary one or two inputs over a range.
func (s *Scenario) Override(set map[string]string) (sim.Model, error) {
	doc := own(s.doc)
	var errs Errors
	for _, path := range sortedKeys(set) {
		val := &yaml.Node{Kind: yaml.ScalarNode, Value: set[path]}
		at := &yaml.Node{Line: 0, Column: 0}
		if msg := setPath(doc, path, val, at); msg != "" {
			errs = append(errs, Error{File: s.Path + " with --set", Path: path, Msg: msg})
		}
	}
	if len(errs) > 0 {
		return sim.Model{}, errs
	}
	m, derrs := decodeModel(s.Path, doc, s.readFile)
	for i := range derrs {
		// The replaced values have no line in the file: they came from
		// the command line, so the error says so rather than blame the file.
		if derrs[i].File == s.Path && derrs[i].Line == 0 {
			derrs[i].File = s.Path + " with --set"
		}
	}
	if len(derrs) > 0 {
		return sim.Model{}, derrs
	}
	return m, nil
}
