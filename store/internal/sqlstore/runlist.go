package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/mlregistry/mlregistry/store"
)

// runColsR is runCols of the table aliased r.
var runColsR = "r." + strings.ReplaceAll(runCols, ", ", ", r.")

// Runs lists runs, newest first (or by a final metric), filtered by f, a
// page at a time: keyset paging on (started, id), or on (value, id) of the
// sort metric, so that a page costs the same however deep it is.
func (s *Store) Runs(ctx context.Context, f store.RunFilter) ([]store.Run, error) {
	limit, err := pageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	if err := store.CheckFilterStatus(f.Status); err != nil {
		return nil, fmt.Errorf("listing runs: %w", err)
	}
	switch {
	case f.Ascending && f.Sort == "":
		return nil, fmt.Errorf("%w: listing runs: ascending only with sort (the final metric to order by)", store.ErrInvalid)
	case (f.Min != nil || f.Max != nil) && f.Metric == "":
		return nil, fmt.Errorf("%w: listing runs: min and max only with metric (the final metric they bound)", store.ErrInvalid)
	}
	now := store.Now()
	q := `SELECT ` + runColsR + ` FROM runs r`
	var args []any
	if f.Sort != "" {
		q += ` JOIN run_finals o ON o.run_id = r.id AND o.name = ?`
		args = append(args, f.Sort)
	}
	q += ` WHERE 1=1`
	if f.Component != "" {
		c, err := s.Component(ctx, f.Component)
		if err != nil {
			return nil, fmt.Errorf("listing runs that used %s: %w", f.Component, err)
		}
		q += ` AND EXISTS (SELECT 1 FROM run_components rc WHERE rc.run_id = r.id AND rc.hash = ?`
		args = append(args, c.Hash)
		if f.Role != "" {
			q += ` AND rc.role = ?`
			args = append(args, f.Role)
		}
		q += `)`
	}
	if f.Name != "" || f.Kind != "" {
		q += ` AND EXISTS (SELECT 1 FROM run_components rn JOIN components cn ON cn.hash = rn.hash WHERE rn.run_id = r.id`
		for _, c := range []struct{ col, v string }{{"cn.name", f.Name}, {"cn.kind", f.Kind}, {"rn.role", f.Role}} {
			if c.v != "" {
				q += ` AND ` + c.col + ` = ?`
				args = append(args, c.v)
			}
		}
		q += `)`
	}
	if f.Metric != "" {
		// +m.value keeps the planner on the primary key (run_id, name),
		// one probe a run, rather than scanning the metric's value range
		// in run_finals_by_value for each run.
		q += ` AND EXISTS (SELECT 1 FROM run_finals m WHERE m.run_id = r.id AND m.name = ?`
		args = append(args, f.Metric)
		if f.Min != nil {
			q += ` AND +m.value >= ?`
			args = append(args, *f.Min)
		}
		if f.Max != nil {
			q += ` AND +m.value <= ?`
			args = append(args, *f.Max)
		}
		q += `)`
	}
	if f.Status != "" {
		cond, condArgs := statusCondition(f.Status, now.UnixMicro())
		q += ` AND ` + cond
		args = append(args, condArgs...)
	}
	if f.After != "" {
		cond, key, err := s.cursor(ctx, f)
		if err != nil {
			return nil, err
		}
		q += ` AND ` + cond
		args = append(args, key, f.After)
	}
	switch {
	case f.Sort == "":
		q += ` ORDER BY r.started DESC, r.id DESC`
	case f.Ascending:
		q += ` ORDER BY o.value, o.run_id`
	default:
		q += ` ORDER BY o.value DESC, o.run_id DESC`
	}
	q += ` LIMIT ?`
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, s.d.Rebind(q), args...)
	if err != nil {
		return nil, s.errorf("listing runs", err)
	}
	runs, err := scanRuns(rows, now)
	if err != nil {
		return nil, s.errorf("listing runs", err)
	}
	if err := s.loadLinks(ctx, runs); err != nil {
		return nil, err
	}
	return runs, nil
}

// cursor returns the condition (with ? for the key, then the ID) that
// selects the runs after the cursor run f.After in f's order, and the
// cursor run's key: its start time, or its value of the sort metric.
func (s *Store) cursor(ctx context.Context, f store.RunFilter) (cond string, key any, err error) {
	if f.Sort == "" {
		var started int64
		err = s.db.QueryRowContext(ctx, s.d.Rebind(`SELECT started FROM runs WHERE id = ?`), f.After).Scan(&started)
		cond, key = `(r.started, r.id) < (?, ?)`, started
	} else {
		var v float64
		err = s.db.QueryRowContext(ctx, s.d.Rebind(`SELECT value FROM run_finals WHERE run_id = ? AND name = ?`), f.After, f.Sort).Scan(&v)
		cond, key = `(o.value, o.run_id) < (?, ?)`, v
		if f.Ascending {
			cond = `(o.value, o.run_id) > (?, ?)`
		}
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil, fmt.Errorf("%w: cursor: no run %q in this order: expected the ID of the last run of the previous page", store.ErrInvalid, f.After)
	case err != nil:
		return "", nil, s.errorf("listing runs", err)
	}
	return cond, key, nil
}
