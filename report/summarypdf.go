package report

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"strings"
	"time"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"

	"csplan/results"
)

// summary.pdf: one landscape A4 page for a board pack: the question, the
// answer per option, the bridge of the first option and when the options
// pay back. The fonts (Liberation Sans) are embedded, so it prints the same
// everywhere.

// fixedDate is summary.pdf's creation date, so that a run gives the same
// bytes whenever and however (sharded or not) it is made.
var fixedDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Every PDF csplan writes (charts through gonum/plot's vgpdf too) gets the
// fixed date and sorted catalogues, so the same results give the same
// bytes.
func init() {
	fpdf.SetDefaultCreationDate(fixedDate)
	fpdf.SetDefaultModificationDate(fixedDate)
	fpdf.SetDefaultCatalogSort(true)
}

// A4 landscape, in millimetres.
const (
	pageW, pageH = 297.0, 210.0
	margin       = 12.0
)

// SummaryPDF writes the one-page summary of r, with the charts rendered for
// the report (its bridge and payback charts).
func SummaryPDF(w io.Writer, r *results.Results, charts []Chart) error {
	d := buildDocument(r, charts)
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.AddUTF8FontFromBytes("Sans", "", liberationsansregular.TTF)
	pdf.AddUTF8FontFromBytes("Sans", "B", liberationsansbold.TTF)
	// Same results, same bytes: sorted catalogues and a fixed date, not
	// the time of writing.
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(fixedDate)
	pdf.SetModificationDate(fixedDate)
	pdf.SetTitle(r.Scenario, true)
	pdf.SetCreator("csplan "+r.Version, true)
	pdf.AddPage()

	width := pageW - 2*margin
	pdf.SetFont("Sans", "B", 16)
	pdf.MultiCell(width, 7, d.Title, "", "L", false)
	if d.Question != "" {
		pdf.SetFont("Sans", "B", 11)
		pdf.MultiCell(width, 5.5, d.Question, "", "L", false)
	}
	pdf.SetFont("Sans", "", 8.5)
	pdf.SetTextColor(0x55, 0x55, 0x55)
	pdf.MultiCell(width, 4.5, d.Facts, "", "L", false)
	pdf.SetTextColor(0x22, 0x22, 0x22)
	pdf.Ln(1.5)

	figures := summaryFigures(d)
	chartH := 0.0
	if len(figures) > 0 {
		chartH = (width/float64(len(figures)) - 4) * 9 / 16
	}
	room := pageH - margin - chartH - 6 - pdf.GetY()
	answers := summaryAnswers(d)
	var whole []string
	for _, a := range answers {
		whole = append(whole, a.lead+" "+a.rest)
	}
	size := fitSize(pdf, whole, width-6, room)
	lineH := size * 0.45
	for _, a := range answers {
		// The verdict in bold, then the answer, hanging under the bullet.
		y := pdf.GetY()
		pdf.SetFont("Sans", "B", size)
		pdf.Text(margin, y+lineH*0.8, "•")
		pdf.SetLeftMargin(margin + 4)
		pdf.SetX(margin + 4)
		if a.lead != "" {
			pdf.Write(lineH, a.lead+" ")
		}
		pdf.SetFont("Sans", "", size)
		pdf.Write(lineH, a.rest)
		pdf.SetLeftMargin(margin)
		pdf.Ln(lineH + 1)
	}

	y := pageH - margin - chartH - 4
	for i, f := range figures {
		x := margin + float64(i)*(width/float64(len(figures)))
		name := "chart-" + f.Name
		png, err := narrower(f.PNG, i)
		if err != nil {
			return fmt.Errorf("summary.pdf: chart %s: %w", f.Name, err)
		}
		pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
		pdf.ImageOptions(name, x, y, width/float64(len(figures))-4, chartH, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	pdf.SetFont("Sans", "", 7)
	pdf.SetTextColor(0x55, 0x55, 0x55)
	pdf.Text(margin, pageH-margin+2, fmt.Sprintf("csplan %s · seed %d · the full report, with every table and assumption, is report.html", r.Version, r.Seed))
	if pdf.PageCount() != 1 {
		return fmt.Errorf("summary.pdf: %d pages, want one", pdf.PageCount())
	}
	return pdf.Output(w)
}

// narrower crops n pixel columns off the right edge of a chart (its white
// margin). fpdf writes images of the same width in the order of a map's
// iteration, which would make the bytes of summary.pdf differ from run to
// run; images of different widths it writes in order of width.
func narrower(data []byte, n int) ([]byte, error) {
	if n == 0 {
		return data, nil
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok || b.Dx() <= n {
		return data, nil
	}
	var out bytes.Buffer
	err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, sub.SubImage(image.Rect(b.Min.X, b.Min.Y, b.Max.X-n, b.Max.Y)))
	return out.Bytes(), err
}

// summaryAnswer is an option's answer in plain text: its verdict, led by
// the option's name, and the rest.
type summaryAnswer struct{ lead, rest string }

// summaryAnswers are the answer's sentences, one per option, in plain text.
func summaryAnswers(d document) []summaryAnswer {
	// "99 %" may break at its space in a PDF line: "99%" cannot.
	tight := func(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), " %", "%") }
	if len(d.Answers) == 0 {
		return []summaryAnswer{{rest: tight(d.AnswerIntro)}}
	}
	var out []summaryAnswer
	for _, a := range d.Answers {
		lead := ""
		if a.Verdict != "" {
			lead = tight(a.Option + ": " + strings.ToLower(a.Verdict[:1]) + a.Verdict[1:])
		}
		out = append(out, summaryAnswer{lead, tight(a.Pre + a.Option + a.Post)})
	}
	return out
}

// summaryFigures are the page's charts: the first option's bridge and the
// payback chart, those of them that were rendered; else the ARR fan.
func summaryFigures(d document) []Chart {
	var out []Chart
	if d.Bridge != nil && len(d.Bridge.Figures) > 0 {
		out = append(out, d.Bridge.Figures[0])
	}
	if d.Payback != nil && d.Payback.Figure != nil {
		out = append(out, *d.Payback.Figure)
	}
	if len(out) == 0 {
		for _, c := range d.Charts {
			if c.Name == "arr-fan" {
				out = append(out, c)
			}
		}
	}
	return out
}

// fitSize is the largest font size, from 10 pt down to 6, at which the
// paragraphs fit a height of room at width: the page stays one page.
func fitSize(pdf *fpdf.Fpdf, paragraphs []string, width, room float64) float64 {
	for size := 10.0; size > 6; size -= 0.5 {
		pdf.SetFont("Sans", "", size)
		h := 0.0
		for _, p := range paragraphs {
			h += float64(len(pdf.SplitText(p, width)))*size*0.45 + 1
		}
		if h <= room {
			return size
		}
	}
	return 6
}
