package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in a scenario file, with the place it was found.
type Error struct {
	File      string
	Line, Col int
	Path      string // the field, e.g. segments[1].churn.annual
	Msg       string
}

func (e Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Col)
	}
	if e.Path == "" {
		return loc + ": " + e.Msg
	}
	return loc + ": " + e.Path + ": " + e.Msg
}

// Errors is every problem found in a scenario, in file order: the
// scenario's, then those of the files it names.
type Errors []Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// sorted orders errors by file, in the order files first appear, then by
// place; an error without a place comes last in its file.
func (es Errors) sorted() Errors {
	rank := map[string]int{}
	for _, e := range es {
		if _, ok := rank[e.File]; !ok {
			rank[e.File] = len(rank)
		}
	}
	key := func(e Error) [3]int {
		if e.Line == 0 {
			return [3]int{rank[e.File], math.MaxInt, 0}
		}
		return [3]int{rank[e.File], e.Line, e.Col}
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := key(es[i]), key(es[j])
		return slices.Compare(a[:], b[:]) < 0
	})
	return es
}

// decoder walks a yaml.Node tree into the format structs, collecting every
// error with its position instead of stopping at the first.
type decoder struct {
	file  string
	errs  Errors
	nodes map[string]*yaml.Node // path → node, for errors found after decoding
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, nodes: map[string]*yaml.Node{}}
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	e := Error{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

// at returns the node recorded for path, or for its nearest recorded parent.
func (d *decoder) at(path string) *yaml.Node {
	for {
		if n, ok := d.nodes[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return d.nodes[""]
		}
		path = path[:i]
	}
}

// tag is a struct field's format description.
type tag struct {
	name, kind, def, enum, doc string
	required                   bool
	min, max                   *int64
	pattern                    string // for the JSON Schema; the builder checks the same rule
}

func fieldTag(f reflect.StructField) tag {
	t := tag{name: f.Tag.Get("yaml"), kind: f.Tag.Get("kind"), def: f.Tag.Get("default"),
		enum: f.Tag.Get("enum"), doc: f.Tag.Get("doc"), required: f.Tag.Get("required") == "true", pattern: f.Tag.Get("pattern")}
	if s, ok := f.Tag.Lookup("min"); ok {
		v, _ := strconv.ParseInt(s, 10, 64)
		t.min = &v
	}
	if s, ok := f.Tag.Lookup("max"); ok {
		v, _ := strconv.ParseInt(s, 10, 64)
		t.max = &v
	}
	return t
}

// nodeDecoder is implemented by format types that read their own YAML shape.
type nodeDecoder interface {
	decodeNode(d *decoder, n *yaml.Node, path string, t tag)
}

var nodeDecoderType = reflect.TypeFor[nodeDecoder]()

// deref follows aliases to the node they name. Parse has checked the
// document stays small with its aliases expanded, so a decode that follows
// them is bounded.
func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// decode reads node n into v, the value of the field at path described
// by t, recording every error.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string, t tag) {
	n = deref(n)
	if _, seen := d.nodes[path]; !seen {
		d.nodes[path] = n
	}
	if v.CanAddr() && v.Addr().Type().Implements(nodeDecoderType) {
		v.Addr().Interface().(nodeDecoder).decodeNode(d, n, path, t)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if n.Tag == "!!null" {
			return
		}
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem(), path, t)
		v.Set(p)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Slice:
		d.decodeList(n, v, path, t)
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.String:
		d.decodeString(n, v, path, t)
	case reflect.Int, reflect.Int64:
		x, msg := parseInt(n, t)
		if msg != "" {
			d.errorf(n, path, "%s", msg)
			return
		}
		v.SetInt(x)
	case reflect.Float64:
		x, msg := parseNumber(n, kinds[t.kind])
		if msg != "" {
			d.errorf(n, path, "%s", msg)
			return
		}
		v.SetFloat(x)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.errorf(n, path, "expected true or false, found %s", describe(n))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	default:
		panic("scenarios: no decoder for " + v.Type().String())
	}
}

// decodeList reads a YAML sequence into the slice v; its items take the
// kind of the field.
func (d *decoder) decodeList(n *yaml.Node, v reflect.Value, path string, t tag) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "expected a list (one item per line, each starting with \"- \"), found %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, c := range n.Content {
		d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i), tag{kind: t.kind})
	}
	v.Set(s)
}

// decodeMap reads a YAML mapping of names into the map v, each name given
// once.
func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "expected a mapping, found %s", describe(n))
		return
	}
	m := reflect.MakeMap(v.Type())
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		p := path + "." + k.Value
		if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
			d.errorf(k, path, "expected a name, found %s", describe(k))
			continue
		}
		if m.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
			d.errorf(k, p, "%q is given twice (first on line %d); remove one", k.Value, d.nodes[p+"#key"].Line)
			continue
		}
		d.nodes[p+"#key"] = k
		e := reflect.New(v.Type().Elem()).Elem()
		d.decode(n.Content[i+1], e, p, tag{})
		m.SetMapIndex(reflect.ValueOf(k.Value), e)
	}
	v.Set(m)
}

// decodeString reads a text scalar into v, one of the tag's enum when it
// has one.
func (d *decoder) decodeString(n *yaml.Node, v reflect.Value, path string, t tag) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		hint := ""
		if n.Tag == "!!null" && n.Value != "" {
			hint = fmt.Sprintf(" (to mean the text, put it in quotes: %q)", n.Value)
		}
		d.errorf(n, path, "expected %s, found %s%s", expectedText(t), describe(n), hint)
		return
	}
	if enum := strings.Split(t.enum, ","); t.enum != "" && !slices.Contains(enum, n.Value) {
		d.errorf(n, path, "unknown value %q%s", n.Value, choices(n.Value, enum))
		return
	}
	v.SetString(n.Value)
}

