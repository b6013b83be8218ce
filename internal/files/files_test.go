package files

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files that appear in the output directory during a run are not deleted
// when the run ends; the run's output is kept beside it and named.
func TestOutputDirChecksAgainAtTheEnd(t *testing.T) {
	dir := t.TempDir()
	o, err := NewDir(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Discard()
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	os.WriteFile(filepath.Join(dir, "out", "notes.txt"), []byte("mine"), 0o644)
	err = o.Commit()
	if err == nil || !strings.Contains(err.Error(), "this run's output is in") {
		t.Fatalf("commit = %v", err)
	}
	o.Discard()
	if _, err := os.Stat(o.tmp); err != nil {
		t.Errorf("the finished output was removed: %v", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "out", "notes.txt")); string(data) != "mine" {
		t.Error("notes.txt was lost")
	}
}
