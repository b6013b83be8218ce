package scenarios

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

// starterSegmentLists are the segment lists the starter is tested with here
// and against the schema (schema_test.go).
var starterSegmentLists = [][]string{
	DefaultStarterSegments,
	{"enterprise"},
	{"mid-market"},
	{"smb"},
	{"enterprise", "partners"},
	{"Enterprise", "Public Sector", "SMB"},
	{" midmarket ", "ent"},
	{"a: b", "yes", "#1", "100"}, // names that need quoting in YAML
}

func TestStarterLoads(t *testing.T) {
	now := time.Date(2026, time.December, 5, 10, 0, 0, 0, time.UTC)
	for _, segs := range starterSegmentLists {
		t.Run(strings.Join(segs, ","), func(t *testing.T) {
			data, err := StarterAt(segs, now)
			if err != nil {
				t.Fatalf("StarterAt: %v", err)
			}
			s, err := Parse("starter.yaml", data, nil)
			if err != nil {
				t.Fatalf("starter does not load:\n%v\n%s", err, data)
			}
			if want := time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC); !s.Start.Equal(want) {
				t.Errorf("start = %v, want %v (the month after now)", s.Start, want)
			}
			if len(s.Options) != 2 {
				t.Fatalf("%d options, want the baseline and one option", len(s.Options))
			}
			base, cut := s.Options[0].Model, s.Options[1].Model
			if len(base.Segments) != len(segs) {
				t.Fatalf("%d segments, want %d", len(base.Segments), len(segs))
			}
			for i, seg := range base.Segments {
				if seg.Name != strings.TrimSpace(segs[i]) {
					t.Errorf("segment %d is named %q, want %q", i, seg.Name, strings.TrimSpace(segs[i]))
				}
				if base.Segments[i].Acquisition.PerMonth.Dist == nil {
					t.Errorf("segment %q has no acquisition", seg.Name)
				}
			}
			if base.Team.CSMs < 2 || len(base.Team.Plan) != 0 {
				t.Errorf("baseline team = %+v", base.Team)
			}
			if len(cut.Team.Plan) != 1 || cut.Team.Plan[0].Month != 4 || cut.Team.Plan[0].CSMs >= base.Team.CSMs || cut.Team.Plan[0].CSMs < 1 {
				t.Errorf("cut option plan = %+v with %d CSMs at the start, want fewer CSMs from month 4", cut.Team.Plan, base.Team.CSMs)
			}
			if !strings.HasPrefix(s.Options[1].Name, "Cut ") {
				t.Errorf("option name %q", s.Options[1].Name)
			}
		})
	}
}

// The enterprise and mid-market touch models are the reference material's
// W3 meeting-hour tables: 72 h (20 accounts per CSM at 1,456 h) and 20.75 h
// (70 accounts per CSM); smb is digital; unknown names are mid-market-like.
func TestStarterTouchModels(t *testing.T) {
	data, err := StarterAt([]string{"enterprise", "mid-market", "smb", "partners"}, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("starter.yaml", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := s.Options[0].Model
	productive := m.Team.HoursPerYear * m.Team.Productivity.Dist.Mean()
	if math.Abs(productive-1456) > 1e-9 {
		t.Errorf("productive hours per CSM = %v, want 1,456 (2,080 x 70%%)", productive)
	}
	for i, want := range []struct {
		hours   float64
		perCSM  int
		digital bool
	}{{72, 20, false}, {20.75, 70, false}, {0, 0, true}, {20.75, 70, false}} {
		seg := m.Segments[i]
		if seg.Digital != want.digital || seg.HoursPerAccount() != want.hours {
			t.Errorf("%s: digital %v, %v h per account; want digital %v, %v h", seg.Name, seg.Digital, seg.HoursPerAccount(), want.digital, want.hours)
		}
		if !want.digital && int(1456/seg.HoursPerAccount()) != want.perCSM {
			t.Errorf("%s: %d accounts per CSM, want %d", seg.Name, int(1456/seg.HoursPerAccount()), want.perCSM)
		}
	}
	if m.Segments[3].ACV.Mean() != m.Segments[1].ACV.Mean() || m.Segments[3].Count != m.Segments[1].Count {
		t.Errorf("unknown segment does not take mid-market defaults")
	}
	for _, want := range []string{"72 h", "20.75 h", "1,456 / 72 = 20 accounts per CSM", "1,456 / 20.75 = 70 accounts per CSM", "No preset for this name"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("starter has no comment %q", want)
		}
	}
}

func TestStarterCommented(t *testing.T) {
	data, err := Starter(DefaultStarterSegments)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("starter.yaml", data, nil); err != nil {
		t.Fatalf("Starter (now) does not load: %v", err)
	}
	if bytes.ContainsAny(data, "\x01\x02\t") {
		t.Errorf("starter has control characters or tabs")
	}
	// Every top-level section is introduced by a comment.
	lines := strings.Split(string(data), "\n")
	for _, section := range []string{"segments:", "acquisition:", "team:", "coverage_response:", "economics:", "valuation:", "options:"} {
		i := indexOf(lines, section)
		if i < 1 || !strings.HasPrefix(lines[i-1], "#") {
			t.Errorf("section %s is not introduced by a comment", section)
		}
	}
	a, _ := StarterAt(DefaultStarterSegments, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	b, _ := StarterAt(DefaultStarterSegments, time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC))
	if !bytes.Equal(a, b) {
		t.Errorf("starter differs within a month")
	}
}

func indexOf(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
	}
	return -1
}

func TestStarterErrors(t *testing.T) {
	for _, c := range []struct {
		segs []string
		want string
	}{
		{nil, "no segments"},
		{[]string{}, "no segments"},
		{[]string{""}, "empty segment name"},
		{[]string{"enterprise", " "}, "empty segment name"},
		{[]string{"smb", "smb"}, `"smb" is named twice`},
		{[]string{"Enterprise", "enterprise"}, "same segment"},
		{[]string{"mid-market", "midmarket"}, "same segment"},
		{[]string{"north.america"}, "must not contain a dot"},
		{[]string{"a\nb"}, "control character"},
	} {
		_, err := Starter(c.segs)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Starter(%q) = %v, want an error containing %q", c.segs, err, c.want)
		}
	}
}
