package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
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
	name, body, ok := distForm(d, n, path, k)
	if !ok {
		return
	}
	dpath := path + "." + name
	var made dist.Dist
	var desc string // the distribution as written
	if name == "empirical" {
		made, desc, ok = decodeEmpirical(d, body, dpath, k)
	} else {
		made, desc, ok = decodeParametric(d, name, body, dpath, k)
	}
	if !ok {
		return
	}
	if msg := outOfRange(name, desc, made, k); msg != "" {
		d.errorf(body, dpath, "%s", msg)
		return
	}
	if msg := tooLarge(desc, made, k); msg != "" {
		d.errorf(body, dpath, "%s", msg)
		return
	}
	p.D = made
}

// distForm reads the one key of a distribution, its name, and the body
// holding its parameters.
func distForm(d *decoder, n *yaml.Node, path string, k kind) (name string, body *yaml.Node, ok bool) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "expected %s, or a distribution such as {beta: {mean: 8%%, sd: 2%%}}, found %s", k.expected, describe(n))
		return "", nil, false
	}
	if len(n.Content) != 2 {
		found := describe(n)
		if len(n.Content) > 0 {
			var keys []string
			for i := 0; i < len(n.Content); i += 2 {
				keys = append(keys, deref(n.Content[i]).Value)
			}
			found = "the keys " + strings.Join(keys, ", ")
		}
		d.errorf(n, path, "a distribution is a mapping with one key, its name (%s), holding its parameters, as in {beta: {mean: 8%%, sd: 2%%}}; found %s",
			strings.Join(distNames, ", "), found)
		return "", nil, false
	}
	key := deref(n.Content[0])
	if !slices.Contains(distNames, key.Value) {
		d.errorf(key, path+"."+key.Value, "unknown distribution%s", choices(key.Value, distNames))
		return "", nil, false
	}
	return key.Value, deref(n.Content[1]), true
}

// paramKind is the kind of a distribution's parameters in a field of
// kind k: they may be written in the field's units (8%, 100k), and their
// range is checked on the distribution as a whole.
func paramKind(k kind) kind {
	pk := k
	pk.lo, pk.hi, pk.openLo, pk.integer = math.Inf(-1), math.Inf(1), false, false
	pk.expected = "a number"
	return pk
}

// decodeEmpirical reads an empirical distribution: a list of observed
// values. It returns it and how it is written in messages.
func decodeEmpirical(d *decoder, body *yaml.Node, dpath string, k kind) (dist.Dist, string, bool) {
	if body.Kind != yaml.SequenceNode || len(body.Content) == 0 {
		d.errorf(body, dpath, "expected a list of observed values, such as [6%%, 8%%, 11%%], found %s", describe(body))
		return nil, "", false
	}
	pk := paramKind(k)
	vals := make([]float64, len(body.Content))
	ok := true
	for i, c := range body.Content {
		c = deref(c)
		v, msg := parseNumber(c, pk)
		if msg != "" {
			d.errorf(c, fmt.Sprintf("%s[%d]", dpath, i), "%s", msg)
			ok = false
		}
		vals[i] = v
	}
	if !ok {
		return nil, "", false
	}
	e, err := dist.NewEmpirical(vals)
	if err != nil {
		d.errorf(body, dpath, "%v", err)
		return nil, "", false
	}
	return e, fmt.Sprintf("empirical(%s to %s)", k.format(e.Values[0]), k.format(e.Values[len(e.Values)-1])), true
}

// decodeParametric reads a distribution given by named parameters and
// builds it, reporting impossible parameters at the one at fault. It
// returns it and how it is written in messages.
func decodeParametric(d *decoder, name string, body *yaml.Node, dpath string, k kind) (dist.Dist, string, bool) {
	vals, at, ok := decodeParams(d, name, body, dpath, paramKind(k))
	if !ok {
		return nil, "", false
	}
	made, bad, msg := makeDist(name, vals, k)
	if msg != "" {
		where, wpath := body, dpath
		if at[bad] != nil {
			where, wpath = at[bad], dpath+"."+bad
		}
		d.errorf(where, wpath, "%s", msg)
		return nil, "", false
	}
	var ps []string
	for _, f := range distFields[name] {
		if n, ok := at[f]; ok {
			ps = append(ps, f+" "+n.Value)
		}
	}
	return made, name + "(" + strings.Join(ps, ", ") + ")", true
}

