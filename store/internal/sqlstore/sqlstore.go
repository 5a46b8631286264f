package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/mlregistry/mlregistry/store"
)

// Store is a store.Store on a database/sql database.
type Store struct {
	db      *sql.DB
	d       *Dialect
	writeMu sync.Mutex // held around write transactions when d.SerializeWrites

	// queries rebound to the dialect, once.
	qComponent, qRun string
}

var _ store.Store = (*Store)(nil)

// Open migrates db to the latest schema and returns a Store on it. The Store
// owns db and closes it on Close, and on failure here.
func Open(ctx context.Context, db *sql.DB, d *Dialect) (*Store, error) {
	if err := Migrate(ctx, db, d); err != nil {
		db.Close()
		return nil, err
	}
	return newStore(db, d), nil
}

// newStore returns a Store on db, its queries rebound to d.
func newStore(db *sql.DB, d *Dialect) *Store {
	s := &Store{db: db, d: d}
	s.qComponent = d.Rebind(`SELECT ` + componentCols + ` FROM components WHERE hash = ?`)
	s.qRun = d.Rebind(`SELECT ` + runCols + ` FROM runs WHERE id = ?`)
	return s
}

// DB returns the underlying database, for tests and benchmarks.
func (s *Store) DB() *sql.DB { return s.db }

// Database returns the underlying database and the dialect's name
// ("sqlite", "postgres"): store.SQLBacked.
func (s *Store) Database() (*sql.DB, string) { return s.db, s.d.Name }

var _ store.SQLBacked = (*Store)(nil)

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// write runs f in one write transaction and commits it.
func (s *Store) write(ctx context.Context, what string, f func(tx *sql.Tx) error) error {
	if s.d.SerializeWrites {
		s.writeMu.Lock()
		defer s.writeMu.Unlock()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s store: %s: begin: %w", s.d.Name, what, err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s store: %s: commit: %w", s.d.Name, what, err)
	}
	return nil
}

// errorf wraps a database error with the backend and operation.
func (s *Store) errorf(what string, err error) error {
	return fmt.Errorf("%s store: %s: %w", s.d.Name, what, err)
}

// placeholders returns "(?, ?, …), (…)" for rows rows of cols columns.
func placeholders(rows, cols int) string {
	one := "(?" + repeat(", ?", cols-1) + ")"
	return one + repeat(", "+one, rows-1)
}

func repeat(s string, n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}
