package scenarios

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"csplan/internal/csvfile"
	"csplan/internal/rng"
	"csplan/sim"
	"csplan/sim/dist"

	"go.yaml.in/yaml/v3"
	"gonum.org/v1/gonum/mat"
)

// builder turns a decoded File into a sim.Model, checking the rules that
// span fields (a segment needs an ACV for its accounts, a response curve
// must be monotone, ...). Errors are reported through the decoder, at the
// node of the field concerned.
type builder struct {
	d        *decoder
	f        *File
	readFile func(string) ([]byte, error)
	inputs   map[string]dist.Dist // per-trial assumptions by name, for correlations
	// files are the accounts files with a segment column, by name: the
	// segments that read each and the segment values of its rows.
	files map[string]*accountsUse
}

// accountsUse is how the segments use one accounts file with a segment
// column.
type accountsUse struct {
	path    string          // the first segment's accounts_file, for errors
	readers map[string]bool // the segments that read it
	values  map[string]bool // the segment values of its rows
}

func (b *builder) errorf(path, format string, args ...any) {
	b.d.errorf(b.d.at(path), path, format, args...)
}

// assume names a per-trial assumption after its path in the scenario.
func (b *builder) assume(name string, p Param) sim.Assumption {
	if b.inputs == nil {
		b.inputs = map[string]dist.Dist{}
	}
	b.inputs[name] = p.D
	return sim.Assumption{Name: name, Dist: p.D}
}

// model builds the baseline model of the file.
func (b *builder) model() sim.Model {
	f := b.f
	m := sim.Model{Horizon: f.HorizonMonths}
	b.checkTitle()
	if len(f.Segments) == 0 {
		b.errorf("segments", "the list is empty; a scenario needs at least one segment")
	}
	seen := map[string]int{}   // by name
	folded := map[string]int{} // by name as a person reads it
	for i := range f.Segments {
		p := fmt.Sprintf("segments[%d]", i)
		b.checkSegmentName(p, i, folded)
		seen[f.Segments[i].Name] = i
		m.Segments = append(m.Segments, b.segment(p, &f.Segments[i]))
	}
	b.checkAccountsSegments()
	for _, name := range sortedKeys(f.Acquisition) {
		i, ok := seen[name]
		if !ok {
			b.d.errorf(b.d.nodes["acquisition."+name+"#key"], "acquisition."+name, "no segment named %q (segments: %s)", name, strings.Join(segmentNames(f), ", "))
			continue
		}
		m.Segments[i].Acquisition = b.acquisition("acquisition."+name, name, f.Acquisition[name], &m.Segments[i])
	}
	m.Team, m.Pools = b.teams()
	m.Response = sim.Response{MemoryMonths: f.Response.MemoryMonths}
	m.Response.Churn = b.curve("coverage_response.churn", f.Response.Churn, -1, sim.ChurnResponse, &m.Response.Uncertain)
	m.Response.Upsell = b.curve("coverage_response.upsell", f.Response.Upsell, +1, sim.UpsellResponse, &m.Response.Uncertain)
	m.Response.Onboarding = b.curve("coverage_response.onboarding", f.Response.Onboarding, +1, sim.OnboardingResponse, &m.Response.Uncertain)
	if f.Team != nil {
		m.Response.Attrition = b.loadCurve("team.attrition_load", f.Team.AttritionLoad, &m.Response.Uncertain)
	}
	m.Economics = b.economics()
	m.Valuation = b.valuation()
	m.SecondOrder = b.secondOrder()
	m.Correlations = b.correlations()
	if len(b.d.errs) == 0 {
		b.checkARR(&m)
		b.checkWork(&m)
	}
	if len(b.d.errs) == 0 {
		b.checkGrowth(&m)
	}
	return m
}

// checkTitle checks the fields that place and title the scenario: a
// calendar start, a name and a currency code.
func (b *builder) checkTitle() {
	f := b.f
	if f.Start.Index > 0 {
		b.errorf("start", "expected a calendar month YYYY-MM, found a month number")
	}
	if strings.TrimSpace(f.Name) == "" {
		b.errorf("name", "the scenario's name must not be empty: it titles every chart and report")
	}
	if !isCurrencyCode(f.Currency) {
		b.errorf("currency", "expected an ISO 4217 currency code of three capital letters (USD, EUR, GBP), found %q", f.Currency)
	}
}

// checkSegmentName checks the name of segments[i], at path p: not empty,
// without a dot, and its own once folded (folded holds the folded names
// of the segments before it).
func (b *builder) checkSegmentName(p string, i int, folded map[string]int) {
	segs := b.f.Segments
	name := segs[i].Name
	switch {
	case strings.TrimSpace(name) == "":
		b.errorf(p+".name", "segment name must not be empty")
	case strings.Contains(name, "."):
		b.errorf(p+".name", "segment name %q must not contain a dot (it is used in paths like segments.NAME.churn)", name)
	}
	switch j, dup := folded[FoldName(name)]; {
	case dup && segs[j].Name == name:
		b.errorf(p+".name", "segment name %q is already used by segments[%d]", name, j)
	case dup:
		b.errorf(p+".name", "segment name %q is that of segments[%d], %q, but for %s; give each segment its own name", name, j, segs[j].Name, sameName)
	default:
		folded[FoldName(name)] = i
	}
}

