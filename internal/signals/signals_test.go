package signals

import (
	"context"
	"os"
	"syscall"
	"testing"
)

// Stopped names the signal that cancelled a context and gives its exit
// code; a context cancelled by anything else was interrupted (130).
func TestStopped(t *testing.T) {
	for _, tc := range []struct {
		cause error
		what  string
		code  int
	}{
		{stopped{os.Interrupt}, "interrupted", 130},
		{stopped{syscall.SIGTERM}, "terminated (SIGTERM)", 143},
		{stopped{syscall.SIGHUP}, "hung up (SIGHUP)", 129},
		{nil, "interrupted", Interrupted},
	} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(tc.cause)
		if what, code := Stopped(ctx); what != tc.what || code != tc.code {
			t.Errorf("cause %v: %q, %d; want %q, %d", tc.cause, what, code, tc.what, tc.code)
		}
	}
}
