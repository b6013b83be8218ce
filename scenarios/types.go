package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"csplan/sim/dist"

	"go.yaml.in/yaml/v3"
)

// Param is a number that may be uncertain: a plain value or a distribution.
type Param struct {
	D dist.Dist
}

// distNames are the distribution forms a Param accepts, with their fields.
var distNames = []string{"beta", "pert", "triangular", "uniform", "lognormal", "normal", "empirical"}

var distFields = map[string][]string{
	"beta":       {"mean", "sd"},
	"pert":       {"min", "mode", "max"},
	"triangular": {"min", "mode", "max"},
	"uniform":    {"min", "max"},
	"lognormal":  {"median", "p90", "mean", "sd"},
	"normal":     {"mean", "sd", "min", "max"},
}

func (p *Param) decodeNode(d *decoder, n *yaml.Node, path string, t tag) {
	k := kinds[t.kind]
	if n.Kind == yaml.ScalarNode {
		v, msg := parseNumber(n, k)
		if msg != "" {
			d.errorf(n, path, "%s", msg)
			return
		}
		p.D = dist.Const(v)
		return
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		d.errorf(n, path, "expected %s or a distribution with one of the keys %s, found %s",
			strings.TrimPrefix(strings.TrimPrefix(k.expected, "a "), "an "), strings.Join(distNames, ", "), describe(n))
		return
	}
	key, _ := d.resolve(n.Content[0])
	body, ok := d.resolve(n.Content[1])
	if !ok {
		return
	}
	name := key.Value
	dpath := path + "." + name
	if !slicesContains(distNames, name) {
		hint := ""
		if s := suggest(name, distNames); s != "" {
			hint = fmt.Sprintf(" (did you mean %q?)", s)
		}
		d.errorf(key, dpath, "unknown distribution%s (use one of: %s)", hint, strings.Join(distNames, ", "))
		return
	}
	// Parameters may be written in the field's units (8%, 100k); their range
	// is checked on the distribution as a whole below.
	pk := k
	pk.lo, pk.hi, pk.openLo, pk.integer = math.Inf(-1), math.Inf(1), false, false
	pk.expected = "a number"
	var made dist.Dist
	var err error
	if name == "empirical" {
		if body.Kind != yaml.SequenceNode || len(body.Content) == 0 {
			d.errorf(body, dpath, "expected a non-empty list of numbers, found %s", describe(body))
			return
		}
		vals := make([]float64, len(body.Content))
		bad := false
		for i, c := range body.Content {
			c, _ = d.resolve(c)
			v, msg := parseNumber(c, pk)
			if msg != "" {
				d.errorf(c, fmt.Sprintf("%s[%d]", dpath, i), "%s", msg)
				bad = true
			}
			vals[i] = v
		}
		if bad {
			return
		}
		made, err = dist.NewEmpirical(vals)
	} else {
		if body.Kind != yaml.MappingNode {
			d.errorf(body, dpath, "expected a mapping of %s, found %s", strings.Join(distFields[name], ", "), describe(body))
			return
		}
		vals := map[string]float64{}
		bad := false
		for i := 0; i+1 < len(body.Content); i += 2 {
			fk, _ := d.resolve(body.Content[i])
			fv, _ := d.resolve(body.Content[i+1])
			fp := dpath + "." + fk.Value
			if !slicesContains(distFields[name], fk.Value) {
				hint := ""
				if s := suggest(fk.Value, distFields[name]); s != "" {
					hint = fmt.Sprintf(" (did you mean %q?)", s)
				}
				d.errorf(fk, fp, "unknown parameter of %s%s (use: %s)", name, hint, strings.Join(distFields[name], ", "))
				bad = true
				continue
			}
			if _, dup := vals[fk.Value]; dup {
				d.errorf(fk, fp, "parameter is given twice")
				bad = true
				continue
			}
			v, msg := parseNumber(fv, pk)
			if msg != "" {
				d.errorf(fv, fp, "%s", msg)
				bad = true
			}
			vals[fk.Value] = v
		}
		if bad {
			return
		}
		made, err = makeDist(name, vals)
	}
	if err != nil {
		d.errorf(n, dpath, "%v", err)
		return
	}
	if lo, hi := made.Support(); !k.contains(lo) || !k.contains(hi) {
		d.errorf(n, dpath, "%s can take values from %s to %s, but this field expects %s; bound it (min/max) or pick a distribution that stays in range",
			made, fmtBound(lo), fmtBound(hi), k.expected)
		return
	}
	p.D = made
}

