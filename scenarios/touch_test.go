package scenarios

import (
	"strings"
	"testing"
)

// touch.per_opportunity gives each motion's hours per account, which the
// segment's yearly hours count at the motion's cadence.
func TestTouchPerOpportunity(t *testing.T) {
	const doc = `name: Hours per opportunity
start: 2027-01
segments:
  - name: mm
    accounts: 10
    acv: 36k
    upsell: {cadence: monthly, probability: 3%, size: 10%}
    touch:
      monthly_meeting: {per_year: 12, hours: 1}
      per_opportunity: {upsell: 0.5, renewal: 2}
`
	s, err := Parse("hours.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	seg := s.Options[0].Model.Segments[0]
	if o := seg.OpportunityHours; o.Upsell.Dist.Mean() != 0.5 || o.Renewal.Dist.Mean() != 2 || o.Contraction.Dist.Mean() != 0 || o.Upsell.Name != "segments.mm.touch.per_opportunity.upsell" {
		t.Errorf("hours per opportunity %+v", o)
	}
	if got, want := seg.HoursPerAccount(), 12+12*0.5+2.0; got != want {
		t.Errorf("%v hours per account a year, want %v", got, want)
	}
	bad := strings.Replace(doc, "upsell: 0.5", "upsell: -1", 1)
	if _, err := Parse("hours.yaml", []byte(bad), nil); err == nil || !strings.Contains(err.Error(), "hours.yaml:10:") || !strings.Contains(err.Error(), "per_opportunity.upsell") {
		t.Errorf("negative hours: %v", err)
	}
}
