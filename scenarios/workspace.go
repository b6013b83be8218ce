package scenarios

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// What csplan serve's workspace needs of a scenario: its inputs as
// controls, and the scenario with edits applied, as a scenario and as the
// YAML to save, the file's comments and key order kept.

// Control is one input of the scenario as the workspace shows it.
type Control struct {
	Path  string `json:"path"`  // as an option's set or an edit names it
	Group string `json:"group"` // the part of the file it is in: "Segment enterprise", "Team"
	Label string `json:"label"` // in words, as the report names it
	Unit  string `json:"unit,omitempty"`
	// Value is the input as the file writes it, one line of YAML; "" when
	// the file leaves it to its default, which Shown then describes.
	Value string `json:"value"`
	Shown string `json:"shown"`
	Kind  string `json:"kind"` // per-trial, per-event or fixed
}

// Controls lists the scenario's inputs, in file order, grouped as in the
// file: every input that Assumptions lists (a plan's steps and a curve's
// points as their whole plan or curve), then each option's changes
// (options[0].set.team.plan).
func (s *Scenario) Controls() []Control {
	var out []Control
	seen := map[string]bool{}
	for _, a := range s.Assumptions() {
		path := a.Path
		if i := strings.IndexByte(path, '['); i >= 0 {
			path = path[:i] // team.plan[0] and coverage_response.churn[1] are edited whole
		}
		if seen[path] || path == "correlations" {
			continue
		}
		seen[path] = true
		c := Control{Path: path, Group: group(path), Shown: a.Value, Kind: a.Kind}
		c.Label, c.Unit = s.InputLabel(path, a.Value)
		if n := s.node(path); n != nil {
			c.Value = flowText(uncommented(n))
		}
		out = append(out, c)
	}
	for i, o := range s.Options[1:] {
		for j, p := range o.Set {
			label, unit := s.InputLabel(p, o.Values[j])
			out = append(out, Control{Path: fmt.Sprintf("options[%d].set.%s", i, p), Group: "Option: " + o.Name,
				Label: label, Unit: unit, Value: o.Values[j], Shown: o.Values[j], Kind: "fixed"})
		}
	}
	return out
}

// group names the part of the file a path is in.
func group(path string) string {
	parts := strings.Split(path, ".")
	if len(parts) == 1 {
		return "Run" // start, horizon_months, fiscal_year_start
	}
	switch parts[0] {
	case "segments":
		if len(parts) > 1 {
			return "Segment " + parts[1]
		}
	case "acquisition":
		return "New logos"
	case "team":
		if len(parts) > 2 && parts[1] == "pools" {
			return "Team: " + parts[2] + " pool"
		}
		return "Team"
	case "coverage_response":
		return "Coverage response"
	case "second_order":
		return "Referrals and champions"
	}
	return strings.ToUpper(parts[0][:1]) + strings.ReplaceAll(parts[0][1:], "_", " ")
}

// optionEdit is an edit of an option's change: options[1].set.team.plan.
var optionEdit = regexp.MustCompile(`^options\[(\d+)\]\.set\.(.+)$`)

