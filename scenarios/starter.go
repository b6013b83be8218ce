package scenarios

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"

	"go.yaml.in/yaml/v3"
)

// DefaultStarterSegments are the segments csplan init writes when none are
// named: the high-touch, low-touch and digital tiers of a typical B2B book.
var DefaultStarterSegments = []string{"enterprise", "mid-market", "smb"}

//go:embed starter.yaml.tmpl
var starterText string

var starterTmpl = template.Must(template.New("starter").Funcs(template.FuncMap{
	// col marks where a line's comment starts; starterAlign pads it.
	"col": func(n int) string { return "\x01" + strconv.Itoa(n) + "\x02" },
}).Parse(starterText))

// Productive hours of one CSM a year in the starter (and in the reference
// material, W3): 40 h x 52 weeks x 70 %.
const starterHoursPerYear, starterProductivity = 2080.0, 0.70

// starterMeeting is one row of a touch model.
type starterMeeting struct {
	name                 string
	perYear, hours, prep float64
}

// starterPreset are the defaults of a known segment.
type starterPreset struct {
	note                     string
	accounts                 int
	acv                      string
	term                     int
	priceIncrease            string
	churnKey, churn, churnNt string
	upsellCadence            string
	upsellProbability        string
	upsellSize               string
	contractionProbability   string
	meetings                 []starterMeeting // nil: digital
	perMonth                 string
}

// The enterprise and mid-market touch models are the meeting-hour tables of
// the reference material (W3): 72 h → 20 accounts per CSM and 20.75 h → 70
// accounts per CSM at 1,456 productive hours.
var starterPresets = map[string]starterPreset{
	"enterprise": {
		note:     "High touch: large accounts, each with a named CSM.",
		accounts: 100, acv: "{lognormal: {median: 100k, p90: 250k}}", term: 12, priceIncrease: "5%",
		churnKey: "annual", churn: "{beta: {mean: 8%, sd: 2%}}", churnNt: "accounts lost a year: about 8%, give or take 2%",
		upsellCadence: "annual", upsellProbability: "{pert: {min: 15%, mode: 25%, max: 40%}}",
		upsellSize: "{lognormal: {median: 10%, p90: 30%}}", contractionProbability: "5%",
		meetings: []starterMeeting{
			{"monthly_meeting", 12, 1, 1}, {"ebr", 4, 2, 4}, {"workshop", 2, 3, 3}, {"ad_hoc", 6, 1, 1},
		},
		perMonth: "2",
	},
	"mid-market": {
		note:     "Lower touch: a CSM serves many accounts with lighter meetings.",
		accounts: 350, acv: "{lognormal: {median: 36k, p90: 80k}}", term: 12, priceIncrease: "3%",
		churnKey: "annual", churn: "{beta: {mean: 12%, sd: 3%}}", churnNt: "accounts lost a year: about 12%, give or take 3%",
		upsellCadence: "annual", upsellProbability: "{pert: {min: 10%, mode: 20%, max: 30%}}",
		upsellSize: "{uniform: {min: 5%, max: 25%}}", contractionProbability: "5%",
		meetings: []starterMeeting{
			{"monthly_meeting", 12, 0.5, 0.25}, {"ebr", 2, 1, 2}, {"workshop", 1, 1.5, 2}, {"ad_hoc", 3, 0.5, 0.25},
		},
		perMonth: "{triangular: {min: 6, mode: 9, max: 12}}",
	},
	"smb": {
		note:     "Digital: many small accounts on monthly contracts, no named CSM.",
		accounts: 2000, acv: "{lognormal: {median: 6k, p90: 15k}}", term: 1, priceIncrease: "0%",
		churnKey: "monthly", churn: "{uniform: {min: 1.5%, max: 2.5%}}", churnNt: "accounts lost a month: between 1.5% and 2.5%",
		upsellCadence: "quarterly", upsellProbability: "3%",
		upsellSize: "{uniform: {min: 10%, max: 50%}}", contractionProbability: "1%",
		perMonth: "40",
	},
}

