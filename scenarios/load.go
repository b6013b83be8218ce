// Package scenarios is the csplan scenario format: it reads a YAML scenario,
// validates it, applies defaults, expands its options, and hands package sim
// one plain Model per option.
package scenarios

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	FiscalYear  int // the month, 1 to 12, the fiscal year starts in
	Settings    sim.Settings
	// Options[0] is the baseline; the rest follow the file's order.
	Options []Option
	// Spec is the decoded file, defaults applied, for listing assumptions.
	Spec *File
	// Compared are the other scenario files whose options Absorb added.
	Compared []string
	// Optimize is the file's optimize section, checked; nil without one.
	Optimize *Optimization
	// digest hashes the scenario file and every file read for it so far,
	// by content (Override reads accounts files too): see Digest.
	digest hash.Hash

	trialsAt [2]int     // the line and column of the trials field (or its parent)
	doc      *yaml.Node // the baseline tree, for overrides (Override)
	readFile func(string) ([]byte, error)
	data     []byte // the file as read, for edits that keep its layout (With)
}

// Option is the baseline or one named variant of it.
type Option struct {
	Name        string
	Description string
	Set         []string // the paths it overrides
	Values      []string // their values, as written (one line of YAML)
	Model       sim.Model
}

// Digest is a SHA-256, in hex, of the scenario file and of every file read
// for it so far (accounts files, including those options and overrides
// named), by content: two scenarios with the same digest after the same
// overrides are the same inputs.
func (s *Scenario) Digest() string { return hex.EncodeToString(s.digest.Sum(nil)) }

// Book is the baseline's book at the start: its accounts, and their ARR,
// expected where a segment draws its accounts' ACV (12 × MRR for
// accounts listed one by one).
func (s *Scenario) Book() (accounts int, arr float64) {
	for _, seg := range s.Options[0].Model.Segments {
		accounts += seg.Count
		if len(seg.Accounts) > 0 {
			for _, a := range seg.Accounts {
				arr += 12 * a.MRR
			}
		} else if seg.ACV != nil {
			arr += float64(seg.Count) * seg.ACV.Mean()
		}
	}
	return accounts, arr
}

// Load reads and validates the scenario file at path. Accounts files are
// read relative to its directory. The error, if any, is an Errors listing
// every problem found.
func Load(path string) (*Scenario, error) { return LoadTracked(path, nil) }

// LoadTracked is Load, calling read, if not nil, with the path of every
// file it opens: the scenario, and the accounts files that it, its options
// and later its overrides (Override) name. They are the inputs a command
// must not write over.
func LoadTracked(path string, read func(file string)) (*Scenario, error) {
	if read == nil {
		read = func(string) {}
	}
	read(path)
	data, err := ScenarioInput.Read(path)
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			return nil, Errors{{File: path, Msg: ie.Msg}}
		}
		return nil, Errors{{File: path, Msg: "cannot read scenario: " + pathErr(err)}}
	}
	return Parse(path, data, func(name string) ([]byte, error) {
		name = besideScenario(path, name)
		read(name)
		return AccountsInput.Read(name)
	})
}

// maxAccountsFileSize bounds an accounts file: 10,000,000 accounts (the
// most a segment may have) take about 300 MB of CSV.
const maxAccountsFileSize = 1 << 30

// besideScenario resolves a file named in a scenario relative to the
// scenario's directory.
func besideScenario(scenario, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(filepath.Dir(scenario), name)
}

func pathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

var (
	syntaxLine    = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// Parse validates a scenario held in data; name is used in error messages
// and readFile opens accounts files.
func Parse(name string, data []byte, readFile func(string) ([]byte, error)) (*Scenario, error) {
	doc, size, err := readDocument(name, data)
	if err != nil {
		return nil, err
	}
	sum, readFile := hashReads(data, readFile)
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
		Currency: f.Currency, Start: f.Start.Calendar, FiscalYear: f.FiscalYear, Spec: &f, doc: doc, readFile: readFile,
		Settings: settings(&f),
		Options:  []Option{{Name: "Baseline", Description: "the scenario as written", Model: base}},
	}
	if e := checkOptionWork(name, d.at("options"), f.Options, size); e != nil {
		return nil, Errors{*e}
	}
	if errs := s.addOptions(d, base); len(errs) > 0 {
		return nil, errs.sorted()
	}
	if f.Optimize != nil {
		if s.checkOptimize(d, f.Optimize); len(d.errs) > 0 {
			return nil, d.errs.sorted()
		}
	}
	at := d.at("trials")
	s.trialsAt = [2]int{at.Line, at.Column}
	s.digest = sum
	s.data = data
	return s, nil
}

