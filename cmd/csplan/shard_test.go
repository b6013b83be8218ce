package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"csplan/internal/signals"
	"csplan/shard"
)

const acme = "../../scenarios/examples/acme-company.yaml"

// cutCSMs is a small scenario with a team and an option: light enough to
// run many times under the race detector.
const cutCSMs = "../../scenarios/examples/cut-csms.yaml"

// ok runs csplan in-process and fails the test unless it exits 0.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := csplan(t, context.Background(), args...)
	if code != exitOK {
		t.Fatalf("csplan %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// sameFiles fails unless the tree got holds the files of want, byte for
// byte, and no others.
func sameFiles(t *testing.T, want, got string) {
	t.Helper()
	files := func(root string) map[string][]byte {
		m := map[string][]byte{}
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				m[rel], _ = os.ReadFile(p)
			}
			return nil
		})
		return m
	}
	a, b := files(want), files(got)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%s has %d files, %s %d", want, len(a), got, len(b))
	}
	for name, x := range a {
		if y, found := b[name]; !found || !bytes.Equal(x, y) {
			t.Errorf("%s differs from the unsharded run's", name)
		}
	}
}

// A run split into 1, 3 or 7 shards merges into the unsharded run's
// results.json and report, byte for byte; so does a sweep.
func TestShardsMergeToTheUnshardedRun(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	ok(t, "run", cutCSMs, "--trials", "96", "--seed", "9", "-o", full, "-q")
	for _, n := range []int{1, 3, 7} {
		var parts []string
		for i := range n {
			spec := fmt.Sprintf("%d/%d", i, n)
			p := filepath.Join(dir, fmt.Sprintf("n%d", n), fmt.Sprintf("part-%d", i))
			out := ok(t, "run", cutCSMs, "--trials", "96", "--seed", "9", "--shard", spec, "-o", p, "-q")
			if !strings.Contains(out, "shard "+spec) || (n == 7 && i == 0 && !strings.Contains(out, "no trials (7 shards for 3 blocks of 32 trials)")) {
				t.Errorf("shard output does not say which shard and trials: %s", out)
			}
			parts = append(parts, p)
		}
		merged := filepath.Join(dir, fmt.Sprintf("merged%d", n))
		ok(t, append(append([]string{"merge"}, parts...), "-o", merged)...)
		sameFiles(t, full, merged)
	}

	sweep := []string{"sweep", cutCSMs, "--set", "team.pools.mid-market.csms=3..5", "--set", "segments.enterprise.price_increase=3%,7%",
		"--trials", "32", "-q"}
	ok(t, append(sweep, "-o", filepath.Join(dir, "sweep"))...)
	var parts []string
	for _, i := range []string{"2", "0", "3", "1"} { // 4 shards of 6 points, out of order
		p := filepath.Join(dir, "sweep-part-"+i)
		ok(t, append(sweep, "--shard", i+"/4", "-o", p)...)
		parts = append(parts, p)
	}
	ok(t, append(append([]string{"merge"}, parts...), "-o", filepath.Join(dir, "sweep-merged"))...)
	sameFiles(t, filepath.Join(dir, "sweep"), filepath.Join(dir, "sweep-merged"))
}

