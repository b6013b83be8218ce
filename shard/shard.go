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
	KindRun   = "run"
	KindSweep = "sweep"
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
	case f.Kind != KindRun && f.Kind != KindSweep:
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
