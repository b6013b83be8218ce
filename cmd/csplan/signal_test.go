package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"csplan/internal/files"
	"csplan/internal/signals"
)

// largeTrials is a book of 2,000,000 accounts over 240 months: a trial
// takes about half a second of one core, so a block of trials takes far
// longer than a signal may wait.
const largeTrials = `name: A large book
start: 2027-01
horizon_months: 240
segments:
  - name: smb
    accounts: 2000000
    acv: {lognormal: {median: 12k, p90: 30k}}
    churn: {annual: 10%}
    upsell: {cadence: monthly, probability: 5%, size: 10%}
`

// stopWithin is how soon csplan must exit after a signal (issue 22).
const stopWithin = 2 * time.Second

// The catalogue of signals: SIGINT, SIGTERM and SIGHUP sent to a running
// csplan end it within stopWithin, with 128 + the signal's number, and
// leave nothing in its directory but its inputs (no .tmp directory). The
// command must stop by itself, the engine checking its context between
// trials and within a large one; the grace period after which csplan
// stops regardless (signals.Grace) is a safety net, needed today only in the
// opening book of the largest trial.
func TestSignalsLeaveNothing(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX signals")
	}
	bin, err := buildCsplan()
	if err != nil {
		t.Fatal(err)
	}
	acmeData, err := os.ReadFile(acme)
	if err != nil {
		t.Fatal(err)
	}
	long := []string{"run", "s.yaml", "--trials", "1000000", "-j", "1", "-o", "out"}
	large := []string{"run", "big.yaml", "--trials", "1000", "-j", "1", "-o", "out"}
	for _, tc := range []struct {
		name string
		sig  syscall.Signal
		code int
		what string
		args []string
		// grace: the grace period may stop the command, where the
		// engine does not look at its context often enough.
		grace bool
	}{
		{"SIGINT during a run", syscall.SIGINT, 130, "interrupted", long, false},
		{"SIGTERM during a run", syscall.SIGTERM, 143, "terminated (SIGTERM)", long, false},
		{"SIGHUP during a run", syscall.SIGHUP, 129, "hung up (SIGHUP)", long, false},
		{"SIGTERM during a sweep", syscall.SIGTERM, 143, "terminated (SIGTERM)",
			[]string{"sweep", "s.yaml", "--set", "team.csms=6..18", "--trials", "100000", "-j", "1", "-o", "out"}, false},
		{"SIGHUP during a shard", syscall.SIGHUP, 129, "hung up (SIGHUP)", append(slices.Clone(long), "--shard", "0/2"), false},
		// A block of these trials takes some 15 s: the engine must stop
		// within a trial.
		{"SIGINT during a large trial", syscall.SIGINT, 130, "interrupted", large, false},
		{"SIGTERM during a large trial", syscall.SIGTERM, 143, "terminated (SIGTERM)", large, false},
		{"SIGHUP during a large trial", syscall.SIGHUP, 129, "hung up (SIGHUP)", large, false},
		// The largest trial validation allows (10,000,000 accounts over
		// 240 months, some 600 MB): the engine looks at its context
		// while it draws and books the opening book too.
		{"SIGTERM during the largest trial", syscall.SIGTERM, 143, "terminated (SIGTERM)",
			[]string{"run", "largest.yaml", "--trials", "100", "-j", "1", "-o", "out"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, t.TempDir(), map[string]string{"s.yaml": string(acmeData), "big.yaml": largeTrials,
				"largest.yaml": strings.Replace(largeTrials, "accounts: 2000000", "accounts: 10000000", 1)})
			cmd := exec.Command(filepath.Join(bin, "csplan"), tc.args...)
			cmd.Dir = dir
			stderr, took := signalWhileWriting(t, cmd, dir, tc.sig, 300*time.Millisecond)
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "csplan: "+tc.what+";") {
				t.Errorf("stderr does not say %q: %s", tc.what, stderr.String())
			}
			switch forced := strings.Contains(stderr.String(), "did not stop within"); {
			case forced && !tc.grace:
				t.Errorf("the command did not stop by itself within %v of %s (csplan stopped it): %s", signals.Grace, tc.sig, stderr.String())
			case forced:
				t.Logf("exited %v after %s, stopped by the grace period: the engine did not stop by itself", took.Round(time.Millisecond), tc.sig)
			default:
				t.Logf("exited %v after %s", took.Round(time.Millisecond), tc.sig)
			}
			if got := tree(t, dir); !slices.Equal(got, []string{"big.yaml", "largest.yaml", "s.yaml"}) {
				t.Errorf("left %v", got)
			}
		})
	}
}

// signalWhileWriting starts cmd, sends it sig once it is writing its
// output in dir (it has read and checked its inputs) and after, and
// waits at most stopWithin for it to exit. It returns its standard error
// and how long it took to exit after the signal.
func signalWhileWriting(t *testing.T, cmd *exec.Cmd, dir string, sig syscall.Signal, after time.Duration) (*bytes.Buffer, time.Duration) {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if !waitFor(func() bool { return slices.ContainsFunc(tree(t, dir), isTemporary) }, 30*time.Second) {
		cmd.Process.Kill()
		<-done
		t.Fatalf("no temporary output appeared; stderr: %s", stderr.String())
	}
	time.Sleep(after)
	sent := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(stopWithin):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running %v after %s", stopWithin, sig)
	}
	return &stderr, time.Since(sent)
}

// isTemporary reports whether a name is a temporary output of csplan's.
func isTemporary(name string) bool { return strings.Contains(name, ".tmp-") }

// waitFor polls cond until it holds or d has passed.
func waitFor(cond func() bool, d time.Duration) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}

// A command that does not stop on a signal (a loop that never looks at its
// context) is stopped when signals.Grace is over, its temporary output
// removed, with the signal's exit code.
func TestSignalStopsAStuckCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX signals")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStuckCommandHelper$")
	cmd.Env = append(os.Environ(), "CSPLAN_STUCK_DIR="+dir)
	stderr, _ := signalWhileWriting(t, cmd, dir, syscall.SIGTERM, 0)
	if code := cmd.ProcessState.ExitCode(); code != 143 {
		t.Errorf("exit %d, want 143: %s", code, stderr.String())
	}
	if want := "csplan: terminated (SIGTERM); the command did not stop within 1s, so csplan removed its unfinished output and stopped"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	if got := tree(t, dir); len(got) != 0 {
		t.Errorf("left %v", got)
	}
}

// TestStuckCommandHelper is the stuck command of TestSignalStopsAStuckCommand,
// run in a process of its own: it opens an output directory and a -o file
// in CSPLAN_STUCK_DIR and then ignores its context.
func TestStuckCommandHelper(t *testing.T) {
	dir := os.Getenv("CSPLAN_STUCK_DIR")
	if dir == "" {
		t.Skip("run by TestSignalStopsAStuckCommand")
	}
	signals.Watch(context.Background(), "csplan")
	if _, err := files.NewDir(filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	f, err := os.CreateTemp(dir, ".c.yaml.tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	files.AddTemporary(f.Name())
	select {}
}
