package scenarios

import (
	"os"
	"strings"
	"testing"
)

// Editing Acme keeps its comments and key order, applies the edits (an
// input, an option's change), and validates; a bad value is refused at
// its path.
func TestWithKeepsComments(t *testing.T) {
	s, err := Load("examples/acme-company.yaml")
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile("examples/acme-company.yaml")
	n, data, err := s.With(map[string]string{
		"segments.enterprise.churn.annual": "{beta: {mean: 10%, sd: 2%}}",
		"options[0].set.team.plan":         "[{from: 2027-07, csms: 9}]",
	})
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, line := range strings.Split(string(orig), "\n") {
		if i := strings.Index(line, "# "); i >= 0 && !strings.Contains(text, strings.TrimSpace(line[i:])) {
			t.Errorf("comment lost: %q", strings.TrimSpace(line[i:]))
		}
	}
	if !strings.Contains(text, "annual: {beta: {mean: 10%, sd: 2%}}") || !strings.Contains(text, "team.plan: [{from: 2027-07, csms: 9}]") {
		t.Errorf("edits not in the YAML:\n%s", text)
	}
	if strings.Index(text, "segments:") > strings.Index(text, "acquisition:") {
		t.Error("key order changed")
	}
	if got := n.Options[1].Values[0]; got != "[{from: 2027-07, csms: 9}]" {
		t.Errorf("the option's change: %s", got)
	}
	if _, _, err := s.With(map[string]string{"segments.enterprise.churn.annual": "150%"}); err == nil || !strings.Contains(err.Error(), "churn") {
		t.Errorf("a churn of 150%% was accepted: %v", err)
	}
	if len(s.Controls()) < 20 {
		t.Errorf("only %d controls", len(s.Controls()))
	}
}

// An edit of a value the file shares through a YAML anchor is refused,
// at its path, rather than written at the anchor, where it would change
// every part that shares it.
func TestWithRefusesSharedValues(t *testing.T) {
	const doc = `name: Shared
start: 2027-01
segments:
  - name: a
    accounts: 10
    acv: 12k
    contract: &ct {term_months: 12, first_renewal: spread}
  - name: b
    accounts: 10
    acv: 12k
    contract: *ct
`
	s, err := Parse("shared.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"segments.b.contract.term_months", "segments.a.contract.term_months", "segments.b.contract.tenure_months"} {
		_, _, err := s.With(map[string]string{path: "24"})
		if err == nil || !strings.Contains(err.Error(), "shared through the YAML anchor &ct (line 7)") {
			t.Errorf("%s: %v", path, err)
		}
	}
	if _, data, err := s.With(map[string]string{"segments.b.accounts": "20"}); err != nil || !strings.Contains(string(data), "contract: *ct") {
		t.Errorf("an edit beside the shared value: %v\n%s", err, data)
	}
}

// A key the file leaves out goes after the whole of the mapping's last
// value, a string written over two lines included, never inside it.
func TestWithInsertsAfterAMultiLineValue(t *testing.T) {
	const doc = `name: Two-line description
start: 2027-01
segments:
  - name: a
    accounts: 10
    acv: 12k
options:
  - name: More
    set:
      segments.a.accounts: 20
    description: "From 10 to 20
      accounts."
`
	s, err := Parse("two.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	n, data, err := s.With(map[string]string{"fiscal_year_start": "4", "segments.a.contract.tenure_months": "6"})
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if n.FiscalYear != 4 || !strings.Contains(string(data), "\"From 10 to 20\n      accounts.\"\nfiscal_year_start: 4\n") {
		t.Errorf("fiscal year %d in:\n%s", n.FiscalYear, data)
	}
	if n.Options[1].Description != "From 10 to 20 accounts." {
		t.Errorf("the description became %q", n.Options[1].Description)
	}
}

// A file with CRLF line endings keeps them in the lines an edit adds.
func TestWithKeepsCRLF(t *testing.T) {
	doc := strings.ReplaceAll("name: CRLF\nstart: 2027-01\nsegments:\n  - name: a\n    accounts: 10\n    acv: 12k\n", "\n", "\r\n")
	s, err := Parse("crlf.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, data, err := s.With(map[string]string{"fiscal_year_start": "4", "segments.a.accounts": "20"})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n != strings.Count(string(data), "\r\n") || !strings.Contains(string(data), "fiscal_year_start: 4\r\n") {
		t.Errorf("line endings mixed:\n%q", data)
	}
}

// Every input written as an edit takes it (what a default's field holds)
// reads back as the value written: each kind of distribution, money and
// percentages.
func TestEditTextsRoundTrip(t *testing.T) {
	const doc = `name: Kinds
start: 2027-01
segments:
  - name: a
    accounts: 10
    acv: {lognormal: {median: 12000, p90: 30000}}
    churn: {annual: {beta: {mean: 10%, sd: 2%}}}
    upsell: {cadence: annual, probability: {uniform: {min: 10%, max: 30%}}, size: {triangular: {min: 5%, mode: 10%, max: 20%}}}
    price_increase: {normal: {mean: 4%, sd: 1%, min: 0%}}
team: {csms: 3, loaded_cost: 150000, attrition: {pert: {min: 10%, mode: 15%, max: 20%}}}
`
	s, err := Parse("kinds.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	edits := s.editTexts()
	for path, want := range map[string]string{
		"segments.a.acv":                "{lognormal: {median: 12000, p90: 30000}}",
		"segments.a.churn.annual":       "{beta: {mean: 10%, sd: 2%}}",
		"segments.a.upsell.probability": "{uniform: {min: 10%, max: 30%}}",
		"segments.a.upsell.size":        "{triangular: {min: 5%, mode: 10%, max: 20%}}",
		"segments.a.price_increase":     "{normal: {mean: 4%, sd: 1%, min: 0%}}",
		"team.loaded_cost":              "150000",
		"team.attrition":                "{pert: {min: 10%, mode: 15%, max: 20%}}",
	} {
		if got := edits[path]; got != want {
			t.Errorf("%s written as %q, want %q", path, got, want)
		}
	}
}
