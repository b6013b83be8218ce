package scenarios

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"csplan/sim"

	"go.yaml.in/yaml/v3"
)

// runSettings are top-level fields that describe the run, not the business:
// options must share them for their comparison to mean anything.
var runSettings = map[string]bool{"name": true, "description": true, "question": true, "currency": true,
	"start": true, "horizon_months": true, "trials": true, "seed": true, "mode": true, "net_rate": true, "sampling": true,
	"options": true, "correlations": true}

// expandOption applies an option's overrides to a copy of the baseline tree
// and decodes the result, so an override is validated exactly like the field
// it replaces. Each override must exist and change the model.
func expandOption(file string, doc, at *yaml.Node, i int, o OptionSpec, base sim.Model, segments []string, readFile func(string) ([]byte, error)) (Option, Errors) {
	label := fmt.Sprintf("options[%d] (%s)", i, o.Name)
	var errs Errors
	fail := func(n *yaml.Node, path, msg string) {
		errs = append(errs, Error{File: file, Line: n.Line, Col: n.Column, Path: label + ".set." + path, Msg: msg})
	}
	opt := Option{Name: o.Name, Description: o.Description}
	all := own(doc)
	for j, k := range o.Set.Keys {
		path, val := k.Value, o.Set.Values[j]
		one := own(doc)
		if msg := setPath(one, path, val, k); msg != "" {
			fail(k, path, msg)
			continue
		}
		m, derrs := decodeModel(file, one, readFile)
		if len(derrs) > 0 {
			errs = append(errs, relabel(derrs, file, label+".set."+path, path, k, segments)...)
			continue
		}
		if reflect.DeepEqual(m, base) {
			fail(k, path, "changes nothing: the baseline already has this value; remove it, or give a different value")
			continue
		}
		setPath(all, path, val, k)
		opt.Set = append(opt.Set, path)
		opt.Values = append(opt.Values, flowText(val))
	}
	if len(errs) > 0 {
		return opt, errs
	}
	m, derrs := decodeModel(file, all, readFile)
	if len(derrs) > 0 {
		return opt, relabel(derrs, file, label, "", at, segments)
	}
	opt.Model = m
	return opt, nil
}

var segmentIndex = regexp.MustCompile(`^segments\[(\d+)\]`)

// relabel names the errors found in an option's tree after the option: an
// error inside the override's own value keeps its place and gets the path
// the option wrote (segments.NAME..., not segments[i]...); an error
// elsewhere, which the override caused, is reported at the override.
func relabel(errs Errors, file, label, set string, at *yaml.Node, segments []string) Errors {
	out := make(Errors, len(errs))
	for i, e := range errs {
		field := segmentIndex.ReplaceAllStringFunc(e.Path, func(s string) string {
			if j, err := strconv.Atoi(s[len("segments[") : len(s)-1]); err == nil && j < len(segments) {
				return "segments." + segments[j]
			}
			return s
		})
		switch {
		case e.File != file: // an accounts file
			e.Path = label
		case set != "" && (field == set || strings.HasPrefix(field, set+".") || strings.HasPrefix(field, set+"[")):
			e.Path = label + field[len(set):]
		default:
			e.Line, e.Col, e.Path = at.Line, at.Column, label
			if field != "" {
				e.Msg = field + ": " + e.Msg
			}
		}
		out[i] = e
	}
	return out
}

func decodeModel(file string, doc *yaml.Node, readFile func(string) ([]byte, error)) (sim.Model, Errors) {
	d := newDecoder(file)
	d.nodes[""] = doc
	var f File
	d.decode(doc, reflect.ValueOf(&f).Elem(), "", tag{})
	if len(d.errs) > 0 {
		return sim.Model{}, d.errs
	}
	b := &builder{d: d, f: &f, readFile: readFile}
	m := b.model()
	return m, d.errs
}

