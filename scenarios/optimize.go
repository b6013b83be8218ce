package scenarios

import (
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"csplan/results"

	"go.yaml.in/yaml/v3"
)

// OptimizeSpec is a scenario's optimize section: what csplan optimize
// chooses, what for, and under which conditions.
type OptimizeSpec struct {
	Objective   ObjectiveSpec    `yaml:"objective" doc:"What the best plan maximises or minimises"`
	Variables   []VariableSpec   `yaml:"variables" label:"decision variables" required:"true" doc:"The inputs the optimizer chooses, each with the values it may take"`
	Budget      *float64         `yaml:"budget" label:"CS budget a fiscal year" kind:"money" doc:"CS cost (salaries and hiring) at most this in every fiscal year of the horizon; a fiscal year the horizon cuts short at its share"`
	Constraints []ConstraintSpec `yaml:"constraints" label:"constraints" doc:"Conditions a plan must meet: on a metric's mean, or with probability on the share of trials"`
	Confidence  float64          `yaml:"confidence" label:"confidence of a constraint" kind:"prob" default:"95%" doc:"The one-sided confidence with which a constraint must hold, given the Monte Carlo error, for a plan to count as feasible"`
	Finalists   int              `yaml:"finalists" label:"finalists" kind:"int" default:"4" min:"1" max:"32" doc:"Plans compared on every trial at the end"`
	Survivors   int              `yaml:"survivors" label:"survivors of the screen" kind:"int" default:"16" min:"1" max:"256" doc:"Plans the expected-path screen passes to the Monte Carlo rounds"`
}

// ObjectiveSpec is the metric the optimizer improves.
type ObjectiveSpec struct {
	Metric    string `yaml:"metric" label:"objective" default:"contribution_total" doc:"A metric of results.json (contribution_total, gross_profit_total, valuation, ...)"`
	Goal      string `yaml:"goal" label:"goal" enum:"maximize,minimize" doc:"maximize or minimize; by default the metric's better way (more, or less of a cost)"`
	Statistic string `yaml:"statistic" label:"statistic" default:"mean" doc:"mean, or a percentile of the trials, p1 to p99 (p10: the plan whose bad years are best)"`
}

// VariableSpec is one decision: an input path and its values.
type VariableSpec struct {
	Path   string     `yaml:"path" label:"input" required:"true" doc:"An input as an option's set names it: team.csms, team.pools.NAME.csms, team.plan[2027-04].csms, segments.NAME.upsell.cadence"`
	Range  string     `yaml:"range" label:"range" doc:"Numbers FROM..TO[:STEP] (0..20, 6..14:2), or values separated by commas"`
	Values FlowValues `yaml:"values" label:"values" doc:"The values it may take, each as the scenario would write it (named alternatives: [digital, {kickoff: {per_year: 1, hours: 2}}])"`
}

// ConstraintSpec is a condition on a metric.
type ConstraintSpec struct {
	Metric      string   `yaml:"metric" label:"constrained metric" required:"true" doc:"A metric of results.json (grr_12m, coverage_mean, nrr_12m, ...)"`
	AtLeast     *float64 `yaml:"at_least" label:"at least" kind:"mult" doc:"The metric must be at least this"`
	AtMost      *float64 `yaml:"at_most" label:"at most" kind:"mult" doc:"The metric must be at most this"`
	Probability *float64 `yaml:"probability" label:"probability" kind:"prob" doc:"With it, a chance constraint: the share of trials that meet the bound must be at least this; without, the bound is on the mean"`
}

// FlowValues are YAML values, each kept as one line of flow-style YAML,
// the way an option's set and a sweep's range write a value: a list, or a
// mapping of named alternatives ({annual: {cadence: annual, ...}}), whose
// names the answer shows instead of the values.
type FlowValues struct {
	Names, Values []string
}

