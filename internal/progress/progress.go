// Package progress draws the progress of a long computation as a bar on a
// terminal.
package progress

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar returns a progress callback that draws a bar on w when w is a
// terminal and the work lasts over a second, nothing when quiet, and a
// function that clears it. The callback may be called from any goroutine.
func Bar(w io.Writer, quiet bool) (func(done, total int), func()) {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	start := time.Now()
	report := func(done, total int) {
		if bar == nil {
			if time.Since(start) < time.Second {
				return
			}
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("simulating"),
				progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(),
				progressbar.OptionThrottle(100*time.Millisecond))
		}
		bar.Set(done)
	}
	var mu = make(chan struct{}, 1)
	return func(done, total int) {
			mu <- struct{}{}
			report(done, total)
			<-mu
		}, func() {
			if bar != nil {
				bar.Finish()
			}
		}
}

// Bars is Bar for work that comes in stages, each with its own total (a
// round of a run to a precision, the sensitivity after a run): a new bar
// for each new total, the previous one cleared. The callback may be
// called from any goroutine; end clears the last bar.
func Bars(w io.Writer, quiet bool) (report func(done, total int), end func()) {
	var mu sync.Mutex
	var bar func(done, total int)
	stop, shown := func() {}, 0
	report = func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != shown {
			stop()
			bar, stop = Bar(w, quiet)
			shown = total
		}
		if bar != nil {
			bar(done, total)
		}
	}
	return report, func() {
		mu.Lock()
		defer mu.Unlock()
		stop()
	}
}
