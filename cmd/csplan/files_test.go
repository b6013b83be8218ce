package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"csplan/internal/files"
)

// segmentHistory is a history of eight accounts in each named segment over
// 2024, three of which leave after June: enough for a retention chart per
// segment.
func segmentHistory(segments ...string) string {
	var b strings.Builder
	b.WriteString("account_id,month,mrr,segment\n")
	for i, seg := range segments {
		for a := range 8 {
			for m := 1; m <= 12 && (a >= 3 || m <= 6); m++ {
				fmt.Fprintf(&b, "s%da%d,2024-%02d,%d,%q\n", i, a, m, 100+10*a, seg)
			}
		}
	}
	return b.String()
}

// writeFiles writes each name's content under dir (directories made as
// needed) and returns dir.
func writeFiles(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tree lists every file and directory under dir, relative to it, sorted;
// the temporary files of an atomic write are listed too.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	slices.Sort(out)
	return out
}

// accountsScenario has one segment whose accounts come from accounts (a
// path relative to the scenario) and an option that reads option.
const accountsScenario = `name: Accounts from files
start: 2027-01
horizon_months: 12
trials: 20
segments:
  - name: enterprise
    accounts_file: %s
    churn:
      annual: {beta: {mean: 8%%, sd: 2%%}}
    touch: digital
options:
  - name: Fewer accounts
    set:
      segments.enterprise.accounts_file: %s
`

const (
	threeAccounts = "id,acv\na,100000\nb,50000\nc,20000\n"
	twoAccounts   = "id,acv\na,100000\nb,50000\n"
)

