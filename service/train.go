package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// Training is one training run to carry out, by `mlregistry train`, by a
// queue's job in serve, or by a worker.
type Training struct {
	// Pipeline is what trains: built and checked.
	Pipeline *ml.Pipeline
	// Store records the run; nil records nothing (and uploads nothing).
	Store store.Store
	// RunID, when set, is the queued (or lost) run to start, as a job does:
	// StartRun with its ID, so a run is recorded once however often its job
	// is tried. "" records a new run.
	RunID string
	// RunsDir is where the run directory is saved (named by the model's
	// hash, see ml.Trainer); "" saves none locally. With Artifacts and no
	// RunsDir, the directory is written to a temporary folder, uploaded and
	// removed.
	RunsDir string
	// Artifacts, when set, is the bucket the run's files are uploaded to,
	// under its ID and attempt, before the run is recorded as succeeded
	// (with the files' URL and SHA-256, in the same transaction). The
	// Store must then be a store.Handoff.
	Artifacts *artifacts.Bucket
	// HandBack, when set, hands the run back to the queue (queued again,
	// for another worker to start under the same ID) when training is
	// stopped by an *ml.Interrupt (a drain on SIGTERM); otherwise the run
	// is recorded as interrupted.
	HandBack bool
	// LostAfter is the run's heartbeat threshold; 0: the store's default.
	LostAfter time.Duration
	// Out receives progress, shown as Progress says; nil for none.
	Out      io.Writer
	Progress ml.Progress
}

// Trained is what Train did.
type Trained struct {
	*ml.Result               // nil when training did not start
	Started    bool          // the run was recorded as started
	HandedBack bool          // the run went back to the queue
	Artifacts  artifacts.Ref // where its files were uploaded; zero when not
}

// ErrNoHandoff is Train's error for Artifacts with a store that cannot
// record them.
var ErrNoHandoff = errors.New("the store cannot record artifacts by URL")

// Train trains t.Pipeline (the Trained it returns is never nil): the run is recorded (or, with RunID, started),
// its heartbeat kept and its metrics logged while it trains; its run
// directory saved, uploaded to the bucket when there is one; then finished:
// succeeded (with the artifacts' URL and SHA-256), failed, canceled,
// interrupted, or handed back. A failed upload fails the run: a run is
// never succeeded without its files. The error is the trainer's (see
// ml.Trainer.Train), or the upload's.
func Train(ctx context.Context, t Training) (*Trained, error) {
	if t.Artifacts != nil {
		if _, ok := t.Store.(store.Handoff); !ok {
			return &Trained{}, fmt.Errorf("--artifacts: %w (%T): use an SQLite or PostgreSQL store", ErrNoHandoff, t.Store)
		}
	}
	runsDir, staged := t.RunsDir, false
	if t.Artifacts != nil && runsDir == "" {
		tmp, err := os.MkdirTemp("", "mlregistry-run-")
		if err != nil {
			return &Trained{}, fmt.Errorf("staging the run directory: %w", err)
		}
		defer os.RemoveAll(tmp)
		runsDir, staged = tmp, true
	}
	trainer := &ml.Trainer{Out: t.Out, Progress: t.Progress, RunsDir: runsDir, LostAfter: t.LostAfter}
	var rs *runStore
	if t.Store != nil {
		rs = &runStore{Store: t.Store, runID: t.RunID, bucket: t.Artifacts, staged: staged, handBack: t.HandBack}
		trainer.Store = rs
	}
	res, err := trainer.Train(ctx, t.Pipeline)
	out := &Trained{Result: res}
	if rs != nil {
		out.Started, out.HandedBack, out.Artifacts = rs.started, rs.handedBack, rs.ref
		if err == nil && rs.err != nil {
			err = rs.err // trained, but not recorded as succeeded: its files did not upload
		}
	}
	if staged && res != nil {
		res.Dir = "" // the temporary folder is gone
	}
	return out, err
}
