package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/mlregistry/mlregistry/store"
)

// OpenReadOnly returns a Store on db, an existing store, without creating or
// migrating anything: the read-only counterpart of Open. hasSchema is the
// dialect's query for whether the schema table exists (one boolean or
// integer row). It fails with store.ErrNotStore when the table does not exist
// and with a *store.SchemaError when the schema is not the latest; where
// names the store in errors (its URL redacted). The Store owns db and closes
// it on Close, and on failure here.
func OpenReadOnly(ctx context.Context, db *sql.DB, d *Dialect, hasSchema, where string) (*Store, error) {
	if err := checkSchema(ctx, db, hasSchema, where); err != nil {
		db.Close()
		return nil, err
	}
	return newStore(db, d), nil
}

// checkSchema fails unless db holds a store of the latest schema.
func checkSchema(ctx context.Context, db *sql.DB, hasSchema, where string) error {
	var exists bool
	if err := db.QueryRowContext(ctx, hasSchema).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("%s: %w: it has no mlregistry_schema table", where, store.ErrNotStore)
	}
	v, err := SchemaVersion(ctx, db)
	if err != nil {
		return fmt.Errorf("%s: reading the schema version: %w", where, err)
	}
	if v == 0 {
		return fmt.Errorf("%s: %w: its mlregistry_schema table is empty", where, store.ErrNotStore)
	}
	if v != Latest() {
		return &store.SchemaError{Store: where, Version: v, Latest: Latest()}
	}
	return nil
}
