package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/mlregistry/mlregistry/store"
)

// LogMetrics records metrics of a run in one transaction.
func (s *Store) LogMetrics(ctx context.Context, runID string, ms ...store.Metric) error {
	if len(ms) == 0 {
		return nil
	}
	for _, m := range ms {
		if m.Name == "" {
			return fmt.Errorf("%w: run %s: a metric at step %d has no name", store.ErrInvalid, runID, m.Step)
		}
	}
	// The last of several values for one (step, name) wins; PostgreSQL
	// refuses to upsert one row twice in a statement, so drop the others.
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b store.Metric) int {
		return cmp.Or(cmp.Compare(a.Step, b.Step), cmp.Compare(a.Name, b.Name))
	})
	dedup := ms[:0]
	for i, m := range ms {
		if i+1 < len(ms) && ms[i+1].Step == m.Step && ms[i+1].Name == m.Name {
			continue
		}
		dedup = append(dedup, m)
	}
	ms = dedup
	what := "logging metrics of run " + runID
	return s.write(ctx, what, func(tx *sql.Tx) error {
		if err := s.checkWrite(ctx, tx, what, runID, store.StatusRunning); err != nil {
			return err
		}
		if s.d.Unnest {
			if err := s.unnestMetrics(ctx, tx, runID, ms); err != nil {
				return s.errorf(what, err)
			}
			return nil
		}
		err := s.insertRows(ctx, tx, `INSERT INTO metrics (run_id, step, name, value)`,
			`ON CONFLICT (run_id, step, name) DO UPDATE SET value = excluded.value`, 4, len(ms),
			func(i int, args []any) []any {
				return append(args, runID, ms[i].Step, ms[i].Name, sqlFloat(ms[i].Value))
			})
		if err != nil {
			return s.errorf(what, err)
		}
		return nil
	})
}

// Metrics returns a run's metrics ordered by step, then name.
func (s *Store) Metrics(ctx context.Context, runID string) ([]store.Metric, error) {
	var one int
	err := s.db.QueryRowContext(ctx, s.d.Rebind(`SELECT 1 FROM runs WHERE id = ?`), runID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("metrics of run %s: %w", runID, store.ErrNotFound)
	}
	if err != nil {
		return nil, s.errorf("reading metrics of run "+runID, err)
	}
	rows, err := s.db.QueryContext(ctx, s.d.Rebind(`SELECT step, name, value FROM metrics WHERE run_id = ? ORDER BY step, name`), runID)
	if err != nil {
		return nil, s.errorf("reading metrics of run "+runID, err)
	}
	defer rows.Close()
	var ms []store.Metric
	for rows.Next() {
		var m store.Metric
		var v sql.NullFloat64
		if err := rows.Scan(&m.Step, &m.Name, &v); err != nil {
			return nil, s.errorf("reading metrics of run "+runID, err)
		}
		m.Value = v.Float64
		if !v.Valid {
			m.Value = math.NaN()
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, s.errorf("reading metrics of run "+runID, err)
	}
	return ms, nil
}
