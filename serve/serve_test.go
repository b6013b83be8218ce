package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"csplan/scenarios"
)

// smallScenario is a quick scenario with an option, and comments the save
// must keep.
const smallScenario = `# A small book for the workspace's tests.
name: Small
start: 2027-01
horizon_months: 24
trials: 200
seed: 3
segments:
  - name: smb
    accounts: 300
    acv: 12k                        # per account
    contract: {term_months: 12}
    churn:
      annual: {beta: {mean: 10%, sd: 2%}}   # we are unsure of it

    touch:
      monthly_meeting: {per_year: 12, hours: 1, prep: 1}
team:
  csms: 3
  loaded_cost: 120k
options:
  - name: Cut one CSM
    set:
      team.plan: [{from: 2027-04, csms: 2}]   # from April
`

// workspace writes the small scenario into a temporary directory and
// serves it: the test server's URL and the server.
func workspace(t *testing.T) (*httptest.Server, *Server, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(path, []byte(smallScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	sv, err := New(path, "test")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(sv.Handler())
	t.Cleanup(func() {
		sv.cancelAll()
		ts.Close()
	})
	return ts, sv, path
}

// call sends a request with the token (unless tok is "") and decodes a
// JSON answer into out (if not nil), returning the status.
func call(t *testing.T, ts *httptest.Server, method, path, tok string, body any, out any, header ...string) int {
	t.Helper()
	var rd *strings.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	} else {
		rd = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, ts.URL+path, rd)
	if tok != "" {
		req.Header.Set("X-Csplan-Token", tok)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// Requests without the token, with a wrong one, from another origin, to
// another host name, or posting something other than JSON are refused;
// the page's script and style need no token.
func TestGuard(t *testing.T) {
	ts, sv, _ := workspace(t)
	tok := sv.Token()
	for _, c := range []struct {
		name, method, path, tok string
		header                  []string
		want                    int
	}{
		{"no token", "GET", "/api/state", "", nil, http.StatusUnauthorized},
		{"wrong token", "GET", "/api/state", "00" + tok[2:], nil, http.StatusUnauthorized},
		{"token", "GET", "/api/state", tok, nil, http.StatusOK},
		{"token in the URL", "GET", "/api/state?token=" + tok, "", nil, http.StatusOK},
		{"page without token", "GET", "/", "", nil, http.StatusUnauthorized},
		{"script without token", "GET", "/app.js", "", nil, http.StatusOK},
		{"foreign origin", "GET", "/api/state", tok, []string{"Origin", "http://evil.example"}, http.StatusForbidden},
		{"own origin", "GET", "/api/state", tok, []string{"Origin", ts.URL}, http.StatusOK},
		{"form post", "POST", "/api/expected", tok, []string{"Content-Type", "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
	} {
		if got := call(t, ts, c.method, c.path, c.tok, nil, nil, c.header...); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
	// A server that listens knows its host names: another is refused (a
	// DNS-rebinding page would send its own).
	l, url, err := sv.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go sv.Serve(ctx, l)
	req, _ := http.NewRequest("GET", url, nil)
	req.Host = "attacker.example"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("another host name: %v %v", resp, err)
	}
	if resp, err := http.Get(url); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("the printed URL: %v %v", resp, err)
	}
}

type expectedAnswer struct {
	Problems []problem `json:"problems"`
	Options  []struct {
		Name    string                `json:"name"`
		Metrics map[string]metricCell `json:"metrics"`
	} `json:"options"`
	Charts []struct{ Name, SVG string } `json:"charts"`
}

// An edit recomputes the expected path (more churn, less ARR), with the
// charts; a bad value gets validate's message at its control.
func TestExpected(t *testing.T) {
	ts, sv, _ := workspace(t)
	var a, b expectedAnswer
	call(t, ts, "POST", "/api/expected", sv.Token(), edits{}, &a)
	call(t, ts, "POST", "/api/expected", sv.Token(), edits{Set: map[string]string{"segments.smb.churn.annual": "{beta: {mean: 20%, sd: 2%}}"}}, &b)
	if len(a.Options) != 2 || len(b.Options) != 2 || len(a.Charts) == 0 || !strings.Contains(a.Charts[0].SVG, "<svg") {
		t.Fatalf("answers %+v %+v", a, b)
	}
	if !(b.Options[0].Metrics["arr_end"].Value < a.Options[0].Metrics["arr_end"].Value) {
		t.Errorf("more churn should lower ARR: %v then %v", a.Options[0].Metrics["arr_end"], b.Options[0].Metrics["arr_end"])
	}
	var bad expectedAnswer
	call(t, ts, "POST", "/api/expected", sv.Token(), edits{Set: map[string]string{"segments.smb.churn.annual": "150%"}}, &bad)
	if len(bad.Problems) != 1 || bad.Problems[0].Path != "segments.smb.churn.annual" || !strings.Contains(bad.Problems[0].Msg, "expected a probability") {
		t.Errorf("problems %+v", bad.Problems)
	}
}

// An edit of an option's change that validation refuses gets its message
// at that control, without the file's line (the value is not in the file).
func TestOptionProblemAtControl(t *testing.T) {
	ts, sv, _ := workspace(t)
	var bad expectedAnswer
	call(t, ts, "POST", "/api/expected", sv.Token(), edits{Set: map[string]string{"options[0].set.team.plan": "[{from: 2027-13, csms: 2}]"}}, &bad)
	if len(bad.Problems) != 1 || bad.Problems[0].Path != "options[0].set.team.plan" || !strings.HasPrefix(bad.Problems[0].Msg, "there is no month 13") {
		t.Errorf("problems %+v", bad.Problems)
	}
}

// An input the file leaves to its default comes with the default written
// as an edit takes it, so the page can show it in its field; a default
// that reads back differently gets none.
func TestDefaults(t *testing.T) {
	ts, sv, _ := workspace(t)
	var st struct {
		Controls []scenarios.Control `json:"controls"`
	}
	call(t, ts, "GET", "/api/state", sv.Token(), nil, &st)
	want := map[string]string{"team.handoff.churn": "{pert: {min: 1, mode: 1.2, max: 1.5}}", "team.hiring_cost": "20000",
		"team.hours_per_year": "2080", "segments.smb.onboarding.success": "100%", "team.csms": ""}
	for _, c := range st.Controls {
		if w, ok := want[c.Path]; ok {
			if c.Default != w {
				t.Errorf("%s: default %q, want %q (shown %q)", c.Path, c.Default, w, c.Shown)
			}
			delete(want, c.Path)
		}
	}
	if len(want) > 0 {
		t.Errorf("no controls %v", want)
	}
}

// Save writes the edits into the file itself, its comments and layout
// kept, and validates it; nothing is saved while invalid; a file changed
// on disk is not written over (save as instead), and save as never
// writes over a file.
func TestSave(t *testing.T) {
	ts, sv, path := workspace(t)
	tok := sv.Token()
	var out map[string]any
	call(t, ts, "POST", "/api/save", tok, edits{Set: map[string]string{"segments.smb.churn.annual": "200%"}}, &out)
	if out["problems"] == nil {
		t.Fatalf("an invalid edit was saved: %v", out)
	}
	set := map[string]string{"segments.smb.churn.annual": "{beta: {mean: 12%, sd: 2%}}", "options[0].set.team.plan": "[{from: 2027-07, csms: 2}]"}
	if code := call(t, ts, "POST", "/api/save", tok, edits{Set: set}, &out); code != http.StatusOK || out["saved"] != path {
		t.Fatalf("save: %d %v", code, out)
	}
	got, _ := os.ReadFile(path)
	want := strings.Replace(strings.Replace(smallScenario, "mean: 10%", "mean: 12%", 1), "from: 2027-04", "from: 2027-07", 1)
	if string(got) != want {
		t.Errorf("saved file:\n%s\nwant:\n%s", got, want)
	}
	if _, err := scenarios.Load(path); err != nil {
		t.Errorf("the saved file does not validate: %v", err)
	}
	// Changed on disk: refused, then saved as another file.
	os.WriteFile(path, append(got, []byte("# edited elsewhere\n")...), 0o644)
	if code := call(t, ts, "POST", "/api/save", tok, edits{Set: map[string]string{"team.csms": "4"}}, &out); code != http.StatusConflict {
		t.Errorf("a file changed on disk: status %d, %v", code, out)
	}
	other := filepath.Join(filepath.Dir(path), "other.yaml")
	if call(t, ts, "POST", "/api/save", tok, edits{Set: map[string]string{"team.csms": "4"}, Path: other}, &out); out["saved"] != other {
		t.Errorf("save as: %v", out)
	}
	out = nil
	if call(t, ts, "POST", "/api/save", tok, edits{Path: other}, &out); out["problems"] == nil {
		t.Errorf("save as over an existing file: %v", out)
	}
}

// events reads a run's server-sent events until it ends, returning the
// last event's name.
func events(t *testing.T, ts *httptest.Server, tok, id string) string {
	t.Helper()
	resp, err := http.Get(ts.URL + "/api/run/events?id=" + id + "&token=" + tok)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	last := ""
	for sc.Scan() {
		if e, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			last = e
			if e != "progress" {
				return e
			}
		}
	}
	return last
}

// A run streams to done and its report is the report's HTML; the same
// run again comes from the cache; a long run is cancelled; a run exports
// as csplan run writes.
func TestRuns(t *testing.T) {
	ts, sv, path := workspace(t)
	tok := sv.Token()
	var r1, r2 map[string]any
	call(t, ts, "POST", "/api/run", tok, edits{Trials: 64}, &r1)
	if e := events(t, ts, tok, r1["id"].(string)); e != "done" {
		t.Fatalf("run ended with %q", e)
	}
	resp, err := http.Get(ts.URL + "/api/run/report?id=" + r1["id"].(string) + "&token=" + tok)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("report: %v %v", resp, err)
	}
	resp.Body.Close()
	call(t, ts, "POST", "/api/run", tok, edits{Trials: 64}, &r2)
	if r2["cached"] != true {
		t.Errorf("the same run again was not cached: %v", r2)
	}
	var long map[string]any
	call(t, ts, "POST", "/api/run", tok, edits{Trials: 5_000_000}, &long)
	go func() {
		time.Sleep(200 * time.Millisecond)
		call(t, ts, "POST", "/api/run/cancel?id="+long["id"].(string), tok, map[string]string{}, nil)
	}()
	if e := events(t, ts, tok, long["id"].(string)); e != "cancelled" {
		t.Errorf("a cancelled run ended with %q", e)
	}
	dir := filepath.Join(filepath.Dir(path), "export")
	var out map[string]any
	call(t, ts, "POST", "/api/export", tok, edits{ID: r1["id"].(string), Path: dir}, &out)
	for _, f := range []string{"results.json", "report.html", "summary.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("export: %v (%v)", err, out)
		}
	}
}

// What a hostile test found: a malformed path, an edit that would write a
// second key or an alias, and an option index beyond any integer get a
// problem, not a panic or a patched neighbour; the run's own settings can
// be edited; bad trials are refused; a report of a run still going answers
// at once; save as a directory is refused; a private file stays private.
func TestHostileEdits(t *testing.T) {
	ts, sv, path := workspace(t)
	tok := sv.Token()
	for _, set := range []map[string]string{
		{"segments[abc": "1"},
		{"segments.smb.churn.annual": "{beta: {mean: 10%, sd: 2%}}, acv: 1"},
		{"team.csms": "&a 4", "team.loaded_cost": "*a"},
		{"options[99999999999999999999999].set.x": "1"},
		{"segments.smb.name": "big"},
	} {
		var a expectedAnswer
		if code := call(t, ts, "POST", "/api/expected", tok, edits{Set: set}, &a); code != http.StatusOK || len(a.Problems) == 0 {
			t.Errorf("%v: status %d, problems %+v", set, code, a.Problems)
		}
	}
	var ok expectedAnswer
	call(t, ts, "POST", "/api/expected", tok, edits{Set: map[string]string{"horizon_months": "12", "fiscal_year_start": "4"}}, &ok)
	if len(ok.Problems) > 0 || len(ok.Options) == 0 {
		t.Errorf("the run's settings: %+v", ok.Problems)
	}
	var r map[string]any
	call(t, ts, "POST", "/api/run", tok, edits{Trials: -1}, &r)
	if r["problems"] == nil {
		t.Errorf("trials -1 were taken: %v", r)
	}
	call(t, ts, "POST", "/api/run", tok, edits{Trials: 5_000_000}, &r)
	start := time.Now()
	if code := call(t, ts, "GET", "/api/run/report?id="+r["id"].(string), tok, nil, nil); code != http.StatusConflict || time.Since(start) > 5*time.Second {
		t.Errorf("a report of a run going: status %d after %v", code, time.Since(start))
	}
	call(t, ts, "POST", "/api/run/cancel?id="+r["id"].(string), tok, map[string]string{}, nil)
	var out map[string]any
	call(t, ts, "POST", "/api/save", tok, edits{Path: "newdir/"}, &out)
	if out["problems"] == nil {
		t.Errorf("save as a directory: %v", out)
	}
	os.Chmod(path, 0o600)
	call(t, ts, "POST", "/api/save", tok, edits{Set: map[string]string{"team.csms": "4"}}, &out)
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("a private file after a save: %v %v", info.Mode(), err)
	}
}

// A copy of a private scenario (Save as) is private too, from the start.
func TestSaveAsKeepsAPrivateFilePrivate(t *testing.T) {
	ts, sv, path := workspace(t)
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(filepath.Dir(path), "copy.yaml")
	var out map[string]any
	if call(t, ts, "POST", "/api/save", sv.Token(), edits{Set: map[string]string{"team.csms": "4"}, Path: other}, &out); out["saved"] != other {
		t.Fatalf("save as: %v", out)
	}
	if info, err := os.Stat(other); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the copy of a 0600 file: %v, %v", info.Mode().Perm(), err)
	}
}
