package ml

import (
	"errors"
	"os"
	"syscall"
)

// ErrInterrupted is matched (errors.Is) by the error of a training run
// stopped by a signal: the cause given to the cancellation of Train's
// context was an *Interrupt. The run is recorded as
// store.StatusInterrupted, with the metrics it had reached.
var ErrInterrupted = errors.New("training interrupted")

// Interrupt is the cancellation cause that tells Train it was stopped by a
// signal (SIGINT, SIGTERM) rather than cancelled by its caller: cancel its
// context with context.WithCancelCause(…)(&Interrupt{Signal: sig}).
type Interrupt struct {
	Signal os.Signal
}

// Error names the signal: "interrupted by SIGTERM".
func (e *Interrupt) Error() string {
	if e.Signal == nil {
		return "interrupted"
	}
	if s, ok := e.Signal.(syscall.Signal); ok {
		switch s {
		case syscall.SIGINT:
			return "interrupted by SIGINT"
		case syscall.SIGTERM:
			return "interrupted by SIGTERM"
		}
	}
	return "interrupted by signal " + e.Signal.String()
}

// Is makes errors.Is(err, ErrInterrupted) true.
func (e *Interrupt) Is(target error) bool { return target == ErrInterrupted }
