// Package files keeps csplan's rules for the files it writes, for every
// command:
//
//   - csplan writes only inside the output it was asked for: the -o
//     directory (Dir) or the -o file (WriteFile). A file name made from
//     user text (a segment's name) goes through SafeName, so it names a
//     file in that directory and nothing else.
//   - It never writes over, or deletes, a file the command reads: the
//     scenario and every accounts file it names, a history, costs, parts,
//     results (the inputs the caller gives). Names are compared with
//     symbolic links resolved, and files also by identity (os.SameFile), so
//     a link or a hard link to an input is that input.
//   - It replaces an existing output directory only when csplan wrote it
//     (or it is empty), and an existing file only with force.
//   - Every write is atomic: a temporary file or directory beside the
//     target, renamed into place when it is complete.
package files

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// temporaries are the temporary files and directories csplan is writing
// (a -o file before its rename, an output directory before its commit),
// which RemoveTemporaries removes when a command does not stop on a
// signal. The lock is held while an output is moved into place, so a
// forced exit never comes between its renames.
var temporaries = struct {
	sync.Mutex
	paths map[string]bool
}{paths: map[string]bool{}}

// AddTemporary records p, a temporary file or directory being written,
// for RemoveTemporaries.
func AddTemporary(p string) {
	temporaries.Lock()
	temporaries.paths[p] = true
	temporaries.Unlock()
}

// DropTemporary forgets p, once it is in place or removed.
func DropTemporary(p string) {
	temporaries.Lock()
	delete(temporaries.paths, p)
	temporaries.Unlock()
}

// RemoveTemporaries removes every temporary, on the way out of a command
// that did not stop on a signal. It keeps the lock: nothing is moved into
// place after it, so the process must exit next.
func RemoveTemporaries() {
	temporaries.Lock()
	for p := range temporaries.paths {
		os.RemoveAll(p)
	}
}

// maxNameLen bounds the names SafeName makes, well inside the 255 bytes
// a file name may have, leaving room for a suffix and an extension.
const maxNameLen = 100

// SafeName makes text, such as "retention-" and a segment's name, a safe
// file name: lowercase ASCII letters, digits, '-' and '_'; every other run
// of characters becomes one '-'; no '-' at either end; at most
// maxNameLen bytes; "unnamed" if nothing is left. It has no separator and
// no dot, so it cannot leave its directory or hide.
func SafeName(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		case !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	s := b.String()
	if len(s) > maxNameLen {
		s = s[:maxNameLen]
	}
	if s = strings.Trim(s, "-"); s == "" {
		return "unnamed"
	}
	return s
}

// CheckFile says why a command may not write the file path (its -o):
// it is one of inputs (the files the command reads), a directory or
// another kind of file, or it exists and force is not set.
func CheckFile(path string, force bool, inputs ...string) error {
	if strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)) {
		return fmt.Errorf("%s names a directory; give the path of the file to write, such as %s", path, filepath.Join(path, "scenario.yaml"))
	}
	if err := danglingLink(path); err != nil {
		return err
	}
	target, err := realPath(path)
	if err != nil {
		return err
	}
	fi, statErr := os.Stat(target)
	for _, in := range inputs {
		if in == "" {
			continue
		}
		r, err := realPath(in)
		if err != nil {
			return err
		}
		same := r == target
		if ii, err := os.Stat(r); err == nil && statErr == nil {
			same = same || os.SameFile(fi, ii)
		}
		if same {
			return fmt.Errorf("writing %s would write over %s, which this command reads; csplan never writes over its inputs, even with --force: choose another name", path, in)
		}
	}
	switch {
	case errors.Is(statErr, fs.ErrNotExist):
		return nil
	case statErr != nil:
		return statErr
	case fi.IsDir():
		return fmt.Errorf("%s is a directory; give the path of the file to write, such as %s", path, filepath.Join(path, "scenario.yaml"))
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s exists and is not a regular file; choose another name", path)
	case !force:
		return existsError(path)
	}
	return nil
}

// CheckCompanion is CheckFile for a file a command writes beside its -o
// file, under a name the user did not give (calibrate's opening book):
// it is not written through a symbolic link, which could point anywhere.
func CheckCompanion(path string, force bool, inputs ...string) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("%s is a symbolic link; csplan writes it beside the scenario and does not follow links there: remove it, or choose another -o", path)
	}
	return CheckFile(path, force, inputs...)
}

