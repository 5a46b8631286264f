package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/mlregistry/mlregistry/store"
)

// SucceedRun finishes a run as succeeded and records its artifacts, in one
// transaction.
func (s *Store) SucceedRun(ctx context.Context, runID string, attempt int, final map[string]float64, artifactURL, sha256 string) error {
	if artifactURL == "" || len(sha256) != 64 {
		return fmt.Errorf("%w: succeeding run %s: artifacts %q with SHA-256 %q: want a URL and 64 hex digits", store.ErrInvalid, runID, artifactURL, sha256)
	}
	fin, err := encodeFinal(final)
	if err != nil {
		return fmt.Errorf("%w: finishing run %s: %v", store.ErrInvalid, runID, err)
	}
	what := "finishing run " + runID
	return s.write(ctx, what, func(tx *sql.Tx) error {
		if err := s.checkWrite(ctx, tx, what, runID, store.StatusSucceeded); err != nil {
			return err
		}
		var current int
		if err := tx.QueryRowContext(ctx, s.d.Rebind(`SELECT attempts FROM runs WHERE id = ?`), runID).Scan(&current); err != nil {
			return s.errorf(what, err)
		}
		if current != attempt {
			return fmt.Errorf("%w: %s: attempt %d trained it, but attempt %d has started since (the run was lost and taken over)", store.ErrInvalid, what, attempt, current)
		}
		now := store.Now().UnixMicro()
		if _, err := tx.ExecContext(ctx, s.d.Rebind(`UPDATE runs SET status = ?, ended = ?, last_seen = ?, final = ?,
			artifact_url = ?, artifact_sha256 = ? WHERE id = ?`),
			store.StatusSucceeded, now, now, fin, artifactURL, sha256, runID); err != nil {
			return s.errorf(what, err)
		}
		return nil
	})
}

// RequeueRun hands a running run back to the queue.
func (s *Store) RequeueRun(ctx context.Context, runID string) error {
	what := "handing run " + runID + " back to the queue"
	return s.write(ctx, what, func(tx *sql.Tx) error {
		if err := s.checkWrite(ctx, tx, what, runID, store.StatusRunning); err != nil {
			return err
		}
		run, err := scanRun(tx.QueryRowContext(ctx, s.qRun, runID), store.Now())
		if err != nil {
			return s.errorf(what, err)
		}
		past, err := pastAttempts(run, store.AttemptHandedBack)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if _, err := tx.ExecContext(ctx, s.d.Rebind(`UPDATE runs SET status = ?, owner_host = '', owner_pid = 0, past_attempts = ?,
			artifact_url = '', artifact_sha256 = '' WHERE id = ?`), store.StatusQueued, past, runID); err != nil {
			return s.errorf(what, err)
		}
		return nil
	})
}

// pastAttempts returns the JSON of prev's past attempts, with prev's
// current attempt added as ending with outcome when it was started (a
// queued run that never ran has none to add).
func pastAttempts(prev store.Run, outcome string) (string, error) {
	past := prev.PastAttempts
	if prev.Attempts > 0 && prev.Status != store.StatusQueued {
		past = append(past, store.RunAttempt{Attempt: prev.Attempts, Owner: prev.Owner, StartedAt: prev.StartedAt, LastSeen: prev.LastSeen, Outcome: outcome})
	}
	if past == nil {
		past = []store.RunAttempt{}
	}
	data, err := json.Marshal(past)
	return string(data), err
}
