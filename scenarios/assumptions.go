package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"csplan/results"
	"csplan/sim/dist"
)

// Assumptions lists every input of the baseline with its value or
// distribution in the units it was written in, for the report's
// assumptions table. Fields are in file order, defaults included.
func (s *Scenario) Assumptions() []results.Assumption {
	a := &lister{currency: s.Currency, scenario: s}
	a.walk(reflect.ValueOf(s.Spec).Elem(), "", tag{})
	return a.out
}

// InputBounds is the range validation allows the number at path (an
// input's name, such as segments.smb.churn.annual or
// coverage_response.churn[0]): its kind's bounds, the low one excluded
// when openLo; false when path names no number of the scenario.
func (s *Scenario) InputBounds(path string) (lo, hi float64, openLo, ok bool) {
	l := &lister{currency: s.Currency, kinds: map[string]string{}}
	l.walk(reflect.ValueOf(s.Spec).Elem(), "", tag{})
	k, ok := kinds[l.kinds[path]]
	return k.lo, k.hi, k.openLo, ok
}

// Changes lists an option's overrides as written.
func (o Option) Changes() []results.Change {
	out := make([]results.Change, len(o.Set))
	for i, path := range o.Set {
		out[i] = results.Change{Path: path, Value: o.Values[i]}
	}
	return out
}

// teamSkips reports whether field name of the team v at path is listed
// elsewhere: a team split into pools is listed pool by pool (each with
// the values it uses, the team's included), beside the load curve, the
// only field of the whole team; a pool has no pools or load curve.
func teamSkips(v reflect.Value, path, name string) bool {
	t, ok := v.Interface().(TeamSpec)
	switch {
	case !ok:
		return false
	case path == "team":
		return len(t.Pools) > 0 && name != "pools" && name != "attrition_load"
	}
	return name == "pools" || name == "attrition_load"
}

// skipped are fields shown elsewhere in a report (title, run settings) or
// that are not inputs.
var skipped = map[string]bool{"name": true, "description": true, "question": true, "currency": true,
	"options": true, "trials": true, "seed": true, "mode": true, "net_rate": true, "sampling": true, "optimize": true}

type lister struct {
	// asYAML writes each value as an edit of the file takes it
	// ({pert: {min: 1, mode: 1.2, max: 1.5}}, 20000) rather than as the
	// report shows it (pert(min 1, mode 1.2, max 1.5), $20,000).
	asYAML   bool
	currency string
	out      []results.Assumption
	kinds    map[string]string // the kind of each number's path, when asked
	scenario *Scenario         // for the inputs' labels, when listing them
}

func (l *lister) add(path, value, kind string) {
	a := results.Assumption{Path: path, Value: value, Kind: kind}
	if l.scenario != nil {
		a.Label, _ = l.scenario.InputLabel(path, value)
	}
	l.out = append(l.out, a)
}

// walk lists the inputs in v, at path in the file, in file order.
func (l *lister) walk(v reflect.Value, path string, t tag) {
	if l.custom(v, path, t) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			l.walk(v.Elem(), path, t)
		}
	case reflect.Struct:
		l.walkFields(v, path)
	case reflect.Slice:
		l.walkList(v, path, t)
	case reflect.Map:
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		for _, k := range keys {
			l.walk(v.MapIndex(reflect.ValueOf(k)), path+"."+k, t)
		}
	case reflect.String:
		if v.String() != "" {
			l.add(path, v.String(), "fixed")
		}
	case reflect.Int, reflect.Int64:
		value := strconv.FormatInt(v.Int(), 10)
		if strings.HasSuffix(path, ".contract.tenure_months") {
			value = l.bookTenure(path, value)
		}
		l.add(path, value, "fixed")
	case reflect.Float64:
		l.add(path, l.number(v.Float(), t.kind), "fixed")
	case reflect.Bool:
		l.add(path, strconv.FormatBool(v.Bool()), "fixed")
	}
}

// bookTenure is the tenure of a segment's opening book as the run takes
// it: the accounts file's, per account, where it gives them (a calibrated
// book listed 0, the segment's default, beside tenures of up to 48
// months), else the segment's value.
func (l *lister) bookTenure(path, value string) string {
	if l.scenario == nil || len(l.scenario.Options) == 0 {
		return value
	}
	name := strings.TrimSuffix(strings.TrimPrefix(path, "segments."), ".contract.tenure_months")
	for _, seg := range l.scenario.Options[0].Model.Segments {
		if seg.Name != name {
			continue
		}
		var t []int
		for _, a := range seg.Accounts {
			if a.TenureMonths > 0 {
				t = append(t, a.TenureMonths)
			}
		}
		if len(t) == 0 {
			return value
		}
		slices.Sort(t)
		s := fmt.Sprintf("per account from the accounts file: median %d months (%d to %d)", t[(len(t)-1)/2], t[0], t[len(t)-1])
		if n := len(seg.Accounts) - len(t); n > 0 {
			s += fmt.Sprintf("; %s for the %d without one", value, n)
		}
		return s
	}
	return value
}