func fmtBound(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+infinity"
	case math.IsInf(v, -1):
		return "-infinity"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// makeDist builds a distribution from its named parameters.
func makeDist(name string, v map[string]float64) (dist.Dist, error) {
	need := func(fields ...string) error {
		var missing []string
		for _, f := range fields {
			if _, ok := v[f]; !ok {
				missing = append(missing, f)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s needs %s", name, strings.Join(missing, " and "))
		}
		return nil
	}
	switch name {
	case "beta":
		if err := need("mean", "sd"); err != nil {
			return nil, err
		}
		return dist.NewBeta(v["mean"], v["sd"])
	case "pert", "triangular":
		if err := need("min", "mode", "max"); err != nil {
			return nil, err
		}
		if name == "pert" {
			return dist.NewPERT(v["min"], v["mode"], v["max"])
		}
		return dist.NewTriangular(v["min"], v["mode"], v["max"])
	case "uniform":
		if err := need("min", "max"); err != nil {
			return nil, err
		}
		return dist.NewUniform(v["min"], v["max"])
	case "lognormal":
		_, hasMedian := v["median"]
		_, hasMean := v["mean"]
		switch {
		case hasMedian && hasMean:
			return nil, fmt.Errorf("lognormal takes median and p90, or mean and sd, not both")
		case hasMean:
			if err := need("mean", "sd"); err != nil {
				return nil, err
			}
			return dist.NewLogNormalMeanSD(v["mean"], v["sd"])
		}
		if _, ok := v["sd"]; ok {
			return nil, fmt.Errorf("lognormal takes median and p90, or mean and sd, not both")
		}
		if err := need("median", "p90"); err != nil {
			return nil, err
		}
		return dist.NewLogNormalMedianP90(v["median"], v["p90"])
	case "normal":
		if err := need("mean", "sd"); err != nil {
			return nil, err
		}
		lo, hi := math.Inf(-1), math.Inf(1)
		if x, ok := v["min"]; ok {
			lo = x
		}
		if x, ok := v["max"]; ok {
			hi = x
		}
		return dist.NewNormal(v["mean"], v["sd"], lo, hi)
	}
	return nil, fmt.Errorf("unknown distribution %q", name)
}

// MonthRef is a month written as YYYY-MM or as a 1-based month number of the
// simulation.
type MonthRef struct {
	Calendar time.Time // zero unless written as YYYY-MM
	Index    int       // 0 unless written as a number
}

func (m *MonthRef) decodeNode(d *decoder, n *yaml.Node, path string, _ tag) {
	if n.Kind == yaml.ScalarNode {
		if t, err := time.Parse("2006-01", n.Value); err == nil {
			m.Calendar = t
			return
		}
		if i, err := strconv.Atoi(n.Value); err == nil && i >= 1 && i <= 10000 {
			m.Index = i
			return
		}
	}
	d.errorf(n, path, "expected a month as YYYY-MM (e.g. 2027-04) or a month number from 1, found %s", describe(n))
}

// index returns the 1-based simulation month of m given the start month.
func (m MonthRef) index(start time.Time) int {
	if m.Index > 0 {
		return m.Index
	}
	return (m.Calendar.Year()-start.Year())*12 + int(m.Calendar.Month()-start.Month()) + 1
}

func (m MonthRef) String() string {
	if m.Index > 0 {
		return "month " + strconv.Itoa(m.Index)
	}
	return m.Calendar.Format("2006-01")
}

// RenewalSpec is when existing accounts first renew.
type RenewalSpec struct {
	Rule  string // "spread", "file" or "month"
	Month int
}

func (r *RenewalSpec) decodeNode(d *decoder, n *yaml.Node, path string, _ tag) {
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case "spread", "file":
			r.Rule = n.Value
			return
		}
		if i, err := strconv.Atoi(n.Value); err == nil && i >= 1 && i <= 240 {
			r.Rule, r.Month = "month", i
			return
		}
	}
	d.errorf(n, path, "expected spread, file, or a month number from 1 to 240, found %s", describe(n))
}

