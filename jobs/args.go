package jobs

import (
	"encoding/json"

	"github.com/riverqueue/river"
)

// TrainArgs is a training job's arguments: the run it trains and the
// pipeline spec (ml.ParseSpec's JSON) it was submitted with.
type TrainArgs struct {
	RunID string          `json:"run_id"`
	Spec  json.RawMessage `json:"spec"`
	// Resume is, on a job queued again for a lost run, the attempt that
	// was lost: it makes the job unique (see rescue), so two workers that
	// find the same lost attempt queue one job for it.
	Resume int `json:"resume,omitempty"`
	// Stalled is, on a job queued again for a run left queued by a worker
	// that died before starting it, the attempt that never started.
	Stalled int `json:"stalled,omitempty"`
}

// TrainKind is the River job kind of a training job.
const TrainKind = "mlregistry_train"

// Kind returns TrainKind.
func (TrainArgs) Kind() string { return TrainKind }

// maxAttempts is how often a training job is tried. A failed training is
// recorded as failed and not tried again; attempts are spent only when the
// job could not reach the store, or its worker died (a rescue). Waiting for
// a run another worker holds (a snooze) spends none.
const maxAttempts = 10

// InsertOpts gives every training job maxAttempts attempts.
func (TrainArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: maxAttempts} }