// custom lists a value of a format type that decodes itself (an option's
// overrides are not inputs); false for other values.
func (l *lister) custom(v reflect.Value, path string, t tag) bool {
	switch x := v.Interface().(type) {
	case Param:
		if x.D != nil {
			l.add(path, l.dist(x.D, t.kind), drawn(x.D, path, t))
		}
		if l.kinds != nil {
			l.kinds[path] = t.kind
		}
	case MonthRef:
		l.add(path, x.String(), "fixed")
	case RenewalSpec:
		val := x.Rule
		if x.Rule == "month" {
			val = "month " + strconv.Itoa(x.Month)
		}
		l.add(path, val, "fixed")
	case CurveSpec:
		for i := range x.X {
			if l.kinds != nil {
				l.kinds[fmt.Sprintf("%s[%d]", path, i)] = "mult"
			}
		}
		var pts []string
		kind := "fixed"
		for i := range x.X {
			y := trimFloat(x.Y[i])
			if i < len(x.YD) && !x.YD[i].Fixed() {
				y, kind = l.dist(x.YD[i], "mult"), "per-trial"
			}
			pts = append(pts, fmt.Sprintf("[%s, %s]", trimFloat(x.X[i]), y))
		}
		l.add(path, "["+strings.Join(pts, ", ")+"]", kind)
	case TouchSpec:
		kind := "fixed"
		o := x.PerOpportunity
		for _, p := range []Param{o.Upsell, o.Contraction, o.Renewal} {
			if p.D != nil && !p.D.Fixed() {
				kind = "per-trial"
			}
		}
		l.add(path, touchText(x), kind)
		if l.kinds != nil {
			for _, name := range []string{"upsell", "contraction", "renewal"} {
				l.kinds[path+".per_opportunity."+name] = "real"
			}
		}
	case SetSpec:
	default:
		return false
	}
	return true
}

// drawn says how often an input of distribution d at path is drawn: once
// (fixed), per trial, or per event (an account's ACV, an upsell's size).
func drawn(d dist.Dist, path string, t tag) string {
	switch {
	case d.Fixed():
		return "fixed"
	case strings.Contains(t.doc, "per event") || strings.Contains(t.doc, "drawn per account") || strings.HasSuffix(path, ".acv"):
		return "per-event"
	}
	return "per-trial"
}

// touchText writes a touch model and the CSM hours it takes an account a
// year.
func touchText(x TouchSpec) string {
	if x.Digital {
		return "digital (no CSM hours)"
	}
	total := 0.0
	var parts []string
	for _, m := range x.Meetings {
		total += m.PerYear * (m.Hours + m.Prep)
		parts = append(parts, fmt.Sprintf("%s %s × (%s h + %s h prep)", m.Name, trimFloat(m.PerYear), trimFloat(m.Hours), trimFloat(m.Prep)))
	}
	text := fmt.Sprintf("%s = %s h per account per year", strings.Join(parts, ", "), trimFloat(total))
	o := x.PerOpportunity
	for _, e := range []struct {
		h    Param
		what string
	}{{o.Upsell, "upsell opportunity"}, {o.Contraction, "contraction opportunity"}, {o.Renewal, "renewal"}} {
		switch {
		case e.h.D == nil || (e.h.D.Fixed() && e.h.D.Mean() == 0):
		case e.h.D.Fixed():
			text += fmt.Sprintf(", and %s h per %s", trimFloat(e.h.D.Mean()), e.what)
		default:
			text += fmt.Sprintf(", and %s h per %s", e.h.D, e.what)
		}
	}
	return text
}

// walkFields lists the fields of a format struct, leaving out those
// shown elsewhere and a segment's name (its path holds it).
func (l *lister) walkFields(v reflect.Value, path string) {
	for i := 0; i < v.NumField(); i++ {
		ft := fieldTag(v.Type().Field(i))
		if (path == "" && skipped[ft.name]) || (ft.name == "name" && strings.HasPrefix(path, "segments.")) || ft.name == "accounts_columns" || teamSkips(v, path, ft.name) {
			continue
		}
		if plainRatio(ft.name) {
			ft.kind = "real"
		}
		l.walk(v.Field(i), join(path, ft.name), ft)
	}
}

// walkList lists the items of a list: segments by name, correlations and
// plan steps on one line each, others by index.
func (l *lister) walkList(v reflect.Value, path string, t tag) {
	for i := 0; i < v.Len(); i++ {
		e := v.Index(i)
		switch x := e.Interface().(type) {
		case SegmentSpec:
			l.walk(e, path+"."+x.Name, t)
		case CorrelationSpec:
			l.add(fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("rank %s between %s", trimFloat(x.Rank), strings.Join(x.Between, " and ")), "fixed")
		case StepSpec:
			l.add(fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("%d CSMs from %s", x.CSMs, x.From), "fixed")
		default:
			l.walk(e, fmt.Sprintf("%s[%d]", path, i), t)
		}
	}
}

