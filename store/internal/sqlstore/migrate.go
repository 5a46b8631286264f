package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

const schemaTable = `CREATE TABLE IF NOT EXISTS mlregistry_schema (
	version     INTEGER NOT NULL PRIMARY KEY,
	description TEXT NOT NULL,
	applied     BIGINT NOT NULL
)`

// SchemaVersion returns the schema version of db: 0 for an empty database.
func SchemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v sql.NullInt64
	err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM mlregistry_schema`).Scan(&v)
	if err != nil {
		return 0, err
	}
	return int(v.Int64), nil
}

// Migrate brings the schema of db up to the latest version.
func Migrate(ctx context.Context, db *sql.DB, d *Dialect) error {
	if v, err := SchemaVersion(ctx, db); err == nil && v == Latest() {
		return nil // the common case: nothing to do, and no write lock taken
	}
	return MigrateTo(ctx, db, d, Latest())
}

// MigrateTo applies the migrations up to and including version target, each
// in its own transaction, skipping those already applied. Tests use it to
// build a database as an earlier version left it.
func MigrateTo(ctx context.Context, db *sql.DB, d *Dialect, target int) error {
	for _, m := range Migrations {
		if m.Version > target {
			break
		}
		if err := apply(ctx, db, d, m); err != nil {
			return fmt.Errorf("%s store: migrating schema to version %d (%s): %w", d.Name, m.Version, m.Description, err)
		}
	}
	return nil
}

// apply applies m unless it already is, under the schema lock.
func apply(ctx context.Context, db *sql.DB, d *Dialect, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if d.LockSchema != nil {
		if err := d.LockSchema(ctx, tx); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, schemaTable); err != nil {
		return err
	}
	var cur sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM mlregistry_schema`).Scan(&cur); err != nil {
		return err
	}
	switch v := int(cur.Int64); {
	case v > Latest():
		return fmt.Errorf("the database has schema version %d, newer than this program knows (%d): upgrade mlregistry", v, Latest())
	case v >= m.Version:
		return nil
	case v != m.Version-1:
		return fmt.Errorf("the database has schema version %d, expected %d", v, m.Version-1)
	}
	for _, s := range m.Statements {
		if _, err := tx.ExecContext(ctx, d.ddl(s)); err != nil {
			return fmt.Errorf("%w\nstatement: %s", err, d.ddl(s))
		}
	}
	if m.Backfill != nil {
		if err := m.Backfill(ctx, tx, d); err != nil {
			return fmt.Errorf("backfilling: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, d.Rebind(`INSERT INTO mlregistry_schema (version, description, applied) VALUES (?, ?, ?)`),
		m.Version, m.Description, time.Now().UnixMicro()); err != nil {
		return err
	}
	return tx.Commit()
}