// CurveSpec is a piecewise linear curve given as [[x, y], ...].
type CurveSpec struct {
	X, Y []float64
	node *yaml.Node
}

func (c *CurveSpec) decodeNode(d *decoder, n *yaml.Node, path string, _ tag) {
	c.node = n
	if n.Kind != yaml.SequenceNode || len(n.Content) < 2 {
		d.errorf(n, path, "expected a list of at least two [x, y] points, found %s", describe(n))
		return
	}
	k := kinds["real"]
	k.percent = true
	for i, pt := range n.Content {
		pt, _ = d.resolve(pt)
		p := fmt.Sprintf("%s[%d]", path, i)
		if pt.Kind != yaml.SequenceNode || len(pt.Content) != 2 {
			d.errorf(pt, p, "expected a point [x, y], found %s", describe(pt))
			continue
		}
		x, msg := parseNumber(pt.Content[0], k)
		if msg != "" {
			d.errorf(pt.Content[0], p, "%s", msg)
			continue
		}
		y, msg := parseNumber(pt.Content[1], k)
		if msg != "" {
			d.errorf(pt.Content[1], p, "%s", msg)
			continue
		}
		if len(c.X) > 0 && x <= c.X[len(c.X)-1] {
			d.errorf(pt, p, "x values must increase, found %s after %s", fmtBound(x), fmtBound(c.X[len(c.X)-1]))
			continue
		}
		c.X, c.Y = append(c.X, x), append(c.Y, y)
	}
}

// TouchSpec is the CS touch model of a segment.
type TouchSpec struct {
	Digital  bool
	Meetings []NamedMeeting
}

// NamedMeeting is one meeting type of a touch model.
type NamedMeeting struct {
	Name string
	MeetingSpec
}

func (t *TouchSpec) decodeNode(d *decoder, n *yaml.Node, path string, _ tag) {
	if n.Kind == yaml.ScalarNode && n.Value == "digital" {
		t.Digital = true
		return
	}
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		d.errorf(n, path, "expected digital, or a mapping of meeting types ({monthly_meeting: {per_year: 12, hours: 1, prep: 1}}), found %s", describe(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, _ := d.resolve(n.Content[i])
		p := path + "." + k.Value
		for _, m := range t.Meetings {
			if m.Name == k.Value {
				d.errorf(k, p, "meeting type is given twice")
			}
		}
		var m MeetingSpec
		d.decode(n.Content[i+1], reflect.ValueOf(&m).Elem(), p, tag{})
		t.Meetings = append(t.Meetings, NamedMeeting{k.Value, m})
	}
}

// SetSpec are an option's overrides: baseline paths and their new values,
// kept as nodes until they are applied to the baseline tree.
type SetSpec struct {
	Keys, Values []*yaml.Node
}

func (s *SetSpec) decodeNode(d *decoder, n *yaml.Node, path string, _ tag) {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		d.errorf(n, path, "expected a mapping of path: value (e.g. team.csms: 9), found %s", describe(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, _ := d.resolve(n.Content[i])
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, "expected a path, found %s", describe(k))
			continue
		}
		s.Keys, s.Values = append(s.Keys, k), append(s.Values, n.Content[i+1])
	}
}
