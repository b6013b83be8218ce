package csvfile

import (
	"encoding/csv"
	"io"
	"regexp"
	"strings"
)

// Cell is a cell as written to a CSV file, made safe to open in a
// spreadsheet: text starting with =, +, -, @, a tab or a carriage return,
// which a spreadsheet would run as a formula (an option named
// =HYPERLINK(...), say), gets a single quote in front, so it shows as the
// text it is (OWASP's rule against CSV injection). A number, such as
// -123.5, 1e-05 or -5%, is left alone: it is no formula, and stays a
// number.
func Cell(s string) string {
	switch {
	case s == "":
		return s
	case s[0] == '\'' && Uncell(s) != s:
		// Text that reads as escaped gets a quote of its own, so that
		// Uncell gives it back.
		return "'" + s
	case !strings.ContainsRune("=+-@\t\r", rune(s[0])) || csvNumber.MatchString(s):
		return s
	}
	return "'" + s
}

// Uncell is the text of a cell Cell wrote: a csplan file read back (the
// accounts file of calibrate) names its accounts and segments as they
// were, not as escaped for a spreadsheet.
func Uncell(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r'", rune(s[1])) {
		return s[1:]
	}
	return s
}

// csvNumber is a decimal number as csplan writes one, with an optional
// exponent or percent sign.
var csvNumber = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?%?$`)

// Writer writes CSV records with every cell made safe by Cell; every
// CSV file csplan writes goes through one.
type Writer struct{ w *csv.Writer }

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{csv.NewWriter(w)} }

// Write writes one record.
func (c *Writer) Write(record []string) error {
	safe := make([]string, len(record))
	for i, s := range record {
		safe[i] = Cell(s)
	}
	return c.w.Write(safe)
}

// Flush writes what is buffered and returns the first error of any write.
func (c *Writer) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
