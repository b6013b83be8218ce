package report

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"html"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// An SVG's text is drawn as its glyphs' outlines, from the font the chart
// was laid out with, so that the file looks the same on any machine
// whatever fonts it has: with a font of other widths (DejaVu, on a stock
// Debian) legend entries ran into each other. Each glyph is defined once
// per file, in font units, and placed with <use>, which costs about 50 kB
// a chart where embedding the font would cost about 1.1 MB. The text
// stays in the file, invisible, for search, copying and screen readers.

// svgTextElement matches a text element as gonum/plot's SVG canvas writes it.
var svgTextElement = regexp.MustCompile(`<text x="([^"]+)" y="([^"]+)" transform="scale\(1, -1\)"\s+style="([^"]*)">([^<]*)</text>`)

// outlineFonts are the chart theme's faces, by font-weight.
var outlineFonts = sync.OnceValue(func() map[string]*sfnt.Font {
	out := map[string]*sfnt.Font{}
	for w, ttf := range map[string][]byte{"normal": liberationsansregular.TTF, "bold": liberationsansbold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			panic("report: the chart font does not parse: " + err.Error())
		}
		out[w] = f
	}
	return out
})

// outlineText adds the outlines of every text element of svg, and makes
// the text itself invisible.
func outlineText(svg []byte) []byte {
	h := fnv.New32a()
	h.Write(svg)
	o := outliner{prefix: fmt.Sprintf("g%x", h.Sum32()), defined: map[string]bool{}}
	body := svgTextElement.ReplaceAllFunc(svg, o.replace)
	if len(o.defs) == 0 {
		return svg
	}
	// The definitions go first inside the root element.
	end := bytes.Index(body, []byte(">\n<g"))
	if end < 0 {
		return svg
	}
	var out bytes.Buffer
	out.Write(body[:end+2])
	out.WriteString("<defs>\n")
	out.Write(o.defs)
	out.WriteString("</defs>\n")
	out.Write(body[end+2:])
	return out.Bytes()
}

type outliner struct {
	prefix  string
	defined map[string]bool
	defs    []byte
	buf     sfnt.Buffer
}

// replace writes a text element as its glyphs, placed in font units on
// the text's baseline, followed by the text, invisible.
func (o *outliner) replace(m []byte) []byte {
	sub := svgTextElement.FindSubmatch(m)
	style := string(sub[3])
	weight, size, fill := styleValue(style, "font-weight"), styleValue(style, "font-size"), styleValue(style, "fill")
	f := outlineFonts()[weight]
	px, err := strconv.ParseFloat(strings.TrimSuffix(size, "px"), 64)
	if f == nil || err != nil {
		return m
	}
	upem := fixed.Int26_6(f.UnitsPerEm())
	var uses strings.Builder
	var x fixed.Int26_6
	var prev sfnt.GlyphIndex
	for i, r := range []rune(html.UnescapeString(string(sub[4]))) {
		idx, err := f.GlyphIndex(&o.buf, r)
		if err != nil {
			continue
		}
		if i > 0 {
			if k, err := f.Kern(&o.buf, prev, idx, upem, 0); err == nil {
				x += k
			} else if !errors.Is(err, sfnt.ErrNotFound) {
				continue
			}
		}
		if id := o.glyph(f, weight, idx, upem); id != "" {
			fmt.Fprintf(&uses, `<use xlink:href="#%s" x="%d"/>`, id, x)
		}
		if adv, err := f.GlyphAdvance(&o.buf, idx, upem, 0); err == nil {
			x += adv
		}
		prev = idx
	}
	// The text's baseline is at (x, -y) of the enclosing y-up frame;
	// glyphs are defined y-up in font units.
	y, _ := strconv.ParseFloat(string(sub[2]), 64)
	var out bytes.Buffer
	fmt.Fprintf(&out, `<g transform="translate(%s, %s) scale(%s)" style="fill:%s">%s</g>`+"\n",
		sub[1], strconv.FormatFloat(-y, 'g', 6, 64), strconv.FormatFloat(px/float64(upem), 'g', -1, 64), fill, uses.String())
	out.Write(bytes.Replace(m, []byte("<text "), []byte(`<text fill-opacity="0" `), 1))
	return out.Bytes()
}

// glyph defines glyph idx of the face once, and returns its id ("" for a
// glyph with no outline, a space).
func (o *outliner) glyph(f *sfnt.Font, weight string, idx sfnt.GlyphIndex, upem fixed.Int26_6) string {
	id := fmt.Sprintf("%s%c%d", o.prefix, weight[0], idx)
	if o.defined[id] {
		return id
	}
	segs, err := f.LoadGlyph(&o.buf, idx, upem, nil)
	if err != nil || len(segs) == 0 {
		return ""
	}
	var d strings.Builder
	pt := func(p fixed.Point26_6) string { return fmt.Sprintf("%d %d", p.X, -p.Y) }
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if d.Len() > 0 {
				d.WriteString("Z")
			}
			d.WriteString("M" + pt(s.Args[0]))
		case sfnt.SegmentOpLineTo:
			d.WriteString("L" + pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			d.WriteString("Q" + pt(s.Args[0]) + " " + pt(s.Args[1]))
		case sfnt.SegmentOpCubeTo:
			d.WriteString("C" + pt(s.Args[0]) + " " + pt(s.Args[1]) + " " + pt(s.Args[2]))
		}
	}
	d.WriteString("Z")
	o.defs = fmt.Appendf(o.defs, "<path id=%q d=%q/>\n", id, d.String())
	o.defined[id] = true
	return id
}

// styleValue is the value of property in an inline style.
func styleValue(style, property string) string {
	for _, decl := range strings.Split(style, ";") {
		if k, v, ok := strings.Cut(decl, ":"); ok && strings.TrimSpace(k) == property {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
