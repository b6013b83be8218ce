package scenarios

import (
	"testing"

	"csplan/sim"
)

// team.pools: each pool serves its segments, takes the team's fields it
// does not give, and names its uncertain inputs by its path.
func TestPools(t *testing.T) {
	const doc = `name: Pools
start: 2027-01
segments:
  - name: enterprise
    accounts: 50
    acv: 100k
    touch: {monthly: {per_year: 12, hours: 2}}
  - name: mid-market
    accounts: 200
    acv: 36k
    touch: {monthly: {per_year: 12, hours: 1}}
  - name: smb
    accounts: 900
    acv: 6k
    touch: digital
team:
  loaded_cost: {pert: {min: 140k, mode: 150k, max: 170k}}
  ramp_months: 4
  pools:
    mid: {segments: [mid-market], csms: 2, plan: [{from: 2027-04, csms: 1}]}
    ent: {segments: [enterprise], csms: 1, loaded_cost: 180k, assignment: even}
options:
  - name: Move a CSM
    set:
      team.pools.ent.csms: 2
      team.pools.mid.csms: 1
`
	s, err := Parse("pools.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := s.Options[0].Model
	if len(m.Pools) != 2 || m.Team.CSMs != 0 {
		t.Fatalf("%d pools, team %+v", len(m.Pools), m.Team)
	}
	ent, mid := m.Pools[0], m.Pools[1] // in name order
	if ent.Name != "ent" || len(ent.Segments) != 1 || ent.Segments[0] != 0 || mid.Name != "mid" || mid.Segments[0] != 1 {
		t.Errorf("pools %+v %+v", ent, mid)
	}
	if ent.Team.CSMs != 1 || ent.Team.LoadedCost.Dist.Mean() != 180000 || ent.Team.RampMonths != 4 || ent.Team.Assignment != sim.Even {
		t.Errorf("enterprise pool: %+v", ent.Team)
	}
	if mid.Team.LoadedCost.Name != "team.pools.mid.loaded_cost" || mid.Team.LoadedCost.Dist.Fixed() || len(mid.Team.Plan) != 1 || mid.Team.Plan[0].CSMs != 1 {
		t.Errorf("mid-market pool: the team's uncertain loaded cost under its own name, its plan: %+v", mid.Team)
	}
	moved := s.Options[1].Model
	if moved.Pools[0].Team.CSMs != 2 || moved.Pools[1].Team.CSMs != 1 {
		t.Errorf("the option moves a CSM between pools: %d and %d", moved.Pools[0].Team.CSMs, moved.Pools[1].Team.CSMs)
	}
}