// WriteFile writes data to path, a command's -o file, under the
// rules of CheckFile, atomically: to a temporary file beside it,
// then renamed into place (without force, linked into place, which fails
// if a file of that name appeared meanwhile). A path that is a symbolic
// link is written where the link points, and the link kept.
func WriteFile(path string, data []byte, force bool, inputs ...string) error {
	return WriteFileMode(path, data, force, 0o644, inputs...)
}

// WriteFileMode is WriteFile with the file's permissions: a copy of a
// private file is written private from the start (the temporary file
// too), not readable by others until a chmod after it.
func WriteFileMode(path string, data []byte, force bool, perm fs.FileMode, inputs ...string) error {
	if err := CheckFile(path, force, inputs...); err != nil {
		return err
	}
	target, err := realPath(path)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	AddTemporary(tmp)
	defer DropTemporary(tmp)
	defer os.Remove(tmp)
	_, err = f.Write(data)
	for _, step := range []func() error{func() error { return f.Chmod(perm) }, f.Sync, f.Close} {
		if err == nil {
			err = step()
		}
	}
	if err != nil {
		f.Close()
		return err
	}
	if force {
		return os.Rename(tmp, target)
	}
	if err := os.Link(tmp, target); err != nil {
		if _, lerr := os.Lstat(target); lerr == nil {
			return existsError(path)
		}
		return os.Rename(tmp, target) // a file system without hard links
	}
	return nil
}

func existsError(path string) error {
	return fmt.Errorf("%s already exists; choose another name, remove it, or give --force to replace it", path)
}

// PathErr is err without the operation and path an *os.PathError repeats.
func PathErr(err error) string {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Dir is an output directory built in a temporary sibling and moved
// into place by Commit, so a failed or interrupted run leaves the previous
// output (or nothing) instead of a partial directory.
type Dir struct {
	shown  string          // the directory as the user named it, for messages
	final  string          // the same, absolute, symlinks resolved: what is replaced
	tmp    string          // the output being written
	inputs []string        // what the command reads, resolved
	names  map[string]bool // the names Name gave out
	kept   bool            // Commit refused: tmp is left for the user
}

// Marker marks a directory csplan wrote. An existing directory is
// replaced only when it is empty or has the marker: -o pointed by mistake at
// a folder of other files must not delete them.
const Marker = ".csplan-output"

// NewDir opens the output directory final (the caller discards it unless
// it commits). It refuses a final that is
// a file, a directory of files csplan did not write, the current directory
// or one above it, or one that holds any of inputs (the files the command
// reads), which replacing it would delete. Symbolic links are followed, so
// a linked output directory is replaced where it lives.
func NewDir(final string, inputs ...string) (*Dir, error) {
	d := &Dir{shown: filepath.Clean(final)}
	if err := danglingLink(final); err != nil {
		return nil, err
	}
	var err error
	if d.final, err = realPath(final); err != nil {
		return nil, err
	}
	for _, in := range inputs {
		if in != "" {
			r, err := realPath(in)
			if err != nil {
				return nil, err
			}
			d.inputs = append(d.inputs, r)
		}
	}
	if err := d.replaceable(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(d.final), 0o755); err != nil {
		return nil, err
	}
	if d.tmp, err = os.MkdirTemp(filepath.Dir(d.final), "."+filepath.Base(d.final)+".tmp-*"); err != nil {
		return nil, err
	}
	// MkdirTemp makes it private; the output is an ordinary directory
	// (a merge job may run as another user on a shared volume).
	AddTemporary(d.tmp)
	if err := os.Chmod(d.tmp, 0o755); err != nil {
		d.Discard()
		return nil, err
	}
	return d, nil
}

// realPath makes p absolute and resolves the symbolic links of the part of
// it that exists, so two names of one place compare equal.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// danglingLink refuses an output path p (a -o) whose deepest existing
// part is a symbolic link that points nowhere: csplan follows links, so it
// would write where the link points and fail only then, at the end of a
// run.
func danglingLink(p string) error {
	abs, err := filepath.Abs(p)
	if err != nil {
		return err
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		if fi, err := os.Lstat(dir); err == nil {
			if fi.Mode()&fs.ModeSymlink == 0 {
				return nil
			}
			if _, err := os.Stat(dir); err == nil {
				return nil
			}
			target, _ := os.Readlink(dir)
			shown := p
			if dir != abs {
				shown = fmt.Sprintf("%s (%s)", p, dir)
			}
			return fmt.Errorf("-o %s is a symbolic link to %s, which does not exist; create %s, or remove the link", shown, target, target)
		}
		if filepath.Dir(dir) == dir {
			return nil
		}
	}
}

// within reports whether path is dir or lies under it (both resolved).
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}