// readDocument parses data as one YAML document of plain values, not too
// large once its aliases are expanded, holding a mapping; it returns that
// mapping and the number of values it holds.
func readDocument(name string, data []byte) (*yaml.Node, int, error) {
	if len(data) > MaxFileSize {
		return nil, 0, Errors{{File: name, Msg: fmt.Sprintf("the file is larger than %d MiB; a scenario is a hand-written file (is this the right file?)", MaxFileSize>>20)}}
	}
	if e := checkUTF8(name, data); e != nil {
		return nil, 0, Errors{*e}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	switch err := dec.Decode(&root); {
	case err == io.EOF:
		return nil, 0, Errors{{File: name, Line: 1, Col: 1, Msg: "the file is empty; a scenario needs at least name, start and segments (csplan init writes a starter)"}}
	case err != nil:
		return nil, 0, Errors{syntaxError(name, data, err)}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, 0, Errors{{File: name, Line: next.Line, Col: next.Column, Msg: "a second YAML document starts here (after a --- line); a scenario file holds one document"}}
	case err != io.EOF:
		return nil, 0, Errors{syntaxError(name, data, err)}
	}
	doc := root.Content[0]
	size, e := checkSize(name, doc)
	if e != nil {
		return nil, 0, Errors{*e}
	}
	if errs := checkTags(name, doc); len(errs) > 0 {
		return nil, 0, errs
	}
	if doc.Kind != yaml.MappingNode {
		return nil, 0, Errors{{File: name, Line: doc.Line, Col: doc.Column, Msg: fmt.Sprintf(
			"a scenario is a mapping of fields, one per line (name: ..., start: ..., segments: ...), found %s", describe(doc))}}
	}
	return doc, size, nil
}

// hashReads starts the digest of a scenario with data and returns
// readFile hashing every file it reads into it. The digest covers the
// scenario and every file it reads, by content: shards run on machines
// that mount them at other paths.
func hashReads(data []byte, readFile func(string) ([]byte, error)) (hash.Hash, func(string) ([]byte, error)) {
	sum := sha256.New()
	sum.Write(data)
	if readFile == nil { // a scenario given as bytes alone reads no file
		readFile = func(string) ([]byte, error) { return nil, errors.New("this scenario was given without its directory") }
	}
	return sum, func(file string) ([]byte, error) { // the reads of later overrides are hashed too
		b, err := readFile(file)
		if err == nil {
			fmt.Fprintf(sum, "\x00%s\x00%d\x00", file, len(b))
			sum.Write(b)
		}
		return b, err
	}
}

// settings are the run settings a scenario file gives.
func settings(f *File) sim.Settings {
	st := sim.Settings{Trials: f.Trials, Seed: uint64(f.Seed)}
	if f.Mode == "expected" {
		st.Mode = sim.Expected
	}
	if f.NetRate == "additive" {
		st.NetRate = sim.Additive
	}
	st.LHS = f.Sampling == "lhs"
	return st
}

// addOptions checks the name of each option of the file and expands it
// on the baseline model, adding those without errors to s.
func (s *Scenario) addOptions(d *decoder, base sim.Model) Errors {
	var errs Errors
	names := map[string]int{} // folded name → index of its option
	for i, o := range s.Spec.Options {
		p := fmt.Sprintf("options[%d].name", i)
		if msg := optionNameProblem(s.Spec.Options, i, names); msg != "" {
			on := d.at(p)
			errs = append(errs, Error{File: s.Path, Line: on.Line, Col: on.Column, Path: p, Msg: msg})
			continue
		}
		names[FoldName(o.Name)] = i
		opt, oerrs := expandOption(s.Path, s.doc, d.at(fmt.Sprintf("options[%d]", i)), i, o, base, segmentNames(s.Spec), s.readFile)
		errs = append(errs, oerrs...)
		if len(oerrs) == 0 {
			s.Options = append(s.Options, opt)
		}
	}
	return errs
}

// optionNameProblem says what is wrong with the name of opts[i], given
// the folded names of the options before it, or returns "".
func optionNameProblem(opts []OptionSpec, i int, names map[string]int) string {
	o := opts[i]
	j, dup := names[FoldName(o.Name)]
	switch {
	case strings.TrimSpace(o.Name) == "":
		return "option name must not be empty; it labels the option in charts and reports"
	case o.Name == "Baseline":
		return "Baseline names the scenario as written; give the option another name"
	case FoldName(o.Name) == FoldName("Baseline"):
		return fmt.Sprintf("option name %q is Baseline but for %s; Baseline names the scenario as written: give the option another name", o.Name, sameName)
	case dup && opts[j].Name == o.Name:
		return fmt.Sprintf("option name %q is already used by options[%d]; each option needs its own name", o.Name, j)
	case dup:
		return fmt.Sprintf("option name %q is that of options[%d], %q, but for %s; each option needs its own name", o.Name, j, opts[j].Name, sameName)
	}
	return ""
}

// FoldName is a name as a person reads it: two names that differ only in
// case or in spaces at either end (an option "Baseline " and another
// "baseline") are one name.
func FoldName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// sameName says which differences FoldName ignores, for messages.
const sameName = "case and spaces at either end, which csplan counts as the same name"

// maxNodes bounds the values a document holds once its aliases are
// expanded: a small file of nested aliases ("billion laughs") expands to
// billions, while a large real scenario has a few thousand. The decoder
// follows aliases, so this bound is what keeps every later step small.
const maxNodes = 200_000

// maxOptionWork bounds the values decoded to check the options: each
// override is checked by decoding the whole scenario with it (about 0.4 µs
// a value), so a large file with many overrides could take minutes.
const maxOptionWork = 10_000_000

// checkOptionWork rejects options that would take too long to check on a
// document of size values.
func checkOptionWork(name string, at *yaml.Node, opts []OptionSpec, size int) *Error {
	decodes := 0
	for _, o := range opts {
		decodes += len(o.Set.Keys) + 1
	}
	if decodes*size <= maxOptionWork {
		return nil
	}
	return &Error{File: name, Line: at.Line, Col: at.Column, Path: "options", Msg: fmt.Sprintf(
		"checking %d options with %d overrides in all would decode this scenario of %s values %d times, too many; use fewer options or overrides, or a smaller file",
		len(opts), decodes-len(opts), fmtInt(int64(size)), decodes)}
}

// checkSize returns the number of values a document holds with its aliases
// expanded, and an error if that is more than maxNodes, naming the alias at
// which the count passed it.
func checkSize(name string, doc *yaml.Node) (int, *Error) {
	c := sizer{size: map[*yaml.Node]int{}}
	n := c.count(doc)
	if n <= maxNodes {
		return n, nil
	}
	if a := c.culprit; a != nil {
		return n, &Error{File: name, Line: a.Line, Col: a.Column, Msg: fmt.Sprintf(
			"with alias *%s expanded, the document holds more than %s values (aliases nested in aliases, or an alias inside its own anchor?); write the values out or use fewer aliases",
			a.Value, fmtInt(maxNodes))}
	}
	return n, &Error{File: name, Line: doc.Line, Col: doc.Column, Msg: fmt.Sprintf(
		"the document holds more than %s values, counting each use of an alias; a scenario is a hand-written file", fmtInt(maxNodes))}
}

// sizer counts the nodes of a tree with aliases expanded, saturating just
// above maxNodes; each node is counted once, so the count is fast however
// far the aliases expand.
type sizer struct {
	size    map[*yaml.Node]int
	culprit *yaml.Node // the alias whose expansion first passed maxNodes
}

func (c *sizer) count(n *yaml.Node) int {
	if s, ok := c.size[n]; ok {
		return s
	}
	c.size[n] = maxNodes + 1 // a node met again while counting it contains itself
	s := 1
	if n.Kind == yaml.AliasNode {
		s = c.count(n.Alias)
	}
	for _, x := range n.Content {
		if s > maxNodes {
			break
		}
		if s += c.count(x); s > maxNodes && x.Kind == yaml.AliasNode && c.culprit == nil {
			c.culprit = x
		}
	}
	s = min(s, maxNodes+1)
	c.size[n] = s
	return s
}

// checkUTF8 refuses a file that is not UTF-8 text (unless it is UTF-16
// or UTF-32 with a byte order mark, which YAML reads), naming the first
// byte that is not, with how to save the file.
func checkUTF8(name string, data []byte) *Error {
	if utf8.Valid(data) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) ||
		bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}) {
		return nil
	}
	bad := 0
	for bad < len(data) {
		r, n := utf8.DecodeRune(data[bad:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		bad += n
	}
	line := bytes.Count(data[:bad], []byte("\n")) + 1
	col := utf8.RuneCount(data[bytes.LastIndexByte(data[:bad], '\n')+1:bad]) + 1
	return &Error{File: name, Line: line, Col: col, Msg: fmt.Sprintf(
		"the file is not UTF-8 text: byte 0x%02X here is not (saved as Latin-1 or Windows-1252?); save it as UTF-8 (in most editors: Save As, encoding UTF-8)", data[bad])}
}

// checkTags reports every YAML tag of the document's own (!include,
// !env): a scenario is one file of plain values, and a tag would be read
// as if it were not there.
func checkTags(name string, doc *yaml.Node) Errors {
	var errs Errors
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
			errs = append(errs, Error{File: name, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(
				"the tag %s is not supported: a scenario is one file of plain values, and csplan resolves no tags (it reads no other file, nor the environment); write the value itself", n.Tag)})
		}
		for _, c := range n.Content { // aliases are not followed: their anchors are walked where they stand
			walk(c)
		}
	}
	walk(doc)
	return errs
}

