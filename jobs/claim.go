package jobs

import (
	"context"
	"sync/atomic"

	"github.com/mlregistry/mlregistry/store"
)

// claimingStore is the store a job's ml.Trainer records through: its
// StartRun, instead of recording a new run, starts the job's queued (or
// lost) run, so that a run is recorded once however often its job is
// tried. Every other method is the store's.
type claimingStore struct {
	store.Store
	runID   string
	claimed atomic.Bool
}

// StartRun starts the queued run c.runID with r's owner, artifact
// directory and heartbeat threshold; r's components and settings, the
// same pipeline's, are those queued already.
func (c *claimingStore) StartRun(ctx context.Context, r store.Run) (store.Run, error) {
	got, err := c.Store.StartRun(ctx, store.Run{ID: c.runID, Owner: r.Owner, ArtifactDir: r.ArtifactDir, LostAfter: r.LostAfter, StartedAt: r.StartedAt})
	if err == nil {
		c.claimed.Store(true)
	}
	return got, err
}