func segmentNames(f *File) []string {
	var s []string
	for _, seg := range f.Segments {
		s = append(s, seg.Name)
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var cadences = map[string]sim.Cadence{"monthly": sim.Monthly, "quarterly": sim.Quarterly, "annual": sim.Annually, "at_renewal": sim.AtRenewal}

// billingMonths are the months a bill covers, by billing term.
var billingMonths = map[string]int{"annual_upfront": 12, "quarterly": 3, "monthly": 1}

// billing is the months each bill of a contract covers (0: the default),
// which must divide its term: a bill never runs past a renewal.
func (b *builder) billing(p string, c ContractSpec) int {
	every, t := billingMonths[c.Billing], c.TermMonths
	if every > 0 && t > 0 && t%every != 0 {
		b.errorf(p, "a bill covers part of a contract, so its months must divide the term (term_months: %d): %s bills every %d months; use monthly, or a term that is a multiple of %d", t, c.Billing, every, every)
	}
	return every
}

func (b *builder) segment(p string, s *SegmentSpec) sim.Segment {
	n := "segments." + s.Name + "."
	seg := sim.Segment{
		Name:              s.Name,
		TermMonths:        s.Contract.TermMonths,
		TenureMonths:      s.Contract.TenureMonths,
		PriceIncrease:     b.assume(n+"price_increase", s.PriceIncrease),
		OnboardingSuccess: b.assume(n+"onboarding.success", s.Onboarding.Success),
		OnboardingMonths:  s.Onboarding.Months,
		OnboardingStopNow: s.Onboarding.Failure == "stop_now",
		PriceEveryMonths:  s.PriceMonths,
		Digital:           s.Touch.Digital,
	}
	if s.ACV != nil {
		seg.ACV = s.ACV.D
	}
	b.plausible(p+".price_increase", s.PriceIncrease.D, 1, "at one renewal")
	if t := s.Contract.TermMonths; s.PriceMonths > 0 && t > 0 && s.PriceMonths%t != 0 {
		b.errorf(p+".price_increase_months", "a price changes at a renewal: give a multiple of the term (%d months), found %d", t, s.PriceMonths)
	}
	seg.BillingMonths = b.billing(p+".contract.billing", s.Contract)
	switch {
	case s.Accounts != nil && s.AccountsFile != "":
		b.errorf(p+".accounts_file", "give accounts (a count, with acv) or accounts_file, not both")
	case s.AccountsFile != "":
		seg.Accounts = b.accountsFile(p+".accounts_file", s.AccountsFile, s.Name, s.AccountsCols, s.Contract.FirstRenewal.Rule == "file")
		seg.Count = len(seg.Accounts)
	case s.Accounts != nil:
		seg.Count = *s.Accounts
		if seg.Count > 0 && s.ACV == nil {
			b.errorf(p, "missing required field \"acv\": the annual contract value of its %d accounts (e.g. acv: 12k, or acv: {lognormal: {median: 12k, p90: 30k}})", seg.Count)
		}
	default:
		b.errorf(p, "missing required field \"accounts\" (a count, with acv) or \"accounts_file\"; write accounts: 0 for a segment that only acquires")
	}
	switch s.Contract.FirstRenewal.Rule {
	case "spread":
		seg.Renewal = sim.Spread
	case "month":
		seg.Renewal, seg.FirstRenewalMonth = sim.AtMonth, s.Contract.FirstRenewal.Month
	case "file":
		seg.Renewal = sim.Given
		if s.AccountsFile == "" {
			b.errorf(p+".contract.first_renewal", "first_renewal: file needs accounts_file with a first_renewal column")
		}
	}
	seg.Churn = b.churn(p+".churn", n+"churn.", s)
	seg.Upsell = b.movement(p+".upsell", n+"upsell.", s.Upsell, false)
	seg.Contraction = b.movement(p+".contraction", n+"contraction.", s.Contraction, true)
	for _, mt := range s.Touch.Meetings {
		seg.Meetings = append(seg.Meetings, sim.Meeting{Name: mt.Name, PerYear: mt.PerYear, Hours: mt.Hours, Prep: mt.Prep})
	}
	o := s.Touch.PerOpportunity
	hours := func(name string, p Param) sim.Assumption {
		if p.D == nil { // no per_opportunity, or digital: none
			p.D = dist.Const(0)
		}
		return b.assume(n+"touch.per_opportunity."+name, p)
	}
	seg.OpportunityHours = sim.OpportunityHours{Upsell: hours("upsell", o.Upsell), Contraction: hours("contraction", o.Contraction), Renewal: hours("renewal", o.Renewal)}
	if !seg.Digital && seg.HoursPerAccount() == 0 {
		b.errorf(p+".touch", "the touch model needs some hours; write touch: digital for a segment CSMs do not serve")
	}
	return seg
}

func (b *builder) churn(p, n string, s *SegmentSpec) sim.Churn {
	c := s.Churn
	var given []string
	for name, set := range map[string]bool{"annual": c.Annual != nil, "monthly": c.Monthly != nil, "sbg": c.SBG != nil, "by_tenure": c.ByTenure != nil} {
		if set {
			given = append(given, name)
		}
	}
	if len(given) > 1 {
		slices.Sort(given)
		b.errorf(p, "churn is given as %s; keep one of annual, monthly, sbg or by_tenure", strings.Join(given, " and as "))
	}
	out := sim.Churn{Timing: sim.AtRenewalChurn, Rate: sim.Fixed(n+"rate", 0), RateMonths: 12}
	switch {
	case c.Timing == "hazard":
		out.Timing = sim.Hazard
	case c.Timing == "" && s.Contract.TermMonths == 1:
		out.Timing = sim.Hazard
	}
	switch {
	case c.Annual != nil:
		out.Rate, out.RateMonths = b.assume(n+"annual", *c.Annual), 12
	case c.Monthly != nil:
		out.Rate, out.RateMonths = b.assume(n+"monthly", *c.Monthly), 1
	case c.SBG != nil:
		out.SBG = &sim.SBG{Alpha: b.assume(n+"sbg.alpha", c.SBG.Alpha), Beta: b.assume(n+"sbg.beta", c.SBG.Beta)}
	case c.ByTenure != nil:
		out.Tenure = b.tenureChurn(p+".by_tenure", n+"by_tenure.", c.ByTenure)
	}
	return out
}

// maxTenurePeriods bounds a by-tenure table: 50 years of months.
const maxTenurePeriods = 600

// tenureChurn checks a by-tenure table: some periods, at most
// maxTenurePeriods (the decoder checks each is a probability).
func (b *builder) tenureChurn(p, n string, t *TenureSpec) *sim.TenureChurn {
	switch {
	case len(t.Periods) == 0:
		b.errorf(p+".periods", "expected the churn probability of at least one period of tenure, found an empty list")
	case len(t.Periods) > maxTenurePeriods:
		b.errorf(p+".periods", "expected at most %d periods (the last holds for every later one), found %d", maxTenurePeriods, len(t.Periods))
	}
	return &sim.TenureChurn{Periods: t.Periods, Scale: b.assume(n+"scale", t.Scale)}
}

// plausible reports a fraction that can exceed most (1 for 100 %): a
// number written without its % sign (5 for 5 %) is read as 500 % and would
// compound to overflow over a long horizon.
func (b *builder) plausible(path string, d dist.Dist, most float64, what string) {
	q := d.Quantile(0.999)
	if q <= most {
		return
	}
	pct := kinds["frac"].format
	if d.Fixed() {
		hint := ""
		if q <= 100 {
			hint = fmt.Sprintf(" (did you mean %s%%?)", trimFloat(q))
		}
		b.errorf(path, "expected at most %s %s, found %s%s", pct(most), what, pct(q), hint)
		return
	}
	b.errorf(path, "expected at most %s %s, found a distribution reaching %s; write percentages with %% (5%% or 0.05)", pct(most), what, pct(q))
}

func (b *builder) movement(p, n string, m MovementSpec, contraction bool) sim.Movement {
	out := sim.Movement{Cadence: cadences[m.Cadence], Probability: b.assume(n+"probability", m.Probability)}
	takes := !(m.Probability.D.Fixed() && m.Probability.D.Mean() == 0)
	switch {
	case m.Size == nil && takes:
		b.errorf(p, "missing required field \"size\": the fraction of MRR each event moves (e.g. size: 10%%), needed because probability is not 0")
	case m.Size != nil:
		out.Size = m.Size.D
		if !contraction {
			b.plausible(p+".size", m.Size.D, 10, "of MRR in one event")
		}
		if _, hi := m.Size.D.Support(); contraction && hi > 1 {
			b.errorf(p+".size", "a contraction cannot remove more than 100%% of MRR, but this size can reach %s", kinds["frac"].format(hi))
		}
	}
	return out
}

func (b *builder) acquisition(p, seg string, a AcquisitionSpec, s *sim.Segment) sim.Acquisition {
	n := "acquisition." + seg + "."
	out := sim.Acquisition{PerMonth: b.assume(n+"per_month", a.PerMonth), Growth: b.assume(n+"growth", a.Growth)}
	if a.Arrivals == "deterministic" {
		out.Arrivals = sim.Deterministic
	}
	if a.ACV != nil {
		out.ACV = a.ACV.D
	} else if s.ACV == nil {
		b.errorf(p, "missing required field \"acv\": new logos need an ACV, and segment %q has none", seg)
	}
	return out
}

// teams builds the CS team, or its pools (team.pools): each pool a team
// of its own, its fields not given taken from the team's, serving the
// segments it names; every segment CSMs serve is in exactly one pool.
func (b *builder) teams() (sim.Team, []sim.Pool) {
	t := b.f.Team
	if t == nil {
		return sim.Team{}, nil
	}
	if len(t.Segments) > 0 {
		b.errorf("team.segments", "segments are given in a pool (team.pools.NAME.segments); a team without pools serves every segment")
	}
	if len(t.Pools) == 0 {
		if !b.given("team.csms") {
			b.errorf("team", "missing required field %q: the CSM headcount at the start", "csms")
		}
		return b.team("team", t), nil
	}
	for _, f := range []string{"csms", "plan"} {
		if b.given("team."+f) || (f == "plan" && len(t.Plan) > 0) {
			b.errorf("team."+f, "with pools, each pool has its own %s: give it as team.pools.NAME.%s (pools: %s)", f, f, strings.Join(sortedKeys(t.Pools), ", "))
		}
	}
	if t.Handoff.Months > b.f.HorizonMonths {
		b.errorf("team.handoff.months", "a hand-off lasting %d months is longer than the horizon (horizon_months: %d)", t.Handoff.Months, b.f.HorizonMonths)
	}
	var pools []sim.Pool
	served := map[string]string{} // segment → pool
	for _, name := range sortedKeys(t.Pools) {
		p, ps := "team.pools."+name, t.Pools[name]
		b.inherit(p, &ps, t)
		t.Pools[name] = ps // the assumptions list the values the pool uses
		if len(ps.Segments) == 0 {
			var others []string
			for _, o := range sortedKeys(t.Pools) {
				if o != name && len(t.Pools[o].Segments) > 0 {
					others = append(others, o)
				}
			}
			b.errorf(p, "pool %q serves no segment: give its segments, or correct its name%s", name, choices(name, others))
		}
		if !b.given(p + ".csms") {
			b.errorf(p, "missing required field %q: the pool's CSM headcount at the start", "csms")
		}
		if len(ps.Pools) > 0 {
			b.errorf(p+".pools", "a pool cannot hold pools of its own")
		}
		pool := sim.Pool{Name: name, Team: b.team(p, &ps)}
		for i, seg := range ps.Segments {
			j := slices.IndexFunc(b.f.Segments, func(s SegmentSpec) bool { return s.Name == seg })
			switch {
			case j < 0:
				b.errorf(fmt.Sprintf("%s.segments[%d]", p, i), "no segment named %q (segments: %s)", seg, strings.Join(segmentNames(b.f), ", "))
			case served[seg] != "":
				b.errorf(fmt.Sprintf("%s.segments[%d]", p, i), "segment %q is already served by pool %q; a segment has one pool", seg, served[seg])
			default:
				served[seg] = name
				pool.Segments = append(pool.Segments, j)
			}
		}
		pools = append(pools, pool)
	}
	for _, s := range b.f.Segments {
		if !s.Touch.Digital && served[s.Name] == "" {
			b.errorf("team.pools", "segment %q has CSM touch but no pool serves it; list it in a pool's segments (or make it touch: digital)", s.Name)
		}
	}
	return sim.Team{}, pools
}

// given reports whether the field at path was written in the file, not
// taken from its default.
func (b *builder) given(path string) bool {
	_, ok := b.d.nodes[path+"#key"]
	return ok
}

// inherit gives pool ps, at path p, every field of the team t it does not
// give itself (but its headcount, plan and segments).
func (b *builder) inherit(p string, ps, t *TeamSpec) {
	pv, tv := reflect.ValueOf(ps).Elem(), reflect.ValueOf(t).Elem()
	for i := range pv.NumField() {
		name := fieldTag(pv.Type().Field(i)).name
		if b.given(p+"."+name) || slices.Contains([]string{"csms", "plan", "segments", "pools"}, name) {
			continue
		}
		pv.Field(i).Set(tv.Field(i))
	}
	if b.given(p + ".attrition_load") {
		b.errorf(p+".attrition_load", "attrition_load is the whole team's: give it in team.attrition_load")
	}
}

// team builds the team at path p (team, or a pool of it).
func (b *builder) team(p string, t *TeamSpec) sim.Team {
	out := sim.Team{
		CSMs: t.CSMs, HoursPerYear: t.HoursPerYear, RampMonths: t.RampMonths, HiringLagMonths: t.HiringLagMonths,
		Productivity: b.assume(p+".productivity", t.Productivity),
		LoadedCost:   b.assume(p+".loaded_cost", t.LoadedCost),
		HiringCost:   b.assume(p+".hiring_cost", t.HiringCost),
		Attrition:    b.assume(p+".attrition", t.Attrition),
	}
	if t.Assignment == "even" {
		out.Assignment = sim.Even
	}
	out.Handoff = sim.Handoff{Months: t.Handoff.Months,
		Churn: b.assume(p+".handoff.churn", t.Handoff.Churn), Upsell: b.assume(p+".handoff.upsell", t.Handoff.Upsell)}
	// A pool's hand-off is checked where it is written: in the pool, or
	// once for the team.
	if own := p == "team" || b.given(p+".handoff"); own && t.Handoff.Months > b.f.HorizonMonths {
		b.errorf(p+".handoff.months", "a hand-off lasting %d months is longer than the horizon (horizon_months: %d)", t.Handoff.Months, b.f.HorizonMonths)
	}
	last := 1
	for i, s := range t.Plan {
		pf := fmt.Sprintf("%s.plan[%d].from", p, i)
		mo := s.From.index(b.f.Start.Calendar)
		switch {
		case mo < 2:
			b.errorf(pf, "%s is not after the start (%s); the starting headcount is %s.csms", s.From, b.f.Start.Calendar.Format("2006-01"), p)
		case mo > b.f.HorizonMonths:
			b.errorf(pf, "%s is after the last simulated month, %s (horizon_months: %d)", s.From, b.f.Start.Calendar.AddDate(0, b.f.HorizonMonths-1, 0).Format("2006-01"), b.f.HorizonMonths)
		case mo <= last && i > 0:
			b.errorf(pf, "plan steps must be in time order; %s is not after the previous step", s.From)
		}
		last = mo
		out.Plan = append(out.Plan, sim.Step{Month: mo, CSMs: s.CSMs})
	}
	return out
}

// curve checks a coverage response curve: x from 0 to 1, multipliers not
// negative, and monotone in the direction dir (+1 rising, -1 falling)
// whatever values its uncertain multipliers take. Each uncertain
// multiplier becomes a per-trial assumption named by its point
// (coverage_response.churn[0]), appended to uncertain.
func (b *builder) curve(p string, c CurveSpec, dir float64, which sim.ResponseCurve, uncertain *[]sim.UncertainPoint) sim.Curve {
	if len(c.X) < 2 {
		return sim.Curve{}
	}
	if c.X[0] != 0 || c.X[len(c.X)-1] != 1 {
		b.errorf(p, "coverage points must run from 0 (no CSM time) to 1 (all the time the accounts need), found %s to %s", fmtBound(c.X[0]), fmtBound(c.X[len(c.X)-1]))
	}
	return b.monotone(p, c, dir, which, uncertain)
}

// loadCurve checks the team's attrition multiplier by load: from load 1
// (the team has the hours its accounts need) with multiplier 1, so a team
// with hours to spare keeps its attrition rate, and not falling as load
// grows.
func (b *builder) loadCurve(p string, c CurveSpec, uncertain *[]sim.UncertainPoint) sim.Curve {
	if len(c.X) < 2 {
		return sim.Curve{}
	}
	if c.X[0] != 1 || !c.YD[0].Fixed() || c.Y[0] != 1 {
		b.errorf(p+"[0]", "the first point must be [1, 1]: at load 1 (the team has the hours its accounts need) attrition is as given by team.attrition; found [%s, %s]", fmtBound(c.X[0]), c.YD[0])
	}
	return b.monotone(p, c, +1, sim.AttritionResponse, uncertain)
}

// monotone checks that a curve's multipliers go the direction dir (+1
// rising, -1 falling) whatever values its uncertain ones take, and makes
// each uncertain multiplier a per-trial assumption named by its point
// (coverage_response.churn[0]), appended to uncertain.
func (b *builder) monotone(p string, c CurveSpec, dir float64, which sim.ResponseCurve, uncertain *[]sim.UncertainPoint) sim.Curve {
	grows := "coverage grows (more CS attention cannot make this worse)"
	if which == sim.AttritionResponse {
		grows = "load grows (a busier team does not keep its CSMs better)"
	}
	way := "fall"
	if dir < 0 {
		way = "rise"
	}
	for i := 1; i < len(c.YD); i++ {
		// The worst case of each pair: the value the previous point can
		// reach in the direction of this one's, against this one's
		// furthest the other way.
		plo, phi := c.YD[i-1].Support()
		lo, hi := c.YD[i].Support()
		prev, cur := phi, lo
		if dir < 0 {
			prev, cur = plo, hi
		}
		if (cur-prev)*dir >= 0 {
			continue
		}
		pi := fmt.Sprintf("%s[%d]", p, i)
		if c.YD[i].Fixed() && c.YD[i-1].Fixed() {
			b.errorf(pi, "the multiplier must not %s as %s, found %s after %s",
				way, grows, fmtBound(cur), fmtBound(prev))
		} else {
			b.errorf(pi, "the multiplier must not %s as %s, but its range can reach %s while the point before can reach %s; make the ranges meet at most at one value",
				way, grows, fmtBound(cur), fmtBound(prev))
		}
		break
	}
	for i, d := range c.YD {
		if !d.Fixed() {
			name := fmt.Sprintf("%s[%d]", p, i)
			*uncertain = append(*uncertain, sim.UncertainPoint{Curve: which, Point: i, Y: b.assume(name, Param{d})})
		}
	}
	return sim.Curve{X: c.X, Y: c.Y}
}

func (b *builder) economics() sim.Economics {
	e := b.f.Economics
	out := sim.Economics{
		GrossMarginExCS:        b.assume("economics.gross_margin_ex_cs", e.GrossMarginExCS),
		CostToServe:            b.assume("economics.cost_to_serve", e.CostToServe),
		ReferralCACFactor:      b.assume("economics.referral_cac_factor", e.ReferralCACFactor),
		ExpansionCostRatio:     b.assume("economics.expansion_cost_ratio", e.ExpansionCostRatio),
		UpsellCostRatio:        b.assume("economics.upsell_cost_ratio", e.UpsellCostRatio),
		UpsellCostOnTop:        e.UpsellCost == "on_top",
		DiscountRate:           b.assume("economics.discount_rate", e.DiscountRate),
		OperatingCostRatio:     b.assume("economics.operating_cost.ratio", e.OperatingCost.Ratio),
		OperatingCostMonthly:   b.assume("economics.operating_cost.per_month", e.OperatingCost.PerMonth),
		OperatingCostOfOpening: e.OperatingCost.Of != "revenue",
		TaxRate:                b.assume("economics.tax_rate", e.TaxRate),
	}
	switch {
	case e.CAC.Ratio != nil && e.CAC.PerLogo != nil:
		b.errorf("economics.cac", "give ratio or per_logo, not both")
	case e.CAC.PerLogo != nil:
		out.CACBasis, out.CAC = sim.PerLogo, b.assume("economics.cac.per_logo", *e.CAC.PerLogo)
	case e.CAC.Ratio != nil:
		out.CAC = b.assume("economics.cac.ratio", *e.CAC.Ratio)
	default:
		out.CAC = sim.Fixed("economics.cac.ratio", 1.18)
	}
	return out
}

var valuationMethods = map[string]sim.ValuationMethod{"arr_multiple": sim.ARRMultiple, "dcf": sim.DCF, "customer_based": sim.CustomerBased}

func (b *builder) valuation() sim.Valuation {
	v := b.f.Valuation
	out := sim.Valuation{
		Method:          valuationMethods[v.Method],
		Base:            b.assume("valuation.multiple.base", v.Multiple.Base),
		PerNRRPoint:     b.assume("valuation.multiple.per_nrr_point", v.Multiple.PerNRRPoint),
		PerGrowthPoint:  b.assume("valuation.multiple.per_growth_point", v.Multiple.PerGrowthPoint),
		ReferenceNRR:    v.Multiple.ReferenceNRR,
		ReferenceGrowth: v.Multiple.ReferenceGrowth,
		MinMultiple:     v.Multiple.Min,
		TerminalGrowth:  b.assume("valuation.dcf.terminal_growth", v.DCF.TerminalGrowth),
		ExitMultiple:    b.assume("valuation.dcf.exit_multiple", v.DCF.ExitMultiple),
		FutureCohorts:   v.CustomerBased.FutureCohorts,
	}
	if v.DCF.Terminal == "exit_multiple" {
		out.Terminal = sim.ExitMultiple
	}
	if t := v.Multiple.Table; t != nil && len(t.X) >= 2 {
		out.Table = sim.Curve{X: t.X, Y: t.Y}
		for i, d := range t.YD {
			if !d.Fixed() {
				b.errorf(fmt.Sprintf("valuation.multiple.table[%d]", i), "a multiple in the table is a number, not a distribution; give the uncertainty with multiple.base and multiple.per_nrr_point instead")
				break
			}
		}
	}
	// Every trial needs r > g for a Gordon terminal value, so the bounds
	// are compared, not the means. Another method gets the DCF value beside
	// it when every trial has one.
	g, r := v.DCF.TerminalGrowth.D, b.f.Economics.DiscountRate.D
	if g == nil || r == nil { // already reported
		return out
	}
	_, hi := g.Support()
	lo, _ := r.Support()
	gordonOK := out.Terminal != sim.Gordon || hi < lo
	out.DCFBeside = v.Method != "dcf" && gordonOK
	if v.Method == "dcf" && !gordonOK {
		pct := kinds["rate"].format
		b.errorf("valuation.dcf.terminal_growth", "terminal growth (up to %s) must stay below the discount rate (from %s) in every trial for a Gordon terminal value; narrow the ranges, or use terminal: exit_multiple", pct(hi), pct(lo))
	}
	return out
}

func (b *builder) secondOrder() sim.SecondOrder {
	s := b.f.SecondOrder
	if s == nil {
		return sim.SecondOrder{}
	}
	out := sim.SecondOrder{
		Enabled:            true,
		ReferralsPerYear:   b.assume("second_order.referrals_per_year", s.ReferralsPerYear),
		ReferralConversion: b.assume("second_order.referral_conversion", s.ReferralConversion),
		ChampionTurnover:   b.assume("second_order.champion_turnover", s.ChampionTurnover),
		ChampionChurnMult:  b.assume("second_order.champion_churn_multiplier", s.ChampionChurnMult),
		ChampionRiskMonths: s.ChampionRiskMonths,
		Reonboarding:       s.Reonboarding,
		ChampionMoveWin:    b.assume("second_order.champion_move_win", s.ChampionMoveWin),
	}
	switch {
	case s.AdvocateShare != nil && s.NPS != nil:
		b.errorf("second_order.nps", "give advocate_share or nps, not both")
	case s.NPS != nil:
		// Promoters − detractors = NPS with about 30 % passives gives
		// promoters = (70 + NPS) / 200; see the README.
		nps := *s.NPS
		out.AdvocateShare = sim.Assumption{Name: "second_order.nps", Dist: promoterShare{nps.D}}
		b.inputs["second_order.nps"] = nps.D
	case s.AdvocateShare != nil:
		out.AdvocateShare = b.assume("second_order.advocate_share", *s.AdvocateShare)
	default:
		out.AdvocateShare = sim.Fixed("second_order.advocate_share", 0.2)
	}
	return out
}

// promoterShare maps an NPS distribution to the share of promoters,
// monotonically, so quantiles carry over.
type promoterShare struct{ nps dist.Dist }

func share(nps float64) float64                      { return math.Min(1, math.Max(0, (70+nps)/200)) }
func (p promoterShare) Sample(r *rng.Stream) float64 { return share(p.nps.Sample(r)) }
func (p promoterShare) Quantile(q float64) float64   { return share(p.nps.Quantile(q)) }
func (p promoterShare) Mean() float64                { return share(p.nps.Mean()) }
func (p promoterShare) Support() (lo, hi float64)    { l, h := p.nps.Support(); return share(l), share(h) }
func (p promoterShare) Fixed() bool                  { return p.nps.Fixed() }
func (p promoterShare) String() string               { return "promoters from NPS " + p.nps.String() }

func (b *builder) correlations() []sim.Correlation {
	var out []sim.Correlation
	var uncertain []string
	for _, name := range sortedKeys(b.inputs) {
		if !b.inputs[name].Fixed() {
			uncertain = append(uncertain, name)
		}
	}
	index := map[string]int{}
	pairs := map[[2]string]int{} // each pair, in name order, and where it is given
	for i, c := range b.f.Correlations {
		p := fmt.Sprintf("correlations[%d]", i)
		if len(c.Between) != 2 {
			b.errorf(p+".between", "expected two inputs, found %d", len(c.Between))
			continue
		}
		if c.Between[0] == c.Between[1] {
			b.errorf(p+".between", "an input cannot be correlated with itself")
			continue
		}
		ok := true
		for j, name := range c.Between {
			d, known := b.inputs[name]
			switch {
			case !known:
				b.errorf(fmt.Sprintf("%s.between[%d]", p, j), "unknown input %q%s", name, choices(name, sortedKeys(b.inputs)))
				ok = false
			case d.Fixed():
				b.errorf(fmt.Sprintf("%s.between[%d]", p, j), "%q is a fixed value; only uncertain inputs (given as distributions) can be correlated (uncertain inputs: %s)", name, strings.Join(uncertain, ", "))
				ok = false
			}
		}
		if !ok {
			continue
		}
		pair := [2]string{min(c.Between[0], c.Between[1]), max(c.Between[0], c.Between[1])}
		if j, dup := pairs[pair]; dup {
			first := fmt.Sprintf("correlations[%d]", j)
			b.errorf(p+".between", "%s and %s are already correlated by %s on line %d (rank %s); give each pair once",
				pair[0], pair[1], first, b.d.at(first).Line, fmtBound(b.f.Correlations[j].Rank))
			continue
		}
		pairs[pair] = i
		for _, name := range c.Between {
			if _, ok := index[name]; !ok {
				index[name] = len(index)
			}
		}
		out = append(out, sim.Correlation{A: c.Between[0], B: c.Between[1], Rho: c.Rank})
	}
	if len(out) > 0 && len(b.d.errs) == 0 {
		b.checkPSD(out, index)
	}
	return out
}

// checkPSD rejects a correlation matrix that no joint distribution can have.
func (b *builder) checkPSD(cs []sim.Correlation, index map[string]int) {
	n := len(index)
	m := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		m.SetSym(i, i, 1)
	}
	for _, c := range cs {
		m.SetSym(index[c.A], index[c.B], c.Rho)
	}
	var eig mat.EigenSym
	if !eig.Factorize(m, false) {
		b.errorf("correlations", "the correlation matrix could not be checked")
		return
	}
	if vals := eig.Values(nil); slices.Min(vals) < -1e-10 {
		b.errorf("correlations", "these correlations contradict each other, so no set of inputs can have them all (if A moves with B and B with C, A cannot move against C): weaken some of them (their matrix is not positive semi-definite; smallest eigenvalue %.3g)", slices.Min(vals))
	}
}

// maxCSVErrors is the most errors reported for one accounts file: past a
// few, the rest are almost always the same mistake.
const maxCSVErrors = 20

var accountColumns = []string{"id", "segment", "acv", "mrr", "first_renewal", "tenure_months"}

// accountAliases are the other names, as csvfile.HeaderKey writes them,
// that CRM exports give the columns of an accounts file.
var accountAliases = map[string][]string{
	"id":            {"account_id", "account", "accountid", "customer_id", "customer", "customerid", "company_id", "client_id"},
	"segment":       {"tier", "customer_segment", "account_segment", "plan"},
	"acv":           {"annual_contract_value", "arr", "annual_recurring_revenue", "contract_value", "annual_value"},
	"mrr":           {"monthly_recurring_revenue", "monthly_revenue", "recurring_revenue"},
	"first_renewal": {"renewal", "renewal_date", "renewal_month", "next_renewal", "next_renewal_date", "contract_end", "contract_end_date"},
	"tenure_months": {"tenure", "months_as_customer", "customer_months"},
}

// accountColumn is the column of an accounts file a header names, by its
// name or an alias; "" for none.
func accountColumn(h string) string {
	k := csvfile.HeaderKey(h)
	if slices.Contains(accountColumns, k) {
		return k
	}
	for col, names := range accountAliases {
		if slices.Contains(names, k) {
			return col
		}
	}
	return ""
}

// accountsFile reads the existing accounts of segment seg from CSV: a
// header with acv or mrr, optional id, first_renewal and tenure_months
// columns, and an optional segment column, with which one file holds the
// accounts of several segments and each segment reads its own rows.
func (b *builder) accountsFile(p, name, seg string, mapping map[string]string, needRenewal bool) []sim.Account {
	data, err := b.readFile(name)
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			b.errorf(p, "cannot read accounts file %q: %s", name, ie.Msg)
		} else {
			b.errorf(p, "cannot read accounts file %q: %s (the path is relative to the scenario file)", name, pathErr(err))
		}
		return nil
	}
	file := besideScenario(b.d.file, name)
	bom, problem, line := csvfile.Start(data[:min(len(data), 8<<10)])
	if problem != "" {
		b.d.errs = append(b.d.errs, Error{File: file, Line: line, Col: 1, Msg: problem})
		return nil
	}
	ar := &accountsReader{d: b.d, file: file, segment: seg, mapping: mapping, start: b.f.Start.Calendar,
		r: csv.NewReader(csvfile.Reader(bytes.NewReader(data[bom:])))}
	ar.r.FieldsPerRecord = -1
	defer ar.countUnshown()
	if !ar.readHeader() || !ar.checkColumns(needRenewal) {
		return nil
	}
	out := ar.readAccounts()
	if _, bySegment := ar.col["segment"]; bySegment {
		if b.files == nil {
			b.files = map[string]*accountsUse{}
		}
		u := b.files[name]
		if u == nil {
			u = &accountsUse{path: p, readers: map[string]bool{}, values: map[string]bool{}}
			b.files[name] = u
		}
		u.readers[seg] = true
		for v := range ar.others {
			u.values[v] = true
		}
	}
	return out
}