// With is the scenario with edits applied (each path to a value written as
// one line of YAML, as Override takes them, or an option's change,
// options[N].set.PATH), validated as a file is, and the YAML of it: the
// file byte for byte with each edited value's text replaced in place
// (patch), or, when an edit adds a key the file leaves to its default or
// replaces a value written over several lines, the file re-encoded from
// its tree, its comments and key order kept (not its blank lines and
// alignment). Its errors are Errors, at the paths edited where the edit is
// at fault.
func (s *Scenario) With(edits map[string]string) (*Scenario, []byte, error) {
	doc := own(s.doc)
	var errs Errors
	for _, path := range sortedKeys(edits) {
		msg := ""
		if m := optionEdit.FindStringSubmatch(path); m != nil {
			i, _ := strconv.Atoi(m[1])
			msg = editOption(doc, i, m[2], edits[path])
		} else {
			msg = s.override(doc, path, edits[path])
		}
		if msg != "" {
			errs = append(errs, Error{File: s.Path, Path: path, Msg: msg})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	data, ok := s.patch(edits)
	if !ok {
		var err error
		if data, err = encodeDocument(doc); err != nil {
			return nil, nil, err
		}
	}
	n, err := Parse(s.Path, data, s.readFile)
	if err != nil {
		return nil, data, err
	}
	return n, data, nil
}

// editOption sets the change at path of option i (in file order) to the
// value written text, in doc, which it owns.
func editOption(doc *yaml.Node, i int, path, text string) string {
	opts := valueOf(deref(doc), "options")
	if opts == nil || opts.Kind != yaml.SequenceNode || i >= len(opts.Content) {
		return fmt.Sprintf("the scenario has no option %d", i+1)
	}
	val, msg := valueNode(text)
	if msg != "" {
		return msg
	}
	item := own(opts.Content[i])
	set := valueOf(item, "set")
	if set == nil || set.Kind != yaml.MappingNode || valueOf(set, path) == nil {
		return fmt.Sprintf("option %d does not change %s", i+1, path)
	}
	set = own(set)
	setKey(set, path, val)
	setKey(item, "set", set)
	list := own(opts)
	list.Content[i] = item
	setKey(doc, "options", list)
	return ""
}

// encodeDocument writes a scenario's tree as YAML, two spaces to a level,
// its comments in place.
func encodeDocument(doc *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// patch is the file with each edited value's text replaced in place, the
// rest byte for byte; false when some edited value is not written on one
// line of the file (absent, a block, or a multi-line scalar).
func (s *Scenario) patch(edits map[string]string) ([]byte, bool) {
	type span struct {
		line, from, to int // line (0-based) and byte offsets within it
		text           string
	}
	lines := strings.SplitAfter(string(s.data), "\n")
	var spans []span
	for path, text := range edits {
		n := s.editedNode(path)
		if n == nil || n.Line < 1 || n.Line > len(lines) || strings.ContainsAny(text, "\n") {
			return nil, false
		}
		line := lines[n.Line-1]
		from := byteOffset(line, n.Column-1)
		to, ok := valueEnd(line, from, n)
		if !ok {
			return nil, false
		}
		spans = append(spans, span{n.Line - 1, from, to, text})
	}
	// Right to left within a line, so that earlier offsets stay right.
	slices.SortFunc(spans, func(a, b span) int {
		if a.line != b.line {
			return a.line - b.line
		}
		return b.from - a.from
	})
	for _, sp := range spans {
		l := lines[sp.line]
		lines[sp.line] = l[:sp.from] + sp.text + l[sp.to:]
	}
	return []byte(strings.Join(lines, "")), true
}

// editedNode is the file's node for an edit's path: an input's value, or
// the value of an option's change.
func (s *Scenario) editedNode(path string) *yaml.Node {
	if m := optionEdit.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		opts := valueOf(deref(s.doc), "options")
		if opts == nil || opts.Kind != yaml.SequenceNode || i >= len(opts.Content) {
			return nil
		}
		if set := valueOf(deref(opts.Content[i]), "set"); set != nil {
			return valueOf(set, m[2])
		}
		return nil
	}
	if strings.ContainsAny(path, "[]") {
		return nil
	}
	return s.node(path)
}

// byteOffset is the byte offset of the col-th character (0-based) of line.
func byteOffset(line string, col int) int {
	i := 0
	for k := range line {
		if i == col {
			return k
		}
		i++
	}
	return len(line)
}

// valueEnd is where the text of value n, starting at byte from of line,
// ends on that line: a plain or quoted scalar, or a flow list or mapping
// closed on the same line; false for anything else.
func valueEnd(line string, from int, n *yaml.Node) (int, bool) {
	rest := line[from:]
	switch {
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return 0, false
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		q := rest[0]
		for i := 1; i < len(rest); i++ {
			switch {
			case rest[i] == '\\' && q == '"':
				i++
			case rest[i] == q && q == '\'' && i+1 < len(rest) && rest[i+1] == '\'':
				i++
			case rest[i] == q:
				return from + i + 1, true
			}
		}
		return 0, false
	case n.Kind == yaml.ScalarNode:
		if !strings.HasPrefix(rest, n.Value) {
			return 0, false
		}
		return from + len(n.Value), true
	case n.Style&yaml.FlowStyle != 0:
		depth, quote := 0, byte(0)
		for i := 0; i < len(rest); i++ {
			c := rest[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '[' || c == '{':
				depth++
			case c == ']' || c == '}':
				if depth--; depth == 0 {
					return from + i + 1, true
				}
			}
		}
	}
	return 0, false
}

// uncommented is a copy of the tree at n without its comments: a value as
// a control shows it.
func uncommented(n *yaml.Node) *yaml.Node {
	c := *deref(n)
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range deref(n).Content {
		c.Content[i] = uncommented(k)
	}
	return &c
}
