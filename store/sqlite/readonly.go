package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/mlregistry/mlregistry/store"
	"github.com/mlregistry/mlregistry/store/internal/sqlstore"
)

func init() {
	store.RegisterReadOnly("sqlite", func(ctx context.Context, u string) (store.Store, error) { return OpenReadOnly(ctx, u) })
}

// hasSchema asks whether the database has the store's schema table.
const hasSchema = `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'mlregistry_schema'`

// OpenReadOnly opens the existing SQLite store at a URL of the form
// sqlite://PATH[?busy_timeout=MS] for reading only (SQLite's mode=ro): it
// creates no file and no table, and migrates nothing. A file that is not an
// SQLite database, or a database without the store's tables, fails with
// store.ErrNotStore; an older or newer schema with a *store.SchemaError.
//
// It works where the caller may only read: when SQLite cannot open the
// write-ahead log's shared memory (the directory is not writable and no
// -shm file is there), the file is opened immutable, which is safe then,
// since no process can write to it without creating those files either.
func OpenReadOnly(ctx context.Context, u string) (store.Store, error) {
	path, dsn, err := readOnlyDSN(u)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("sqlite store %s: %w: no such file", path, store.ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	case info.IsDir():
		return nil, fmt.Errorf("sqlite store %s: %w: it is a directory", path, store.ErrNotStore)
	}
	s, err := openReadOnly(ctx, path, dsn)
	if isCode(err, sqlite3.SQLITE_CANTOPEN) || isCode(err, sqlite3.SQLITE_READONLY) {
		if _, walErr := os.Stat(path + "-wal"); errors.Is(walErr, os.ErrNotExist) {
			s, err = openReadOnly(ctx, path, dsn+"&immutable=1")
		}
	}
	return s, err
}

// openReadOnly opens dsn and checks that it holds a store.
func openReadOnly(ctx context.Context, path, dsn string) (store.Store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	s, err := sqlstore.OpenReadOnly(ctx, db, &dialect, hasSchema, "sqlite store "+path)
	if isCode(err, sqlite3.SQLITE_NOTADB) {
		return nil, fmt.Errorf("sqlite store %s: %w: the file is not an SQLite database", path, store.ErrNotStore)
	}
	if err != nil && !errors.Is(err, store.ErrNotStore) && !errors.Is(err, store.ErrSchemaVersion) {
		return nil, fmt.Errorf("sqlite store %s: opening read-only: %w", path, err)
	}
	return s, err
}

// readOnlyDSN is DSN for reading only: mode=ro, and none of the pragmas or
// the transaction mode that write.
func readOnlyDSN(u string) (path, dsn string, err error) {
	path, rw, err := DSN(u)
	if err != nil {
		return "", "", err
	}
	_, query, _ := strings.Cut(rw, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", "", fmt.Errorf("%w: sqlite store URL %q: %v", store.ErrInvalid, u, err)
	}
	ro := url.Values{"mode": {"ro"}}
	for _, p := range q["_pragma"] {
		if strings.HasPrefix(p, "busy_timeout(") || strings.HasPrefix(p, "foreign_keys(") ||
			strings.HasPrefix(p, "cache_size(") || strings.HasPrefix(p, "mmap_size(") {
			ro.Add("_pragma", p)
		}
	}
	return path, "file:" + path + "?" + ro.Encode(), nil
}

// isCode reports whether err is an SQLite error with the primary result code.
func isCode(err error, code int) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == code
}
