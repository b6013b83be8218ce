package shard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"csplan/results"
	"csplan/sim"
	"csplan/sim/dist"
)

func sample() *File {
	return &File{Kind: KindSweep, Fingerprint: Fingerprint("a", "b"), Shard: Spec{1, 3},
		Sweep: &results.Sweep{Scenario: "s", Metric: "valuation"}, First: 2, Total: 6,
		Points: []byte(`[{"values":["8"],"numbers":[8],"metrics":{"valuation":{"mean":-0,"p50":1}}}]`)}
}

func TestRoundTrip(t *testing.T) {
	data, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	f, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := f.SweepPoints()
	if err != nil {
		t.Fatal(err)
	}
	if v := pts[0].Metrics["valuation"]; f.Fingerprint != sample().Fingerprint || f.Shard != (Spec{1, 3}) || v.P50 != 1 || !math.Signbit(v.Mean) {
		t.Fatalf("round trip lost data: %+v %+v", f, pts)
	}
}

func TestDecodeRejects(t *testing.T) {
	good, _ := Encode(sample())
	flipped := []byte(string(good))
	flipped[len(flipped)/2] ^= 1
	v2 := []byte(string(good))
	v2[len(magic)+3] = 2
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"text", []byte("name: acme\n"), "not a csplan part"},
		{"header only", good[:len(magic)+4], "truncated"},
		{"truncated", good[:len(good)-100], "checksum does not match"},
		{"flipped bit", flipped, "checksum does not match"},
		{"other version", v2, "format version 2"},
	}
	for _, c := range cases {
		_, err := Decode(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	part := func(i, n int, fp string) *File { return &File{Kind: KindRun, Fingerprint: fp, Shard: Spec{i, n}} }
	cases := []struct {
		files []*File
		want  []string
	}{
		{[]*File{part(0, 3, "x"), part(2, 3, "x")}, []string{"missing shard 1 of 3"}},
		{[]*File{part(0, 3, "x"), part(0, 3, "x"), part(1, 3, "x"), part(2, 3, "x")}, []string{"p1: shard 0/3 is given twice (also as p0)"}},
		{[]*File{part(0, 2, "x"), part(1, 2, "y")}, []string{"p1: from another run than p0"}},
		{[]*File{part(0, 2, "x"), part(1, 3, "x")}, []string{"p1: shard 1/3, p0 is of 2 shards"}},
		{[]*File{part(0, 2, "x"), {Kind: KindSweep, Fingerprint: "x", Shard: Spec{1, 2}}}, []string{"p1: a sweep part, p0 a run part"}},
		{[]*File{part(0, 9, "x")}, []string{"missing shards 1, 2, 3, 4, 5, 6, 7, 8 of 9"}},
	}
	for _, c := range cases {
		names := []string{"p0", "p1", "p2", "p3"}[:len(c.files)]
		err := Check(c.files, names)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("error %v, want %q", err, w)
			}
		}
	}
	if err := Check([]*File{part(1, 2, "x"), part(0, 2, "x")}, []string{"a", "b"}); err != nil {
		t.Errorf("complete parts rejected: %v", err)
	}
}

func TestParseSpec(t *testing.T) {
	for _, s := range []string{"0/1", "6/7", " 2/3 "} {
		if _, err := ParseSpec(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "3", "3/3", "-1/2", "1/0", "a/b", "1/2/3", "0/1000001"} {
		if _, err := ParseSpec(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

// frame wraps a body in the header and checksum, so the fuzzer reaches
// the decoder behind the checksum.
func frame(body []byte) []byte {
	var b bytes.Buffer
	b.WriteString(magic)
	binary.Write(&b, binary.BigEndian, uint32(Version))
	b.Write(body)
	sum := sha256.Sum256(b.Bytes())
	return append(b.Bytes(), sum[:]...)
}

// FuzzDecode: no body, checksummed or not, makes Decode or a merge of what
// it accepts panic.
func FuzzDecode(f *testing.F) {
	good, _ := Encode(sample())
	body := good[len(magic)+4 : len(good)-sha256.Size]
	f.Add(body)
	f.Add(body[:len(body)/2])
	f.Add(runBody(f))
	f.Fuzz(func(t *testing.T, body []byte) {
		Decode(body)
		p, err := Decode(frame(body))
		if err != nil {
			return
		}
		if p.Kind == KindRun {
			sim.Merge(context.Background(), []*sim.Part{p.Part})
		} else {
			p.SweepPoints()
		}
		if _, err := Encode(p); err != nil {
			t.Fatal(err)
		}
	})
}

// runBody is the body of a small run's part.
func runBody(f testing.TB) []byte {
	m := sim.Model{Horizon: 3, Segments: []sim.Segment{{Name: "s", Count: 2, ACV: dist.Const(1200), TermMonths: 12,
		OnboardingSuccess: sim.Fixed("o", 1), PriceIncrease: sim.Fixed("p", 0),
		Churn:       sim.Churn{Rate: sim.Fixed("c", 0.1), RateMonths: 12},
		Upsell:      sim.Movement{Probability: sim.Fixed("u", 0), Size: dist.Const(0)},
		Contraction: sim.Movement{Probability: sim.Fixed("d", 0), Size: dist.Const(0)}}}}
	part, err := sim.RunShard(context.Background(), []sim.Option{{Name: "Baseline", Model: m}}, sim.Settings{Trials: 40, Seed: 1}, 0, 1, nil)
	if err != nil {
		f.Fatal(err)
	}
	data, err := Encode(&File{Kind: KindRun, Fingerprint: "x", Shard: Spec{0, 1}, Results: &results.Results{}, Part: part})
	if err != nil {
		f.Fatal(err)
	}
	return data[len(magic)+4 : len(data)-sha256.Size]
}
