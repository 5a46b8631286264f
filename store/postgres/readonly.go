package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry/store"
	"github.com/mlregistry/mlregistry/store/internal/sqlstore"
)

func init() {
	open := func(ctx context.Context, u string) (store.Store, error) { return OpenReadOnly(ctx, u) }
	store.RegisterReadOnly("postgres", open)
	store.RegisterReadOnly("postgresql", open)
}

// hasSchema asks whether the store's schema table is on the search path.
const hasSchema = `SELECT to_regclass('mlregistry_schema') IS NOT NULL`

// OpenReadOnly opens the existing PostgreSQL store at a postgres:// URL in
// read-only sessions (default_transaction_read_only): it creates and
// migrates nothing, and the server refuses every write. A database without
// the store's tables (on the search path) fails with store.ErrNotStore; an
// older or newer schema with a *store.SchemaError.
func OpenReadOnly(ctx context.Context, u string) (store.Store, error) {
	db, err := connect(u, map[string]string{"default_transaction_read_only": "on"})
	if err != nil {
		return nil, err
	}
	where := "postgres store " + store.Redact(u)
	s, err := sqlstore.OpenReadOnly(ctx, db, &dialect, hasSchema, where)
	if err != nil && !errors.Is(err, store.ErrNotStore) && !errors.Is(err, store.ErrSchemaVersion) {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return s, err
}