// decodeParams reads the mapping of a distribution's parameters: their
// values, in the units of kind pk, and the nodes they were read from.
func decodeParams(d *decoder, name string, body *yaml.Node, dpath string, pk kind) (map[string]float64, map[string]*yaml.Node, bool) {
	if body.Kind != yaml.MappingNode {
		d.errorf(body, dpath, "expected a mapping of the parameters %s, found %s", strings.Join(distFields[name], ", "), describe(body))
		return nil, nil, false
	}
	vals := map[string]float64{}
	at := map[string]*yaml.Node{}
	ok := true
	for i := 0; i+1 < len(body.Content); i += 2 {
		fk := deref(body.Content[i])
		fv := deref(body.Content[i+1])
		fp := dpath + "." + fk.Value
		if !slices.Contains(distFields[name], fk.Value) {
			d.errorf(fk, fp, "unknown parameter of %s%s", name, choices(fk.Value, distFields[name]))
			ok = false
			continue
		}
		if _, dup := vals[fk.Value]; dup {
			d.errorf(fk, fp, "parameter is given twice (first on line %d); remove one", at[fk.Value].Line)
			ok = false
			continue
		}
		v, msg := parseNumber(fv, pk)
		if msg != "" {
			d.errorf(fv, fp, "%s", msg)
			ok = false
		}
		vals[fk.Value], at[fk.Value] = v, fv
	}
	return vals, at, ok
}

// tooLarge holds a distribution to the bound on numbers as written (1e15
// for money): a distribution whose 99.9th percentile or mean is above it
// is a slip as a plain number would be, and draws from it overflow the
// run (a lognormal with median 1 and p90 1e15 has a mean of 1e67).
func tooLarge(desc string, made dist.Dist, k kind) string {
	if k.most == 0 {
		return ""
	}
	bound := fmt.Sprintf("1e%.0f", math.Log10(k.most))
	q, mean := made.Quantile(0.999), made.Mean()
	switch {
	case !(q <= k.most):
		return fmt.Sprintf("%s reaches %s at its 99.9th percentile, but this field takes at most %s (larger is a slip, and overflows the run); narrow it", desc, sci(q), bound)
	case !(mean <= k.most):
		return fmt.Sprintf("%s has a mean of %s, but this field takes at most %s (larger is a slip, and overflows the run); narrow it", desc, sci(mean), bound)
	}
	return ""
}