// Bounds are the bounds the loader puts on the whole-number field of a
// scenario file's top level whose YAML name is field (trials,
// horizon_months, seed), read from File's struct tags, so that what sets
// the field elsewhere (a flag) accepts what a scenario file does. It
// panics if File has no such field.
func Bounds(field string) (lo, hi int64) {
	t := reflect.TypeFor[File]()
	for i := range t.NumField() {
		if tg := fieldTag(t.Field(i)); tg.name == field {
			return tg.bounds()
		}
	}
	panic("scenarios.Bounds: a scenario file has no field " + field)
}

// bounds are the bounds of a whole number of tag t: its min and max, or
// 0 and 2^63 − 1.
func (t tag) bounds() (lo, hi int64) {
	lo, hi = 0, math.MaxInt64
	if t.min != nil {
		lo = *t.min
	}
	if t.max != nil {
		hi = *t.max
	}
	return lo, hi
}

// parseInt reads a whole number within the bounds of its tag (at least 0
// when the tag has no min).
func parseInt(n *yaml.Node, t tag) (int64, string) {
	lo, hi := t.bounds()
	k := kinds["int"]
	switch {
	case t.max != nil:
		k.expected = fmt.Sprintf("a whole number from %s to %s", fmtInt(lo), fmtInt(hi))
	case lo == 0:
		k.expected = "a whole number, 0 or more"
	default:
		k.expected = "a whole number of at least " + fmtInt(lo)
	}
	if x, err := strconv.ParseInt(strings.TrimSpace(n.Value), 10, 64); err == nil && n.Kind == yaml.ScalarNode && x >= lo && x <= hi {
		return x, "" // exact, however large
	}
	k.lo = math.Inf(-1) // the bounds are checked below, to name them
	x, msg := parseNumber(n, k)
	switch {
	case msg != "":
	case x >= math.MaxInt64: // 2^63: too large for int64
		msg = fmt.Sprintf("expected %s, found %s (too large)", k.expected, describe(n))
	case x < float64(lo) || x > float64(hi):
		msg = fmt.Sprintf("expected %s, found %s", k.expected, describe(n))
	}
	return int64(x), msg
}

// fmtInt writes a whole number with thousands separators.
func fmtInt(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func expectedText(t tag) string {
	if t.enum != "" {
		return "one of: " + strings.ReplaceAll(t.enum, ",", ", ")
	}
	return "text"
}

// tagCache holds the tags of each struct type, read once (reading struct
// tags is a good part of decoding a small scenario).
var tagCache sync.Map // reflect.Type → []tag

// fieldTags returns the tags of a struct type's fields.
func fieldTags(t reflect.Type) []tag {
	if tags, ok := tagCache.Load(t); ok {
		return tags.([]tag)
	}
	tags := make([]tag, t.NumField())
	for i := range tags {
		tags[i] = fieldTag(t.Field(i))
	}
	tagCache.Store(t, tags)
	return tags
}

// defaultCache holds each default value parsed once; the nodes are shared,
// so they must never be changed.
var defaultCache sync.Map // string → *yaml.Node

// defaultNode returns the node of a default value, written as in YAML.
func defaultNode(def string) *yaml.Node {
	if n, ok := defaultCache.Load(def); ok {
		return n.(*yaml.Node)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(def), &doc); err != nil || len(doc.Content) == 0 {
		panic("scenarios: bad default " + def)
	}
	defaultCache.Store(def, doc.Content[0])
	return doc.Content[0]
}

// fieldNames lists the YAML names of a struct type's fields.
func fieldNames(t reflect.Type) []string {
	tags := fieldTags(t)
	names := make([]string, len(tags))
	for i, tg := range tags {
		names[i] = tg.name
	}
	return names
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	typ := v.Type()
	names := fieldNames(typ)
	tags := fieldTags(typ)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "expected a mapping of field: value (fields: %s), found %s", strings.Join(names, ", "), describe(n))
		return
	}
	seen := make(map[string]*yaml.Node, len(names))
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		p := join(path, k.Value)
		idx := slices.Index(names, k.Value)
		switch {
		case k.Kind != yaml.ScalarNode:
			d.errorf(k, path, "expected a field name, found %s", describe(k))
		case k.Tag == "!!merge":
			d.errorf(k, path, "merge keys (<<) are not supported; write the fields out")
		case idx < 0:
			d.errorf(k, p, "unknown field%s", choices(k.Value, names))
		case seen[k.Value] != nil:
			d.errorf(k, p, "field is given twice (first on line %d); remove one", seen[k.Value].Line)
		default:
			seen[k.Value] = k
			d.nodes[p+"#key"] = k // given, not a default (see builder.given)
			d.decode(n.Content[i+1], v.Field(idx), p, tags[idx])
		}
	}
	for i, name := range names {
		if seen[name] != nil {
			continue
		}
		t := tags[i]
		switch {
		case t.required:
			d.errorf(n, path, "missing required field %q: %s", name, lowerFirst(t.doc))
		case t.def != "":
			dn := *defaultNode(t.def)
			dn.Line, dn.Column = n.Line, n.Column // defaults point at their parent
			d.decode(&dn, v.Field(i), join(path, name), t)
		case v.Field(i).Kind() == reflect.Struct && !v.Field(i).Addr().Type().Implements(nodeDecoderType):
			// An absent section still gets its fields' defaults.
			empty := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
			d.decode(empty, v.Field(i), join(path, name), t)
		}
	}
}

// lowerFirst lowers the first letter of a sentence, not of an acronym.
func lowerFirst(s string) string {
	if len(s) < 2 || strings.ToUpper(s[:2]) == s[:2] {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