// starterAliases map other spellings of the known segments to their presets.
var starterAliases = map[string]string{
	"enterprise": "enterprise", "ent": "enterprise",
	"mid-market": "mid-market", "midmarket": "mid-market", "mid_market": "mid-market", "mm": "mid-market",
	"smb": "smb",
}

// Starter returns a commented starter scenario with the named segments, for
// csplan init. Known names (enterprise, mid-market, smb) get realistic
// defaults: the enterprise and mid-market touch models are the meeting-hour
// tables of the reference material (20 and 70 accounts per CSM), smb is
// digital; other names get mid-market-like defaults. The team is sized to
// the touch models, and the one option cuts about a quarter of it from the
// fourth month. The scenario starts the month after the current one.
func Starter(segments []string) ([]byte, error) {
	return StarterAt(segments, time.Now())
}

// StarterAt is Starter with the scenario starting the month after now.
func StarterAt(segments []string, now time.Time) ([]byte, error) {
	names, err := starterNames(segments)
	if err != nil {
		return nil, err
	}
	start := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	cut := start.AddDate(0, 3, 0)
	var segs []starterSegment
	needed := 0.0
	for _, name := range names {
		v, hours := newStarterSegment(name)
		segs = append(segs, v)
		needed += hours
	}
	productive := starterHoursPerYear * starterProductivity
	// The team covers the touch models' hours, rounded to whole CSMs; a
	// digital-only book still gets a small team, so the option has
	// something to cut.
	csms := max(2, int(math.Round(needed/productive)))
	cutBy := max(1, int(math.Round(float64(csms)/4)))
	upsellSeg := names[0]
	for i, s := range segs {
		if s.Hours != "" {
			upsellSeg = names[i]
			break
		}
	}
	view := map[string]any{
		"Name":                  yamlText("Starter CS plan"),
		"SegmentList":           strings.Join(names, ", "),
		"Segments":              segs,
		"Start":                 start.Format("2006-01"),
		"CSMs":                  csms,
		"Cut":                   cutBy,
		"CSMsAfter":             csms - cutBy,
		"CutMonth":              cut.Format("2006-01"),
		"CutMonthName":          cut.Format("January 2006"),
		"HoursNeeded":           thousands(needed),
		"HoursAvailable":        thousands(float64(csms) * productive),
		"UpsellPath":            yamlText("segments." + upsellSeg + ".upsell.cadence"),
		"UpsellProbabilityPath": yamlText("segments." + upsellSeg + ".upsell.probability"),
	}
	var buf bytes.Buffer
	if err := starterTmpl.Execute(&buf, view); err != nil {
		return nil, err
	}
	return starterAlign(buf.Bytes()), nil
}

// starterSegment is what the starter template writes of a segment.
type starterSegment struct {
	Name, Note, ACV, PriceIncrease, ChurnKey, Churn, ChurnNote           string
	UpsellCadence, UpsellProbability, UpsellSize, ContractionProbability string
	PerMonth, Hours                                                      string
	Accounts, Term, PerCSM                                               int
	Meetings                                                             []struct{ Line string }
}