// number writes v in the units of its kind: 8%, $165,000, 0.25.
func (l *lister) number(v float64, kind string) string {
	if l.asYAML && kind == "money" {
		return trimFloat(sig12(v)) // a quantile's float noise (11999.999999999993) is no part of it
	}
	switch kind {
	case "prob", "frac", "rate":
		return trimFloat(math.Round(v*1e6)/1e4) + "%"
	case "money":
		return money(v, l.currency)
	}
	return trimFloat(v)
}

func (l *lister) dist(d dist.Dist, kind string) string {
	n := func(v float64) string { return l.number(v, kind) }
	if l.asYAML {
		return l.distYAML(d, n)
	}
	switch x := d.(type) {
	case dist.Const:
		return n(float64(x))
	case *dist.Beta:
		mean, sd := x.Params()
		return fmt.Sprintf("beta(mean %s, sd %s)", n(mean), n(sd))
	case *dist.PERT:
		lo, mode, hi := x.Params()
		return fmt.Sprintf("pert(min %s, mode %s, max %s)", n(lo), n(mode), n(hi))
	case *dist.Triangular:
		lo, mode, hi := x.Params()
		return fmt.Sprintf("triangular(min %s, mode %s, max %s)", n(lo), n(mode), n(hi))
	case *dist.Uniform:
		return fmt.Sprintf("uniform(%s to %s)", n(x.Min), n(x.Max))
	case *dist.LogNormal:
		return fmt.Sprintf("lognormal(median %s, p90 %s)", n(x.Quantile(0.5)), n(x.Quantile(0.9)))
	case *dist.Normal:
		mean, sd, lo, hi := x.Params()
		s := fmt.Sprintf("normal(mean %s, sd %s", n(mean), n(sd))
		if !math.IsInf(lo, -1) {
			s += ", min " + n(lo)
		}
		if !math.IsInf(hi, 1) {
			s += ", max " + n(hi)
		}
		return s + ")"
	case *dist.Empirical:
		vals := make([]string, 0, len(x.Values))
		for _, v := range x.Values {
			vals = append(vals, n(v))
		}
		if len(vals) > 8 {
			vals = append(vals[:8], "…")
		}
		return fmt.Sprintf("empirical(%d values: %s)", len(x.Values), strings.Join(vals, ", "))
	}
	return d.String()
}

// distYAML is a distribution as a scenario writes it, its numbers written
// by n; "" for one a scenario cannot write in one line (an empirical
// distribution's values come from a file).
func (l *lister) distYAML(d dist.Dist, n func(float64) string) string {
	m := func(name string, kv ...string) string {
		var parts []string
		for i := 0; i+1 < len(kv); i += 2 {
			parts = append(parts, kv[i]+": "+kv[i+1])
		}
		return "{" + name + ": {" + strings.Join(parts, ", ") + "}}"
	}
	switch x := d.(type) {
	case dist.Const:
		return n(float64(x))
	case *dist.Beta:
		mean, sd := x.Params()
		return m("beta", "mean", n(mean), "sd", n(sd))
	case *dist.PERT:
		lo, mode, hi := x.Params()
		return m("pert", "min", n(lo), "mode", n(mode), "max", n(hi))
	case *dist.Triangular:
		lo, mode, hi := x.Params()
		return m("triangular", "min", n(lo), "mode", n(mode), "max", n(hi))
	case *dist.Uniform:
		return m("uniform", "min", n(x.Min), "max", n(x.Max))
	case *dist.LogNormal:
		return m("lognormal", "median", n(x.Quantile(0.5)), "p90", n(x.Quantile(0.9)))
	case *dist.Normal:
		mean, sd, lo, hi := x.Params()
		kv := []string{"mean", n(mean), "sd", n(sd)}
		if !math.IsInf(lo, -1) {
			kv = append(kv, "min", n(lo))
		}
		if !math.IsInf(hi, 1) {
			kv = append(kv, "max", n(hi))
		}
		return m("normal", kv...)
	}
	return ""
}

// editTexts are the scenario's inputs by path, each written as an edit of
// the file takes it (lister.asYAML): what the workspace puts in the field
// of an input the file leaves to its default.
func (s *Scenario) editTexts() map[string]string {
	l := &lister{asYAML: true, currency: s.Currency}
	l.walk(reflect.ValueOf(s.Spec).Elem(), "", tag{})
	out := map[string]string{}
	for _, a := range l.out {
		out[a.Path] = a.Value
	}
	return out
}

// plainRatio reports fields that are ratios or multiples, shown as plain
// numbers although they may be written as percentages.
func plainRatio(name string) bool {
	return name == "ratio" || strings.HasSuffix(name, "_ratio") || strings.HasSuffix(name, "_factor") || strings.HasSuffix(name, "_point")
}

func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

var symbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£"}

// money writes an amount with thousands separators: $165,000.
func money(v float64, currency string) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	sign := ""
	if v < 0 {
		sign = "-"
	}
	if sym, ok := symbols[currency]; ok {
		return sign + sym + b.String()
	}
	return sign + b.String() + " " + currency
}
