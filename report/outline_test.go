package report

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// A text element becomes its glyphs, placed on its baseline at the font
// size, each glyph where the chart's layout measured it (the advances and
// kerning of font.Face.Width), defined once per file; the text stays,
// invisible.
func TestOutlineTextPlacesGlyphsAsTheLayoutMeasured(t *testing.T) {
	const s = "AVA Wave"
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g transform="scale(1, -1) translate(0, -405)">
<text x="16" y="-370.5" transform="scale(1, -1)"
	style="font-family:Liberation Sans;font-variant:normal;font-weight:bold;font-style:normal;font-size:20px;fill:#222222">%s</text>
</g>
</svg>
`, s)
	out := string(outlineText([]byte(svg)))
	if strings.Count(out, "<text ") != 1 || !strings.Contains(out, `<text fill-opacity="0" x="16"`) {
		t.Fatalf("the text is not kept, invisible:\n%s", out)
	}
	place := regexp.MustCompile(`<g transform="translate\(16, 370.5\) scale\(([0-9.e-]+)\)" style="fill:#222222">`).FindStringSubmatch(out)
	if place == nil {
		t.Fatalf("no glyphs on the text's baseline:\n%s", out)
	}
	scale, _ := strconv.ParseFloat(place[1], 64)
	uses := regexp.MustCompile(`<use xlink:href="#(\w+)" x="(\d+)"/>`).FindAllStringSubmatch(out, -1)
	if len(uses) != len(strings.ReplaceAll(s, " ", "")) {
		t.Fatalf("%d glyphs placed for %q", len(uses), s)
	}
	if defs := strings.Count(out, "<path id="); defs != 6 {
		t.Errorf("%d glyph definitions, want each of A, V, W, a, v and e once", defs)
	}
	face := font.DefaultCache.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}, vg.Points(20))
	// Each glyph starts where the layout puts it: the width of the text up
	// to and with it, less its own advance.
	glyph := 0
	for i, r := range []rune(s) {
		if r == ' ' {
			continue
		}
		prefix, self := string([]rune(s)[:i+1]), string(r)
		want := float64(face.Width(prefix) - face.Width(self))
		x, _ := strconv.ParseFloat(uses[glyph][2], 64)
		if got := x * scale; math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Errorf("glyph %d (%c) at %.6f pt, the layout puts it at %.6f pt", glyph, r, got, want)
		}
		glyph++
	}
}

// An SVG without text is left as it is.
func TestOutlineTextWithoutText(t *testing.T) {
	svg := []byte("<svg>\n<g>\n<path d=\"M0,0L1,1\"/>\n</g>\n</svg>\n")
	if got := outlineText(svg); string(got) != string(svg) {
		t.Errorf("changed to %s", got)
	}
}
