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
