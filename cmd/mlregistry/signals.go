package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/mlregistry/mlregistry/ml"
)

// interruptContext returns a context that the first SIGINT or SIGTERM
// cancels with an *ml.Interrupt cause, so that the trainer finishes the run
// as interrupted. After that first signal the default action is back: a
// second one ends the process at once (and its run is soon reported lost).
// stop releases the signals.
func interruptContext(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			signal.Stop(sigs)
			cancel(&ml.Interrupt{Signal: sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// signalExit is the error of a command stopped by a signal: it exits with
// 128 + the signal's number, as a shell reports a process the signal
// killed (130 for SIGINT, 143 for SIGTERM).
type signalExit struct {
	signal syscall.Signal
	err    error
}

func (e *signalExit) Error() string { return e.err.Error() }
func (e *signalExit) Unwrap() error { return e.err }

// ExitCode returns 128 + the signal's number.
func (e *signalExit) ExitCode() int { return 128 + int(e.signal) }

// trainStopped reports a training run that a signal stopped, and returns
// the error that exits with the signal's code; any other err is returned
// as it is.
func trainStopped(stdout io.Writer, res *ml.Result, db string, err error) error {
	var in *ml.Interrupt
	sig, ok := syscall.Signal(0), errors.As(err, &in)
	if ok {
		sig, ok = in.Signal.(syscall.Signal)
	}
	if !ok {
		return err
	}
	if res != nil {
		fmt.Fprintf(stdout, "stopped    after %d steps (%.2f epochs); train_loss_avg %.4f; no run directory saved\n", res.Steps, res.Epochs, res.Loss)
		if res.RunID != "" {
			fmt.Fprintf(stdout, "recorded   run %s in %s as interrupted\n", res.RunID, db)
		}
	}
	return &signalExit{signal: sig, err: err}
}
