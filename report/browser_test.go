package report

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is the browser TestBrowser drives; CI installs it (.ci/run).
const chromiumPath = "/usr/bin/chromium"

// TestBrowser opens report.html of the acme fixture, with its sensitivity
// and break-even analyses, in headless Chromium, as a reader would from disk, and checks
// that every chart and every table is there and drawn, that no table needs
// scrolling sideways, that nothing is fetched but the page itself, and
// that the browser reports no error. Without Chromium the test fails,
// unless CSPLAN_SKIP_BROWSER=1.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CSPLAN_SKIP_BROWSER") == "1" {
			t.Skipf("%s: %v; skipped because CSPLAN_SKIP_BROWSER=1", chromiumPath, err)
		}
		t.Fatalf("%s: %v (apt-get install chromium, or set CSPLAN_SKIP_BROWSER=1 to skip this test)", chromiumPath, err)
	}
	r := acmeWithSensitivity(t)
	r.Breakeven = cutBreakeven()
	dir := t.TempDir()
	charts, err := write(context.Background(), dir, r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "report.html"))}).String()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()

	var (
		mu       sync.Mutex
		problems []string
		requests []string
	)
	err = chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			e := ev.ExceptionDetails
			msg := e.Text
			if e.Exception != nil {
				msg += " " + e.Exception.Description
			}
			problems = append(problems, fmt.Sprintf("exception at %d:%d: %s", e.LineNumber, e.ColumnNumber, msg))
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("log %s (%s): %s %s", ev.Entry.Level, ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			requests = append(requests, ev.Request.URL)
		case *network.EventLoadingFailed:
			problems = append(problems, fmt.Sprintf("loading failed: %s %s", ev.ErrorText, ev.BlockedReason))
		}
	})
	if err != nil {
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}

	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{})
			return err
		}),
		chromedp.Navigate(page),
		chromedp.WaitReady("body"),
	)
	if err != nil {
		t.Fatal(err)
	}

	// What the page shows, measured by the browser after layout.
	svgs := evaluate[[]box](ctx, t, `Array.from(document.querySelectorAll("svg")).filter(s => !s.parentElement.closest("svg")).map(s => { const r = s.getBoundingClientRect(); return {Width: r.width, Height: r.height}; })`)
	tables := evaluate[[]box](ctx, t, `Array.from(document.querySelectorAll("table")).map(t => { const r = t.getBoundingClientRect(); return {Width: r.width, Height: r.height}; })`)
	figureSVGs := evaluate[map[string]int](ctx, t, `Object.fromEntries(Array.from(document.querySelectorAll("figure")).map(f => [f.id, f.querySelectorAll("svg").length]))`)
	answerItems := evaluate[int](ctx, t, `document.querySelectorAll(".answer li").length`)
	// The charts' font comes with the page, whatever the machine has.
	fonts := evaluate[[]string](ctx, t, `(async () => { await document.fonts.ready; await Promise.all([...document.fonts].map(f => f.load().catch(() => null))); return [...document.fonts].filter(f => f.status === "loaded").map(f => f.family + " " + f.weight); })()`)
	// Anything wider than the page's main column would be cut off.
	overflowing := evaluate[[]string](ctx, t, `(() => { const m = document.querySelector("main").getBoundingClientRect(); return Array.from(document.querySelectorAll("main > section, figure, figure svg, .table-wrap")).filter(e => e.getBoundingClientRect().right > m.right + 1).map(e => e.tagName + "#" + e.id); })()`)
	documentText := evaluate[string](ctx, t, `document.body.innerText`)
	// A table wider than its wrapper would have to be scrolled sideways.
	scrolling := evaluate[[]string](ctx, t, `Array.from(document.querySelectorAll(".table-wrap")).filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.closest("section").id + ": " + w.scrollWidth + " > " + w.clientWidth + " px")`)

	if !slices.Contains(fonts, "Liberation Sans 400") || !slices.Contains(fonts, "Liberation Sans 700") {
		t.Errorf("the page's own fonts loaded: %q, want Liberation Sans regular and bold", fonts)
	}
	if len(svgs) != len(charts) {
		t.Errorf("the browser finds %d charts (<svg>), want %d", len(svgs), len(charts))
	}
	for i, b := range svgs {
		if b.Width < 300 || b.Height < 100 {
			t.Errorf("chart %d is drawn %.0f×%.0f px", i, b.Width, b.Height)
		}
	}
	for _, c := range charts {
		if figureSVGs["chart-"+c.Name] != 1 {
			t.Errorf("figure chart-%s holds %d <svg>, want 1", c.Name, figureSVGs["chart-"+c.Name])
		}
	}
	d := buildDocument(r, charts)
	if want := 9; len(tables) != want { // break-even, key assumptions, differences, metrics, sensitivity, options, assumptions, standard errors, mean intervals
		t.Errorf("the browser finds %d tables, want %d", len(tables), want)
	}
	for i, b := range tables {
		if b.Width < 200 || b.Height < 40 {
			t.Errorf("table %d is drawn %.0f×%.0f px", i, b.Width, b.Height)
		}
	}
	if answerItems != len(d.Answers) {
		t.Errorf("%d answer sentences shown, want %d", answerItems, len(d.Answers))
	}
	for _, a := range d.Answers {
		if !strings.Contains(squash(documentText), squash(a.Pre+a.Option+a.Post)) {
			t.Errorf("the page does not show %q", a.Pre+a.Option+a.Post)
		}
	}
	if len(overflowing) > 0 {
		t.Errorf("wider than the page: %q", overflowing)
	}
	if len(scrolling) > 0 {
		t.Errorf("tables to scroll sideways: %q", scrolling)
	}
	if sec := d.Sensitivity; !strings.Contains(squash(documentText), squash(sec.Pre+sec.Input+sec.Post)) {
		t.Errorf("the page does not show %q", sec.Pre+sec.Input+sec.Post)
	}
	for _, s := range d.Breakeven.Sentences {
		if !strings.Contains(squash(strings.ReplaceAll(documentText, "\u00a0", " ")), squash(s)) {
			t.Errorf("the page does not show %q", s)
		}
	}

	// Printed on A4, the main report (everything before the appendix) is
	// at most eight pages.
	evaluate[bool](ctx, t, `(() => { const s = document.createElement("style"); s.textContent = "#appendix, #appendix ~ section { display: none; }"; document.head.appendChild(s); return true; })()`)
	var pdf []byte
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69})
		pdf = res.Data
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	if pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); pages < 1 || pages > 8 {
		t.Errorf("the main report prints on %d A4 pages, want 1 to 8", pages)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
	for _, u := range requests {
		if u != page && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s", u)
		}
	}
	if len(requests) == 0 {
		t.Error("no request seen: the network listener did not work")
	}
}

// box is the size of an element as the browser lays it out.
type box struct{ Width, Height float64 }

// evaluate runs a script in the page and returns its value.
func evaluate[T any](ctx context.Context, t *testing.T, script string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return v
}
