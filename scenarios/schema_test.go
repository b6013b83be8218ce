package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

const schemaURL = "csplan-scenario.schema.json"

// compileSchema compiles Schema() with a draft 2020-12 validator, which also
// checks the schema itself against the draft's meta-schema.
func compileSchema(t testing.TB) (*jsonschema.Compiler, any) {
	t.Helper()
	data, err := Schema()
	if err != nil {
		t.Fatalf("Schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatalf("AddResource: %v", err)
	}
	return c, doc
}

func scenarioSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	c, _ := compileSchema(t)
	sch, err := c.Compile(schemaURL)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return sch
}

// yamlInstance converts a YAML document into the JSON value the schema
// validates: mappings with string keys, numbers as json.Number.
func yamlInstance(t testing.TB, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("YAML: %v", err)
	}
	j, err := json.Marshal(jsonValue(v))
	if err != nil {
		t.Fatalf("YAML to JSON: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	return inst
}

func TestSchemaIsValidJSONSchema(t *testing.T) {
	data, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	if top["$schema"] != SchemaDialect {
		t.Errorf("$schema = %v, want %s", top["$schema"], SchemaDialect)
	}
	if !bytes.HasSuffix(data, []byte("}\n")) || !bytes.Contains(data, []byte("\n  \"")) {
		t.Errorf("schema is not indented JSON ending in a newline")
	}
	again, _ := Schema()
	if !bytes.Equal(data, again) {
		t.Errorf("Schema is not deterministic")
	}
	scenarioSchema(t)
}

// Every struct of the format is closed, and every field the loader knows is
// in the schema with its doc.
func TestSchemaCoversFormat(t *testing.T) {
	data, _ := Schema()
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	defs := top["$defs"].(map[string]any)
	check := func(where string, s map[string]any, names []string) {
		if s["additionalProperties"] != false {
			t.Errorf("%s: additionalProperties is %v, want false", where, s["additionalProperties"])
		}
		props := s["properties"].(map[string]any)
		if len(props) != len(names) {
			t.Errorf("%s: %d properties, format has %d", where, len(props), len(names))
		}
		for _, n := range names {
			p, ok := props[n].(map[string]any)
			if !ok {
				t.Errorf("%s: no property %q", where, n)
				continue
			}
			if p["description"] == nil {
				t.Errorf("%s.%s: no description", where, n)
			}
		}
	}
	check("root", top, fieldNames(reflect.TypeFor[File]()))
	for name, typ := range map[string]any{
		"Segment": SegmentSpec{}, "Churn": ChurnSpec{}, "Team": TeamSpec{}, "Meeting": MeetingSpec{},
		"Acquisition": AcquisitionSpec{}, "Option": OptionSpec{}, "Valuation": ValuationSpec{},
	} {
		d, ok := defs[name].(map[string]any)
		if !ok {
			t.Errorf("$defs has no %s", name)
			continue
		}
		check(name, d, fieldNames(reflect.TypeOf(typ)))
	}
	for _, want := range []string{"Month", "Renewal", "Curve", "Touch", "Set", "param.prob", "param.money"} {
		if defs[want] == nil {
			t.Errorf("$defs has no %s", want)
		}
	}
	for _, forms := range []string{"percent", "money", "plain"} {
		d, ok := defs["distribution."+forms].(map[string]any)
		if !ok {
			t.Errorf("$defs has no distribution.%s", forms)
			continue
		}
		props := d["properties"].(map[string]any)
		for _, name := range distNames {
			if props[name] == nil {
				t.Errorf("distribution.%s has no %s", forms, name)
			}
		}
		if len(props) != len(distNames) {
			t.Errorf("distribution.%s has %d distributions, the loader %d", forms, len(props), len(distNames))
		}
	}
	if req := top["required"]; !sameStrings(req, []string{"name", "start", "segments"}) {
		t.Errorf("root required = %v", req)
	}
	acq := top["properties"].(map[string]any)["acquisition"].(map[string]any)
	if acq["type"] != "object" || acq["additionalProperties"] == nil {
		t.Errorf("acquisition = %v, want an object with additionalProperties", acq)
	}
}

// Each default, as written in its tag, is valid against its own field's
// schema: the tags and the schema agree.
func TestSchemaDefaultsValidate(t *testing.T) {
	c, doc := compileSchema(t)
	top := doc.(map[string]any)
	n := 0
	visit := func(ptr string, s map[string]any) {
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			def, ok := p.(map[string]any)["default"]
			if !ok {
				continue
			}
			n++
			sch, err := c.Compile(schemaURL + "#" + ptr + "/properties/" + name)
			if err != nil {
				t.Errorf("%s.%s: %v", ptr, name, err)
				continue
			}
			if err := sch.Validate(def); err != nil {
				t.Errorf("%s.%s: default %v does not validate: %v", ptr, name, def, err)
			}
		}
	}
	visit("", top)
	for name, d := range top["$defs"].(map[string]any) {
		visit("/$defs/"+name, d.(map[string]any))
	}
	if n < 40 {
		t.Errorf("checked %d defaults, expected the format's 40 or more", n)
	}
}

