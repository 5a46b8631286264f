package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/store"
)

// runStore is the store an ml.Trainer records one run through, for Train:
// it starts a job's queued run instead of recording a new one, uploads
// the run directory before the run is recorded as succeeded, and hands an
// interrupted run back to the queue when asked to. Every other method is
// the store's. The trainer calls it from one goroutine (heartbeats aside,
// which it leaves alone).
type runStore struct {
	store.Store
	runID    string            // the job's run; "" for a new one
	bucket   *artifacts.Bucket // nil: nothing uploaded
	staged   bool              // the run directory is temporary: not recorded
	handBack bool

	dir        string // the run directory, as the trainer recorded it
	attempt    int
	started    bool
	handedBack bool
	ref        artifacts.Ref
	err        error // why the run was not recorded as it trained
}

// StartRun records the run, or starts the job's queued (or lost) run with
// r's owner, directory and threshold. When a lost attempt is taken over,
// the files it may have left in the bucket are deleted: they are never
// referenced.
func (s *runStore) StartRun(ctx context.Context, r store.Run) (store.Run, error) {
	s.dir = r.ArtifactDir
	if s.staged {
		r.ArtifactDir = ""
	}
	if s.runID != "" {
		r = store.Run{ID: s.runID, Owner: r.Owner, ArtifactDir: r.ArtifactDir, LostAfter: r.LostAfter, StartedAt: r.StartedAt}
	}
	got, err := s.Store.StartRun(ctx, r)
	if err != nil {
		return got, err
	}
	s.started, s.attempt = true, got.Attempts
	if s.bucket != nil {
		for _, past := range got.PastAttempts {
			_ = s.bucket.Delete(ctx, got.ID, past.Attempt) // best effort: unreferenced either way
		}
	}
	return got, nil
}

// FinishRun records how the run ended: a success only once its files are
// uploaded, with their URL and SHA-256; an interruption as a hand-back when
// asked to.
func (s *runStore) FinishRun(ctx context.Context, runID, status string, final map[string]float64) error {
	h, _ := s.Store.(store.Handoff)
	switch {
	case status == store.StatusSucceeded && s.bucket != nil:
		ref, err := s.bucket.Upload(ctx, s.dir, runID, s.attempt)
		if err != nil {
			s.err = fmt.Errorf("run %s trained but is recorded as failed: %w", runID, err)
			_ = s.bucket.Delete(ctx, runID, s.attempt)
			return s.Store.FinishRun(ctx, runID, store.StatusFailed, final)
		}
		if err := h.SucceedRun(ctx, runID, s.attempt, final, ref.URL, ref.SHA256); err != nil {
			if errors.Is(err, store.ErrInvalid) {
				_ = s.bucket.Delete(ctx, runID, s.attempt) // taken over: this attempt's files are never referenced
			}
			s.err = err
			return err
		}
		s.ref = ref
		return nil
	case status == store.StatusInterrupted && s.handBack && h != nil:
		if err := h.RequeueRun(ctx, runID); err != nil {
			return err
		}
		s.handedBack = true
		return nil
	}
	return s.Store.FinishRun(ctx, runID, status, final)
}
