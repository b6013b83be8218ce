package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"csplan/internal/files"
	"csplan/plan"
	"csplan/report"
	"csplan/results"
	"csplan/scenarios"
	"csplan/sim"
)

// current is the scenario as opened or last saved.
func (sv *Server) current() *scenarios.Scenario {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.s
}

// state is what the page starts from: the scenario, its controls and its
// options.
func (sv *Server) state(w http.ResponseWriter, _ *http.Request) {
	s := sv.current()
	var opts []string
	for _, o := range s.Options {
		opts = append(opts, o.Name)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name": s.Name, "question": s.Question, "file": filepath.Base(sv.path), "currency": s.Currency,
		"controls": withDefaults(s), "options": opts, "trials": s.Settings.Trials, "seed": s.Settings.Seed,
	})
}

// withDefaults are s's controls, each default (scenarios.Control.Default)
// kept only when the scenario with it as an edit is valid and shows the
// same default, so that leaving the field as it is changes nothing.
func withDefaults(s *scenarios.Scenario) []scenarios.Control {
	cs := s.Controls()
	for i, c := range cs {
		if c.Default == "" {
			continue
		}
		cs[i].Default = ""
		n, _, err := s.With(map[string]string{c.Path: c.Default})
		if err != nil {
			continue
		}
		for _, d := range n.Controls() {
			if d.Path == c.Path && d.Shown == c.Shown {
				cs[i].Default = c.Default
			}
		}
	}
	return cs
}

// headline are the metrics the page tables, in the catalogue's order.
var headline = []string{results.ARREnd, results.RevenueTotal, results.NRR12m, results.GRR12m, results.LogosEnd,
	results.CSCostTotal, results.GrossProfitTotal, results.ContributionTotal, results.Valuation}

// pageCharts are the charts the page redraws on every change.
var pageCharts = []string{"arr-fan", "comparison"}

// metricCell is one number of the page's table: its value and as shown.
type metricCell struct {
	Value float64 `json:"value"`
	Text  string  `json:"text"`
}

// expected recomputes the expected path of the scenario with the page's
// edits, every option, and returns the table and the charts; or the
// problems of the edits, each at its control.
func (sv *Server) expected(w http.ResponseWriter, r *http.Request) {
	e, ok := readEdits(w, r)
	if !ok {
		return
	}
	s, _, err := sv.current().With(e.Set)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"problems": problems(sv.current(), err, e.Set)})
		return
	}
	set := plan.Settings{Settings: s.Settings, Version: sv.version}
	set.Mode, set.Trials = sim.Expected, 1
	res, err := plan.Run(r.Context(), s, set)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"problems": problems(s, err, e.Set)})
		return
	}
	charts, err := report.Charts(res, report.Options{SVGOnly: true, Only: pageCharts})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var labels []map[string]string
	for _, k := range headline {
		if q, ok := results.MetricByKey(k); ok {
			labels = append(labels, map[string]string{"key": k, "label": q.Label})
		}
	}
	var options []map[string]any
	for _, o := range res.Options {
		cells := map[string]metricCell{}
		for _, k := range headline {
			if m, ok := o.Metrics[k]; ok {
				cells[k] = metricCell{m.Mean, report.FormatMetric(k, m.Mean, res.Currency)}
			}
		}
		options = append(options, map[string]any{"name": o.Name, "metrics": cells})
	}
	var svgs []map[string]string
	for _, c := range charts {
		svgs = append(svgs, map[string]string{"name": c.Name, "title": c.Title, "svg": string(c.SVG)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"labels": labels, "options": options, "charts": svgs})
}

// run is a Monte Carlo run of the scenario with edits.
type run struct {
	key    string
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	count  [2]int // trials done, of all
	res    *results.Results
	err    error
}

// startRun starts a Monte Carlo run of the scenario with the page's edits
// (its trials, or the page's), or finds it in the cache by its content.
func (sv *Server) startRun(w http.ResponseWriter, r *http.Request) {
	e, ok := readEdits(w, r)
	if !ok {
		return
	}
	s, data, err := sv.current().With(e.Set)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"problems": problems(sv.current(), err, e.Set)})
		return
	}
	set := plan.Settings{Settings: s.Settings, Version: sv.version}
	set.Mode = sim.MonteCarlo
	if e.Trials != 0 {
		set.Trials = e.Trials
	}
	if set.Trials < 1 || set.Trials > 10_000_000 {
		writeJSON(w, http.StatusOK, map[string]any{"problems": []problem{{Path: "trials", Msg: fmt.Sprintf("trials must be between 1 and 10,000,000, got %d", set.Trials)}}})
		return
	}
	k := key(data, set.Trials, set.Seed)
	id := newID()
	ctx, cancel := context.WithCancel(sv.base)
	ru := &run{key: k, cancel: cancel, done: make(chan struct{})}
	sv.mu.Lock()
	cached := sv.done[k]
	sv.keepRun(id, ru)
	sv.mu.Unlock()
	if cached != nil {
		ru.res, ru.count = cached, [2]int{set.Trials, set.Trials}
		close(ru.done)
		cancel()
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "cached": true})
		return
	}
	set.Progress = func(done, total int) {
		ru.mu.Lock()
		ru.count = [2]int{done, total}
		ru.mu.Unlock()
	}
	go func() {
		defer close(ru.done)
		defer cancel()
		res, err := plan.Run(ctx, s, set)
		ru.mu.Lock()
		ru.res, ru.err = res, err
		ru.mu.Unlock()
		if err == nil {
			sv.mu.Lock()
			sv.cache(k, res)
			sv.mu.Unlock()
		}
	}()
	writeJSON(w, http.StatusOK, map[string]any{"id": id})
}