// The catalogue of hostile file cases (issue 22, "data loss and writing
// outside the output"): a name made from user text that climbs out of the
// output, an output over an input or over an existing file, and an output
// directory holding a file the run reads. Each names what the command must
// say (or that it succeeds) and what must be left on disk.
func TestFileRules(t *testing.T) {
	const prevMarked = "prev/" + files.Marker
	for _, tc := range []struct {
		name  string
		files map[string]string // written in the case's directory first
		link  map[string]string // then these symbolic (name: target) links
		hard  map[string]string // and hard links
		args  []string          // csplan's arguments, relative to that directory
		code  int
		want  string   // in standard error
		tree  []string // everything in the directory afterwards (nil: not checked)
		same  []string // files whose content must be unchanged
	}{
		// 1. Chart names made from segment names stay inside the chart
		// directory, are safe, and do not collide.
		{name: "segment climbing out of the chart directory", files: map[string]string{"h.csv": segmentHistory("../../../elsewhere/victim"), "elsewhere/keep": ""},
			args: []string{"calibrate", "h.csv", "-o", "cal.yaml"}, code: exitOK,
			tree: []string{"cal-accounts.csv", "cal-charts", "cal-charts/.csplan-output", "cal-charts/pareto.png", "cal-charts/pareto.svg",
				"cal-charts/retention-elsewhere-victim.png", "cal-charts/retention-elsewhere-victim.svg", "cal.yaml", "elsewhere", "elsewhere/keep", "h.csv"}},
		{name: "segment writing into the parent folder", files: map[string]string{"h.csv": segmentHistory("../../../PWNED")},
			args: []string{"calibrate", "h.csv", "-o", "cal.yaml"}, code: exitOK,
			tree: []string{"cal-accounts.csv", "cal-charts", "cal-charts/.csplan-output", "cal-charts/pareto.png", "cal-charts/pareto.svg",
				"cal-charts/retention-pwned.png", "cal-charts/retention-pwned.svg", "cal.yaml", "h.csv"}},
		{name: "segment with a slash", files: map[string]string{"h.csv": segmentHistory("x/y")},
			args: []string{"calibrate", "h.csv", "-o", "cal.yaml"}, code: exitOK,
			tree: []string{"cal-accounts.csv", "cal-charts", "cal-charts/.csplan-output", "cal-charts/pareto.png", "cal-charts/pareto.svg",
				"cal-charts/retention-x-y.png", "cal-charts/retention-x-y.svg", "cal.yaml", "h.csv"}},
		{name: "segments alike but for case and punctuation", files: map[string]string{"h.csv": segmentHistory("Mid Market", "mid-market", "Mid/Market")},
			args: []string{"calibrate", "h.csv", "-o", "cal.yaml"}, code: exitOK,
			tree: []string{"cal-accounts.csv", "cal-charts", "cal-charts/.csplan-output", "cal-charts/pareto.png", "cal-charts/pareto.svg",
				"cal-charts/retention-mid-market-2.png", "cal-charts/retention-mid-market-2.svg",
				"cal-charts/retention-mid-market-3.png", "cal-charts/retention-mid-market-3.svg",
				"cal-charts/retention-mid-market.png", "cal-charts/retention-mid-market.svg", "cal.yaml", "h.csv"}},
		{name: "segment of dots and a formula", files: map[string]string{"h.csv": segmentHistory("..", "=1+1")},
			args: []string{"calibrate", "h.csv", "-o", "cal.yaml"}, code: exitOK,
			tree: []string{"cal-accounts.csv", "cal-charts", "cal-charts/.csplan-output", "cal-charts/pareto.png", "cal-charts/pareto.svg",
				"cal-charts/retention-1-1.png", "cal-charts/retention-1-1.svg",
				"cal-charts/retention.png", "cal-charts/retention.svg", "cal.yaml", "h.csv"}},

		// 2. A single output file is never written over an input, nor
		// over an existing file without --force.
		{name: "calibrate over its own history", files: map[string]string{"h.csv": segmentHistory("smb")},
			args: []string{"calibrate", "h.csv", "-o", "h.csv"}, code: exitFailure,
			want: "writing h.csv would write over h.csv, which this command reads", tree: []string{"h.csv"}, same: []string{"h.csv"}},
		{name: "calibrate over its history, forced", files: map[string]string{"h.csv": segmentHistory("smb")},
			args: []string{"calibrate", "h.csv", "-o", "h.csv", "--force"}, code: exitFailure,
			want: "which this command reads", tree: []string{"h.csv"}, same: []string{"h.csv"}},
		{name: "calibrate over its history through a link", files: map[string]string{"data/h.csv": segmentHistory("smb")},
			link: map[string]string{"out.yaml": "data/h.csv"},
			args: []string{"calibrate", "data/h.csv", "-o", "out.yaml", "--force"}, code: exitFailure,
			want: "which this command reads", tree: []string{"data", "data/h.csv", "out.yaml"}, same: []string{"data/h.csv"}},
		{name: "calibrate over a hard link of its history", files: map[string]string{"h.csv": segmentHistory("smb")},
			hard: map[string]string{"out.yaml": "h.csv"},
			args: []string{"calibrate", "h.csv", "-o", "out.yaml", "--force"}, code: exitFailure,
			want: "which this command reads", tree: []string{"h.csv", "out.yaml"}, same: []string{"h.csv"}},
		{name: "calibrate over an existing file", files: map[string]string{"h.csv": segmentHistory("smb"), "mine.yaml": "name: mine\n"},
			args: []string{"calibrate", "h.csv", "-o", "mine.yaml"}, code: exitFailure,
			want: "mine.yaml already exists; choose another name, remove it, or give --force to replace it",
			tree: []string{"h.csv", "mine.yaml"}, same: []string{"mine.yaml"}},
		{name: "calibrate over an existing file, forced", files: map[string]string{"h.csv": segmentHistory("smb"), "mine.yaml": "name: mine\n"},
			args: []string{"calibrate", "h.csv", "-o", "mine.yaml", "--force"}, code: exitOK,
			tree: []string{"h.csv", "mine-accounts.csv", "mine-charts", "mine-charts/.csplan-output", "mine-charts/pareto.png", "mine-charts/pareto.svg",
				"mine-charts/retention-smb.png", "mine-charts/retention-smb.svg", "mine.yaml"}},
		{name: "calibrate over an existing accounts file", files: map[string]string{"h.csv": segmentHistory("smb"), "mine-accounts.csv": "id,mrr\nx,1\n"},
			args: []string{"calibrate", "h.csv", "-o", "mine.yaml"}, code: exitFailure,
			want: "mine-accounts.csv already exists; choose another name, remove it, or give --force to replace it",
			tree: []string{"h.csv", "mine-accounts.csv"}, same: []string{"mine-accounts.csv"}},
		{name: "calibrate onto a path ending in a slash", files: map[string]string{"h.csv": segmentHistory("smb")},
			args: []string{"calibrate", "h.csv", "-o", "newsub/"}, code: exitFailure,
			want: "newsub/ names a directory; give the path of the file to write", tree: []string{"h.csv"}},
		{name: "calibrate with its accounts file a link elsewhere, forced", files: map[string]string{"h.csv": segmentHistory("smb"), "notes.txt": "keep me"},
			link: map[string]string{"z-accounts.csv": "notes.txt"},
			args: []string{"calibrate", "h.csv", "-o", "z.yaml", "--force"}, code: exitFailure,
			want: "z-accounts.csv is a symbolic link", same: []string{"notes.txt"}},
		{name: "calibrate with the history as its accounts file", files: map[string]string{"h-accounts.csv": segmentHistory("smb")},
			args: []string{"calibrate", "h-accounts.csv", "-o", "h.yaml", "--force"}, code: exitFailure,
			want: "writing h-accounts.csv would write over h-accounts.csv, which this command reads", tree: []string{"h-accounts.csv"}, same: []string{"h-accounts.csv"}},
		{name: "calibrate onto a directory", files: map[string]string{"h.csv": segmentHistory("smb"), "cal/notes": "x"},
			args: []string{"calibrate", "h.csv", "-o", "cal", "--force"}, code: exitFailure,
			want: "cal is a directory; give the path of the file to write", tree: []string{"cal", "cal/notes", "h.csv"}},
		{name: "init over an existing file", files: map[string]string{"s.yaml": "name: mine\n"},
			args: []string{"init", "-o", "s.yaml"}, code: exitFailure,
			want: "s.yaml already exists; choose another name, remove it, or give --force to replace it", tree: []string{"s.yaml"}, same: []string{"s.yaml"}},
		{name: "init over an existing file, forced", files: map[string]string{"s.yaml": "name: mine\n"},
			args: []string{"init", "-o", "s.yaml", "--force"}, code: exitOK, tree: []string{"s.yaml"}},

		// 3. Every file a run reads is an input its output directory may
		// not hold, not only the scenario.
		{name: "run with its accounts file in the output", files: map[string]string{prevMarked: "", "prev/accounts.csv": threeAccounts, "two.csv": twoAccounts,
			"s.yaml": fmt.Sprintf(accountsScenario, "prev/accounts.csv", "two.csv")},
			args: []string{"run", "s.yaml", "-o", "prev", "-q"}, code: exitFailure,
			want: "the output directory prev holds an input", same: []string{"prev/accounts.csv"}},
		{name: "run with an option's accounts file in the output", files: map[string]string{prevMarked: "", "prev/two.csv": twoAccounts, "accounts.csv": threeAccounts,
			"s.yaml": fmt.Sprintf(accountsScenario, "accounts.csv", "prev/two.csv")},
			args: []string{"run", "s.yaml", "-o", "prev", "-q"}, code: exitFailure,
			want: "the output directory prev holds an input", same: []string{"prev/two.csv"}},
		{name: "sweep with its accounts file in the output", files: map[string]string{prevMarked: "", "prev/accounts.csv": threeAccounts, "two.csv": twoAccounts,
			"s.yaml": fmt.Sprintf(accountsScenario, "prev/accounts.csv", "two.csv")},
			args: []string{"sweep", "s.yaml", "--set", "team.csms=1..2", "-o", "prev", "-q"}, code: exitFailure,
			want: "the output directory prev holds an input", same: []string{"prev/accounts.csv"}},
		{name: "sweep over accounts files, one in the output", files: map[string]string{prevMarked: "", "prev/two.csv": twoAccounts, "accounts.csv": threeAccounts, "two.csv": twoAccounts,
			"s.yaml": fmt.Sprintf(accountsScenario, "accounts.csv", "two.csv")},
			args: []string{"sweep", "s.yaml", "--set", "segments.enterprise.accounts_file=accounts.csv,prev/two.csv", "-o", "prev", "-q"}, code: exitFailure,
			want: "the output directory prev holds an input", same: []string{"prev/two.csv"}},
		{name: "sensitivity with its accounts file in the output", files: map[string]string{prevMarked: "", "prev/accounts.csv": threeAccounts, "two.csv": twoAccounts,
			"s.yaml": fmt.Sprintf(accountsScenario, "prev/accounts.csv", "two.csv")},
			args: []string{"sensitivity", "s.yaml", "-o", "prev", "-q"}, code: exitFailure,
			want: "the output directory prev holds an input", same: []string{"prev/accounts.csv"}},
		{name: "run with its accounts file beside the output", files: map[string]string{prevMarked: "", "accounts.csv": threeAccounts, "two.csv": twoAccounts,
			"s.yaml": fmt.Sprintf(accountsScenario, "accounts.csv", "two.csv")},
			args: []string{"run", "s.yaml", "-o", "prev", "-q"}, code: exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, filepath.Join(t.TempDir(), "a", "b", "work"), tc.files)
			for name, target := range tc.link {
				if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			}
			for name, target := range tc.hard {
				if err := os.Link(filepath.Join(dir, target), filepath.Join(dir, name)); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			code, _, stderr := csplan(t, context.Background(), tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, want %d; stderr %q, want %q", code, tc.code, stderr, tc.want)
			}
			if tc.tree != nil {
				if got := tree(t, filepath.Join(dir, "..", "..", "..")); !slices.Equal(got, prefixed("a/b/work/", tc.tree)) {
					t.Errorf("left\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(prefixed("a/b/work/", tc.tree), "\n"))
				}
			}
			for _, name := range tc.same {
				if data, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(data) != tc.files[name] {
					t.Errorf("%s was changed or removed: %v", name, err)
				}
			}
		})
	}
}