// syntaxHints explain yaml.v3's complaints to someone who does not know
// YAML's grammar.
var syntaxHints = map[string]string{
	"found a tab character that violates indentation":              "indent with spaces, not tabs",
	"found a tab character where an indentation space is expected": "indent with spaces, not tabs",
	"did not find expected ',' or '}'":                             "a { } mapping is not closed: add the missing }, or a comma between its entries",
	"did not find expected ',' or ']'":                             "a [ ] list is not closed: add the missing ], or a comma between its items",
	"found unexpected end of stream":                               "a quoted value is not closed: add the missing quote",
	"mapping values are not allowed in this context":               `check the indentation of this line against the line above, or put quotes around a value containing ": "`,
	"did not find expected key":                                    "this line is not indented like the fields above it",
	"did not find expected '-' indicator":                          `list items must line up, each starting with "- "`,
	"found character that cannot start any token":                  "put quotes around a value starting with @, ` or %",
	"block sequence entries are not allowed in this context":       `a list item "- " cannot follow a value on the same line; start it on a new line`,
	"could not find expected ':'":                                  `a field name must be followed by ": "`,
}

// parserProblems are the complaints of yaml.v3's parser, whose line counts
// from 0; its scanner's count from 1.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'": true, "did not find expected ',' or '}'": true,
	"did not find expected '-' indicator": true, "did not find expected <document start>": true,
	"did not find expected key": true, "did not find expected node content": true,
}

