// Package progress draws the progress of a long computation as a bar on a
// terminal.
package progress

import (
	"io"
	"os"
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
