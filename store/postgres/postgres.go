// Package postgres is the store backend for a team sharing one store from
// many machines: PostgreSQL (or anything that speaks its protocol), through
// github.com/jackc/pgx/v5. Importing it registers the "postgres" and
// "postgresql" URL schemes with store.Open:
//
//	import _ "github.com/mlregistry/mlregistry/store/postgres"
//
//	s, err := store.Open(ctx, "postgres://alice:secret@db.example.com:5432/mlregistry?sslmode=require")
//
// The URL is libpq's: sslmode, connect_timeout, application_name and the
// rest are understood, and other parameters (search_path=team, for one) are
// sent to the server as run-time settings. The schema is created and
// migrated on open, under an advisory lock so that many machines may open
// the store at once.
package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/mlregistry/mlregistry/store"
	"github.com/mlregistry/mlregistry/store/internal/sqlstore"
)

func init() {
	open := func(ctx context.Context, u string) (store.Store, error) { return Open(ctx, u) }
	store.Register("postgres", open)
	store.Register("postgresql", open)
}

// schemaLock is the key of the advisory lock held while migrating.
const schemaLock = 0x6d6c7265 // "mlre"

var dialect = sqlstore.Dialect{
	Name:       "postgres",
	Numbered:   true,
	TextC:      `TEXT COLLATE "C"`,
	SeqPK:      "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
	MaxParams:  65535,
	InsertRows: 0, // as many as MaxParams allows
	Unnest:     true,
	ForUpdate:  " FOR UPDATE",
	LockSchema: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, schemaLock)
		return err
	},
}

// Open opens the PostgreSQL store at a postgres:// URL, creating and
// migrating its tables as needed.
func Open(ctx context.Context, u string) (store.Store, error) {
	db, err := connect(u, nil)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres store %s: %w", store.Redact(u), err)
	}
	s, err := sqlstore.Open(ctx, db, &dialect)
	if err != nil {
		return nil, fmt.Errorf("postgres store %s: %w", store.Redact(u), err)
	}
	return s, nil
}

// connect returns a connection pool for the URL u, with the session
// settings the store needs and those of params.
func connect(u string, params map[string]string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(u)
	if err != nil {
		return nil, fmt.Errorf("%w: postgres store URL %q: %v", store.ErrInvalid, store.Redact(u), err)
	}
	if _, set := cfg.RuntimeParams["jit"]; !set {
		// The store's statements are small and many; a batch of thousands
		// of rows costs enough to trigger JIT compilation, which then takes
		// longer than the statement (10,000 components: 1 s instead of 0.2).
		cfg.RuntimeParams["jit"] = "off"
	}
	for k, v := range params {
		cfg.RuntimeParams[k] = v
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	return db, nil
}
