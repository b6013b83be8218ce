// Package serve is csplan serve: a what-if workspace for one scenario in
// the browser. The page edits the scenario's inputs and options; every
// change recomputes the expected path and redraws with the report's
// chart code; Monte Carlo runs on demand, with progress, cancel and a
// cache; the edited scenario is saved back to its YAML, comments and
// layout kept; the report is exported as csplan run writes it.
//
// Security: the server answers only requests that carry its random token
// (in the URL the command prints, or the X-Csplan-Token header), whose
// Host is the address it listens on (no DNS rebinding) and whose Origin,
// when a browser sends one, is its own (no cross-site use); POSTs must be
// JSON, which a cross-site form cannot send.
package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"csplan/plan"
	"csplan/results"
	"csplan/scenarios"
)

//go:embed assets
var assets embed.FS

// Server is the workspace of one scenario file.
type Server struct {
	path    string
	token   string
	version string
	hosts   map[string]bool // the Host headers it answers

	mu     sync.Mutex
	s      *scenarios.Scenario // as opened, or as last saved
	disk   []byte              // the file's bytes then, to tell a change on disk
	runs   map[string]*run     // Monte Carlo runs, by id, the latest maxRuns
	order  []string            // their ids, oldest first
	done   map[string]*results.Results
	cached []string // done's keys, oldest first
	saved  []string // the files saved as: an export must not remove them
	// base is what runs run under: the server's context once it serves.
	base context.Context
}

// maxRuns and maxCached bound what a workspace keeps: runs (one runs at a
// time; starting one cancels the one before) and finished results.
const (
	maxRuns   = 32
	maxCached = 8
)

// New opens the scenario at path for a workspace; version is csplan's,
// for the results.
func New(path, version string) (*Server, error) {
	s, err := plan.Load([]string{path}, nil)
	if err != nil {
		return nil, err
	}
	disk, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return &Server{path: path, token: hex.EncodeToString(b), version: version, s: s, disk: disk, base: context.Background(),
		runs: map[string]*run{}, done: map[string]*results.Results{}, hosts: map[string]bool{}}, nil
}

// Token is the access token every request must carry.
func (sv *Server) Token() string { return sv.token }

// Listen binds addr (host:port; port 0 picks one) and returns the
// listener and the URL to open, token included.
func (sv *Server) Listen(addr string) (net.Listener, string, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", err
	}
	a := l.Addr().(*net.TCPAddr)
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	hp := net.JoinHostPort(host, fmt.Sprint(a.Port))
	sv.hosts[hp] = true
	if a.IP.IsLoopback() || a.IP.IsUnspecified() {
		sv.hosts[net.JoinHostPort("localhost", fmt.Sprint(a.Port))] = true
		sv.hosts[net.JoinHostPort("127.0.0.1", fmt.Sprint(a.Port))] = true
	}
	if a.IP.IsUnspecified() { // every address of the machine
		addrs, _ := net.InterfaceAddrs()
		for _, ad := range addrs {
			if ipn, ok := ad.(*net.IPNet); ok {
				sv.hosts[net.JoinHostPort(ipn.IP.String(), fmt.Sprint(a.Port))] = true
			}
		}
	}
	return l, "http://" + hp + "/?token=" + sv.token, nil
}

// Serve answers on l until ctx is done.
func (sv *Server) Serve(ctx context.Context, l net.Listener) error {
	// Requests share ctx: when it ends, a run or an export in progress
	// stops and cleans up before the server returns (within a second).
	sv.base = ctx
	hs := &http.Server{Handler: sv.Handler(), BaseContext: func(net.Listener) context.Context { return ctx }}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		sv.cancelAll()
		c, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if hs.Shutdown(c) != nil {
			hs.Close()
		}
	}()
	if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-stopped
	return nil
}

