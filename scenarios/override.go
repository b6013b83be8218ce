package scenarios

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"csplan/sim"

	"go.yaml.in/yaml/v3"
)

// Override returns the baseline model with the fields at the given paths set
// to the given values (as they would be written in the file, e.g. "9",
// "8%", "quarterly"), validated like an option's overrides. A sweep uses it
// to vary one or two inputs over a range.
//
// A value written in YAML's flow style, [...] or {...}, is that list or
// mapping (team.plan: [{from: 2027-04, csms: 9}]); any other value is a
// single value, as written. A path may name the step of a headcount plan
// from a month, PATH.plan[MONTH].csms with MONTH as YYYY-MM or a month
// number (team.plan[2027-03].csms): the step from that month is changed,
// or added in time order when the plan has none.
func (s *Scenario) Override(set map[string]string) (sim.Model, error) {
	doc := own(s.doc)
	var errs Errors
	for _, path := range sortedKeys(set) {
		if msg := s.override(doc, path, set[path]); msg != "" {
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

// override sets the value written text at path in doc, which it owns, and
// says what is wrong, or "".
func (s *Scenario) override(doc *yaml.Node, path, text string) string {
	val, msg := valueNode(text)
	if msg != "" {
		return msg
	}
	at := &yaml.Node{Line: 0, Column: 0}
	if m := stepPath.FindStringSubmatch(path); m != nil {
		return s.setStep(doc, m[1], m[2], m[3], val, at)
	}
	if strings.ContainsAny(path, "[]") {
		return "unknown path: only the step of a headcount plan takes brackets, with its month: team.plan[2027-03].csms"
	}
	return setPath(doc, path, val, at)
}

// valueNode is the node of a value written on the command line: a
// flow-style list or mapping ([...] or {...}) read as YAML, so its commas
// do not split it; anything else a single value as written. The nodes
// have no line, as they are in no file.
func valueNode(text string) (*yaml.Node, string) {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "{") {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: text}, ""
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(t), &doc); err != nil || len(doc.Content) != 1 {
		why := "not one value"
		if err != nil {
			why = strings.TrimPrefix(err.Error(), "yaml: ")
		}
		return nil, fmt.Sprintf("%s is not a YAML list or mapping in flow style, such as [{from: 2027-04, csms: 9}] (%s)", t, why)
	}
	n := doc.Content[0]
	unplace(n)
	return n, ""
}

// unplace removes the line and column of n and the nodes under it.
func unplace(n *yaml.Node) {
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		unplace(c)
	}
}

// stepPath is a path to the step of a headcount plan from a month:
// team.plan[2027-03].csms gives team.plan, 2027-03 and csms.
var stepPath = regexp.MustCompile(`^(.+\.plan)\[([^\]]*)\](?:\.(.*))?$`)

// setStep sets field of the step from month (as written) of the plan at
// list in doc to val, adding the step in time order when the plan has
// none from that month.
func (s *Scenario) setStep(doc *yaml.Node, list, month, field string, val, at *yaml.Node) string {
	want, ok := monthIndex(month, s.Start)
	if !ok {
		return fmt.Sprintf("%s[%s]: expected the step's month as YYYY-MM (e.g. 2027-04) or a month number from 1", list, month)
	}
	if field != "csms" {
		return fmt.Sprintf("a step of %[1]s sets its headcount, %[1]s[%[2]s].csms (its month is the one in brackets)", list, month)
	}
	steps := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if cur := lookup(doc, list); cur != nil && cur.Tag != "!!null" {
		if cur.Kind != yaml.SequenceNode {
			return fmt.Sprintf("the baseline gives %s as a single value, not a list of steps", list)
		}
		steps = own(cur)
	}
	from := func(st *yaml.Node) int {
		m, _ := monthIndex(textOf(valueOf(st, "from")), s.Start)
		return m // 0 when it is no month: the decoder says why
	}
	if i := slices.IndexFunc(steps.Content, func(st *yaml.Node) bool { return from(st) == want }); i >= 0 {
		st := own(steps.Content[i])
		setKey(st, field, val)
		steps.Content[i] = st
	} else {
		st := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		setKey(st, "from", &yaml.Node{Kind: yaml.ScalarNode, Value: month})
		setKey(st, field, val)
		j := slices.IndexFunc(steps.Content, func(st *yaml.Node) bool { return from(st) > want })
		if j < 0 {
			j = len(steps.Content)
		}
		steps.Content = slices.Insert(steps.Content, j, st)
	}
	return setPath(doc, list, steps, at)
}

// monthIndex is the month number (1 for start) of a month written as
// YYYY-MM or as a month number, as a plan's from reads it.
func monthIndex(text string, start time.Time) (int, bool) {
	t := strings.TrimSpace(text)
	if ym := yearMonth.FindStringSubmatch(t); ym != nil {
		y, _ := strconv.Atoi(ym[1])
		mo, _ := strconv.Atoi(ym[2])
		if mo < 1 || mo > 12 || CheckYear(y) != "" {
			return 0, false
		}
		return MonthRef{Calendar: time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)}.index(start), true
	}
	i, err := strconv.Atoi(t)
	return i, err == nil && i >= 1 && i <= 10000
}

