package jobs

import (
	"context"
	"time"

	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// Job is a training job's run, handed to Config.Train.
type Job struct {
	RunID     string        // the queued (or lost) run to start: StartRun with this ID
	Pipeline  *ml.Pipeline  // built from the job's spec and checked
	Store     store.Store   // the queue's store
	LostAfter time.Duration // the run's heartbeat threshold (Config.LostAfter)
}

// Outcome is what a TrainFunc did with a job's run.
type Outcome struct {
	Started    bool // the run was started: its outcome is recorded
	HandedBack bool // the run went back to the queue (the queue stopped): the job is worked again
}

// TrainFunc trains a job's run: it starts job.RunID, trains, and records
// how the run ended. When the queue stops, ctx is cancelled with an
// *ml.Interrupt: the function either records the run as interrupted or
// hands it back to the queue (store.Handoff.RequeueRun), saying so in the
// Outcome. service.JobTrainer is the one mlregistry uses.
type TrainFunc func(ctx context.Context, job Job) (Outcome, error)
