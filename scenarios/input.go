package scenarios

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// Input is a kind of file csplan reads (a scenario, an accounts file, a
// history, costs, a part, results), with the rule every command reads
// them by: only a regular file is read, and only one no larger than
// Limit. Both are checked before a byte is read or a buffer allocated, so
// a named pipe (FIFO) cannot block csplan, nor a device such as /dev/zero
// feed it forever.
type Input struct {
	What  string // what the file should be, for messages: "scenario", "CSV file"
	Limit int64  // the largest file read, in bytes
	Large string // why a larger file is refused, after "the file is larger than N; "
}

// InputError is a file refused by its kind or size, before it was read.
type InputError struct {
	Path, Msg string
}

func (e *InputError) Error() string { return e.Path + ": " + e.Msg }

// The inputs with limits of their own.
var (
	ScenarioInput = Input{What: "scenario", Limit: MaxFileSize, Large: "a scenario is a hand-written file (is this the right file?)"}
	// 10,000,000 accounts (the most a segment may have) take about 300 MB.
	AccountsInput = Input{What: "accounts file", Limit: maxAccountsFileSize, Large: "an accounts file of 10,000,000 accounts, the most a segment holds, is about 300 MiB"}
)

// Open opens the file at path for reading under the input's rule. The
// file is opened without blocking, so that a FIFO put in its place after
// the check is caught when it is checked again.
func (in Input) Open(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := in.check(path, fi); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if fi, err = f.Stat(); err == nil {
		err = in.check(path, fi)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Read reads the whole file at path under the input's rule; a file that
// grows past the limit while it is read is refused too.
func (in Input) Read(path string) ([]byte, error) {
	f, err := in.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, in.Limit+1))
	if err == nil && int64(len(data)) > in.Limit {
		return nil, in.tooLarge(path)
	}
	return data, err
}

// check refuses what is not a regular file, and a file over the limit.
func (in Input) check(path string, fi fs.FileInfo) error {
	const only = "csplan reads only regular files, so that nothing can block it or feed it without end"
	var msg string
	switch m := fi.Mode(); {
	case m.IsRegular():
		if fi.Size() > in.Limit {
			return in.tooLarge(path)
		}
		return nil
	case m.IsDir():
		msg = fmt.Sprintf("this is a directory, not %s; give the path of the %s", article(in.What), in.What)
	case m&fs.ModeNamedPipe != 0:
		msg = "this is a named pipe (FIFO), not a regular file; " + only + ": save the data to a file and give its path"
	case m&fs.ModeDevice != 0:
		msg = fmt.Sprintf("this is a device, not a regular file; %s: give the path of the %s", only, in.What)
	case m&fs.ModeSocket != 0:
		msg = "this is a socket, not a regular file; " + only + ": save the data to a file and give its path"
	default:
		msg = fmt.Sprintf("this is not a regular file; %s: give the path of the %s", only, in.What)
	}
	return &InputError{Path: path, Msg: msg}
}

func (in Input) tooLarge(path string) error {
	return &InputError{Path: path, Msg: fmt.Sprintf("the file is larger than %s; %s", sizeText(in.Limit), in.Large)}
}

// article puts "a" or "an" before a noun.
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// sizeText writes a limit in bytes as MiB or GiB.
func sizeText(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}
