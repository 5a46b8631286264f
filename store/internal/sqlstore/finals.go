package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math"
	"slices"
)

// writeFinals records a run's final metrics in run_finals, one row a name,
// in tx; NaN is left out (it has no order to sort or filter by).
func (s *Store) writeFinals(ctx context.Context, tx *sql.Tx, runID string, final map[string]float64) error {
	return insertFinals(ctx, tx, s.d, runID, final)
}

func insertFinals(ctx context.Context, tx *sql.Tx, d *Dialect, runID string, final map[string]float64) error {
	q := d.Rebind(`INSERT INTO run_finals (run_id, name, value) VALUES (?, ?, ?)`)
	for _, name := range slices.Sorted(maps.Keys(final)) {
		v := final[name]
		if math.IsNaN(v) {
			continue
		}
		if _, err := tx.ExecContext(ctx, q, runID, name, v); err != nil {
			return fmt.Errorf("final metric %s: %w", name, err)
		}
	}
	return nil
}

// backfillFinals fills run_finals from the final metrics of the runs
// recorded before it existed (migration 5).
func backfillFinals(ctx context.Context, tx *sql.Tx, d *Dialect) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, final FROM runs WHERE final <> '{}'`)
	if err != nil {
		return err
	}
	finals := map[string]map[string]float64{}
	for rows.Next() {
		var id, text string
		if err := rows.Scan(&id, &text); err != nil {
			rows.Close()
			return err
		}
		f, err := decodeFinal(text)
		if err != nil {
			rows.Close()
			return fmt.Errorf("run %s: final metrics: %w", id, err)
		}
		finals[id] = f
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(finals)) {
		if err := insertFinals(ctx, tx, d, id, finals[id]); err != nil {
			return fmt.Errorf("run %s: %w", id, err)
		}
	}
	return nil
}
