// Package signals stops csplan on SIGINT, SIGTERM and SIGHUP: a command's
// context is cancelled with the signal as its cause, and if the command
// has not ended within a grace period, the temporaries that
// internal/files tracks are removed and the process exits with the
// signal's code, 128 and its number.
package signals

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"csplan/internal/files"
)

// Interrupted is the exit code of SIGINT (Ctrl-C), and of a command
// cancelled for any cause other than a signal.
const Interrupted = 130

// Grace is how long a command has to stop on its own after a signal: it
// stops where it next checks its context and removes its unfinished
// output. After that, or at a second signal, Watch removes the temporary
// files (files.AddTemporary) and exits (a simulation checks its context
// between trials, and one large trial can take longer).
const Grace = time.Second

// stopped is the cause of a context cancelled by a signal.
type stopped struct{ sig os.Signal }

func (e stopped) Error() string { return e.sig.String() }

// code is the exit code for the signal: 128 + its number.
func (e stopped) code() int {
	if n, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return Interrupted
}

// what says what the signal did, for the last line csplan prints.
func (e stopped) what() string {
	switch e.sig {
	case syscall.SIGTERM:
		return "terminated (SIGTERM)"
	case syscall.SIGHUP:
		return "hung up (SIGHUP)"
	}
	return "interrupted"
}

// Watch returns a context that SIGINT, SIGTERM or SIGHUP cancel, with the
// signal as its cause. If the command has not ended Grace after the
// signal, or at a second one, Watch removes the temporary output, says so
// on standard error as name and exits with the signal's code.
func Watch(parent context.Context, name string) context.Context {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		e := stopped{<-sigs}
		cancel(e)
		select {
		case <-sigs:
		case <-time.After(Grace):
		}
		files.RemoveTemporaries()
		fmt.Fprintf(os.Stderr, "%s: %s; the command did not stop within %v, so %s removed its unfinished output and stopped; no output was written or replaced\n", name, e.what(), Grace, name)
		os.Exit(e.code())
	}()
	return ctx
}

// Stopped says what stopped the cancelled context ctx, "interrupted" or
// "terminated (SIGTERM)" or "hung up (SIGHUP)", and the exit code for it:
// 128 and the signal's number, or Interrupted when no signal did.
func Stopped(ctx context.Context) (what string, code int) {
	e := stopped{os.Interrupt}
	errors.As(context.Cause(ctx), &e)
	return e.what(), e.code()
}
