package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// The label table is the format's label tags, next to each field's doc:
// "annual churn" for segments.NAME.churn.annual. A label with %s takes its
// parent's label ("%s probability per opportunity" under upsell). A
// segment's or an acquisition's name comes before the label ("mid-market
// annual churn"), a meeting's after the segment, and a pool's after it
// all ("CSM attrition (enterprise pool)").

// pathLabel is what the label table says of a path.
type pathLabel struct {
	label, kind, unit string
	segment, pool     string
	meeting           string
	index             int // the [i] of the last part, -1 for none
	curve             bool
}

// InputLabel names the input at path in words, and says how its values
// are written: "x" for a multiplier, "h" for hours, "%" for a share,
// "money", or "" for a plain number, from the field's kind, or from the
// way the scenario writes it (written, as Assumptions lists it; "" when
// not known). A path the table does not know is its own label.
func (s *Scenario) InputLabel(path, written string) (label, unit string) {
	if m := stepPath.FindStringSubmatch(path); m != nil && m[3] == "csms" { // team.plan[2027-04].csms
		label, unit = s.InputLabel(strings.TrimSuffix(m[1], "plan")+"csms", written)
		return label + " from " + m[2], unit
	}
	l, ok := labelOf(path)
	if !ok {
		return path, writtenUnit(written, "")
	}
	label, unit = l.label, l.unit
	switch {
	case l.curve && l.index >= 0:
		label += " at " + s.curvePoint(path, l.index)
		unit = "x"
	case l.curve:
		label += " by " + curveAxis(path)
		unit = "x"
	case l.index >= 0:
		label += " " + strconv.Itoa(l.index+1)
	}
	if unit == "" {
		unit = writtenUnit(written, l.kind)
	}
	if l.meeting != "" {
		label = l.meeting + " " + label
	}
	if l.segment != "" {
		label = l.segment + " " + label
	}
	if l.pool != "" {
		label += " (" + l.pool + " pool)"
	}
	return label, unit
}

// writtenUnit is the unit of a number written as written, or of its kind
// when written says nothing.
func writtenUnit(written, kind string) string {
	switch {
	case strings.Contains(written, "%"):
		return "%"
	case strings.ContainsAny(written, "$€£¥"):
		return "money"
	case written != "":
		return ""
	}
	switch kind {
	case "prob", "frac", "rate":
		return "%"
	case "money":
		return "money"
	case "raise", "lower", "mult":
		return "x"
	}
	return ""
}

// curvePoint names the point i of the curve at path by its x: a coverage
// ("no coverage", "50% coverage") or a load ("150% load").
func (s *Scenario) curvePoint(path string, i int) string {
	var c CurveSpec
	what := curveAxis(path)
	name, _, _ := strings.Cut(path, "[")
	switch name {
	case "coverage_response.churn":
		c = s.Spec.Response.Churn
	case "coverage_response.upsell":
		c = s.Spec.Response.Upsell
	case "coverage_response.onboarding":
		c = s.Spec.Response.Onboarding
	default:
		if s.Spec.Team != nil {
			c = s.Spec.Team.AttritionLoad
		}
	}
	switch {
	case i >= len(c.X) && what == "load":
		return "high load"
	case i >= len(c.X) || (c.X[i] == 0 && what == "coverage"):
		return "no coverage"
	}
	return fmt.Sprintf("%g%% %s", 100*c.X[i], what)
}

// curveAxis is what a curve's x is: coverage for the response curves,
// load for the attrition curve.
func curveAxis(path string) string {
	if strings.HasPrefix(path, "coverage_response.") {
		return "coverage"
	}
	return "load"
}

// labelOf follows path through the format's types, reading each field's
// label tag; false when the path leaves the format or ends on a field
// without a label.
func labelOf(path string) (pathLabel, bool) {
	l := pathLabel{index: -1}
	t := reflect.TypeFor[File]()
	parts := strings.Split(path, ".")
	for i := 0; i < len(parts); i++ {
		name, index := parts[i], -1
		if j := strings.IndexByte(name, '['); j > 0 && strings.HasSuffix(name, "]") {
			n, err := strconv.Atoi(name[j+1 : len(name)-1])
			if err != nil || n < 0 {
				return l, false
			}
			name, index = name[:j], n
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == reflect.TypeFor[TouchSpec]() {
			// A touch model names its meetings; per_opportunity is reserved.
			if name == "per_opportunity" {
				t = reflect.TypeFor[OpportunitySpec]()
			} else {
				l.meeting, t = name, reflect.TypeFor[MeetingSpec]()
			}
			continue
		}
		f, ok := fieldNamed(t, name)
		if !ok {
			return l, false
		}
		label := f.Tag.Get("label")
		if strings.Contains(label, "%s") {
			label = fmt.Sprintf(label, l.label)
		}
		l.label, l.kind, l.unit, l.index = label, f.Tag.Get("kind"), f.Tag.Get("unit"), index
		t = f.Type
		l.curve = t == reflect.TypeFor[CurveSpec]()
		// A segment, an acquisition's segment or a pool is named by the
		// next part of the path.
		named := t.Kind() == reflect.Map || (t.Kind() == reflect.Slice && t.Elem() == reflect.TypeFor[SegmentSpec]())
		if named && index < 0 && i+1 < len(parts) {
			i++
			if name == "pools" {
				l.pool = parts[i]
			} else {
				l.segment = parts[i]
			}
			t = t.Elem()
		}
	}
	return l, l.label != ""
}

// fieldNamed is the field of the struct type t whose YAML name is name.
func fieldNamed(t reflect.Type, name string) (reflect.StructField, bool) {
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.Tag.Get("yaml") == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