// setPath replaces (or adds) the node at a dotted path in the tree; segments
// are addressed by name (segments.enterprise.churn.annual). It returns a
// message when the path does not name a field of the format.
func setPath(doc *yaml.Node, path string, val, at *yaml.Node) string {
	parts := strings.Split(path, ".")
	if runSettings[parts[0]] {
		return fmt.Sprintf("%s is a setting of the whole run and cannot differ between options", parts[0])
	}
	typ := reflect.TypeFor[File]()
	cur := doc
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		for typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		here := strings.Join(parts[:i], ".")
		switch {
		case typ.Kind() == reflect.Struct && !typ.Implements(nodeDecoderType) && !reflect.PointerTo(typ).Implements(nodeDecoderType):
			names := fieldNames(typ)
			idx := slices.Index(names, part)
			if idx < 0 {
				return fmt.Sprintf("unknown path: %s has no field %q%s", orTop(here), part, choices(part, names))
			}
			typ = typ.Field(idx).Type
			if i == len(parts)-1 {
				setKey(cur, part, val)
				return ""
			}
			cur = childMapping(cur, part, at)
			if cur == nil {
				return fmt.Sprintf("the baseline gives %[1]s as a single value, not fields; set it whole (%[1]s: ...)", strings.Join(parts[:i+1], "."))
			}
		case typ.Kind() == reflect.Slice && typ.Elem() == reflect.TypeFor[SegmentSpec]():
			found, names := ownSegment(cur, part)
			if found == nil {
				return fmt.Sprintf("no segment named %q (segments: %s)", part, strings.Join(names, ", "))
			}
			if i == len(parts)-1 {
				return "set a field of the segment, e.g. " + path + ".churn.annual"
			}
			typ, cur = typ.Elem(), found
		case typ.Kind() == reflect.Map:
			if i == len(parts)-1 {
				setKey(cur, part, val)
				return ""
			}
			cur = childMapping(cur, part, at)
			if cur == nil {
				return fmt.Sprintf("the baseline gives %[1]s as a single value, not fields; set it whole (%[1]s: ...)", strings.Join(parts[:i+1], "."))
			}
			typ = typ.Elem()
		default:
			return fmt.Sprintf("unknown path: %s is a single value; set it whole", here)
		}
	}
	return ""
}

// ownSegment finds the segment named name in the list of segments and
// replaces it by a copy of its own (own) to be changed; it returns the
// copy, or nil, and the names of the segments.
func ownSegment(list *yaml.Node, name string) (*yaml.Node, []string) {
	var names []string
	var found *yaml.Node
	for j, item := range list.Content {
		if n := valueOf(item, "name"); n != nil {
			names = append(names, n.Value)
			if n.Value == name && found == nil {
				found = own(item)
				list.Content[j] = found
			}
		}
	}
	return found, names
}

func orTop(p string) string {
	if p == "" {
		return "the scenario"
	}
	return p
}

// keyIndex returns the index in m.Content of the value of key in a mapping
// node, or -1.
func keyIndex(m *yaml.Node, key string) int {
	if m.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if deref(m.Content[i]).Value == key {
			return i + 1
		}
	}
	return -1
}

// valueOf returns the value node of key in a mapping node (aliases
// followed), or nil.
func valueOf(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if i := keyIndex(m, key); i >= 0 {
		return deref(m.Content[i])
	}
	return nil
}

// setKey sets key in a mapping node the caller owns.
func setKey(m *yaml.Node, key string, val *yaml.Node) {
	if i := keyIndex(m, key); i >= 0 {
		// The comments of the value replaced stay with the new one, so
		// that an edited file keeps them (csplan serve saves it).
		if old := m.Content[i]; val.LineComment == "" && val.HeadComment == "" && val.FootComment == "" {
			c := *val
			c.HeadComment, c.LineComment, c.FootComment = old.HeadComment, old.LineComment, old.FootComment
			val = &c
		}
		m.Content[i] = val
		return
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, val)
}

// childMapping returns an owned copy of the mapping (or list) under key in
// the owned mapping m, put in place of the original; it creates the mapping
// (positioned at the option's key, so errors inside point there) when the
// baseline lacks it. It returns nil when the baseline has a plain value there.
func childMapping(m *yaml.Node, key string, at *yaml.Node) *yaml.Node {
	if i := keyIndex(m, key); i >= 0 {
		v := deref(m.Content[i])
		switch {
		case v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode:
			c := own(v)
			m.Content[i] = c
			return c
		case v.Tag != "!!null":
			return nil
		}
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.Line, Column: at.Column}
	setKey(m, key, n)
	return n
}

// own returns a shallow copy of n, aliases followed, whose Content the caller
// may change. An override copies only the nodes on its path: the baseline
// tree is never changed, and never expanded (a tree of nested aliases would
// expand to billions of nodes).
func own(n *yaml.Node) *yaml.Node {
	n = deref(n)
	c := *n
	c.Anchor = ""
	c.Content = slices.Clone(n.Content)
	return &c
}

// flowText writes a value node as one line of YAML, as a report quotes it.
func flowText(n *yaml.Node) string {
	c := *deref(n)
	c.Style |= yaml.FlowStyle
	b, err := yaml.Marshal(&c)
	if err != nil {
		return c.Value
	}
	return strings.TrimSpace(string(b))
}