func (v *FlowValues) decodeNode(d *decoder, n *yaml.Node, path string, _ tag) {
	switch {
	case n.Kind == yaml.SequenceNode && len(n.Content) > 0:
		for _, c := range n.Content {
			text := flowText(c)
			v.Names, v.Values = append(v.Names, text), append(v.Values, text)
		}
	case n.Kind == yaml.MappingNode && len(n.Content) > 0:
		for i := 0; i+1 < len(n.Content); i += 2 {
			name := strings.TrimSpace(n.Content[i].Value)
			if name == "" || slices.Contains(v.Names, name) {
				d.errorf(n.Content[i], path, "each alternative needs a name of its own, found %q", name)
				continue
			}
			v.Names, v.Values = append(v.Names, name), append(v.Values, flowText(n.Content[i+1]))
		}
	default:
		d.errorf(n, path, "expected a list of the values the input may take, or a mapping of named alternatives, found %s", describe(n))
	}
}

// Optimization is a scenario's optimize section, checked: every variable's
// values expanded and each accepted by the scenario at its path.
type Optimization struct {
	Objective   Objective
	Variables   []Variable
	Constraints []Constraint
	Confidence  float64
	Finalists   int
	Survivors   int
}

// Objective is the metric to improve and how: its mean, or percentile
// Percentile (1 to 99) of the trials when Percentile > 0.
type Objective struct {
	Metric     string
	Maximize   bool
	Percentile int
}

// Statistic names what of the metric the objective takes: "mean", "p10".
func (o Objective) Statistic() string {
	if o.Percentile > 0 {
		return "p" + strconv.Itoa(o.Percentile)
	}
	return "mean"
}

// Variable is one decision and its values, as a scenario writes them,
// with the names the answer shows for them (the values themselves, unless
// the file named its alternatives).
type Variable struct {
	Path   string
	Values []string
	Names  []string
}

// Constraint kinds.
const (
	ConstraintMean   = "mean"   // the metric's mean meets the bound
	ConstraintChance = "chance" // the share of trials meeting it is at least Probability
	ConstraintBudget = "budget" // CS cost in every fiscal year at most Bound
)

// Constraint is a condition a plan must meet.
type Constraint struct {
	Kind        string
	Metric      string // for a budget, results.CSCostTotal
	AtMost      bool
	Bound       float64
	Probability float64 // of a chance constraint
}

// maxCandidates bounds the plans an optimization may compare: the product
// of its variables' values.
const maxCandidates = 10_000

var percentile = regexp.MustCompile(`^p([1-9][0-9]?)$`)

// ParseStatistic reads an objective's statistic: mean (0) or pNN (NN).
func ParseStatistic(s string) (int, string) {
	if s == "" || s == "mean" {
		return 0, ""
	}
	if m := percentile.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, ""
	}
	return 0, fmt.Sprintf("expected mean or a percentile p1 to p99 (p10), found %q", s)
}

// undefinedSometimes are the metrics that a trial may leave without a
// value (no opening book, no new logos).
var undefinedSometimes = map[string]bool{results.CLVBook: true, results.CLVNew: true}

// CheckMetric says what is wrong with a metric an optimization names, or
// "" when it is one of the catalogue's.
func CheckMetric(metric string) string {
	if undefinedSometimes[metric] {
		return fmt.Sprintf("%s has no value in a trial without such accounts, so it cannot be compared trial by trial; use %s", metric, results.CLV)
	}
	for _, m := range results.Metrics {
		if m.Key == metric {
			return ""
		}
	}
	var keys []string
	for _, m := range results.Metrics {
		if !undefinedSometimes[m.Key] {
			keys = append(keys, m.Key)
		}
	}
	return fmt.Sprintf("unknown metric %q; expected one of %s", metric, strings.Join(keys, ", "))
}