func TestSchemaValidatesExamples(t *testing.T) {
	sch := scenarioSchema(t)
	files, err := filepath.Glob(filepath.Join("examples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(yamlInstance(t, data)); err != nil {
				t.Errorf("%s does not validate against the schema:\n%v", f, err)
			}
		})
	}
}

func TestSchemaValidatesStarter(t *testing.T) {
	sch := scenarioSchema(t)
	for _, segs := range starterSegmentLists {
		data, err := Starter(segs)
		if err != nil {
			t.Fatalf("Starter(%v): %v", segs, err)
		}
		if err := sch.Validate(yamlInstance(t, data)); err != nil {
			t.Errorf("Starter(%v) does not validate against the schema:\n%v", segs, err)
		}
	}
}

// A small valid scenario that the invalid cases below break one field at a
// time.
const schemaBase = `
name: Test
start: 2027-01
segments:
  - name: core
    accounts: 10
    acv: 36k
    churn: {annual: {beta: {mean: 8%, sd: 2%}}}
    upsell: {cadence: monthly, probability: 3%, size: {uniform: {min: 2%, max: 10%}}}
    touch:
      ebr: {per_year: 4, hours: 2, prep: 4}
team: {csms: 3, plan: [{from: 2027-04, csms: 2}]}
acquisition:
  core: {per_month: 1.5}
coverage_response:
  churn: [[0, 2.0], [1, 1]]
options:
  - name: Cut
    set: {team.csms: 2}
`

func TestSchemaRejectsInvalid(t *testing.T) {
	sch := scenarioSchema(t)
	if err := sch.Validate(yamlInstance(t, []byte(schemaBase))); err != nil {
		t.Fatalf("base document is invalid: %v", err)
	}
	if _, err := Parse("base.yaml", []byte(schemaBase), nil); err != nil {
		t.Fatalf("base document does not load: %v", err)
	}
	cases := []struct{ name, from, to string }{
		{"unknown root field", "name: Test", "name: Test\nhorizon: 36"},
		{"unknown segment field", "accounts: 10", "accounts: 10\n    acounts: 10"},
		{"unknown team field", "csms: 3", "csms: 3, size: 4"},
		{"wrong enum", "start: 2027-01", "start: 2027-01\nmode: fast"},
		{"wrong cadence", "cadence: monthly", "cadence: weekly"},
		{"missing name", "name: Test\n", ""},
		{"missing meeting hours", "hours: 2, ", ""},
		{"unknown distribution", "beta: {mean", "gamma: {mean"},
		{"two distributions", "{beta: {mean: 8%, sd: 2%}}", "{beta: {mean: 8%, sd: 2%}, pert: {min: 1%, mode: 2%, max: 3%}}"},
		{"unknown distribution parameter", "sd: 2%", "stdev: 2%"},
		{"missing distribution parameter", "{min: 2%, max: 10%}", "{min: 2%}"},
		{"percent where money is expected", "acv: 36k", "acv: 36%"},
		{"words for a number", "acv: 36k", "acv: lots"},
		{"probability above 1", "probability: 3%", "probability: 3"},
		{"negative count", "accounts: 10", "accounts: -10"},
		{"fraction for a count", "csms: 3,", "csms: 3.5,"},
		{"month out of range", "2027-04", "2027-13"},
		{"bad renewal", "accounts: 10", "accounts: 10\n    contract: {first_renewal: sometimes}"},
		{"bad touch", "touch:\n      ebr: {per_year: 4, hours: 2, prep: 4}", "touch: phone"},
		{"curve with one point", "[[0, 2.0], [1, 1]]", "[[0, 2.0]]"},
		{"curve point of three", "[1, 1]]", "[1, 1, 1]]"},
		{"acquisition not a mapping", "core: {per_month: 1.5}", "core: 1.5"},
		{"empty set", "set: {team.csms: 2}", "set: {}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(schemaBase, c.from) {
				t.Fatalf("base has no %q", c.from)
			}
			doc := strings.Replace(schemaBase, c.from, c.to, 1)
			if err := sch.Validate(yamlInstance(t, []byte(doc))); err == nil {
				t.Errorf("schema accepts:\n%s", doc)
			}
			// The loader rejects it too: the schema is no stricter than
			// the format on these.
			if _, err := Parse("case.yaml", []byte(doc), nil); err == nil {
				t.Errorf("loader accepts what the schema rejects:\n%s", doc)
			}
		})
	}
}

func sameStrings(v any, want []string) bool {
	got, ok := v.([]any)
	if !ok || len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// The schema's months are the loader's: from FirstYear-01 to LastYear-12.
func TestSchemaMonthPattern(t *testing.T) {
	re := regexp.MustCompile(monthPattern)
	for y := FirstYear - 101; y <= LastYear+101; y++ {
		for _, mo := range []string{"01", "12"} {
			s := fmt.Sprintf("%04d-%s", y, mo)
			if got, want := re.MatchString(s), CheckYear(y) == ""; got != want {
				t.Errorf("%s: the schema says %v, the loader %v", s, got, want)
			}
		}
	}
}
