package results

import (
	"strings"
	"testing"
)

// A results.json cut short or edited is refused with what is missing, not
// rendered into a report with empty charts.
func TestUnmarshalRefusesWhatTheContractRequires(t *testing.T) {
	point := `[{"month": 1, "mean": 1, "p5": 1, "p25": 1, "p50": 1, "p75": 1, "p95": 1}]`
	sum := `{"mean": 1, "sd": 0, "p5": 1, "p25": 1, "p50": 1, "p75": 1, "p95": 1}`
	metrics := `{"arr_end": ` + sum + `, "revenue_total": ` + sum + `, "nrr_12m": ` + sum + `, "grr_12m": ` + sum + `, "logos_end": ` + sum + `}`
	series := `{"arr": ` + point + `, "mrr": ` + point + `, "logos": ` + point + `}`
	doc := func(horizon, option string) string {
		return `{"scenario": "s", "seed": 1, "trials": 1, "horizon_months": ` + horizon + `, "mode": "expected", "options": [` + option + `]}`
	}
	if _, err := Unmarshal([]byte(doc("1", `{"name": "Baseline", "metrics": `+metrics+`, "series": `+series+`}`))); err != nil {
		t.Fatalf("a complete file: %v", err)
	}
	for _, c := range []struct{ json, want string }{
		{doc("1", ""), "results has no options"},
		{doc("0", `{"name": "Baseline", "metrics": `+metrics+`, "series": `+series+`}`), "horizon_months 0"},
		{doc("1", `{"metrics": `+metrics+`, "series": `+series+`}`), "option 1 has no name"},
		{doc("1", `{"name": "Baseline", "series": `+series+`}`), `option "Baseline" has no metric arr_end`},
		{doc("1", `{"name": "Baseline", "metrics": `+metrics+`}`), `option "Baseline" has no series arr`},
	} {
		if _, err := Unmarshal([]byte(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error with %q", err, c.want)
		}
	}
}