// CheckVariable tries each of a variable's values on the scenario at its
// path, and refuses a value given twice in two forms (10 and 10.0, 10%
// and 0.1), saying what is wrong ("" when nothing is).
func (s *Scenario) CheckVariable(v *Variable) string {
	if strings.HasPrefix(v.Path, "team.pools.") && (s.Spec.Team == nil || len(s.Spec.Team.Pools) == 0) {
		return fmt.Sprintf("names a pool, and %s has no team.pools; split the team into pools first (team.pools.NAME: {segments: [...], csms: N})", filepath.Base(s.Path))
	}
	canon := make([]any, len(v.Values))
	for i, val := range v.Values {
		canon[i] = canonical(val)
		for j := range i {
			if reflect.DeepEqual(canon[i], canon[j]) {
				return fmt.Sprintf("values %s and %s are the same value; give each once", v.Values[j], val)
			}
		}
	}
	for _, val := range v.Values {
		if _, err := s.Override(map[string]string{v.Path: val}); err != nil {
			msg := err.Error()
			if es, ok := err.(Errors); ok && len(es) > 0 {
				msg = es[0].Msg
			}
			return fmt.Sprintf("value %s: %s", val, msg)
		}
	}
	return ""
}

// CheckVariables refuses two variables on one input, or one inside the
// other, and more than maxCandidates combinations.
func CheckVariables(vars []Variable) string {
	n := 1
	for i, v := range vars {
		for _, w := range vars[:i] {
			if v.Path == w.Path || insidePath(v.Path, w.Path) || insidePath(w.Path, v.Path) {
				return fmt.Sprintf("%s and %s set the same input; choose each input once", w.Path, v.Path)
			}
		}
		n *= len(v.Values)
		if n > maxCandidates {
			return fmt.Sprintf("the variables' values combine into more than %s plans; give fewer values (a larger STEP or a narrower range)", thousands(maxCandidates))
		}
	}
	return ""
}

// insidePath reports whether path p lies inside path outer (team.plan
// inside team).
func insidePath(p, outer string) bool {
	return strings.HasPrefix(p, outer+".") || strings.HasPrefix(p, outer+"[")
}

// checkOptimize checks the scenario's optimize section, with each problem
// at its place in the file, and sets s.Optimize.
func (s *Scenario) checkOptimize(d *decoder, spec *OptimizeSpec) {
	const p = "optimize"
	o := &Optimization{Confidence: spec.Confidence, Finalists: spec.Finalists, Survivors: max(spec.Survivors, spec.Finalists)}
	o.Objective.Metric = spec.Objective.Metric
	if msg := CheckMetric(o.Objective.Metric); msg != "" {
		d.errorf(d.at(p+".objective.metric"), p+".objective.metric", "%s", msg)
	}
	o.Objective.Maximize = results.HigherIsBetter(o.Objective.Metric)
	if spec.Objective.Goal != "" {
		o.Objective.Maximize = spec.Objective.Goal == "maximize"
	}
	var msg string
	if o.Objective.Percentile, msg = ParseStatistic(spec.Objective.Statistic); msg != "" {
		d.errorf(d.at(p+".objective.statistic"), p+".objective.statistic", "%s", msg)
	}
	for i, vs := range spec.Variables {
		vp := fmt.Sprintf("%s.variables[%d]", p, i)
		v := Variable{Path: vs.Path}
		switch {
		case vs.Range != "" && len(vs.Values.Values) > 0:
			d.errorf(d.at(vp), vp, "give range or values, not both")
			continue
		case vs.Range != "":
			vals, err := ParseRange(vs.Range)
			if err != nil {
				d.errorf(d.at(vp+".range"), vp+".range", "%v", err)
				continue
			}
			v.Values, v.Names = vals, vals
		case len(vs.Values.Values) > 0:
			v.Values, v.Names = vs.Values.Values, vs.Values.Names
		default:
			d.errorf(d.at(vp), vp, "missing the values of %s: give range (0..20) or values ([monthly, annual])", vs.Path)
			continue
		}
		if msg := s.CheckVariable(&v); msg != "" {
			d.errorf(d.at(vp+".path"), vp+".path", "%s", msg)
			continue
		}
		o.Variables = append(o.Variables, v)
	}
	if msg := CheckVariables(o.Variables); msg != "" {
		d.errorf(d.at(p+".variables"), p+".variables", "%s", msg)
	}
	if len(spec.Variables) == 0 {
		d.errorf(d.at(p+".variables"), p+".variables", "expected at least one decision variable ({path: team.csms, range: 6..20}), found none")
	}
	if msg := CheckConfidence(o.Confidence); msg != "" {
		d.errorf(d.at(p+".confidence"), p+".confidence", "%s", msg)
	}
	if spec.Budget != nil && !(*spec.Budget > 0) {
		d.errorf(d.at(p+".budget"), p+".budget", "expected an amount above 0 (2.5M), found %s; leave budget out for none", trimFloat(*spec.Budget))
	}
	if spec.Budget != nil {
		o.Constraints = append(o.Constraints, Constraint{Kind: ConstraintBudget, Metric: results.CSCostTotal, AtMost: true, Bound: *spec.Budget})
	}
	for i, cs := range spec.Constraints {
		cp := fmt.Sprintf("%s.constraints[%d]", p, i)
		c, msg := NewConstraint(cs.Metric, cs.AtLeast, cs.AtMost, cs.Probability)
		if msg != "" {
			d.errorf(d.at(cp), cp, "%s", msg)
			continue
		}
		o.Constraints = append(o.Constraints, c)
	}
	s.Optimize = o
}

