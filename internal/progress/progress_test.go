package progress

import (
	"bytes"
	"sync"
	"testing"
)

// Off a terminal, Bars draws nothing, whatever the stages, from any
// goroutine, and its end may be called when no bar was drawn.
func TestBarsOffTerminalDrawsNothing(t *testing.T) {
	var buf bytes.Buffer
	report, end := Bars(&buf, false)
	var wg sync.WaitGroup
	for _, total := range []int{10, 20, 20, 40} {
		wg.Go(func() {
			for done := range total + 1 {
				report(done, total)
			}
		})
	}
	wg.Wait()
	end()
	if buf.Len() != 0 {
		t.Errorf("Bars wrote %q off a terminal", buf.String())
	}
}
