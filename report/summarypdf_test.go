package report

import (
	"bytes"
	"regexp"
	"testing"
)

// summary.pdf is one page, whatever the number of options, with its fonts
// embedded; the Acme fixture has four options, the most text.
func TestSummaryPDFIsOnePage(t *testing.T) {
	for _, f := range fixtures {
		r := loadFixture(t, f.path)
		charts, err := Charts(r, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := SummaryPDF(&buf, r, charts); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		pdf := buf.Bytes()
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF", f.name)
		}
		if n := len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(pdf, -1)); n != 1 {
			t.Errorf("%s: %d pages, want 1", f.name, n)
		}
		if !bytes.Contains(pdf, []byte("/FontFile2")) {
			t.Errorf("%s: the fonts are not embedded", f.name)
		}
	}
}
