package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

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

// Errors is every problem found in a file, in file order.
type Errors []Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (es Errors) sorted() Errors {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Line != es[j].Line {
			return es[i].Line < es[j].Line
		}
		return es[i].Col < es[j].Col
	})
	return es
}

// nodeBudget bounds the nodes a decode visits, following aliases: a small
// file of nested aliases ("billion laughs") would otherwise expand forever.
const nodeBudget = 200_000

// decoder walks a yaml.Node tree into the format structs, collecting every
// error with its position instead of stopping at the first.
type decoder struct {
	file   string
	prefix string // names the option being decoded, if any
	errs   Errors
	budget int
	nodes  map[string]*yaml.Node // path → node, for errors found after decoding
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, budget: nodeBudget, nodes: map[string]*yaml.Node{}}
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	e := Error{File: d.file, Path: d.prefix + path, Msg: fmt.Sprintf(format, args...)}
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
}

func fieldTag(f reflect.StructField) tag {
	t := tag{name: f.Tag.Get("yaml"), kind: f.Tag.Get("kind"), def: f.Tag.Get("default"),
		enum: f.Tag.Get("enum"), doc: f.Tag.Get("doc"), required: f.Tag.Get("required") == "true"}
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

// resolve follows aliases and charges the node budget.
func (d *decoder) resolve(n *yaml.Node) (*yaml.Node, bool) {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	d.budget--
	if d.budget == 0 {
		d.errorf(n, "", "the document expands to more than %d nodes (nested aliases?)", nodeBudget)
	}
	return n, d.budget > 0
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string, t tag) {
	n, ok := d.resolve(n)
	if !ok {
		return
	}
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
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, path, "expected a list, found %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i), tag{kind: t.kind})
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, path, "expected a mapping, found %s", describe(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, _ := d.resolve(n.Content[i])
			p := path + "." + k.Value
			if m.MapIndex(reflect.ValueOf(k.Value)).IsValid() {
				d.errorf(k, p, "%q is given twice", k.Value)
				continue
			}
			d.nodes[p+"#key"] = k
			e := reflect.New(v.Type().Elem()).Elem()
			d.decode(n.Content[i+1], e, p, tag{})
			m.SetMapIndex(reflect.ValueOf(k.Value), e)
		}
		v.Set(m)
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			d.errorf(n, path, "expected %s, found %s", expectedText(t), describe(n))
			return
		}
		if t.enum != "" && !slicesContains(strings.Split(t.enum, ","), n.Value) {
			hint := ""
			if s := suggest(n.Value, strings.Split(t.enum, ",")); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.errorf(n, path, "unknown value %q (use one of: %s)%s", n.Value, strings.ReplaceAll(t.enum, ",", ", "), hint)
			return
		}
		v.SetString(n.Value)
	case reflect.Int, reflect.Int64:
		k := kinds["int"]
		x, msg := parseNumber(n, k)
		if msg == "" {
			switch {
			case t.min != nil && x < float64(*t.min):
				msg = fmt.Sprintf("expected a whole number of at least %d, found %s", *t.min, describe(n))
			case t.max != nil && x > float64(*t.max):
				msg = fmt.Sprintf("expected a whole number of at most %d, found %s", *t.max, describe(n))
			case x > math.MaxInt64/2:
				msg = fmt.Sprintf("expected %s, found %s (too large)", k.expected, describe(n))
			}
		}
		if msg != "" {
			d.errorf(n, path, "%s", msg)
			return
		}
		v.SetInt(int64(x))
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

func expectedText(t tag) string {
	if t.enum != "" {
		return "one of: " + strings.ReplaceAll(t.enum, ",", ", ")
	}
	return "text"
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// fieldNames lists the YAML names of a struct type's fields.
func fieldNames(t reflect.Type) []string {
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = t.Field(i).Tag.Get("yaml")
	}
	return names
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "expected a mapping, found %s", describe(n))
		return
	}
	typ := v.Type()
	names := fieldNames(typ)
	seen := make(map[string]bool, len(names))
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, ok := d.resolve(n.Content[i])
		if !ok {
			return
		}
		p := join(path, k.Value)
		idx := slicesIndex(names, k.Value)
		switch {
		case k.Kind != yaml.ScalarNode:
			d.errorf(k, path, "expected a field name, found %s", describe(k))
		case idx < 0:
			hint := ""
			if s := suggest(k.Value, names); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.errorf(k, p, "unknown field%s", hint)
		case seen[k.Value]:
			d.errorf(k, p, "field is given twice")
		default:
			seen[k.Value] = true
			d.decode(n.Content[i+1], v.Field(idx), p, fieldTag(typ.Field(idx)))
		}
	}
	for i, name := range names {
		if seen[name] {
			continue
		}
		t := fieldTag(typ.Field(i))
		switch {
		case t.required:
			d.errorf(n, path, "missing required field %q", name)
		case t.def != "":
			var def yaml.Node
			if err := yaml.Unmarshal([]byte(t.def), &def); err != nil {
				panic("scenarios: bad default for " + name)
			}
			dn := def.Content[0]
			dn.Line, dn.Column = n.Line, n.Column // defaults point at their parent
			d.decode(dn, v.Field(i), join(path, name), t)
		case v.Field(i).Kind() == reflect.Struct && !v.Field(i).Addr().Type().Implements(nodeDecoderType):
			// An absent section still gets its fields' defaults.
			empty := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n.Line, Column: n.Column}
			d.decode(empty, v.Field(i), join(path, name), t)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