// maxSearched is the largest file whose syntax errors are placed by parsing
// its prefixes (some twenty parses); a larger one keeps yaml.v3's line.
const maxSearched = 128 << 10

// syntaxError turns a yaml.v3 parse error into an Error. yaml.v3 reports a
// line but no column, and often the line where the enclosing block began
// rather than the line at fault; so the line is found again: the first line
// that, with the lines before it, fails the same way.
func syntaxError(name string, data []byte, err error) Error {
	problem := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := syntaxLine.FindStringSubmatch(err.Error()); m != nil {
		problem = m[2]
		line, _ = strconv.Atoi(m[1])
		if parserProblems[problem] {
			line++
		}
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(data) <= maxSearched {
		fails := func(k int) bool {
			var n yaml.Node
			err := yaml.Unmarshal(bytes.Join(lines[:k], nil), &n)
			return err != nil && strings.HasSuffix(err.Error(), problem)
		}
		if k := sort.Search(len(lines), func(i int) bool { return fails(i + 1) }) + 1; k <= len(lines) {
			line = k
		}
	}
	for strings.Contains(problem, "tab") && line >= 1 && line < len(lines) && !bytes.ContainsRune(lines[line-1], '\t') {
		line++ // yaml.v3 names the line of the value the tab follows
	}
	e := Error{File: name, Line: 1, Col: 1, Msg: "invalid YAML: " + problem}
	if line >= 1 && line <= len(lines) {
		text := strings.TrimRight(string(lines[line-1]), "\r\n")
		e.Line, e.Col = line, len(text)-len(strings.TrimLeft(text, " "))+1
		if i := strings.IndexByte(text, '\t'); i >= 0 && strings.Contains(problem, "tab") {
			e.Col = i + 1
		}
		if m := unknownAnchor.FindStringSubmatch(problem); m != nil {
			e.Col = max(strings.Index(text, "*"+m[1]), 0) + 1
			e.Msg += fmt.Sprintf("; the alias *%s needs an anchor &%s on a value above it", m[1], m[1])
		}
		if e.Col > len(text) {
			e.Col = 1
		}
	}
	if h, ok := syntaxHints[problem]; ok {
		if line >= 1 && line <= len(lines) && tabIndent(lines[line-1]) >= 0 {
			// A tab in the indentation (before "- ", say) is a character
			// that cannot start a token, not a value to quote.
			e.Col, h = tabIndent(lines[line-1])+1, syntaxHints["found a tab character that violates indentation"]
		}
		e.Msg += "; " + h
	}
	return e
}

// tabIndent is the byte offset of a tab in the indentation of line (the
// blanks before its first other character, and the "-" of list items
// among them: "  - \tname" is indented with a tab too), or -1.
func tabIndent(line []byte) int {
	for i, c := range line {
		switch {
		case c == '\t':
			return i
		case c == ' ':
		case c == '-' && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
		default:
			return -1
		}
	}
	return -1
}

// Absorb adds the baseline and options of o, another scenario file, to s's
// options, so that one run compares them on the same random numbers (a
// draw is named by account and purpose, not by file): o's baseline takes
// o's name, each of its options "o's name: option". Settings, start and
// assumptions stay s's. The horizons and starts must agree, and the names
// must stay apart.
func (s *Scenario) Absorb(o *Scenario) error {
	if h, oh := s.Options[0].Model.Horizon, o.Options[0].Model.Horizon; h != oh {
		return fmt.Errorf("%s: its horizon is %d months, %s's %d: scenarios compared in one run need the same horizon", o.Path, oh, s.Path, h)
	}
	if !o.Start.Equal(s.Start) {
		return fmt.Errorf("%s: it starts in %s, %s in %s: scenarios compared in one run need the same start", o.Path, o.Start.Format("2006-01"), s.Path, s.Start.Format("2006-01"))
	}
	for i, opt := range o.Options {
		name := o.Name
		if i > 0 {
			name = o.Name + ": " + opt.Name
		}
		for _, have := range s.Options {
			if FoldName(have.Name) == FoldName(name) {
				return fmt.Errorf("%s: an option would be named %q, as one of %s's is; rename the scenario or the option", o.Path, name, s.Path)
			}
		}
		opt.Name = name
		opt.Description = "from " + filepath.Base(o.Path) + ": " + cmp.Or(opt.Description, o.Description, "the scenario as written")
		s.Options = append(s.Options, opt)
	}
	s.digest.Write([]byte(o.Digest()))
	s.Compared = append(s.Compared, o.Path)
	return nil
}