// outOfRange explains how a distribution leaves the range of its field, and
// what to change, or returns "".
func outOfRange(name, desc string, made dist.Dist, k kind) string {
	lo, hi := made.Support()
	what, _, _ := strings.Cut(k.expected, " (")
	var how []string
	switch {
	case k.contains(lo):
	case math.IsInf(lo, -1):
		how = append(how, "has no lower bound")
	default:
		how = append(how, "goes down to "+k.format(lo))
	}
	switch {
	case k.contains(hi):
	case math.IsInf(hi, 1):
		how = append(how, "has no upper bound")
	default:
		how = append(how, "goes up to "+k.format(hi))
	}
	switch {
	case len(how) == 0:
		return ""
	case len(how) == 2 && math.IsInf(lo, -1) && math.IsInf(hi, 1):
		how = []string{"has no bounds"}
	}
	fix := "pick a distribution that stays in that range"
	switch name {
	case "normal":
		switch {
		case k.name == "prob":
			fix = "give it min and max within that range (min: 0%, max: 100%), or use beta, which stays between 0% and 100%"
		case !k.contains(lo) && !k.contains(hi):
			fix = "give it min and max within that range"
		case !k.contains(lo):
			fix = "give it a min within that range"
		default:
			fix = "give it a max within that range"
		}
	case "uniform", "pert", "triangular":
		fix = "keep its min and max within that range"
	case "empirical":
		fix = "remove the values outside that range"
	case "lognormal":
		if k.name == "prob" {
			fix = "use beta or pert, which stay between 0% and 100%"
		}
	}
	return fmt.Sprintf("%s %s, but this field expects %s; %s", desc, strings.Join(how, " and "), what, fix)
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

// makeDist builds a distribution from its named parameters, written in the
// units of kind k. When the parameters are impossible it returns the
// parameter at fault ("" for the whole) and a message in those units.
func makeDist(name string, v map[string]float64, k kind) (dist.Dist, string, string) {
	if msg := missingParams(name, v); msg != "" {
		return nil, "", msg
	}
	switch name {
	case "beta":
		return makeBeta(v, k)
	case "pert", "triangular":
		return makeThreePoint(name, v, k)
	case "uniform":
		if v["min"] >= v["max"] {
			return nil, "max", fmt.Sprintf("uniform max must be above min, found min %s and max %s", k.format(v["min"]), k.format(v["max"]))
		}
		return built(dist.NewUniform(v["min"], v["max"]))
	case "lognormal":
		return makeLogNormal(v, k)
	case "normal":
		return makeNormal(v, k)
	}
	return nil, "", ""
}

// missingParams says which parameters a distribution lacks, or that a
// lognormal mixes its two forms; "" when it has what it needs.
func missingParams(name string, v map[string]float64) string {
	if name == "lognormal" && hasAny(v, "mean", "sd") && hasAny(v, "median", "p90") {
		return "lognormal takes median and p90, or mean and sd, not both"
	}
	var need []string
	switch name {
	case "beta", "normal":
		need = []string{"mean", "sd"}
	case "pert", "triangular":
		need = []string{"min", "mode", "max"}
	case "uniform":
		need = []string{"min", "max"}
	case "lognormal":
		need = []string{"median", "p90"}
		if hasAny(v, "mean", "sd") {
			need = []string{"mean", "sd"}
		}
	}
	var missing []string
	for _, p := range need {
		if _, ok := v[p]; !ok {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Sprintf("%s needs %s; add %s", name, andList(need), andList(missing))
	}
	return ""
}

// built is makeDist's answer for a distribution from its constructor.
func built(d dist.Dist, err error) (dist.Dist, string, string) {
	if err != nil {
		return nil, "", err.Error()
	}
	return d, "", ""
}

// makeBeta builds a beta distribution from its mean and sd.
func makeBeta(v map[string]float64, k kind) (dist.Dist, string, string) {
	f := k.format
	m, sd := v["mean"], v["sd"]
	switch max := dist.MaxBetaSD(m); {
	case m <= 0 || m >= 1:
		return nil, "mean", fmt.Sprintf("beta mean must be above 0%% and below 100%%, found %s", f(m))
	case sd <= 0:
		return nil, "sd", fmt.Sprintf("beta sd must be above 0, found %s; for a certain value write the number alone", f(sd))
	case sd >= max:
		return nil, "sd", fmt.Sprintf("beta sd %s is too large for a mean of %s: the largest sd a beta with that mean can have is %s (the square root of mean × (1 − mean)), and an sd near it piles the values at 0%% and 100%%",
			f(sd), f(m), k.format(floor3(max)))
	}
	return built(dist.NewBeta(m, sd))
}

// makeThreePoint builds a pert or triangular distribution from min, mode
// and max.
func makeThreePoint(name string, v map[string]float64, k kind) (dist.Dist, string, string) {
	f := k.format
	lo, mode, hi := v["min"], v["mode"], v["max"]
	switch {
	case lo >= hi:
		return nil, "max", fmt.Sprintf("%s max must be above min, found min %s and max %s", name, f(lo), f(hi))
	case mode < lo || mode > hi:
		return nil, "mode", fmt.Sprintf("%s mode (the most likely value) must lie between min %s and max %s, found %s", name, f(lo), f(hi), f(mode))
	}
	if name == "pert" {
		return built(dist.NewPERT(lo, mode, hi))
	}
	return built(dist.NewTriangular(lo, mode, hi))
}

// makeLogNormal builds a lognormal distribution from its median and p90,
// or from its mean and sd.
func makeLogNormal(v map[string]float64, k kind) (dist.Dist, string, string) {
	f := k.format
	if _, ok := v["mean"]; ok {
		if v["mean"] <= 0 || v["sd"] <= 0 {
			return nil, "", fmt.Sprintf("lognormal mean and sd must be above 0, found mean %s and sd %s", f(v["mean"]), f(v["sd"]))
		}
		return built(dist.NewLogNormalMeanSD(v["mean"], v["sd"]))
	}
	median, p90 := v["median"], v["p90"]
	switch {
	case median <= 0:
		return nil, "median", fmt.Sprintf("lognormal median must be above 0, found %s", f(median))
	case p90 <= median:
		return nil, "p90", fmt.Sprintf("lognormal p90 (the value 9 in 10 draws stay below) must be above the median %s, found %s", f(median), f(p90))
	}
	return built(dist.NewLogNormalMedianP90(median, p90))
}

// makeNormal builds a normal distribution, truncated to min and max when
// they are given.
func makeNormal(v map[string]float64, k kind) (dist.Dist, string, string) {
	f := k.format
	lo, hi := math.Inf(-1), math.Inf(1)
	if x, ok := v["min"]; ok {
		lo = x
	}
	if x, ok := v["max"]; ok {
		hi = x
	}
	switch {
	case v["sd"] <= 0:
		return nil, "sd", fmt.Sprintf("normal sd must be above 0, found %s; for a certain value write the number alone", f(v["sd"]))
	case lo >= hi:
		return nil, "max", fmt.Sprintf("normal max must be above min, found min %s and max %s", f(lo), f(hi))
	}
	return built(dist.NewNormal(v["mean"], v["sd"], lo, hi))
}

// andList writes a, b and c.
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func hasAny(v map[string]float64, keys ...string) bool {
	for _, k := range keys {
		if _, ok := v[k]; ok {
			return true
		}
	}
	return false
}

// floor3 rounds v > 0 down to three significant digits, so a bound stated
// in a message is itself allowed.
func floor3(v float64) float64 {
	p := math.Pow(10, 2-math.Floor(math.Log10(v)))
	return math.Floor(v*p) / p
}

// MonthRef is a month written as YYYY-MM or as a 1-based month number of the
// simulation.
type MonthRef struct {
	Calendar time.Time // zero unless written as YYYY-MM
	Index    int       // 0 unless written as a number
}

var yearMonth = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)

// The years of every calendar month csplan reads, in a scenario (start,
// plan), a history or costs: a year outside them is a typing mistake, and
// within them every simulated month (up to 240 after the start) is a date
// that a spreadsheet and a chart can show.
const (
	FirstYear = 1900
	LastYear  = 2199
)

// CheckYear says why year y is out of range, or returns "".
func CheckYear(y int) string {
	if y >= FirstYear && y <= LastYear {
		return ""
	}
	return fmt.Sprintf("year %d is out of range; write a month from %d-01 to %d-12", y, FirstYear, LastYear)
}

func (m *MonthRef) decodeNode(d *decoder, n *yaml.Node, path string, _ tag) {
	if n.Kind == yaml.ScalarNode {
		if ym := yearMonth.FindStringSubmatch(n.Value); ym != nil {
			y, _ := strconv.Atoi(ym[1])
			mo, _ := strconv.Atoi(ym[2])
			if mo < 1 || mo > 12 {
				d.errorf(n, path, "there is no month %d: write the month as YYYY-MM with MM from 01 to 12, found %s", mo, describe(n))
				return
			}
			if msg := CheckYear(y); msg != "" {
				d.errorf(n, path, "%s, found %s", msg, describe(n))
				return
			}
			m.Calendar = time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
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

// CurveSpec is a piecewise linear curve given as [[x, y], ...]. A y may be
// a distribution (YD holds each y as written, a constant for a number; Y
// its mean).
type CurveSpec struct {
	X, Y []float64
	YD   []dist.Dist
	node *yaml.Node
}

func (c *CurveSpec) decodeNode(d *decoder, n *yaml.Node, path string, _ tag) {
	c.node = n
	if n.Kind != yaml.SequenceNode || len(n.Content) < 2 {
		found := describe(n)
		switch {
		case n.Kind != yaml.SequenceNode || len(n.Content) == 0:
		case deref(n.Content[0]).Kind == yaml.ScalarNode:
			found = "a list of one number, not of points"
		default:
			found = "only one point; a curve joins two or more"
		}
		d.errorf(n, path, "expected a list of at least two [x, y] points, such as [[0, 2.0], [1, 1.0]], found %s", found)
		return
	}
	k := kinds["mult"]
	for i, pt := range n.Content {
		pt = deref(pt)
		p := fmt.Sprintf("%s[%d]", path, i)
		if pt.Kind != yaml.SequenceNode || len(pt.Content) != 2 {
			d.errorf(pt, p, "expected a point [x, y], found %s", describe(pt))
			continue
		}
		xn, yn := deref(pt.Content[0]), deref(pt.Content[1])
		if _, seen := d.nodes[p]; !seen {
			d.nodes[p] = yn // the builder's errors about a point's multiplier
		}
		x, msg := parseNumber(xn, k)
		if msg != "" {
			d.errorf(xn, p, "%s", msg)
			continue
		}
		var y Param // a number, or a distribution drawn once per trial
		y.decodeNode(d, yn, p, tag{kind: k.name})
		if y.D == nil {
			continue
		}
		if len(c.X) > 0 && x <= c.X[len(c.X)-1] {
			d.errorf(pt, p, "points must be in increasing order of their first number, found %s after %s", fmtBound(x), fmtBound(c.X[len(c.X)-1]))
			continue
		}
		c.X, c.Y, c.YD = append(c.X, x), append(c.Y, y.D.Mean()), append(c.YD, y.D)
	}
}

// TouchSpec is the CS touch model of a segment.
type TouchSpec struct {
	Digital  bool
	Meetings []NamedMeeting
	// PerOpportunity are hours per opportunity and per renewal, under the
	// reserved key per_opportunity.
	PerOpportunity OpportunitySpec
}

// OpportunitySpec are the CSM hours a motion takes per account each time.
type OpportunitySpec struct {
	Upsell      Param `yaml:"upsell" label:"CSM hours per upsell opportunity" unit:"h" kind:"real" default:"0" doc:"CSM hours per account for each upsell opportunity, a monthly motion 12 times a year (per trial)"`
	Contraction Param `yaml:"contraction" label:"CSM hours per contraction opportunity" unit:"h" kind:"real" default:"0" doc:"CSM hours per account for each contraction opportunity (per trial)"`
	Renewal     Param `yaml:"renewal" label:"CSM hours per renewal" unit:"h" kind:"real" default:"0" doc:"CSM hours per account for each renewal (per trial)"`
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
		k := deref(n.Content[i])
		p := path + "." + k.Value
		if k.Value == "per_opportunity" {
			d.decode(n.Content[i+1], reflect.ValueOf(&t.PerOpportunity).Elem(), p, tag{})
			continue
		}
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

// within reports whether the dotted path p lies inside the path outer.
func within(p, outer string) bool { return strings.HasPrefix(p, outer+".") }

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
		k := deref(n.Content[i])
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, path, "expected a path, found %s", describe(k))
			continue
		}
		if j := slices.IndexFunc(s.Keys, func(x *yaml.Node) bool { return x.Value == k.Value }); j >= 0 {
			d.errorf(k, path+"."+k.Value, "the path is given twice (first on line %d); remove one", s.Keys[j].Line)
			continue
		}
		// A path inside another one of the option: which wins would
		// depend on the order of the lines.
		if j := slices.IndexFunc(s.Keys, func(x *yaml.Node) bool { return within(k.Value, x.Value) || within(x.Value, k.Value) }); j >= 0 {
			other := s.Keys[j]
			how := fmt.Sprintf("which sets all of %s, %s included", other.Value, k.Value)
			outer, inner := other.Value, k.Value
			if within(other.Value, k.Value) {
				how = fmt.Sprintf("a part of %s, which this line sets whole", k.Value)
				outer, inner = inner, outer
			}
			d.errorf(k, path+"."+k.Value, "conflicts with %s on line %d, %s: which value wins would depend on the order of the lines; give %s once, either inside %s: {...} or on its own",
				other.Value, other.Line, how, inner, outer)
			continue
		}
		s.Keys, s.Values = append(s.Keys, k), append(s.Values, n.Content[i+1])
	}
}