// CheckConfidence says what is wrong with a constraint's confidence: it
// must be from 50 % to below 100 %.
func CheckConfidence(c float64) string {
	if c >= 0.5 && c < 1 {
		return ""
	}
	return fmt.Sprintf("expected a confidence from 50%% to below 100%% (95%%), found %s%%", trimFloat(100*c))
}

// NewConstraint makes a constraint on metric, at least or at most a bound
// (exactly one), with a probability for a chance constraint; it says what
// is wrong otherwise.
func NewConstraint(metric string, atLeast, atMost, probability *float64) (Constraint, string) {
	if msg := CheckMetric(metric); msg != "" {
		return Constraint{}, msg
	}
	c := Constraint{Kind: ConstraintMean, Metric: metric}
	switch {
	case atLeast != nil && atMost != nil:
		return c, "expected one bound, at_least or at_most, found both (give two constraints for a range)"
	case atLeast == nil && atMost == nil:
		return c, "expected a bound, at_least or at_most, found neither"
	case atMost != nil:
		c.AtMost, c.Bound = true, *atMost
	default:
		c.Bound = *atLeast
	}
	if math.IsNaN(c.Bound) || math.IsInf(c.Bound, 0) {
		return c, fmt.Sprintf("expected a finite bound, found %v", c.Bound)
	}
	if probability != nil {
		if *probability <= 0 {
			return c, "a chance constraint's probability must be above 0%"
		}
		c.Kind, c.Probability = ConstraintChance, *probability
	}
	return c, ""
}

// canonical is a value written as one line of YAML, as YAML reads it with
// every number a float64 to twelve significant digits, percentages and
// the k and M suffixes read: so 10, 10.0 and 1e1 are one value, and so
// are 70% and 0.7.
func canonical(text string) any {
	var v any
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		return text
	}
	return canon(v)
}

// canon makes the numbers of a decoded YAML value comparable (canonical).
func canon(v any) any {
	switch x := v.(type) {
	case int:
		return sig12(float64(x))
	case float64:
		return sig12(x)
	case string:
		if f, ok := ReadNumber(x); ok && !math.IsNaN(f) && !math.IsInf(f, 0) && strings.ContainsAny(x, "%kKM") {
			return sig12(f)
		}
	case []any:
		for i := range x {
			x[i] = canon(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = canon(x[k])
		}
	}
	return v
}

// ReadNumber reads a number as a command line or a range writes it:
// plain, or with %, k (or K) or M: 70% is 0.7, 100k is 100000. NaN and
// infinities are numbers here; a caller that refuses them says so.
func ReadNumber(v string) (float64, bool) {
	mult := 1.0
	t := strings.TrimSpace(v)
	switch {
	case strings.HasSuffix(t, "%"):
		t, mult = strings.TrimSuffix(t, "%"), 0.01
	case strings.HasSuffix(t, "k"), strings.HasSuffix(t, "K"):
		t, mult = t[:len(t)-1], 1e3
	case strings.HasSuffix(t, "M"):
		t, mult = t[:len(t)-1], 1e6
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	return x * mult, err == nil
}

// sig12 rounds v to twelve significant digits.
func sig12(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return r
}
