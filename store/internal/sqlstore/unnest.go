package sqlstore

import (
	"context"
	"database/sql"
	"math"

	"github.com/mlregistry/mlregistry/store"
)

// unnestChunk is the most rows one unnest statement writes.
const unnestChunk = 10000

// unnestComponents upserts components with PostgreSQL's unnest: six array
// parameters instead of six parameters a row.
func (s *Store) unnestComponents(ctx context.Context, tx *sql.Tx, cs []store.Component, ts int64) error {
	const q = `INSERT INTO components (hash, name, kind, envelope, first_seen, last_seen)
		SELECT h, n, k, e, $5, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u (h, n, k, e)
		ON CONFLICT (hash) DO UPDATE SET last_seen = CASE WHEN excluded.last_seen > components.last_seen
		THEN excluded.last_seen ELSE components.last_seen END`
	for len(cs) > 0 {
		n := min(len(cs), unnestChunk)
		hashes, names, kinds, envs := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, c := range cs[:n] {
			hashes[i], names[i], kinds[i], envs[i] = c.Hash, c.Name, c.Kind, string(c.Envelope)
		}
		if _, err := tx.ExecContext(ctx, q, hashes, names, kinds, envs, ts); err != nil {
			return s.errorf("recording components", err)
		}
		cs = cs[n:]
	}
	return nil
}

// unnestMetrics upserts metrics with PostgreSQL's unnest. NaN is stored as
// NULL, as in SQLite.
func (s *Store) unnestMetrics(ctx context.Context, tx *sql.Tx, runID string, ms []store.Metric) error {
	const q = `INSERT INTO metrics (run_id, step, name, value)
		SELECT $1, st, n, v FROM unnest($2::bigint[], $3::text[], $4::float8[]) AS u (st, n, v)
		ON CONFLICT (run_id, step, name) DO UPDATE SET value = excluded.value`
	for len(ms) > 0 {
		n := min(len(ms), unnestChunk)
		steps, names, values := make([]int64, n), make([]string, n), make([]*float64, n)
		for i, m := range ms[:n] {
			steps[i], names[i] = m.Step, m.Name
			if !math.IsNaN(m.Value) {
				v := m.Value
				values[i] = &v
			}
		}
		if _, err := tx.ExecContext(ctx, q, runID, steps, names, values); err != nil {
			return err
		}
		ms = ms[n:]
	}
	return nil
}
