package scenarios

import (
	"fmt"
	"reflect"
	"strings"

	"csplan/sim"

	"go.yaml.in/yaml/v3"
)

// runSettings are top-level fields that describe the run, not the business:
// options must share them for their comparison to mean anything.
var runSettings = map[string]bool{"name": true, "description": true, "question": true, "currency": true,
	"start": true, "horizon_months": true, "trials": true, "seed": true, "mode": true, "net_rate": true,
	"options": true, "correlations": true}

// expandOption applies an option's overrides to a copy of the baseline tree
// and decodes the result, so an override is validated exactly like the field
// it replaces. Each override must exist and change the model.
func expandOption(file string, doc *yaml.Node, i int, o OptionSpec, base sim.Model, readFile func(string) ([]byte, error)) (Option, Errors) {
	label := fmt.Sprintf("options[%d] (%s)", i, o.Name)
	var errs Errors
	fail := func(n *yaml.Node, path, msg string) {
		errs = append(errs, Error{File: file, Line: n.Line, Col: n.Column, Path: label + ".set." + path, Msg: msg})
	}
	opt := Option{Name: o.Name, Description: o.Description}
	all := copyNode(doc)
	for j, k := range o.Set.Keys {
		path, val := k.Value, o.Set.Values[j]
		one := copyNode(doc)
		if msg := setPath(one, path, val, k); msg != "" {
			fail(k, path, msg)
			continue
		}
		m, derrs := decodeModel(file, one, label+".set."+path+": ", readFile)
		if len(derrs) > 0 {
			errs = append(errs, derrs...)
			continue
		}
		if reflect.DeepEqual(m, base) {
			fail(k, path, "changes nothing: the baseline already has this value")
			continue
		}
		setPath(all, path, val, k)
		opt.Set = append(opt.Set, path)
	}
	if len(errs) > 0 {
		return opt, errs
	}
	m, derrs := decodeModel(file, all, label+": ", readFile)
	if len(derrs) > 0 {
		return opt, derrs
	}
	opt.Model = m
	return opt, nil
}

func decodeModel(file string, doc *yaml.Node, prefix string, readFile func(string) ([]byte, error)) (sim.Model, Errors) {
	d := newDecoder(file)
	d.prefix = prefix
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
			idx := slicesIndex(names, part)
			if idx < 0 {
				hint := ""
				if s := suggest(part, names); s != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", strings.Join(append(parts[:i:i], s), "."))
				}
				return fmt.Sprintf("unknown path: %s has no field %q%s", orTop(here), part, hint)
			}
			typ = typ.Field(idx).Type
			if i == len(parts)-1 {
				setKey(cur, part, val)
				return ""
			}
			cur = childMapping(cur, part, at)
			if cur == nil {
				return fmt.Sprintf("%s is not a mapping in the baseline", strings.Join(parts[:i+1], "."))
			}
		case typ.Kind() == reflect.Slice && typ.Elem() == reflect.TypeFor[SegmentSpec]():
			var names []string
			var found *yaml.Node
			for _, item := range cur.Content {
				n := valueOf(item, "name")
				if n != nil {
					names = append(names, n.Value)
					if n.Value == part {
						found = item
					}
				}
			}
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
				return fmt.Sprintf("%s is not a mapping in the baseline", strings.Join(parts[:i+1], "."))
			}
			typ = typ.Elem()
		default:
			return fmt.Sprintf("unknown path: %s is a single value; set it whole", here)
		}
	}
	return ""
}

func orTop(p string) string {
	if p == "" {
		return "the scenario"
	}
	return p
}

// valueOf returns the value node of key in a mapping node, or nil.
func valueOf(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func setKey(m *yaml.Node, key string, val *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = val
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, val)
}

// childMapping returns the mapping under key, creating it (positioned at the
// option's key, so errors inside point there) when the baseline lacks it.
func childMapping(m *yaml.Node, key string, at *yaml.Node) *yaml.Node {
	if v := valueOf(m, key); v != nil {
		if v.Kind == yaml.MappingNode {
			return v
		}
		if v.Kind == yaml.SequenceNode {
			return v
		}
		if v.Tag != "!!null" {
			return nil
		}
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at.Line, Column: at.Column}
	setKey(m, key, n)
	return n
}

// copyNode deep-copies a tree, expanding aliases, so overrides never touch
// the baseline. The baseline has been decoded within the node budget, so the
// expansion is bounded.
func copyNode(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	c := *n
	c.Anchor = ""
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, x := range n.Content {
			c.Content[i] = copyNode(x)
		}
	}
	return &c
}