// checkAccountsSegments refuses an accounts file whose segment column
// names a segment none of the scenario's segments that read it is: its
// rows would be left out, and a typo would lose their revenue.
func (b *builder) checkAccountsSegments() {
	for _, name := range sortedKeys(b.files) {
		u := b.files[name]
		var unknown []string
		for _, v := range sortedKeys(u.values) {
			if !u.readers[v] {
				unknown = append(unknown, strconv.Quote(v))
			}
		}
		if len(unknown) > 0 {
			b.errorf(u.path, "accounts file %q has rows of segment %s, which no segment reading it is (%s): they would be left out; correct the segment column, or give the segment its own entry", name,
				csvfile.Clip(strings.Join(unknown, ", ")), strings.Join(sortedKeys(u.readers), ", "))
		}
	}
}

// accountsReader reads an accounts file, reporting its errors at their
// line and column of the file, up to maxCSVErrors.
type accountsReader struct {
	d      *decoder
	file   string // as named in errors
	r      *csv.Reader
	errs   int
	header []string
	col    map[string]int // column name → index
	amount string         // the column of the contract value: acv or mrr
	// segment is the segment whose rows are read, when the file has a
	// segment column; others are the other segment values its rows hold.
	segment string
	others  map[string]bool
	// mapping names, for columns of accountColumns, the file's own
	// headers (accounts_columns); with one, unknown columns are left alone.
	mapping map[string]string
	start   time.Time // the scenario's first month, for renewals given as dates
}