// lookup is the node at the dotted path of mappings in doc, or nil.
func lookup(doc *yaml.Node, path string) *yaml.Node {
	n := deref(doc)
	for _, part := range strings.Split(path, ".") {
		if n = valueOf(n, part); n == nil {
			return nil
		}
	}
	return n
}

// textOf is the text of a scalar node, or "".
func textOf(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// Value is the baseline's value at path, as the file writes it: a single
// value (team.csms, segments.NAME.churn.annual), or for the step of a plan
// from a month (team.plan[2027-03].csms) the headcount in effect then;
// false when the file gives none there (a default) or a list or mapping.
func (s *Scenario) Value(path string) (string, bool) {
	if m := stepPath.FindStringSubmatch(path); m != nil {
		want, ok := monthIndex(m[2], s.Start)
		if !ok || m[3] != "csms" {
			return "", false
		}
		head := textOf(lookup(s.doc, strings.TrimSuffix(m[1], "plan")+"csms"))
		if steps := lookup(s.doc, m[1]); steps != nil {
			for _, st := range steps.Content {
				if at, ok := monthIndex(textOf(valueOf(st, "from")), s.Start); ok && at <= want {
					head = textOf(valueOf(st, "csms"))
				}
			}
		}
		return head, head != ""
	}
	n := s.node(path)
	v := textOf(n)
	return v, v != ""
}

// node is the baseline's node at path (segments by name), nil when the
// file gives none there.
func (s *Scenario) node(path string) *yaml.Node { return nodeAt(s.doc, path) }

// nodeAt is the node at path in the tree doc (segments by name), nil when
// there is none.
func nodeAt(doc *yaml.Node, path string) *yaml.Node {
	n := deref(doc)
	for _, part := range strings.Split(path, ".") {
		if n.Kind == yaml.SequenceNode { // segments, by name
			i := slices.IndexFunc(n.Content, func(item *yaml.Node) bool { return textOf(valueOf(item, "name")) == part })
			if i < 0 {
				return nil
			}
			n = deref(n.Content[i])
			continue
		}
		if n = valueOf(n, part); n == nil {
			return nil
		}
	}
	return n
}

// Plans are the baseline's headcount plans that the plan-step paths
// among paths change (team.plan for team.plan[2027-04].csms), by list
// path, each as one line of YAML ("" when the baseline has none): what
// OptionSet needs of the scenario.
func (s *Scenario) Plans(paths []string) map[string]string {
	out := map[string]string{}
	for _, p := range paths {
		if m := stepPath.FindStringSubmatch(p); m != nil {
			out[m[1]] = ""
			if n := lookup(s.doc, m[1]); n != nil && n.Tag != "!!null" {
				out[m[1]] = flowText(n)
			}
		}
	}
	return out
}

// OptionSet turns overrides, in order, into what an option's set may
// hold: a plan step's path (team.plan[2027-04].csms, which --set and
// optimize take) becomes the whole plan it changes, the baseline's plan
// (from Plans) with its steps set, as one value, once however many of its
// steps are set; other paths stay as given. start is the scenario's
// first month, which a step's month number counts from.
func OptionSet(start time.Time, plans map[string]string, paths, values []string) (outPaths, outValues []string, err error) {
	doc := &yaml.Node{Kind: yaml.MappingNode}
	s := &Scenario{Start: start}
	lists := map[string]bool{}
	for i, path := range paths {
		m := stepPath.FindStringSubmatch(path)
		if m == nil {
			outPaths, outValues = append(outPaths, path), append(outValues, values[i])
			continue
		}
		if !lists[m[1]] {
			lists[m[1]] = true
			outPaths, outValues = append(outPaths, m[1]), append(outValues, "")
			if plan := plans[m[1]]; plan != "" {
				n, msg := valueNode(plan)
				if msg != "" {
					return nil, nil, fmt.Errorf("%s: %s", m[1], msg)
				}
				if msg := setPath(doc, m[1], n, &yaml.Node{}); msg != "" {
					return nil, nil, fmt.Errorf("%s: %s", m[1], msg)
				}
			}
		}
		val, msg := valueNode(values[i])
		if msg == "" {
			msg = s.setStep(doc, m[1], m[2], m[3], val, &yaml.Node{})
		}
		if msg != "" {
			return nil, nil, fmt.Errorf("%s: %s", path, msg)
		}
	}
	for i, path := range outPaths {
		if lists[path] {
			outValues[i] = flowText(lookup(doc, path))
		}
	}
	return outPaths, outValues, nil
}

// SameValue reports whether value, one line of YAML as an option's set
// writes it, is what the baseline gives at path: the same YAML value,
// whatever its style or spacing ({cadence: annual} and a block mapping
// alike), numbers compared as numbers (70% and 0.7 alike, see canonical).
func (s *Scenario) SameValue(path, value string) bool {
	n := s.node(path)
	if n == nil {
		return false
	}
	var have any
	if err := n.Decode(&have); err != nil {
		return false
	}
	return reflect.DeepEqual(canon(have), canonical(value))
}
