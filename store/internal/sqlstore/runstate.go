package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry/store"
)

// Heartbeat sets a running run's last-seen time to now.
func (s *Store) Heartbeat(ctx context.Context, runID string) error {
	what := "heartbeat of run " + runID
	return s.write(ctx, what, func(tx *sql.Tx) error {
		if err := s.checkWrite(ctx, tx, what, runID, store.StatusRunning); err != nil {
			return err
		}
		// A run stored lost (by another version) whose owner is back is
		// running again.
		_, err := tx.ExecContext(ctx, s.d.Rebind(`UPDATE runs SET last_seen = ?, status = ? WHERE id = ?`),
			store.Now().UnixMicro(), store.StatusRunning, runID)
		if err != nil {
			return s.errorf(what, err)
		}
		return nil
	})
}

// checkWrite reads the stored status of run runID, locking its row until
// tx ends, and checks that a write taking it to status to is possible: it
// fails with ErrNotFound, ErrRunFinished or ErrInvalid.
func (s *Store) checkWrite(ctx context.Context, tx *sql.Tx, what, runID, to string) error {
	var from string
	err := tx.QueryRowContext(ctx, s.d.Rebind(`SELECT status FROM runs WHERE id = ?`+s.d.ForUpdate), runID).Scan(&from)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return s.errorf(what, err)
	}
	if err := store.CheckTransition(runID, from, to); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// statusCondition returns the SQL condition (on runs r) and its arguments
// that select runs reported with the given status at time now (microseconds):
// running runs with a fresh heartbeat for StatusRunning, stale ones for
// StatusLost.
func statusCondition(status string, now int64) (string, []any) {
	switch status {
	case store.StatusRunning:
		return `r.status = ? AND r.last_seen + r.lost_after >= ?`, []any{store.StatusRunning, now}
	case store.StatusLost:
		return `(r.status = ? OR (r.status = ? AND r.last_seen + r.lost_after < ?))`, []any{store.StatusLost, store.StatusRunning, now}
	}
	return `r.status = ?`, []any{status}
}