// newStarterSegment fills a segment named name from its preset (or
// mid-market's, for a name without one), and returns the CSM hours a year
// its touch model needs for all its accounts.
func newStarterSegment(name string) (starterSegment, float64) {
	key, known := starterAliases[strings.ToLower(name)]
	if !known {
		key = "mid-market"
	}
	p := starterPresets[key]
	v := starterSegment{
		Name: yamlText(name), Note: p.note, Accounts: p.accounts, ACV: p.acv, Term: p.term,
		PriceIncrease: p.priceIncrease, ChurnKey: p.churnKey, Churn: p.churn, ChurnNote: p.churnNt,
		UpsellCadence: p.upsellCadence, UpsellProbability: p.upsellProbability, UpsellSize: p.upsellSize,
		ContractionProbability: p.contractionProbability, PerMonth: p.perMonth,
	}
	if !known {
		v.Note = "No preset for this name: mid-market-like defaults. " + p.note
	}
	if p.meetings == nil {
		return v, 0
	}
	h := 0.0
	for _, m := range p.meetings {
		h += m.perYear * (m.hours + m.prep)
	}
	for _, l := range meetingLines(p.meetings) {
		v.Meetings = append(v.Meetings, struct{ Line string }{l})
	}
	v.Hours, v.PerCSM = num(h), int(math.Floor(starterHoursPerYear*starterProductivity/h))
	return v, h * float64(p.accounts)
}

// meetingLines writes a touch model as aligned YAML lines, each with a
// comment working out its hours.
func meetingLines(ms []starterMeeting) []string {
	cols := make([][4]string, len(ms))
	var width [4]int
	for i, m := range ms {
		cols[i] = [4]string{m.name + ":", "{per_year: " + num(m.perYear) + ",", "hours: " + num(m.hours) + ",", "prep: " + num(m.prep) + "}"}
		for j, c := range cols[i] {
			width[j] = max(width[j], len(c))
		}
	}
	lines := make([]string, len(ms))
	total := 0
	for i, c := range cols {
		var b strings.Builder
		for j, s := range c {
			b.WriteString(s)
			if j < len(c)-1 {
				b.WriteString(strings.Repeat(" ", width[j]-len(s)+1))
			}
		}
		lines[i] = b.String()
		total = max(total, len(lines[i]))
	}
	col := max(52, 6+total+2) // six spaces of indent in the template
	for i, m := range ms {
		lines[i] = fmt.Sprintf("%s\x01%d\x02# %s x (%s + %s) = %s h", lines[i], col,
			num(m.perYear), num(m.hours), num(m.prep), num(m.perYear*(m.hours+m.prep)))
	}
	return lines
}

// starterNames checks the segment names for init.
func starterNames(segments []string) ([]string, error) {
	if len(segments) == 0 {
		return nil, errors.New("no segments: name at least one, e.g. --segments enterprise,mid-market,smb")
	}
	var names []string
	seen := map[string]string{}
	for _, s := range segments {
		name := strings.TrimSpace(s)
		switch {
		case name == "":
			return nil, fmt.Errorf("empty segment name in %q", strings.Join(segments, ","))
		case strings.Contains(name, "."):
			return nil, fmt.Errorf("segment name %q must not contain a dot (it is used in paths like segments.NAME.churn)", name)
		case strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
			return nil, fmt.Errorf("segment name %q contains a control character", name)
		}
		key := strings.ToLower(name)
		if alias, ok := starterAliases[key]; ok {
			key = alias
		}
		if prev, dup := seen[key]; dup {
			if prev == name {
				return nil, fmt.Errorf("segment %q is named twice", name)
			}
			return nil, fmt.Errorf("segments %q and %q are the same segment", prev, name)
		}
		seen[key] = name
		names = append(names, name)
	}
	return names, nil
}

var colMark = regexp.MustCompile("\x01([0-9]+)\x02")

// starterAlign pads each marked line so its comment starts at the marked
// column (at least two spaces after the value).
func starterAlign(b []byte) []byte {
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		m := colMark.FindStringSubmatchIndex(l)
		if m == nil {
			continue
		}
		col, _ := strconv.Atoi(l[m[2]:m[3]])
		head := strings.TrimRight(l[:m[0]], " ")
		pad := max(2, col-len([]rune(head)))
		lines[i] = head + strings.Repeat(" ", pad) + l[m[1]:]
	}
	return []byte(strings.Join(lines, "\n"))
}

// yamlText writes s as a YAML scalar, quoted only where YAML needs it.
func yamlText(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// thousands formats v rounded to a whole number with comma separators.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
