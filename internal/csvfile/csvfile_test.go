package csvfile

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// Reader stops at the first line too long or holding a NUL byte, naming
// its line, however the reads split the file.
func TestReader(t *testing.T) {
	long := strings.Repeat("x", MaxLine+1)
	for _, c := range []struct {
		in   string
		line int // of the error; 0 for none
	}{
		{"a,b\nc,d\n", 0},
		{"a,b\n" + strings.Repeat("x", MaxLine) + "\nc\n", 0},
		{"a,b\n" + long + "\nc\n", 2},
		{long, 1},
		{"a,b\nc,d\ne\x00f\n", 3},
		{"\x00", 1},
		// A quoted field of many short lines is one record: over the limit,
		// the error names the line it starts on.
		{"id,mrr\n\"" + strings.Repeat("abcdefg\n", MaxLine/8+1) + "\",1\n", 2},
		{"id,mrr\nx,1\n\"a\nb\"\"c\nd\",2\n" + strings.Repeat("y,3\n", MaxLine/4+10), 0},
		{"id\n\"" + strings.Repeat("a\"\"b\n", MaxLine/5+1) + "\"\n", 2},
	} {
		for _, r := range []io.Reader{strings.NewReader(c.in), iotest.OneByteReader(strings.NewReader(c.in)), iotest.HalfReader(strings.NewReader(c.in))} {
			_, err := io.Copy(io.Discard, Reader(r))
			var le *LineError
			switch {
			case c.line == 0 && err != nil:
				t.Errorf("%.20q: %v", c.in, err)
			case c.line > 0 && (!errors.As(err, &le) || le.Line != c.line):
				t.Errorf("%.20q: %v, want an error on line %d", c.in, err, c.line)
			}
		}
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("acv"); got != `"acv"` {
		t.Errorf("Quote(acv) = %s", got)
	}
	long := strings.Repeat("é", 100)
	if got, want := Quote(long), `"`+strings.Repeat("é", MaxQuoted)+`…"`; got != want {
		t.Errorf("Quote(100 é) = %s, want %s", got, want)
	}
	if got := NotUTF8([]string{"ok", "Caf\xe9"}, "row"); got != `the row is not UTF-8 text ("Caf\xe9"); save the file as CSV UTF-8` {
		t.Errorf("NotUTF8 = %s", got)
	}
}