// Handler is the workspace's HTTP API and page, behind its checks.
func (sv *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", sv.page)
	mux.HandleFunc("GET /app.js", sv.asset("assets/app.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /app.css", sv.asset("assets/app.css", "text/css; charset=utf-8"))
	mux.HandleFunc("GET /api/state", sv.state)
	mux.HandleFunc("POST /api/expected", sv.expected)
	mux.HandleFunc("POST /api/run", sv.startRun)
	mux.HandleFunc("GET /api/run/events", sv.events)
	mux.HandleFunc("POST /api/run/cancel", sv.cancel)
	mux.HandleFunc("GET /api/run/report", sv.report)
	mux.HandleFunc("POST /api/save", sv.save)
	mux.HandleFunc("POST /api/reopen", sv.reopen)
	mux.HandleFunc("POST /api/export", sv.export)
	return sv.guard(mux)
}

// guard refuses a request from elsewhere: a Host the server does not
// listen as, a foreign Origin, no token, or a POST that is not JSON.
func (sv *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(sv.hosts) > 0 && !sv.hosts[r.Host] {
			http.Error(w, "csplan serve: unknown host "+r.Host, http.StatusForbidden)
			return
		}
		if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host {
			http.Error(w, "csplan serve: requests from another origin are refused", http.StatusForbidden)
			return
		}
		tok := r.URL.Query().Get("token")
		if h := r.Header.Get("X-Csplan-Token"); h != "" {
			tok = h
		}
		// The page's script and style are the same for everyone, and a
		// page loads them without its token.
		public := r.Method == http.MethodGet && (r.URL.Path == "/app.js" || r.URL.Path == "/app.css")
		if !public && subtle.ConstantTimeCompare([]byte(tok), []byte(sv.token)) != 1 {
			http.Error(w, "csplan serve: the access token is missing or wrong; open the URL csplan serve printed", http.StatusUnauthorized)
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); r.Method == http.MethodPost && (err != nil || mt != "application/json") {
			http.Error(w, "csplan serve: expected a JSON request", http.StatusUnsupportedMediaType)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func (sv *Server) page(w http.ResponseWriter, _ *http.Request) {
	data, _ := assets.ReadFile("assets/index.html")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'")
	w.Write(data)
}

func (sv *Server) asset(name, kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		data, _ := assets.ReadFile(name)
		w.Header().Set("Content-Type", kind)
		w.Write(data)
	}
}

// edits is what the page sends: the inputs it changed, by path, each a
// value written as one line of YAML.
type edits struct {
	Set    map[string]string `json:"set"`
	Trials int               `json:"trials,omitempty"`
	Path   string            `json:"path,omitempty"` // save as, export to
	ID     string            `json:"id,omitempty"`   // the run to export
}

// maxRequest bounds a request's body.
const maxRequest = 1 << 20

func readEdits(w http.ResponseWriter, r *http.Request) (edits, bool) {
	var e edits
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequest+1))
	switch {
	case err != nil:
		http.Error(w, "csplan serve: "+err.Error(), http.StatusBadRequest)
		return e, false
	case len(body) > maxRequest:
		http.Error(w, "csplan serve: the request is larger than 1 MiB", http.StatusRequestEntityTooLarge)
		return e, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || dec.More() {
		msg := "more than one JSON value"
		if err != nil {
			msg = err.Error()
		}
		http.Error(w, "csplan serve: "+msg, http.StatusBadRequest)
		return e, false
	}
	return e, true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// problem is an error of an edit, at its control's path when it has one.
type problem struct {
	Path string `json:"path,omitempty"`
	Msg  string `json:"msg"`
}

// problems are the errors of a scenario with edits, each at the path of
// the control it concerns where the error names one ("segments[0]" read
// as the segment's name), else for the whole page.
func problems(s *scenarios.Scenario, err error, edited map[string]string) []problem {
	var errs scenarios.Errors
	if !errors.As(err, &errs) {
		return []problem{{Msg: err.Error()}}
	}
	var out []problem
	for _, e := range errs {
		p := problem{Path: controlPath(s, e.Path), Msg: e.Msg}
		if _, ok := edited[p.Path]; !ok {
			p.Msg = e.Error() // not at an edit: say where
			for path := range edited {
				if strings.HasPrefix(p.Path, path+".") || strings.HasPrefix(p.Path, path+"[") {
					p.Path, p.Msg = path, e.Msg
				}
			}
		}
		out = append(out, p)
	}
	return out
}

// controlPath is a file path (segments[1].churn.annual) as the controls
// name it (segments.mid-market.churn.annual); an option's, as validation
// names it (options[0] (Cut one CSM).set.team.plan[0].from), without its
// name (options[0].set.team.plan[0].from).
func controlPath(s *scenarios.Scenario, path string) string {
	if m := optionPath.FindStringSubmatch(path); m != nil {
		return "options[" + m[1] + "]" + m[2]
	}
	if !strings.HasPrefix(path, "segments[") {
		return path
	}
	end := strings.IndexByte(path, ']')
	if end < 0 {
		return path
	}
	i, err := strconv.Atoi(path[len("segments["):end])
	if err != nil || i < 0 || i >= len(s.Spec.Segments) {
		return path
	}
	return "segments." + s.Spec.Segments[i].Name + path[end+1:]
}

// optionPath is an option's path as validation writes it: its index, its
// name in parentheses, and the rest (.set.team.plan[0].from).
var optionPath = regexp.MustCompile(`^options\[(\d+)\] \(.*\)((?:\.set\..*)?)$`)

// key is a scenario's content with settings: what a run is cached by.
func key(data []byte, trials int, seed uint64) string {
	h := sha256.New()
	h.Write(data)
	fmt.Fprintf(h, "\x00%d\x00%d", trials, seed)
	return hex.EncodeToString(h.Sum(nil))
}

// inputs are the files a save or an export must not write over: the
// scenario and what it reads.
func (sv *Server) inputs() []string {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return append([]string{sv.path}, sv.saved...)
}
