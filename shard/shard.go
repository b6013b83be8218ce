// Package shard is the file format of a shard's partial result: what
// `csplan run --shard i/n` and `csplan sweep --shard i/n` write and
// `csplan merge` reads. A part file is a short magic line, a format
// version, a gob-encoded File and a SHA-256 of everything before it, so a
// truncated or damaged part is rejected before it is decoded, and a part of
// another run is told apart by its fingerprint.
package shard

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"csplan/internal/summary"
	"csplan/results"
	"csplan/sim"
)

// Version is the part format's version. A part of another version is
// refused: merge parts made by the same csplan.
const Version = 1

// magic opens every part file.
const magic = "csplan part\n"

// FileName is the part file inside a shard's output directory.
const FileName = "part.csplan"

// Kinds of part.
const (
	KindRun      = "run"
	KindSweep    = "sweep"
	KindOptimize = "optimize"
)

// File is one shard's partial result.
type File struct {
	Kind string
	// Fingerprint identifies the run: scenario content, settings, csplan
	// version and shard count. Parts merge only with parts of the same
	// fingerprint.
	Fingerprint string
	Shard       Spec

	// A run: the results' description (everything but the numbers, which
	// come from the merge) and the shard's trials.
	Results *results.Results
	Part    *sim.Part

	// A sweep: its description (no points) and the points [First,
	// First+n) of Total, as the JSON of n results.SweepPoint (JSON keeps
	// the sign of a −0, which gob drops from struct fields).
	Sweep  *results.Sweep
	First  int
	Total  int
	Points []byte

	// An optimization: its answer so far (the problem and the screened
	// candidates) and the trials [First, First + shard's share) of every
	// survivor of the screen, Total trials in all.
	Optimize *results.Optimize
	Search   *Search
}

// Search is an optimization's state a shard carries: the problem, the
// screen, and the survivors' trials, from which merge replays the Monte
// Carlo rounds exactly as an unsharded run makes them.
type Search struct {
	Problem   []byte            // the problem, JSON
	Plans     map[string]string // the baseline's plans its steps change (scenarios.Plans)
	Today     int               // today's plan among the candidates
	Survivors []int             // the candidates the rounds start from
	// The screen: each candidate's objective, CS cost, cost by month, the
	// value of each constraint's metric and the first constraint missed.
	Objective, CSCost []float64
	ByMonth, Values   [][]float64
	Missed            []int
	// Ran are the survivors and today's plan, in that order; their trials
	// [First, End): the objective's metric, each constraint's metric (nil
	// for a budget), and the sums of the CS cost by month.
	Ran        []int
	First, End int
	Trials     [][]float64
	Metrics    [][][]float64
	Cost       [][]summary.Sum
}

// whole reports whether a search's arrays have the shapes its counts
// say: a screen of n candidates, and trials [First, End) of total for
// every plan it ran, so that merge can index them without fear.
func (s *Search) whole(n, total int) bool {
	inRange := func(is []int) bool {
		for _, i := range is {
			if i < 0 || i >= n {
				return false
			}
		}
		return true
	}
	switch {
	case s.First < 0 || s.End < s.First || s.End > total || n == 0 || s.Today < 0 || s.Today >= n:
		return false
	case len(s.Objective) != n || len(s.CSCost) != n || len(s.ByMonth) != n || len(s.Values) != n || len(s.Missed) != n:
		return false
	case len(s.Trials) != len(s.Ran) || len(s.Metrics) != len(s.Ran) || len(s.Cost) != len(s.Ran) || !inRange(s.Ran) || !inRange(s.Survivors):
		return false
	}
	months := len(s.ByMonth[0])
	for i := range n {
		if len(s.ByMonth[i]) != months || len(s.Values[i]) != len(s.Values[0]) || s.Missed[i] < -1 || s.Missed[i] >= len(s.Values[0]) {
			return false
		}
	}
	for j := range s.Ran {
		if len(s.Trials[j]) != s.End-s.First || len(s.Cost[j]) != 2*months || len(s.Metrics[j]) != len(s.Values[0]) {
			return false
		}
		for _, m := range s.Metrics[j] {
			if m != nil && len(m) != s.End-s.First {
				return false
			}
		}
	}
	return months >= 2
}

// SweepPoints decodes a sweep part's points.
func (f *File) SweepPoints() ([]results.SweepPoint, error) {
	var pts []results.SweepPoint
	if err := json.Unmarshal(f.Points, &pts); err != nil {
		return nil, fmt.Errorf("damaged: its sweep points: %v", err)
	}
	if f.First+len(pts) > f.Total {
		return nil, fmt.Errorf("damaged: sweep points %d to %d of %d", f.First, f.First+len(pts)-1, f.Total)
	}
	return pts, nil
}

// Spec is shard I of N (0-based).
type Spec struct{ I, N int }

func (s Spec) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// MaxShards bounds N: far more than an array job needs.
const MaxShards = 100_000