// Parts that cannot make the run are rejected, each named with its fault,
// all at once, and nothing is written.
func TestMergeRejectsBadParts(t *testing.T) {
	dir := t.TempDir()
	part := func(name, spec string, extra ...string) string {
		p := filepath.Join(dir, name)
		ok(t, append([]string{"run", cutCSMs, "--trials", "96", "--seed", "4", "--shard", spec, "-o", p, "-q"}, extra...)...)
		return p
	}
	p0, p1, p2 := part("p0", "0/3"), part("p1", "1/3"), part("p2", "2/3")
	other := part("other", "1/3", "--seed", "5")
	data, _ := os.ReadFile(filepath.Join(p1, "part.csplan"))
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	flipped := bytes.Clone(data)
	flipped[len(flipped)/2] ^= 0x10
	truncated := write("truncated.csplan", data[:len(data)*2/3])
	corrupted := write("corrupted.csplan", flipped)
	notPart := write("scenario.csplan", []byte("name: cutCSMs\n"))
	f, err := shard.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	f.Results.Version = "v0.0.1-other"
	other1, _ := shard.Encode(f)
	otherVersion := write("version.csplan", other1)
	cases := []struct {
		name  string
		parts []string
		want  []string
	}{
		{"missing", []string{p0, p2}, []string{"missing shard 1 of 3"}},
		{"duplicated", []string{p0, p1, p1, p2}, []string{"shard 1/3 is given twice"}},
		{"mismatched", []string{p0, other, p2}, []string{"other/part.csplan: from another run than"}},
		{"truncated and corrupted", []string{p0, truncated, corrupted, p2},
			[]string{"truncated.csplan: damaged or truncated", "corrupted.csplan: damaged or truncated"}},
		{"another csplan", []string{otherVersion, p0, p2}, []string{"made by csplan v0.0.1-other and this is csplan"}},
		{"not a part", []string{notPart, filepath.Join(dir, "nowhere")},
			[]string{"scenario.csplan: not a csplan part file", "nowhere: cannot read: no such file"}},
	}
	for _, c := range cases {
		out := filepath.Join(dir, "out")
		code, _, stderr := csplan(t, context.Background(), append(append([]string{"merge"}, c.parts...), "-o", out)...)
		if code != exitFailure {
			t.Errorf("%s: exit %d, want 1", c.name, code)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: error does not say %q:\n%s", c.name, w, stderr)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: merge wrote %s", c.name, out)
		}
	}
	assertOnly(t, dir, "corrupted.csplan", "other", "p0", "p1", "p2", "scenario.csplan", "truncated.csplan", "version.csplan")
}

func TestShardFlagErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", acme, "--shard", "3/3"}, "--shard: expected I/N with 0 ≤ I < N"},
		{[]string{"run", acme, "--shard", "0/2", "--mode", "expected"}, "no trials to shard"},
		{[]string{"run", acme, "--shard", "0/2", "--precision", "1%"}, "cannot be combined with --precision"},
		{[]string{"sweep", acme, "--set", "team.csms=8..9", "--shard", "x"}, "--shard: expected I/N"},
		{[]string{"run", acme, "--shard", "0/2", "--sensitivity", "valuation"}, "cannot be combined with --shard"},
		{[]string{"run", acme, "--sensitivity", "profit"}, "--sensitivity: unknown metric \"profit\""},
		{[]string{"run", acme, "--sensitivity", "valuation", "--mode", "expected"}, "needs Monte Carlo trials"},
	} {
		code, _, stderr := csplan(t, context.Background(), append(c.args, "-o", filepath.Join(dir, "out"))...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	assertOnly(t, dir)
}

// run --sensitivity adds the analysis to results.json and the report.
func TestRunWithSensitivity(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	ok(t, "run", cutCSMs, "--trials", "64", "--sensitivity", "arr_end", "-o", out, "-q")
	data, _ := os.ReadFile(filepath.Join(out, "results.json"))
	if !bytes.Contains(data, []byte(`"sensitivity": {`)) || !bytes.Contains(data, []byte(`"metric": "arr_end"`)) {
		t.Error("results.json has no sensitivity of arr_end")
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !bytes.Contains(md, []byte("## Sensitivity")) {
		t.Error("report.md has no Sensitivity section")
	}
	if _, err := os.Stat(filepath.Join(out, "charts", "tornado.png")); err != nil {
		t.Error(err)
	}
}

// An interrupted shard leaves no part behind.
func TestShardInterruptedLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, _ := csplan(t, ctx, "run", acme, "--trials", "100000", "--shard", "1/4", "-o", filepath.Join(dir, "part-1"))
	if code != signals.Interrupted {
		t.Fatalf("exit %d, want 130", code)
	}
	assertOnly(t, dir)
}
