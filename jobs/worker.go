package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// trainWorker works training jobs.
type trainWorker struct {
	river.WorkerDefaults[TrainArgs]
	q *Queue
}

// handBackDelay is how soon a run handed back to the queue is worked again.
const handBackDelay = time.Second

// Work trains the job's run, unless it has finished (then it does nothing)
// or another worker holds it (then it waits a heartbeat threshold and
// looks again). The trainer records how the run ended — succeeded, failed,
// canceled, interrupted — and the job is done: a failed training is not
// tried again. Only a run that could not be started (the store out of
// reach) makes the job fail, to be tried again.
func (w *trainWorker) Work(ctx context.Context, job *river.Job[TrainArgs]) error {
	q := w.q
	id := job.Args.RunID
	run, err := q.store.Run(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("jobs: run %s is not in the store", id))
	}
	if err != nil {
		return fmt.Errorf("jobs: reading run %s: %w", id, err)
	}
	switch run.Status {
	case store.StatusQueued, store.StatusLost:
	case store.StatusRunning:
		return river.JobSnooze(run.LostAfter)
	default:
		return nil // finished: its job is done
	}
	spec, err := ml.ParseSpec(job.Args.Spec)
	var p *ml.Pipeline
	if err == nil {
		p, err = q.pipeline(spec)
	}
	if err != nil {
		// Valid when queued, not now: the registries changed.
		_ = q.store.FinishRun(context.WithoutCancel(ctx), id, store.StatusFailed, nil)
		return river.JobCancel(fmt.Errorf("jobs: run %s: %w", id, err))
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	q.track(id, cancel)
	defer q.untrack(id)
	out, err := q.cfg.Train(ctx, Job{RunID: id, Pipeline: p, Store: q.store, LostAfter: q.cfg.LostAfter})
	if out.HandedBack {
		return river.JobSnooze(handBackDelay) // queued again: the next worker to look starts it
	}
	if err == nil || out.Started {
		return nil // the trainer recorded the outcome
	}
	// The run did not start. Canceled before it could (Cancel stopped it
	// here): it ends canceled. Still queued otherwise: the pipeline cannot
	// train (a batch larger than the dataset), which no retry changes.
	canceled := errors.Is(context.Cause(ctx), ErrCanceled)
	ctx = context.WithoutCancel(ctx)
	if canceled {
		if ferr := q.store.FinishRun(ctx, id, store.StatusCanceled, nil); ferr == nil || errors.Is(ferr, store.ErrRunFinished) {
			return nil
		}
	}
	now, rerr := q.store.Run(ctx, id)
	switch {
	case rerr != nil:
	case now.Status == store.StatusQueued && !errors.Is(err, store.ErrInvalid):
		if ferr := q.store.FinishRun(ctx, id, store.StatusFailed, nil); ferr == nil {
			return river.JobCancel(fmt.Errorf("jobs: run %s: %w", id, err))
		}
	case now.Status != store.StatusQueued && now.Status != store.StatusRunning && now.Status != store.StatusLost:
		return nil // finished meanwhile (canceled before it started): its job is done
	}
	return fmt.Errorf("jobs: starting run %s: %w", id, err) // tried again: it finds the run as it is then
}
