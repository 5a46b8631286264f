// Package sqlite is the embedded store backend, on the pure-Go SQLite of
// modernc.org/sqlite (no cgo). Importing it registers the "sqlite" URL scheme
// with store.Open:
//
//	import _ "github.com/mlregistry/mlregistry/store/sqlite"
//
//	s, err := store.Open(ctx, "sqlite://./mlregistry.db")
//
// The database is in WAL mode, so readers never block the writer. Every
// pooled connection gets the same pragmas, from the DSN: busy_timeout (other
// processes' writers are waited for, not failed with "database is locked"),
// foreign_keys, synchronous, cache_size, mmap_size and wal_autocheckpoint.
// Write transactions begin IMMEDIATE, so a transaction never fails half-way
// to upgrade its lock; writers in one process queue in Go. A new database
// gets 16 KiB pages.
//
// URL query parameters:
//
//	busy_timeout=MS        how long to wait for another process's write (default 30000)
//	synchronous=MODE       off, normal (default) or full. With WAL, normal loses nothing
//	                       when a process is killed; full also survives power loss.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mlregistry/mlregistry/store"
	"github.com/mlregistry/mlregistry/store/internal/sqlstore"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

func init() {
	store.Register("sqlite", func(ctx context.Context, u string) (store.Store, error) { return Open(ctx, u) })
}

// dialect is SQLite's.
var dialect = sqlstore.Dialect{
	Name:            "sqlite",
	TextC:           "TEXT",
	SeqPK:           "INTEGER PRIMARY KEY",
	MaxParams:       32766, // SQLITE_MAX_VARIABLE_NUMBER since 3.32
	InsertRows:      1,
	SerializeWrites: true,
}

// Open opens (creating if needed) the SQLite store at a URL of the form
// sqlite://PATH[?busy_timeout=MS&synchronous=MODE].
func Open(ctx context.Context, u string) (store.Store, error) {
	path, dsn, err := DSN(u)
	if err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "." {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("sqlite store %s: the directory %s must exist: %w", path, dir, err)
		}
	}
	if err := create(ctx, path); err != nil {
		return nil, fmt.Errorf("sqlite store %s: creating: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	// Keep connections open: each new one runs the pragmas again.
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	s, err := sqlstore.Open(ctx, db, &dialect)
	if err != nil {
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	return s, nil
}

// pageSize is the page size of a new database. Larger pages than SQLite's
// 4096 mean fewer WAL frames, and fewer system calls, per transaction: batch
// recording is about a third faster.
const pageSize = 16384

// create makes a new, empty database file with the page size in WAL mode.
// The page size must be set before the database is in WAL mode, which the
// pool's connections set first, so it is done here, on a connection of its
// own. It does nothing when the file exists.
func create(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(30000)")
	if err != nil {
		return err
	}
	defer db.Close()
	for _, p := range []string{"PRAGMA page_size = " + strconv.Itoa(pageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

// DSN turns a store URL into the file path and the modernc.org/sqlite DSN,
// with the pragmas every connection needs.
func DSN(u string) (path, dsn string, err error) {
	const scheme = "sqlite://"
	if len(u) < len(scheme) || !strings.EqualFold(u[:len(scheme)], scheme) {
		return "", "", fmt.Errorf("%w: sqlite store URL %q: expected sqlite://PATH", store.ErrInvalid, u)
	}
	path, query, _ := strings.Cut(u[len(scheme):], "?")
	if path == "" {
		return "", "", fmt.Errorf("%w: sqlite store URL %q has no path: expected sqlite://PATH, e.g. %s", store.ErrInvalid, u, store.DefaultURL)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", "", fmt.Errorf("%w: sqlite store URL %q: query: %v", store.ErrInvalid, u, err)
	}
	busy, sync := "30000", "NORMAL"
	for k, vs := range q {
		v := vs[len(vs)-1]
		switch k {
		case "busy_timeout":
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				return "", "", fmt.Errorf("%w: sqlite store URL %q: busy_timeout=%q: expected milliseconds, e.g. 30000", store.ErrInvalid, u, v)
			}
			busy = v
		case "synchronous":
			switch strings.ToUpper(v) {
			case "OFF", "NORMAL", "FULL", "EXTRA":
				sync = strings.ToUpper(v)
			default:
				return "", "", fmt.Errorf("%w: sqlite store URL %q: synchronous=%q: expected off, normal, full or extra", store.ErrInvalid, u, v)
			}
		default:
			return "", "", fmt.Errorf("%w: sqlite store URL %q: unknown parameter %q: expected busy_timeout or synchronous", store.ErrInvalid, u, k)
		}
	}
	p := url.Values{}
	p.Add("_pragma", "busy_timeout("+busy+")")
	p.Add("_pragma", "journal_mode(WAL)")
	p.Add("_pragma", "synchronous("+sync+")")
	p.Add("_pragma", "foreign_keys(ON)")
	p.Add("_pragma", "cache_size(-65536)") // 64 MiB of page cache per connection, as used
	p.Add("_pragma", "mmap_size(1073741824)")
	// Checkpoint the WAL every 8000 pages (128 MiB) rather than 1000: index
	// pages that every batch rewrites are then copied back (and synced) once
	// per checkpoint, not every few batches.
	p.Add("_pragma", "wal_autocheckpoint(8000)")
	p.Add("_txlock", "immediate")
	return path, "file:" + path + "?" + p.Encode(), nil
}
