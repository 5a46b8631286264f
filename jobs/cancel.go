package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// ErrCanceled is the cause a run training here is stopped with by Cancel:
// the trainer records it as canceled.
var ErrCanceled = errors.New("canceled on request")

// cancelWait is how long Cancel waits for a run training here to record
// that it stopped.
const cancelWait = 10 * time.Second

// Cancel cancels a run: a queued one never starts (its job, when it comes,
// finds it canceled and does nothing); one training in this process stops
// at its next step and records the metrics it reached; one training
// elsewhere is recorded canceled here, and its trainer stops at the next
// step it logs (the store refuses to log to a finished run). It returns the
// run as it is then. A finished run is not changed: Cancel fails with
// store.ErrRunFinished.
func (q *Queue) Cancel(ctx context.Context, runID string) (store.Run, error) {
	run, err := q.store.Run(ctx, runID)
	if err != nil {
		return store.Run{}, err
	}
	switch run.Status {
	case store.StatusQueued, store.StatusRunning, store.StatusLost:
	default:
		return run, fmt.Errorf("run %s is %s: %w", run.ID, run.Status, store.ErrRunFinished)
	}
	if stop, ok := q.local(run.ID); ok {
		stop(ErrCanceled)
		deadline := time.Now().Add(cancelWait)
		for time.Now().Before(deadline) {
			r, err := q.store.Run(ctx, run.ID)
			if err == nil && r.Status == store.StatusQueued {
				break // claimed here but not started yet: it is canceled below, and never starts
			}
			if err == nil && r.Status != store.StatusRunning {
				return r, nil
			}
			select {
			case <-ctx.Done():
				return store.Run{}, ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	if err := q.store.FinishRun(ctx, run.ID, store.StatusCanceled, nil); err != nil && !errors.Is(err, store.ErrRunFinished) {
		return store.Run{}, err
	}
	return q.store.Run(ctx, run.ID)
}
