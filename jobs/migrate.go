package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river/rivermigrate"
)

// riverMigrateLock is the PostgreSQL advisory lock key that serializes
// the migration of River's tables (an arbitrary constant: "mlrRiver").
const riverMigrateLock = 0x6d6c7252_69766572

// migrateRiver creates or migrates River's tables. On PostgreSQL it holds
// an advisory lock meanwhile: servers and workers started at once on a new
// database would otherwise race to create the same types and tables, and
// all but one fail. On SQLite, where there is no such lock, a process's
// queues migrate one at a time, and a migration that raced another
// process's is tried again.
func migrateRiver(ctx context.Context, db *sql.DB, dialect string, m *rivermigrate.Migrator[*sql.Tx]) error {
	if dialect == "postgres" {
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("jobs: migrating River's tables: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(riverMigrateLock)); err != nil {
			return fmt.Errorf("jobs: migrating River's tables: locking: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(riverMigrateLock))
	}
	sqliteMigrations.Lock() // a process's own queues, on any database
	defer sqliteMigrations.Unlock()
	var err error
	for range sqliteMigrateTries {
		if _, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil); err == nil || dialect != "sqlite" {
			break
		}
		// Another process migrating the same SQLite file at once: its
		// versions are applied now, or soon; look again.
		select {
		case <-ctx.Done():
			return fmt.Errorf("jobs: migrating River's tables: %w", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	if err != nil {
		return fmt.Errorf("jobs: migrating River's tables: %w", err)
	}
	return nil
}

// sqliteMigrations serializes the migrations of one process's queues.
var sqliteMigrations sync.Mutex

// sqliteMigrateTries bounds how often a migration that raced another
// process's on an SQLite file is tried.
const sqliteMigrateTries = 20
