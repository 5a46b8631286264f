package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry/store"
)

// DeleteRun deletes a finished or lost run with its metrics, final metrics
// and component links, in one transaction.
func (s *Store) DeleteRun(ctx context.Context, runID string) error {
	what := "deleting run " + runID
	return s.write(ctx, what, func(tx *sql.Tx) error {
		var status string
		var lastSeen, lostAfter int64
		err := tx.QueryRowContext(ctx, s.d.Rebind(`SELECT status, last_seen, lost_after FROM runs WHERE id = ?`+s.d.ForUpdate), runID).
			Scan(&status, &lastSeen, &lostAfter)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: %w", what, store.ErrNotFound)
		}
		if err != nil {
			return s.errorf(what, err)
		}
		lost := status == store.StatusRunning && lastSeen+lostAfter < store.Now().UnixMicro()
		if status == store.StatusQueued || status == store.StatusRunning && !lost {
			return fmt.Errorf("%s: %w: it is %s; cancel it first, and delete it once it has stopped",
				what, store.ErrRunActive, status)
		}
		for _, table := range []string{"metrics", "run_finals", "run_components"} {
			if _, err := tx.ExecContext(ctx, s.d.Rebind(`DELETE FROM `+table+` WHERE run_id = ?`), runID); err != nil {
				return s.errorf(what+": "+table, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.d.Rebind(`DELETE FROM runs WHERE id = ?`), runID); err != nil {
			return s.errorf(what, err)
		}
		return nil
	})
}
