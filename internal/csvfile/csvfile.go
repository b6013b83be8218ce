// Package csvfile keeps the checks csplan makes on every CSV file it
// reads (a history, costs, an accounts file) before it parses a record:
// that the file is text in UTF-8, holds no binary data and no line too
// long to be a record, and how a message quotes what the file holds; and
// the writer of every CSV file csplan writes, whose cells a spreadsheet
// cannot run as formulas.
package csvfile

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// SaveAs is what to do with a CSV file that is not UTF-8 text.
const SaveAs = "save the file as CSV UTF-8"

// MaxLine is the longest line a CSV file may have, in bytes: far more
// than a record of any file csplan reads.
const MaxLine = 1 << 20

// Problems of a file's start, as Start reports them, and of a line.
const (
	UTF16  = "the file is UTF-16 text; save it as CSV UTF-8"
	Binary = "the file is not a CSV text file: it holds binary data " + binaryKinds
	NUL    = "the file is not a CSV text file: this line holds a NUL byte, which is binary data " + binaryKinds

	binaryKinds = "(a spreadsheet such as .xlsx, a compressed file, or UTF-16 text?); export or save it as CSV UTF-8"
)

// Start looks at the first bytes of a file (8 KiB are enough): bom is
// the length of a UTF-8 byte order mark to skip; problem, when not "",
// is UTF16 or Binary, and line where it is (0 for the whole file).
func Start(head []byte) (bom int, problem string, line int) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		bom = 3
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return 0, UTF16, 1
	}
	if isBinary(head) {
		return bom, Binary, 0
	}
	return bom, "", 0
}

// isBinary reports whether the start of a file is binary data rather than
// text in some 8-bit or UTF-8 encoding: it holds a NUL byte, or control
// characters (other than tab, line feed, carriage return and form feed)
// make up more than 5 % of it.
func isBinary(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	ctl := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c == '\t' || c == '\n' || c == '\r' || c == '\f':
		case c < 0x20 || c == 0x7f:
			ctl++
		}
	}
	return ctl*20 > len(b)
}

// A LineError is a line of a file that is no CSV record: too long, or
// holding binary data. Reader returns it.
type LineError struct {
	Line int // from 1
	Msg  string
}

func (e *LineError) Error() string { return e.Msg }

// Reader reads r, a CSV file, failing with a LineError at the first line
// longer than MaxLine or holding a NUL byte, so that a parser reading
// from it never holds more than a line of MaxLine bytes.
func Reader(r io.Reader) io.Reader { return &lineReader{r: r, line: 1} }

type lineReader struct {
	r    io.Reader
	line int // the line being read
	n    int // its bytes so far
	err  error
	// A quoted field may hold line breaks, so a record may be many lines:
	// rec counts the bytes of the record being read, from recLine, and
	// quoted says whether the reader is inside a quoted field.
	rec       int
	recLine   int
	recBreaks int // line breaks inside the record so far
	quoted    bool
}

func (l *lineReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	if i := bytes.IndexByte(p[:n], 0); i >= 0 {
		line := l.line + bytes.Count(p[:i], []byte{'\n'})
		l.err = &LineError{Line: line, Msg: NUL}
		n = i
	}
	for b := p[:n]; len(b) > 0; {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.n += len(b)
			break
		}
		if l.n+i > MaxLine {
			l.n += i
			break
		}
		l.line, l.n, b = l.line+1, 0, b[i+1:]
	}
	if l.n > MaxLine {
		l.err = &LineError{Line: l.line, Msg: fmt.Sprintf("the line is longer than %d MiB, more than any record: is this a CSV file with a line per record?", MaxLine>>20)}
	}
	if l.err == nil {
		l.records(p[:n])
	}
	if l.err != nil {
		return n, l.err
	}
	return n, err
}

// records follows the records of b, failing at one longer than MaxLine:
// a quoted field's line breaks are inside its record, so a field of
// millions of short lines would otherwise get round the line limit.
func (l *lineReader) records(b []byte) {
	if l.recLine == 0 {
		l.recLine = 1
	}
	for len(b) > 0 && l.rec <= MaxLine+1 {
		i := bytes.IndexAny(b, "\"\n")
		if i < 0 {
			l.rec += len(b)
			break
		}
		if l.rec += i + 1; l.rec > MaxLine+1 {
			break
		}
		switch {
		case b[i] == '"':
			l.quoted = !l.quoted // "" inside a quoted field toggles twice
		case !l.quoted: // a line break between records
			l.recLine += 1 + l.recBreaks
			l.recBreaks, l.rec = 0, 0
		default: // a line break inside a quoted field
			l.recBreaks++
		}
		b = b[i+1:]
	}
	if l.rec > MaxLine+1 { // the limit of a line, and its line break
		l.err = &LineError{Line: l.recLine, Msg: fmt.Sprintf("the record starting here is longer than %d MiB, more than any record: a quoted field (in \"...\") that is never closed, or that holds a whole file?", MaxLine>>20)}
	}
}

// NotUTF8 says which field of rec, a record of the header or a row
// (what), is not UTF-8 text, or "" when every one is.
func NotUTF8(rec []string, what string) string {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return fmt.Sprintf("the %s is not UTF-8 text (%s); %s", what, Quote(f), SaveAs)
		}
	}
	return ""
}

// MaxQuoted is how many characters of a file's text a message quotes.
const MaxQuoted = 60

// Quote is s quoted as Go quotes it, cut to MaxQuoted characters with
// "…" when longer: a message echoes a cell or a header, never a whole
// line of some megabytes.
func Quote(s string) string { return strconv.Quote(Clip(s)) }

// Clip is s cut to MaxQuoted characters, with "…" when longer.
func Clip(s string) string {
	n := 0
	for i := range s {
		if n == MaxQuoted {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
