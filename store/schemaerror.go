package store

import (
	"errors"
	"fmt"
)

var (
	// ErrNotStore is returned by OpenReadOnly for a database that holds no
	// mlregistry store: an empty file, another program's database, a file
	// that is not a database at all.
	ErrNotStore = errors.New("not an mlregistry store")

	// ErrSchemaVersion is matched (errors.Is) by a *SchemaError.
	ErrSchemaVersion = errors.New("schema version not readable")
)

// SchemaError reports a store whose schema version is not the one this
// program reads. OpenReadOnly returns it rather than migrating; Open, which
// may write, migrates an older store.
type SchemaError struct {
	Store   string // the store, as errors name it: "sqlite store PATH", its URL redacted
	Version int    // the store's schema version
	Latest  int    // the version this program reads and writes
}

// Error says which version the store has, which this program reads, and what
// to do about it.
func (e *SchemaError) Error() string {
	if e.Version > e.Latest {
		return fmt.Sprintf("%s has schema version %d, newer than this program knows (%d): upgrade mlregistry",
			e.Store, e.Version, e.Latest)
	}
	return fmt.Sprintf("%s has schema version %d, older than this program's %d: opening it for writing (store.Open) migrates it",
		e.Store, e.Version, e.Latest)
}

// Is makes errors.Is(err, ErrSchemaVersion) true.
func (e *SchemaError) Is(target error) bool { return target == ErrSchemaVersion }

// Outdated reports whether the store is older than this program, so that
// migrating it would make it readable.
func (e *SchemaError) Outdated() bool { return e.Version < e.Latest }
