package store

import (
	"context"
	"database/sql"
)

// SQLBacked is implemented by the stores on a database/sql database — the
// SQLite and PostgreSQL backends — for programs that keep more in the
// store's own database than the store does: a job queue whose job must be
// queued in the same transaction that records its run (package jobs).
// Check for it with a type assertion:
//
//	if sb, ok := s.(store.SQLBacked); ok { … }
type SQLBacked interface {
	Store

	// Database returns the database the store is on, and its dialect:
	// "sqlite" or "postgres". The store keeps owning it: do not close it.
	Database() (db *sql.DB, dialect string)

	// StartRunTx is StartRun that also calls within, when not nil, inside
	// the transaction that records (or starts) the run, after the run is
	// written, with the run as recorded. If within fails, nothing is
	// recorded and StartRunTx returns its error.
	StartRunTx(ctx context.Context, r Run, within func(tx *sql.Tx, r Run) error) (Run, error)
}