// keepRun records run ru under id, cancelling the one running (one runs
// at a time) and forgetting the oldest beyond maxRuns; sv.mu is held.
func (sv *Server) keepRun(id string, ru *run) {
	for _, old := range sv.runs {
		old.cancel()
	}
	sv.runs[id], sv.order = ru, append(sv.order, id)
	for len(sv.order) > maxRuns {
		delete(sv.runs, sv.order[0])
		sv.order = sv.order[1:]
	}
}

// cache keeps a finished run's results by key, forgetting the oldest
// beyond maxCached; sv.mu is held.
func (sv *Server) cache(k string, res *results.Results) {
	if _, ok := sv.done[k]; !ok {
		sv.cached = append(sv.cached, k)
	}
	sv.done[k] = res
	for len(sv.cached) > maxCached {
		delete(sv.done, sv.cached[0])
		sv.cached = sv.cached[1:]
	}
}

// finished is a run's results when it has finished, or why not.
func finished(ru *run) (*results.Results, string) {
	select {
	case <-ru.done:
	default:
		return nil, "the run has not finished; wait for it, or cancel it"
	}
	if ru.res == nil {
		return nil, "the run did not finish (cancelled or failed)"
	}
	return ru.res, ""
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// find is the run of a request's id.
func (sv *Server) find(w http.ResponseWriter, r *http.Request) (*run, bool) {
	sv.mu.Lock()
	ru := sv.runs[r.URL.Query().Get("id")]
	sv.mu.Unlock()
	if ru == nil {
		http.Error(w, "csplan serve: no such run", http.StatusNotFound)
	}
	return ru, ru != nil
}

// events streams a run's progress as server-sent events: progress (done,
// total) every tenth of a second, then done, cancelled or failed.
func (sv *Server) events(w http.ResponseWriter, r *http.Request) {
	ru, ok := sv.find(w, r)
	if !ok {
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "csplan serve: streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	send := func(event, data string) {
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data)
		fl.Flush()
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ru.done:
			ru.mu.Lock()
			res, err := ru.res, ru.err
			ru.mu.Unlock()
			switch {
			case err != nil && errors.Is(err, context.Canceled):
				send("cancelled", "{}")
			case err != nil:
				send("failed", jsonText(map[string]string{"msg": err.Error()}))
			default:
				send("done", jsonText(map[string]any{"trials": res.Trials}))
			}
			return
		case <-tick.C:
			ru.mu.Lock()
			c := ru.count
			ru.mu.Unlock()
			send("progress", jsonText(map[string]int{"done": c[0], "total": c[1]}))
		}
	}
}

// cancel stops a run.
func (sv *Server) cancel(w http.ResponseWriter, r *http.Request) {
	ru, ok := sv.find(w, r)
	if !ok {
		return
	}
	ru.cancel()
	<-ru.done
	writeJSON(w, http.StatusOK, map[string]bool{"cancelled": true})
}

// cancelAll stops every run, when the server stops.
func (sv *Server) cancelAll() {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	for _, ru := range sv.runs {
		ru.cancel()
	}
}

// report is a finished run's report.html: the answer, bridges, payback
// and charts as csplan run writes them.
func (sv *Server) report(w http.ResponseWriter, r *http.Request) {
	ru, ok := sv.find(w, r)
	if !ok {
		return
	}
	res, why := finished(ru)
	if res == nil {
		http.Error(w, "csplan serve: "+why, http.StatusConflict)
		return
	}
	charts, err := report.Charts(res, report.Options{SVGOnly: true})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := report.HTML(&b, res, charts); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
	w.Write(b.Bytes())
}

