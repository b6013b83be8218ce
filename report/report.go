package report

// Chart is one rendered chart, in every format it is written in.
type Chart struct {
	Name    string // file stem, e.g. "arr-fan"
	Title   string // what the chart shows, as on the chart
	Caption string // one sentence under the chart in documents
	SVG     []byte
	PNG     []byte
	PDF     []byte // only when requested
}

// Options controls what is rendered.
type Options struct {
	PDF bool // also render charts as PDF
	// SVGOnly renders SVG alone (no PNG or PDF), and Only, when not
	// empty, only the charts of these names: what a page that redraws
	// on every change needs (csplan serve).
	SVGOnly bool
	Only    []string
}