// prefixed is names with p before each, and the directories p names.
func prefixed(p string, names []string) []string {
	var out []string
	for d := strings.TrimSuffix(p, "/"); d != "."; d = filepath.Dir(d) {
		out = append(out, d)
	}
	for _, n := range names {
		out = append(out, p+n)
	}
	slices.Sort(out)
	return out
}

// An option named like a formula, and a segment so named, reach the CSV
// files as text a spreadsheet shows rather than runs; numbers, negative
// ones too, stay numbers (issue 22, item 4).
func TestCSVOutputsNeutraliseFormulas(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{"accounts.csv": threeAccounts, "two.csv": twoAccounts,
		"s.yaml": strings.Replace(fmt.Sprintf(accountsScenario, "accounts.csv", "two.csv"), "Fewer accounts", `'=HYPERLINK("http://evil","x")'`, 1),
		"h.csv":  segmentHistory("=1+1", "@SUM(A1)")})
	t.Chdir(dir)
	if code, _, stderr := csplan(t, context.Background(), "run", "s.yaml", "-o", "out", "-q"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if code, _, stderr := csplan(t, context.Background(), "kpi", "h.csv", "--period", "month", "-o", "kpi"); code != exitOK {
		t.Fatalf("kpi: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct {
		file     string
		col      int
		want     []string // the column's text values, each at least once
		negative int      // a column holding a negative number somewhere
	}{
		{"out/summary.csv", 0, []string{"Baseline", `'=HYPERLINK("http://evil","x")`}, 10},
		{"out/timeseries.csv", 0, []string{"Baseline", `'=HYPERLINK("http://evil","x")`}, -1},
		{"kpi/kpi.csv", 2, []string{"all", "'=1+1", "'@SUM(A1)"}, -1},
	} {
		f, err := os.Open(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		seen := map[string]bool{}
		negative, reported := false, false
		for _, r := range rows[1:] {
			seen[r[tc.col]] = true
			for _, cell := range r {
				if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) && !reported {
					t.Errorf("%s: a cell a spreadsheet would run: %q", tc.file, cell)
					reported = true
				}
			}
			if tc.negative >= 0 && strings.HasPrefix(r[tc.negative], "-") {
				negative = true
			}
		}
		for _, w := range tc.want {
			if !seen[w] {
				t.Errorf("%s: no cell %q in column %d", tc.file, w, tc.col)
			}
		}
		if tc.negative >= 0 && !negative {
			t.Errorf("%s: no negative number left in column %d", tc.file, tc.negative)
		}
	}
}
