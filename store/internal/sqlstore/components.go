package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

const componentCols = `hash, name, kind, envelope, first_seen, last_seen`

// PutComponents records components in one transaction.
func (s *Store) PutComponents(ctx context.Context, cs ...store.Component) error {
	if len(cs) == 0 {
		return nil
	}
	cs = slices.Clone(cs)
	for i := range cs {
		if err := store.CheckComponent(&cs[i]); err != nil {
			return err
		}
	}
	return s.write(ctx, "recording components", func(tx *sql.Tx) error {
		return s.putComponents(ctx, tx, cs, store.Now())
	})
}

// putComponents upserts checked components inside tx. Duplicates are dropped
// and the rest sorted by hash, so that concurrent transactions lock rows in
// the same order (PostgreSQL would otherwise risk deadlock, and refuses to
// upsert one row twice in a statement).
func (s *Store) putComponents(ctx context.Context, tx *sql.Tx, cs []store.Component, now time.Time) error {
	slices.SortFunc(cs, func(a, b store.Component) int { return cmp.Compare(a.Hash, b.Hash) })
	cs = slices.CompactFunc(cs, func(a, b store.Component) bool { return a.Hash == b.Hash })
	ts := now.UnixMicro()
	if s.d.Unnest {
		return s.unnestComponents(ctx, tx, cs, ts)
	}
	err := s.insertRows(ctx, tx, `INSERT INTO components (hash, name, kind, envelope, first_seen, last_seen)`,
		`ON CONFLICT (hash) DO UPDATE SET last_seen = CASE WHEN excluded.last_seen > components.last_seen
		THEN excluded.last_seen ELSE components.last_seen END`, 6, len(cs),
		func(i int, args []any) []any {
			c := &cs[i]
			return append(args, c.Hash, c.Name, c.Kind, string(c.Envelope), ts, ts)
		})
	if err != nil {
		return s.errorf("recording components", err)
	}
	return nil
}

// Component returns the component with the given hash or unique hash prefix.
func (s *Store) Component(ctx context.Context, hashOrPrefix string) (store.Component, error) {
	p, err := store.HashPrefix(hashOrPrefix)
	if err != nil {
		return store.Component{}, err
	}
	if len(p) == store.HashLen {
		c, err := scanComponent(s.db.QueryRowContext(ctx, s.qComponent, p))
		if errors.Is(err, sql.ErrNoRows) {
			return store.Component{}, fmt.Errorf("component %s: %w", p, store.ErrNotFound)
		}
		if err != nil {
			return store.Component{}, s.errorf("looking up component "+p, err)
		}
		return c, nil
	}
	// Hashes are lowercase hex, so those starting with p lie in [p, p+"g").
	rows, err := s.db.QueryContext(ctx, s.d.Rebind(`SELECT `+componentCols+` FROM components
		WHERE hash >= ? AND hash < ? ORDER BY hash LIMIT 11`), p, p+"g")
	if err != nil {
		return store.Component{}, s.errorf("looking up component prefix "+p, err)
	}
	cs, err := scanComponents(rows)
	if err != nil {
		return store.Component{}, s.errorf("looking up component prefix "+p, err)
	}
	switch len(cs) {
	case 0:
		return store.Component{}, fmt.Errorf("no component hash starts with %s: %w", p, store.ErrNotFound)
	case 1:
		return cs[0], nil
	}
	hashes := make([]string, len(cs))
	for i, c := range cs {
		hashes[i] = c.Hash + " (" + c.Name + ")"
	}
	return store.Component{}, store.NewAmbiguousError("component", p, hashes)
}

// Components lists components by name and kind, a page at a time.
func (s *Store) Components(ctx context.Context, f store.ComponentFilter) (store.ComponentPage, error) {
	limit, err := pageLimit(f.Limit)
	if err != nil {
		return store.ComponentPage{}, err
	}
	q := `SELECT ` + componentCols + ` FROM components WHERE 1=1`
	var args []any
	if f.Name != "" {
		q += ` AND name = ?`
		args = append(args, f.Name)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if f.After != "" {
		if !store.ValidHash(f.After) {
			return store.ComponentPage{}, fmt.Errorf("%w: cursor %q: expected the Next of a previous page (a hash)", store.ErrInvalid, f.After)
		}
		if f.Name != "" {
			// The name is fixed: the index (name, seq) serves this directly.
			q += ` AND seq > (SELECT seq FROM components WHERE hash = ?)`
		} else {
			q += ` AND (name, seq) > (SELECT name, seq FROM components WHERE hash = ?)`
		}
		args = append(args, f.After)
	}
	q += ` ORDER BY name, seq LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.db.QueryContext(ctx, s.d.Rebind(q), args...)
	if err != nil {
		return store.ComponentPage{}, s.errorf("listing components", err)
	}
	cs, err := scanComponents(rows)
	if err != nil {
		return store.ComponentPage{}, s.errorf("listing components", err)
	}
	var page store.ComponentPage
	if len(cs) > limit {
		cs = cs[:limit]
		page.Next = cs[limit-1].Hash
	}
	page.Components = cs
	return page, nil
}

// pageLimit checks and defaults a page size.
func pageLimit(n int) (int, error) {
	switch {
	case n == 0:
		return store.DefaultLimit, nil
	case n < 0 || n > store.MaxLimit:
		return 0, fmt.Errorf("%w: limit %d: expected 1 to %d", store.ErrInvalid, n, store.MaxLimit)
	}
	return n, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanComponent(r scanner) (store.Component, error) {
	var c store.Component
	var env string
	var first, last int64
	if err := r.Scan(&c.Hash, &c.Name, &c.Kind, &env, &first, &last); err != nil {
		return c, err
	}
	c.Envelope = []byte(env)
	c.FirstSeen = time.UnixMicro(first).UTC()
	c.LastSeen = time.UnixMicro(last).UTC()
	return c, nil
}

func scanComponents(rows *sql.Rows) ([]store.Component, error) {
	defer rows.Close()
	var cs []store.Component
	for rows.Next() {
		c, err := scanComponent(rows)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}