// replaceable reports why the output directory may not be replaced.
func (d *Dir) replaceable() error {
	if cwd, err := os.Getwd(); err == nil {
		if c, err := realPath(cwd); err == nil && within(c, d.final) {
			return fmt.Errorf("-o %s is the current directory or holds it, and csplan replaces its output directory whole; name a directory inside it, such as -o out", d.shown)
		}
	}
	for _, in := range d.inputs {
		if within(in, d.final) {
			return fmt.Errorf("the output directory %s holds an input, %s, and csplan replaces its output directory whole; write the output elsewhere", d.shown, in)
		}
	}
	fi, err := os.Stat(d.final)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a directory", d.shown)
	}
	if _, err := os.Stat(filepath.Join(d.final, Marker)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(d.final)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	var names []string
	for _, e := range entries[:min(3, len(entries))] {
		names = append(names, e.Name())
	}
	if len(entries) > 3 {
		names = append(names, "…")
	}
	return fmt.Errorf("%s already holds files csplan did not write (%s), and csplan replaces its output directory whole; name a new or empty directory (an output of a csplan older than the %s marker has to be removed by hand once)", d.shown, strings.Join(names, ", "), Marker)
}

// Path is where the file name of the output is written before Commit.
func (d *Dir) Path(name string) string { return filepath.Join(d.tmp, name) }

// Temp is the directory being written, which Commit moves into place.
func (d *Dir) Temp() string { return d.tmp }

// Write writes data as the file name of the output.
func (d *Dir) Write(name string, data []byte) error {
	return os.WriteFile(d.Path(name), data, 0o644)
}

// Name is SafeName(text), made distinct from every name it gave out
// before by a suffix -2, -3 and so on: texts that make the same name (a
// segment "Mid Market" and another "mid-market") get their own files, in
// the order they are named.
func (d *Dir) Name(text string) string {
	if d.names == nil {
		d.names = map[string]bool{}
	}
	base := SafeName(text)
	n := base
	for i := 2; d.names[n]; i++ {
		n = base + "-" + strconv.Itoa(i)
	}
	d.names[n] = true
	return n
}

// Commit replaces the final directory with the finished one. The checks of
// NewDir are made again, since a long run gives time for files to
// appear there; if they fail, the finished output is kept where it is.
func (d *Dir) Commit() error {
	if err := d.replaceable(); err != nil {
		d.kept = true
		return fmt.Errorf("%w; this run's output is in %s", err, d.tmp)
	}
	if err := os.WriteFile(filepath.Join(d.tmp, Marker), []byte("csplan writes this directory and replaces it whole when run again with -o\n"), 0o644); err != nil {
		return err
	}
	temporaries.Lock()
	old := ""
	if _, err := os.Stat(d.final); err == nil {
		old = d.tmp + ".old"
		if err := os.Rename(d.final, old); err != nil {
			temporaries.Unlock()
			return err
		}
		temporaries.paths[old] = true // the replaced output, removed below
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		if old != "" {
			os.Rename(old, d.final)
			delete(temporaries.paths, old)
		}
		temporaries.Unlock()
		return err
	}
	delete(temporaries.paths, d.tmp)
	temporaries.Unlock()
	if old != "" {
		defer DropTemporary(old)
		return os.RemoveAll(old)
	}
	return nil
}

// Finish ends the writing of the directory, in one order: write puts the
// files into it; then, unless ctx is done meanwhile (the command was
// interrupted), each of beside writes what goes beside the directory (a
// -o file), and Commit replaces the previous output. On an error nothing
// is committed.
func (d *Dir) Finish(ctx context.Context, write func() error, beside ...func() error) error {
	if err := write(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, f := range beside {
		if err := f(); err != nil {
			return err
		}
	}
	return d.Commit()
}

// Discard removes the unfinished directory, unless Commit kept it.
func (d *Dir) Discard() {
	if !d.kept {
		os.RemoveAll(d.tmp)
	}
	DropTemporary(d.tmp)
}