func (ar *accountsReader) fail(line, col int, format string, args ...any) {
	if ar.errs++; ar.errs <= maxCSVErrors {
		ar.d.errs = append(ar.d.errs, Error{File: ar.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
	}
}

// countUnshown reports how many errors were past maxCSVErrors.
func (ar *accountsReader) countUnshown() {
	if ar.errs > maxCSVErrors {
		ar.d.errs = append(ar.d.errs, Error{File: ar.file, Msg: fmt.Sprintf("%d more errors not shown", ar.errs-maxCSVErrors)})
	}
}

// readHeader reads the header row and finds its columns, each one of
// accountColumns and given once.
func (ar *accountsReader) readHeader() bool {
	header, err := ar.r.Read()
	var le *csvfile.LineError
	switch {
	case err == io.EOF:
		ar.fail(1, 1, "the accounts file is empty; it needs a header row (id, acv or mrr, first_renewal) and one row per account")
	case errors.As(err, &le):
		ar.fail(le.Line, 1, "%s", le.Msg)
	case err != nil:
		ar.fail(1, 1, "cannot read the header row: %s", csvErr(err))
	default:
		if msg := csvfile.NotUTF8(header, "header"); msg != "" {
			ar.fail(1, 1, "%s", msg)
			return false
		}
	}
	if err != nil {
		return false
	}
	col, taken, err := csvfile.MapHeader(header, ar.mapping, accountColumns)
	if err != nil {
		ar.fail(1, 1, "%s (accounts_columns)", err)
		return false
	}
	ar.header, ar.col = header, col
	for i, h := range header {
		if taken[i] {
			continue
		}
		_, c := ar.r.FieldPos(i)
		k := accountColumn(h)
		if _, mapped := ar.mapping[k]; mapped {
			k = "" // the mapping says which column it is
		}
		j, dup := ar.col[k]
		switch {
		case k == "" && ar.mapping != nil:
			// Not a column csplan reads: left alone.
		case k == "":
			ar.fail(1, c, "unknown column %s%s; if the file holds columns csplan does not read, name those it reads in accounts_columns (for example accounts_columns: {mrr: \"Monthly Amount\"}) and the rest are left alone",
				csvfile.Quote(strings.TrimSpace(h)), choices(csvfile.Clip(csvfile.HeaderKey(h)), accountColumns))
			return false
		case dup:
			ar.fail(1, c, "two columns mean %s (%s and %s); keep one, or say which in accounts_columns", k, csvfile.Quote(strings.TrimSpace(header[j])), csvfile.Quote(strings.TrimSpace(h)))
			return false
		default:
			ar.col[k] = i
		}
	}
	return true
}

// checkColumns checks that the header gives the contract value one way,
// acv or mrr, and first_renewal when the scenario needs it.
func (ar *accountsReader) checkColumns(needRenewal bool) bool {
	_, hasACV := ar.col["acv"]
	_, hasMRR := ar.col["mrr"]
	switch {
	case hasACV && hasMRR:
		ar.fail(1, 1, "give the columns acv or mrr, not both")
		return false
	case !hasACV && !hasMRR:
		ar.fail(1, 1, "no acv or mrr column (found %s); each account needs its annual (acv) or monthly (mrr) contract value", csvfile.Clip(strings.Join(ar.header, ", ")))
		return false
	}
	if _, ok := ar.col["first_renewal"]; needRenewal && !ok {
		ar.fail(1, 1, "no first_renewal column, which contract.first_renewal: file needs")
		return false
	}
	ar.amount = "acv"
	if hasMRR {
		ar.amount = "mrr"
	}
	return true
}

// readAccounts reads the rows after the header, one account each.
func (ar *accountsReader) readAccounts() []sim.Account {
	var out []sim.Account
	rows := 0
	ar.others = map[string]bool{}
	ids := map[string]int{} // line of each id, when the file has ids
	for {
		rec, err := ar.r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			var le *csvfile.LineError
			switch {
			case errors.As(err, &pe):
				ar.fail(pe.Line, pe.Column, "%s", csvErr(pe.Err))
			case errors.As(err, &le):
				ar.fail(le.Line, 1, "%s", le.Msg)
			default:
				ar.fail(0, 0, "%v", err)
			}
			return nil
		}
		if i, ok := ar.col["segment"]; ok && i < len(rec) && csvfile.Uncell(strings.TrimSpace(rec[i])) != ar.segment {
			ar.others[csvfile.Uncell(strings.TrimSpace(rec[i]))] = true
			continue
		}
		rows++
		line, _ := ar.r.FieldPos(0)
		a, ok := ar.account(rec, line, rows)
		if !ok {
			continue
		}
		if i, hasID := ar.col["id"]; hasID {
			if first, dup := ids[a.ID]; dup {
				_, c := ar.r.FieldPos(i)
				ar.fail(line, c, "id %s is given twice (lines %d and %d): each account needs its own, as its random draws are named by it", csvfile.Quote(csvfile.Clip(a.ID)), first, line)
				continue
			}
			ids[a.ID] = line
		}
		out = append(out, a)
		if len(out) > 10_000_000 {
			ar.fail(line, 1, "more than 10,000,000 accounts")
			return nil
		}
	}
	switch _, bySegment := ar.col["segment"]; {
	case rows == 0 && bySegment:
		names := slices.Sorted(maps.Keys(ar.others))
		if len(names) > 10 {
			names = append(names[:10], "…")
		}
		ar.fail(2, 1, "no row of segment %s: its segment column names %s", csvfile.Quote(ar.segment), csvfile.Clip(strings.Join(names, ", ")))
	case rows == 0:
		ar.fail(2, 1, "the accounts file has a header but no accounts")
	}
	return out
}

// account reads the row of an account, the n-th of the file (its ID when
// the file has no id column).
func (ar *accountsReader) account(rec []string, line, n int) (sim.Account, bool) {
	if len(rec) != len(ar.header) {
		ar.fail(line, 1, "expected %d columns (%s), found %d", len(ar.header), csvfile.Clip(strings.Join(ar.header, ", ")), len(rec))
		return sim.Account{}, false
	}
	if msg := csvfile.NotUTF8(rec, "row"); msg != "" {
		ar.fail(line, 1, "%s", msg)
		return sim.Account{}, false
	}
	a := sim.Account{ID: strconv.Itoa(n)}
	if i, ok := ar.col["id"]; ok {
		a.ID = csvfile.Uncell(rec[i])
	}
	v, msg := parseNumber(scalar(rec[ar.col[ar.amount]]), kinds["money"])
	if msg != "" {
		_, c := ar.r.FieldPos(ar.col[ar.amount])
		ar.fail(line, c, "%s: %s", ar.amount, msg)
		return sim.Account{}, false
	}
	a.MRR = v
	if ar.amount == "acv" {
		a.MRR = v / 12
	}
	for _, c := range []struct {
		name, what string
		lo, hi     float64
		into       *int
	}{{"first_renewal", "a month number", 1, 240, &a.FirstRenewal}, {"tenure_months", "months", 0, 600, &a.TenureMonths}} {
		i, ok := ar.col[c.name]
		if !ok || (c.name == "tenure_months" && strings.TrimSpace(rec[i]) == "") { // no tenure: the segment's
			continue
		}
		m, msg := parseNumber(scalar(rec[i]), kinds["int"])
		if c.name == "first_renewal" {
			if month, ok, dmsg := ar.renewalDate(rec[i]); ok {
				m, msg = month, dmsg
			}
		}
		if msg == "" && (m < c.lo || m > c.hi) {
			msg = fmt.Sprintf("expected %s from %g to %g, found %q", c.what, c.lo, c.hi, rec[i])
		}
		if msg != "" {
			_, col := ar.r.FieldPos(i)
			ar.fail(line, col, "%s: %s", c.name, msg)
			return sim.Account{}, false
		}
		*c.into = int(m)
	}
	return a, true
}

// renewalDate reads a first renewal given as a date, YYYY-MM-DD or
// YYYY-MM (a CRM's renewal date), as the month of the run it falls in,
// month 1 the scenario's start; ok is false for a cell that is no date,
// and msg says when the date is outside the run's first 240 months.
func (ar *accountsReader) renewalDate(cell string) (month float64, ok bool, msg string) {
	cell = strings.TrimSpace(cell)
	var t time.Time
	var err error
	switch len(cell) {
	case len("2006-01-02"):
		t, err = time.Parse("2006-01-02", cell)
	case len("2006-01"):
		t, err = time.Parse("2006-01", cell)
	default:
		return 0, false, ""
	}
	if err != nil {
		return 0, false, ""
	}
	m := (t.Year()-ar.start.Year())*12 + int(t.Month()-ar.start.Month()) + 1
	switch {
	case m < 1:
		return 0, true, fmt.Sprintf("%s is before the scenario's start, %s; the first renewal is the next one", cell, ar.start.Format("2006-01"))
	case m > 240:
		return 0, true, fmt.Sprintf("%s is more than 240 months after the scenario's start, %s", cell, ar.start.Format("2006-01"))
	}
	return float64(m), true, ""
}

// csvErr explains a CSV syntax error.
func csvErr(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return `a quoted field is not closed, or a quote inside it is not doubled ("")`
	case errors.Is(err, csv.ErrBareQuote):
		return `a quote (") inside an unquoted field; quote the whole field and double the quote ("")`
	}
	return err.Error()
}

// scalar wraps a CSV cell as a YAML scalar so it is read like a scenario number.
func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// isCurrencyCode reports whether c has the form of an ISO 4217 code.
func isCurrencyCode(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
