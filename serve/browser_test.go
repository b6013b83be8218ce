//go:build !race

// The race detector slows the page's server tenfold; make test runs this
// test in its own step without it (Makefile: browser).

package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"csplan/plan"
	"csplan/report"
	"csplan/results"
	"csplan/sim"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is the browser the test drives; CI installs it (.ci/run).
const chromiumPath = "/usr/bin/chromium"

// TestWorkspaceInBrowser drives the workspace on the Acme example in
// headless Chromium as a CS leader would: the page loads with its table and
// charts; changing the enterprise churn range and the cut's month redraws
// them with the expected-mode values; a Monte Carlo run finishes and shows
// the report; a long one is cancelled; Save writes the file, comments
// kept, and a reload shows the saved values. It logs the median time from
// a change to the redrawn page (the latency the README reports). Without
// Chromium it fails, unless CSPLAN_SKIP_BROWSER=1.
func TestWorkspaceInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CSPLAN_SKIP_BROWSER") == "1" {
			t.Skipf("%s: %v; skipped because CSPLAN_SKIP_BROWSER=1", chromiumPath, err)
		}
		t.Fatalf("%s: %v (apt-get install chromium, or set CSPLAN_SKIP_BROWSER=1 to skip this test)", chromiumPath, err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "acme.yaml")
	orig, err := os.ReadFile("../scenarios/examples/acme-company.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, orig, 0o644)
	sv, err := New(path, "test")
	if err != nil {
		t.Fatal(err)
	}
	l, url, err := sv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	go sv.Serve(ctx, l)

	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromiumPath), chromedp.Flag("headless", true),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1500, 1100))
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(ctx)
	defer cancelTab()
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			problems = append(problems, e.ExceptionDetails.Text)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(what, js string, out any) {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		switch o := out.(type) {
		case *string:
			*o, _ = v.(string)
		case *int:
			f, _ := v.(float64)
			*o = int(f)
		case *[]float64:
			for _, x := range v.([]any) {
				*o = append(*o, x.(float64))
			}
		}
	}
	arr := `document.querySelector('#table tr[data-metric="arr_end"]').cells[%d].firstChild.textContent`
	cell := func(col int) string {
		var s string
		eval("read the table", fmt.Sprintf(arr, col), &s)
		return s
	}
	// change sets an input of a control (a part of it, by key) and fires
	// its change, as a user does by typing and leaving the field.
	change := func(path, key, value string) {
		js := fmt.Sprintf(`(() => { const d = document.querySelector('.control[data-path=%q]'); const i = %q ? d.querySelector('input[data-key=%q]') : d.querySelector('input'); i.value = %q; i.dispatchEvent(new Event('change')); return true; })()`, path, key, key, value)
		eval("change "+path, js, nil)
	}
	waitFor := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}

	run("load", chromedp.Navigate(url), chromedp.WaitVisible(`#table tr[data-metric="arr_end"]`))
	before := cell(1)

	// The churn range and the cut's month: the table shows the expected
	// path of the scenario with both edits.
	edits := map[string]string{"segments.enterprise.churn.annual": "{beta: {mean: 12%, sd: 2%}}", "options[0].set.team.plan": "[{from: 2027-07, csms: 9}]"}
	change("segments.enterprise.churn.annual", "mean", "12%")
	change("options[0].set.team.plan", "", "[{from: 2027-07, csms: 9}]")
	want := expectedARR(t, sv, edits)
	waitFor("the table to show the edits", fmt.Sprintf(`%s === %q && %s === %q`, fmt.Sprintf(arr, 1), want[0], fmt.Sprintf(arr, 2), want[1]))
	if before == want[0] {
		t.Errorf("the baseline's ARR did not move: %s", before)
	}
	var charts int
	eval("charts", `document.querySelectorAll('#charts svg').length`, &charts)
	if charts < 2 {
		t.Errorf("%d charts on the page", charts)
	}

	// Latency: ten changes of the churn mean, each waited for.
	eval("reset the latencies", `window.csplanLatencies = []; true`, nil)
	for i := range 10 {
		change("segments.enterprise.churn.annual", "mean", fmt.Sprintf("%d%%", 8+i%4))
		waitFor("a redraw", fmt.Sprintf(`window.csplanLatencies.length >= %d`, i+1))
	}
	var lat []float64
	eval("latencies", `window.csplanLatencies`, &lat)
	slices.Sort(lat)
	t.Logf("redraw after a change, Acme, 4 options: median %.0f ms (min %.0f, max %.0f, %d changes)", lat[len(lat)/2], lat[0], lat[len(lat)-1], len(lat))
	change("segments.enterprise.churn.annual", "mean", "12%")

	// Monte Carlo: a short run shows the report; a long one is cancelled.
	run("run", chromedp.SetValue(`#trials`, "64"), chromedp.Click(`#run`))
	waitFor("the run to finish", `document.getElementById('runstatus').textContent.startsWith('done')`)
	waitFor("the report", `(() => { const f = document.getElementById('report'); return !f.hidden && f.contentDocument && f.contentDocument.querySelectorAll('svg').length > 0; })()`)
	eval("clear the status", `document.getElementById('runstatus').textContent = ''; true`, nil)
	run("long run", chromedp.SetValue(`#trials`, "10000000"), chromedp.Click(`#run`))
	waitFor("the run to make progress", `/^\d+ of \d+ trials$/.test(document.getElementById('runstatus').textContent)`)
	run("cancel", chromedp.Click(`#cancel`))
	waitFor("the run to stop", `document.getElementById('runstatus').textContent === 'cancelled'`)

	// An input the file leaves to its default shows the default in its
	// field, a range in its parts, to be edited like any other.
	var value string
	eval("a default", `document.querySelector('.control[data-path="team.hiring_cost"] input').value`, &value)
	if value != "20000" {
		t.Errorf("the default hiring cost reads %q, want 20000", value)
	}
	change("team.handoff.churn", "mode", "1.4")
	edits["team.handoff.churn"] = "{pert: {min: 1, mode: 1.4, max: 1.5}}"
	want = expectedARR(t, sv, edits)
	// A bad month in an option's plan is said at its control, its group
	// opened.
	eval("close the group", `document.querySelector('.control[data-path="options[0].set.team.plan"]').closest('details').open = false`, nil)
	change("options[0].set.team.plan", "", "[{from: 2027-13, csms: 9}]")
	waitFor("the message at the plan", `(() => { const d = document.querySelector('.control[data-path="options[0].set.team.plan"]'); return d.closest('details').open && d.querySelector('.err').textContent.startsWith('there is no month 13'); })()`)
	change("options[0].set.team.plan", "", "[{from: 2027-07, csms: 9}]")
	waitFor("the page to be valid again", `document.getElementById('problems').textContent === '' && document.getElementById('status').textContent.endsWith('changed from the file.')`)

	// Save as without a name does not save (over the scenario).
	run("save as, no name", chromedp.Click(`#saveasbtn`))
	waitFor("the refusal", `document.getElementById('savestatus').textContent.startsWith('not saved: give the name')`)
	if now, _ := os.ReadFile(path); string(now) != string(orig) {
		t.Fatal("Save as without a name wrote the scenario")
	}

	// Save, and the saved file reloads with the edits.
	run("save", chromedp.Click(`#save`))
	waitFor("the save", `document.getElementById('savestatus').textContent.startsWith('saved')`)
	var deltas int
	eval("the table after the save", `document.querySelectorAll('#table .delta').length`, &deltas)
	if deltas != 0 {
		t.Errorf("after the save the table still shows %d values as changed", deltas)
	}
	saved, _ := os.ReadFile(path)
	for _, s := range []string{"annual: {beta: {mean: 12%, sd: 2%}}            # per trial: we are unsure of the rate", "team.plan: [{from: 2027-07, csms: 9}]", "# How coverage changes churn",
		"handoff: {churn: {pert: {min: 1, mode: 1.4, max: 1.5}}}"} {
		if !strings.Contains(string(saved), s) {
			t.Errorf("the saved file lacks %q", s)
		}
	}
	run("reload", chromedp.Navigate(url), chromedp.WaitVisible(`#table tr[data-metric="arr_end"]`))
	eval("read a control", `document.querySelector('.control[data-path="options[0].set.team.plan"] input').value`, &value)
	if value != "[{from: 2027-07, csms: 9}]" {
		t.Errorf("after a reload the cut's plan reads %q", value)
	}
	if got := cell(1); got != want[0] {
		t.Errorf("after a reload the baseline's ARR reads %s, want %s", got, want[0])
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("the page threw: %v", problems)
	}
}

// expectedARR is the ARR at the horizon of the baseline and the first
// option on the expected path of the scenario with edits, as the page's
// table writes it.
func expectedARR(t *testing.T, sv *Server, edits map[string]string) []string {
	s, _, err := sv.current().With(edits)
	if err != nil {
		t.Fatal(err)
	}
	set := plan.Settings{Settings: s.Settings}
	set.Mode, set.Trials = sim.Expected, 1
	res, err := plan.Run(context.Background(), s, set)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range res.Options[:2] {
		out = append(out, report.FormatMetric(results.ARREnd, o.Metrics[results.ARREnd].Mean, res.Currency))
	}
	return out
}