// ParseSpec reads "i/n" with 0 ≤ i < n.
func ParseSpec(s string) (Spec, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > MaxShards || i < 0 || i >= n {
		return Spec{}, fmt.Errorf("expected I/N with 0 ≤ I < N ≤ %d (shard I of N, counted from 0), found %q", MaxShards, s)
	}
	return Spec{I: i, N: n}, nil
}

// Fingerprint hashes the fields that must agree for parts to merge.
func Fingerprint(fields ...string) string {
	h := sha256.New()
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Encode writes f in the part format.
func Encode(f *File) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(magic)
	binary.Write(&buf, binary.BigEndian, uint32(Version))
	if err := gob.NewEncoder(&buf).Encode(f); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	return buf.Bytes(), nil
}

// Decode reads a part, checking its magic, version and checksum first and
// the shapes of its arrays after.
func Decode(data []byte) (*File, error) {
	head := len(magic) + 4
	if !bytes.HasPrefix(data, []byte(magic)) {
		if len(data) < len(magic) && bytes.HasPrefix([]byte(magic), data) {
			return nil, fmt.Errorf("truncated: %d bytes, not even a header", len(data))
		}
		return nil, fmt.Errorf("not a csplan part file (it does not start with %q)", strings.TrimSpace(magic))
	}
	if len(data) < head+sha256.Size {
		return nil, fmt.Errorf("truncated: %d bytes, not even a header and checksum", len(data))
	}
	if v := binary.BigEndian.Uint32(data[len(magic):head]); v != Version {
		return nil, fmt.Errorf("part format version %d; this csplan reads version %d (merge with the csplan that made the parts)", v, Version)
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, fmt.Errorf("damaged or truncated: its checksum does not match its contents")
	}
	var f File
	if err := gob.NewDecoder(bytes.NewReader(body[head:])).Decode(&f); err != nil {
		return nil, fmt.Errorf("damaged: %v", err)
	}
	switch {
	case f.Shard.N < 1 || f.Shard.N > MaxShards || f.Shard.I < 0 || f.Shard.I >= f.Shard.N:
		return nil, fmt.Errorf("damaged: shard %s", f.Shard)
	case f.Kind == KindRun && (f.Results == nil || f.Part == nil):
		return nil, fmt.Errorf("damaged: a run part without its results")
	case f.Kind == KindSweep && (f.Sweep == nil || f.First < 0 || f.First > f.Total || f.Total > 1<<20):
		return nil, fmt.Errorf("damaged: a sweep part without its points")
	case f.Kind == KindOptimize && (f.Optimize == nil || f.Search == nil || !f.Search.whole(len(f.Optimize.Candidates), f.Total)):
		return nil, fmt.Errorf("damaged: an optimization part without its whole search")
	case f.Kind != KindRun && f.Kind != KindSweep && f.Kind != KindOptimize:
		return nil, fmt.Errorf("damaged: unknown kind %q", f.Kind)
	}
	return &f, nil
}

// Check reports, all at once, parts that cannot be merged: parts of other
// runs (a different fingerprint from the first part), duplicated shards,
// and missing shards. names label the parts in messages.
func Check(files []*File, names []string) error {
	if len(files) == 0 {
		return fmt.Errorf("no parts to merge")
	}
	var errs []string
	first := files[0]
	seen := map[int]string{}
	for k, f := range files {
		switch {
		case f.Kind != first.Kind:
			errs = append(errs, fmt.Sprintf("%s: a %s part, %s a %s part; merge the parts of one command", names[k], f.Kind, names[0], first.Kind))
			continue
		case f.Shard.N != first.Shard.N:
			errs = append(errs, fmt.Sprintf("%s: shard %s, %s is of %d shards; merge the parts of one run", names[k], f.Shard, names[0], first.Shard.N))
			continue
		case f.Fingerprint != first.Fingerprint || f.Total != first.Total:
			errs = append(errs, fmt.Sprintf("%s: from another run than %s (the scenario, its files, trials, seed, sampling, mode or csplan version differ)", names[k], names[0]))
			continue
		}
		if prev, dup := seen[f.Shard.I]; dup {
			errs = append(errs, fmt.Sprintf("%s: shard %s is given twice (also as %s); give each shard once", names[k], f.Shard, prev))
			continue
		}
		seen[f.Shard.I] = names[k]
	}
	if len(errs) == 0 {
		var missing []string
		for i := range first.Shard.N {
			if _, ok := seen[i]; !ok {
				missing = append(missing, strconv.Itoa(i))
			}
		}
		if len(missing) > 0 {
			list := missing
			if len(list) > 20 {
				list = append(slices.Clip(list[:20]), fmt.Sprintf("and %d more", len(missing)-20))
			}
			errs = append(errs, fmt.Sprintf("missing shard%s %s of %d (shards count from 0)", plural(len(missing)), strings.Join(list, ", "), first.Shard.N))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("cannot merge:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
