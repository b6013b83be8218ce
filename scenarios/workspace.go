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
	// Default is, for an input the file leaves to its default, that
	// default written as an edit takes it ({pert: {min: 1, mode: 1.2,
	// max: 1.5}}); "" otherwise, or when it has no such form.
	Default string `json:"default,omitempty"`
	Kind    string `json:"kind"` // per-trial, per-event or fixed
}

// Controls lists the scenario's inputs, in file order, grouped as in the
// file: every input that Assumptions lists (a plan's steps and a curve's
// points as their whole plan or curve), then each option's changes
// (options[0].set.team.plan).
func (s *Scenario) Controls() []Control {
	var out []Control
	seen := map[string]bool{}
	edits := s.editTexts()
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
		} else if path == a.Path {
			c.Default = edits[path]
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
	canon := map[string]string{}
	for _, path := range sortedKeys(edits) {
		text, msg := oneValue(edits[path])
		if n := sharedAt(doc, path); msg == "" && n != nil {
			msg = sharedMessage(n)
		}
		if msg == "" {
			canon[path] = text
			msg = s.edit(doc, path, text)
		}
		if msg != "" {
			errs = append(errs, Error{File: s.Path, Path: path, Msg: msg})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	edits = canon
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

// workspaceSettings are the run's own fields a workspace may edit; the
// others (name, trials, seed, the options and correlations as a whole)
// are edited in the file.
var workspaceSettings = map[string]bool{"start": true, "horizon_months": true, "fiscal_year_start": true}

// edit sets the value written text at path in doc, which it owns: an
// input (as Override sets it), a run setting of workspaceSettings, or an
// option's change; it says what is wrong, or "".
func (s *Scenario) edit(doc *yaml.Node, path, text string) string {
	if m := optionEdit.FindStringSubmatch(path); m != nil {
		i, err := strconv.Atoi(m[1])
		if err != nil {
			return fmt.Sprintf("the scenario has no option %s", m[1])
		}
		return editOption(doc, i, m[2], text)
	}
	if !strings.Contains(path, ".") {
		if !workspaceSettings[path] {
			return fmt.Sprintf("%s is not an input the workspace edits; change it in the file", path)
		}
		val, msg := valueNode(text)
		if msg == "" {
			setKey(doc, path, val)
		}
		return msg
	}
	if strings.HasPrefix(path, "segments.") && strings.HasSuffix(path, ".name") {
		return "a segment's name is used in paths and options; rename it in the file"
	}
	return s.override(doc, path, text)
}

// sharedAt is the first node on the way to path in doc (an input's, or an
// option's change) that the file shares through a YAML anchor: an alias,
// or a node with an anchor; nil when there is none. An edit there would
// change every part of the file that shares it (an edit of one segment's
// contract wrote the other's too), so it is refused.
func sharedAt(doc *yaml.Node, path string) *yaml.Node {
	shared := func(n *yaml.Node) bool { return n.Kind == yaml.AliasNode || n.Anchor != "" }
	n := doc
	if shared(n) {
		return n
	}
	n = deref(n)
	var parts []string
	if m := optionEdit.FindStringSubmatch(path); m != nil {
		parts = append([]string{"options", "[" + m[1] + "]", "set"}, m[2])
	} else {
		parts = strings.Split(path, ".")
	}
	for _, part := range parts {
		var raw *yaml.Node
		switch {
		case n.Kind == yaml.SequenceNode && strings.HasPrefix(part, "["):
			i, err := strconv.Atoi(strings.Trim(part, "[]"))
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			raw = n.Content[i]
		case n.Kind == yaml.SequenceNode: // segments, by name
			i := slices.IndexFunc(n.Content, func(item *yaml.Node) bool { return textOf(valueOf(item, "name")) == part })
			if i < 0 {
				return nil
			}
			raw = n.Content[i]
		default:
			k := keyIndex(n, part)
			if k < 0 {
				return nil
			}
			raw = n.Content[k]
		}
		if shared(raw) {
			return raw
		}
		n = deref(raw)
	}
	return nil
}

// sharedMessage says why an edit at a shared node is refused.
func sharedMessage(n *yaml.Node) string {
	anchor, line := n.Anchor, n.Line
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		anchor, line = n.Alias.Anchor, n.Alias.Line
	}
	return fmt.Sprintf("this value is shared through the YAML anchor &%s (line %d) with another part of the file, so an edit here would change both; write it out in full in the file to edit it here", anchor, line)
}

// oneValue reads an edit's text as exactly one YAML value, with no
// anchor, alias or comment, and writes it back as one line: what an edit
// puts in the file, so that an edit can never write a second key
// ("3%, size: 99%" is one value: a string, which validation refuses).
func oneValue(text string) (string, string) {
	if strings.ContainsAny(text, "\n\r") {
		return "", "expected one value on one line"
	}
	// Read as the value of a key, as the file would: anything after the
	// value (", acv: 1") is then an error, not silently dropped.
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("v: "+text), &doc); err != nil {
		return "", "not one YAML value: " + strings.TrimPrefix(err.Error(), "yaml: ")
	}
	if len(doc.Content) != 1 {
		return "", "expected one value, found none"
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode || len(root.Content) != 2 || root.Content[1].Tag == "!!null" {
		return "", "expected one value, found none"
	}
	n := root.Content[1]
	if hasAlias(n) {
		return "", "anchors and aliases (& and *) are not taken in an edit; write the value itself"
	}
	if n.Kind == yaml.ScalarNode && strings.ContainsAny(text, "\n#") {
		return "", "expected one value on one line, without a comment"
	}
	return flowText(uncommented(n)), ""
}

// hasAlias reports whether the tree at n has an anchor or an alias.
func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
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

// patch is the file with each edit made in its text, one edit at a time
// on the text the one before left (read again for the positions), the
// rest byte for byte: a value on one line replaced where it stands; a
// value written over several lines (a block) replaced by the edit on its
// key's line; a key the file leaves out inserted as a line of the mapping
// that holds it (or into that mapping's one-line flow). False when an
// edit is none of these.
func (s *Scenario) patch(edits map[string]string) ([]byte, bool) {
	text := string(s.data)
	for _, path := range sortedKeys(edits) {
		doc, _, err := readDocument(s.Path, []byte(text))
		if err != nil {
			return nil, false
		}
		var ok bool
		if text, ok = patchOne(text, doc, path, edits[path]); !ok {
			return nil, false
		}
	}
	return []byte(text), true
}

// patchOne makes one edit in text, whose tree is doc.
func patchOne(text string, doc *yaml.Node, path, value string) (string, bool) {
	lines := strings.SplitAfter(text, "\n")
	key, val := editedKeyValue(doc, path)
	switch {
	case val != nil && val.Line >= 1 && val.Line <= len(lines) && (val.Kind == yaml.ScalarNode || val.Style&yaml.FlowStyle != 0) && val.Line == key.Line:
		line := lines[val.Line-1]
		from := byteOffset(line, val.Column-1)
		to, ok := valueEnd(line, from, val)
		if !ok {
			return "", false
		}
		lines[val.Line-1] = line[:from] + value + line[to:]
	case val != nil && (val.Kind == yaml.MappingNode || val.Kind == yaml.SequenceNode) && val.Style&yaml.FlowStyle == 0 && key.Line < val.Line:
		// A block: the edit goes on the key's line, its comment kept,
		// and the block's lines go.
		line := lines[key.Line-1]
		at := byteOffset(line, key.Column-1) + len(key.Value)
		if key.Style != 0 || !strings.HasPrefix(line[at:], ":") {
			return "", false
		}
		comment := ""
		if i := strings.Index(line[at:], "#"); i >= 0 {
			comment = "  " + strings.TrimRight(line[at+i:], "\r\n")
		}
		lines[key.Line-1] = line[:at+1] + " " + value + comment + eol(lines)
		end := blockEnd(lines, lastLine(val), key.Column-1)
		lines = append(lines[:val.Line-1], lines[end:]...)
	case val == nil:
		return insertKey(lines, doc, path, value)
	default:
		return "", false
	}
	return strings.Join(lines, ""), true
}

// insertKey adds the key path, which doc lacks, with value: as a line at
// the end of the block mapping that holds its nearest parent (the keys in
// between as one-line flow mappings), or into that parent's one-line flow
// mapping.
func insertKey(lines []string, doc *yaml.Node, path, value string) (string, bool) {
	if optionEdit.MatchString(path) || strings.ContainsAny(path, "[]") {
		return "", false
	}
	parts := strings.Split(path, ".")
	for i := len(parts) - 1; i >= 0; i-- {
		parent := deref(doc)
		if i > 0 {
			parent = nodeAt(doc, strings.Join(parts[:i], "."))
		}
		if parent == nil {
			continue
		}
		if parent.Kind != yaml.MappingNode || len(parent.Content) == 0 {
			return "", false
		}
		nested := value
		for j := len(parts) - 1; j > i; j-- {
			nested = "{" + parts[j] + ": " + nested + "}"
		}
		if parent.Style&yaml.FlowStyle != 0 {
			c := uncommented(parent)
			v, msg := valueNode(nested)
			if msg != "" {
				return "", false
			}
			setKey(c, parts[i], v)
			line := lines[parent.Line-1]
			from := byteOffset(line, parent.Column-1)
			to, ok := valueEnd(line, from, parent)
			if !ok {
				return "", false
			}
			lines[parent.Line-1] = line[:from] + flowText(c) + line[to:]
			return strings.Join(lines, ""), true
		}
		indent := strings.Repeat(" ", parent.Content[0].Column-1)
		end := blockEnd(lines, lastLine(parent), parent.Content[0].Column-1)
		if end > len(lines) {
			return "", false
		}
		if end == len(lines) && !strings.HasSuffix(lines[end-1], "\n") {
			lines[end-1] += eol(lines)
		}
		added := indent + parts[i] + ": " + nested + eol(lines)
		lines = append(lines[:end], append([]string{added}, lines[end:]...)...)
		return strings.Join(lines, ""), true
	}
	return "", false
}

// blockEnd is the last line (1-based) of a block whose last node starts on
// line from and whose keys stand at column keyCol (0-based): the lines
// after it indented deeper than its keys are its own (a quoted string or a
// block scalar written over several lines, blank lines inside them
// included), so a key added after the block goes below them, not into
// a string (fiscal_year_start landed inside a two-line description).
func blockEnd(lines []string, from, keyCol int) int {
	end := from
	for next := end + 1; next <= len(lines); next++ {
		line := strings.TrimRight(lines[next-1], "\r\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if len(line)-len(strings.TrimLeft(line, " ")) <= keyCol {
			break
		}
		end = next
	}
	return end
}

// eol is the line ending of a file's lines: CRLF when its first line ends
// so, so that lines an edit adds do not mix endings.
func eol(lines []string) string {
	if len(lines) > 0 && strings.HasSuffix(lines[0], "\r\n") {
		return "\r\n"
	}
	return "\n"
}

// lastLine is the last line of the file the tree at n takes, by the line
// each node starts on (blockEnd finds where its text ends).
func lastLine(n *yaml.Node) int {
	end := n.Line
	for _, c := range n.Content {
		end = max(end, lastLine(c))
	}
	return end
}

// editedKeyValue is the key and value nodes in doc for an edit's path: an
// input's, or an option's change; nil when doc has none.
func editedKeyValue(doc *yaml.Node, path string) (key, val *yaml.Node) {
	var parent *yaml.Node
	last := path
	if m := optionEdit.FindStringSubmatch(path); m != nil {
		i, err := strconv.Atoi(m[1])
		opts := valueOf(deref(doc), "options")
		if err != nil || opts == nil || opts.Kind != yaml.SequenceNode || i >= len(opts.Content) {
			return nil, nil
		}
		parent, last = valueOf(deref(opts.Content[i]), "set"), m[2]
	} else if i := strings.LastIndexByte(path, '.'); i >= 0 {
		parent, last = nodeAt(doc, path[:i]), path[i+1:]
	} else {
		parent = deref(doc)
	}
	if parent == nil || parent.Kind != yaml.MappingNode {
		return nil, nil
	}
	if k := keyIndex(parent, last); k >= 0 {
		return parent.Content[k-1], deref(parent.Content[k])
	}
	return nil, nil
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