// save writes the scenario with the page's edits: to its own file, unless
// the file changed on disk since it was opened or saved (then the page
// is told to save as), or to the path asked, which must not exist. The
// scenario is validated first; the file is written atomically.
func (sv *Server) save(w http.ResponseWriter, r *http.Request) {
	e, ok := readEdits(w, r)
	if !ok {
		return
	}
	sv.mu.Lock()
	defer sv.mu.Unlock()
	s, data, err := sv.s.With(e.Set)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"problems": problems(sv.s, err, e.Set)})
		return
	}
	if e.Path != "" {
		sv.saveAs(w, e.Path, data)
		return
	}
	now, err := os.ReadFile(sv.path)
	if err != nil || !bytes.Equal(now, sv.disk) {
		writeJSON(w, http.StatusConflict, map[string]any{"problems": []problem{{Path: "save", Msg: fmt.Sprintf("%s was changed or removed on disk since it was opened; nothing was saved. Save as another file, or reopen it (the changes here are then lost).", filepath.Base(sv.path))}}, "conflict": true})
		return
	}
	info, err := os.Stat(sv.path)
	if err == nil {
		err = files.WriteFileMode(sv.path, data, true, info.Mode().Perm()) // a private file stays private
	}
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"problems": []problem{{Path: "save", Msg: pageMessage(err)}}})
		return
	}
	sv.s, sv.disk = s, data
	writeJSON(w, http.StatusOK, map[string]any{"saved": sv.path})
}

// saveAs writes data to a new file at path (beside the scenario when
// relative), never over a file; sv.mu is held.
func (sv *Server) saveAs(w http.ResponseWriter, path string, data []byte) {
	target := path
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(sv.path), target)
	}
	var msg string
	switch {
	case strings.TrimSpace(path) == "":
		msg = "give the name of the file to save as"
	case strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)):
		msg = path + " names a directory; give a file name, such as my-plan.yaml"
	default:
		if _, err := os.Lstat(target); err == nil {
			msg = path + " already exists; save as another name"
		} else if _, err := os.Stat(filepath.Dir(target)); err != nil {
			msg = "the directory " + filepath.Dir(target) + " does not exist"
		} else if err := files.WriteFileMode(target, data, false, sv.perm(), sv.path); err != nil {
			msg = pageMessage(err)
		}
	}
	if msg != "" {
		writeJSON(w, http.StatusOK, map[string]any{"problems": []problem{{Path: "saveas", Msg: msg}}})
		return
	}
	sv.saved = append(sv.saved, target)
	writeJSON(w, http.StatusOK, map[string]any{"saved": target})
}

// perm is the permissions a copy of the scenario gets: the scenario's own,
// so that a copy of a private file is private too.
func (sv *Server) perm() fs.FileMode {
	if info, err := os.Stat(sv.path); err == nil {
		return info.Mode().Perm()
	}
	return 0o644
}

// pageMessage is a file error as the page says it: without the command
// line's flags, which the page has none of.
func pageMessage(err error) string {
	msg := err.Error()
	for _, cut := range []string{", or give --force to replace it", "; give --force to replace it"} {
		msg = strings.ReplaceAll(msg, cut, "")
	}
	return strings.ReplaceAll(msg, "-o ", "")
}

// reopen reads the scenario file again, for a page whose save found it
// changed on disk.
func (sv *Server) reopen(w http.ResponseWriter, _ *http.Request) {
	s, err := plan.Load([]string{sv.path}, nil)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"problems": []problem{{Msg: err.Error()}}})
		return
	}
	disk, err := os.ReadFile(sv.path)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"problems": []problem{{Msg: err.Error()}}})
		return
	}
	sv.mu.Lock()
	sv.s, sv.disk = s, disk
	sv.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"reopened": sv.path})
}

// export writes a finished run's report directory as csplan run does:
// results.json and every report file, replaced only whole.
func (sv *Server) export(w http.ResponseWriter, r *http.Request) {
	e, ok := readEdits(w, r)
	if !ok {
		return
	}
	sv.mu.Lock()
	ru := sv.runs[e.ID]
	sv.mu.Unlock()
	if ru == nil || e.Path == "" {
		writeJSON(w, http.StatusOK, map[string]any{"problems": []problem{{Msg: "export needs a finished Monte Carlo run and a directory"}}})
		return
	}
	res, why := finished(ru)
	if res == nil {
		writeJSON(w, http.StatusOK, map[string]any{"problems": []problem{{Msg: why}}})
		return
	}
	dir := e.Path
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(filepath.Dir(sv.path), dir)
	}
	err := files.WriteDir(r.Context(), dir, sv.inputs(), func(d *files.Dir) error {
		data, err := results.Marshal(res)
		if err != nil {
			return err
		}
		if err := d.Write("results.json", data); err != nil {
			return err
		}
		return report.Write(r.Context(), d.Temp(), res, report.Options{})
	})
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"problems": []problem{{Path: "export", Msg: pageMessage(err)}}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"exported": dir})
}

// jsonText is v as JSON, for an event's data.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
