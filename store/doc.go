// Package store records the components and training runs of an mlregistry
// pipeline, and finds them again: a component by hash or unique hash prefix
// (as git does with commits), components by name or registry kind, the runs
// that used a component, and the difference between two runs' configurations.
//
// A Store is opened by URL. The backends register themselves, as database/sql
// drivers do, so a program blank-imports the ones it wants:
//
//	import (
//		"github.com/mlregistry/mlregistry/store"
//		_ "github.com/mlregistry/mlregistry/store/sqlite"   // sqlite://PATH, the embedded default
//		_ "github.com/mlregistry/mlregistry/store/postgres" // postgres://…, for a team
//	)
//
//	s, err := store.Open(ctx, "sqlite://./mlregistry.db")
//
// URL forms:
//
//	""                                   sqlite://./mlregistry.db (the default)
//	sqlite://PATH                        a file, created if missing: sqlite://runs.db, sqlite:///abs/path/runs.db
//	PATH                                 the same, for a bare path without a scheme (./runs.db)
//	postgres://user:pass@host:port/db    PostgreSQL; postgresql:// too; libpq parameters such as
//	                                     ?sslmode=disable and ?search_path=team are passed through
//
// Every write is one transaction: what a method acknowledged survives the
// process being killed, and nothing half-written is ever visible. The schema
// is versioned in code and migrated forward when a store is opened with Open.
//
// A program that only reads opens the store with OpenReadOnly: it creates no
// file and no table, migrates nothing, and works where the user may only
// read (an SQLite file of mode 0444 in a directory of mode 0555 that another
// user owns; a read-only session on PostgreSQL). A database that holds no
// store fails with ErrNotStore, a schema other than this program's with a
// *SchemaError, and Open migrates an older one.
//
// A run's state comes from the store, never from a guess. StartRun records
// its owner (host, pid); the owner calls Heartbeat every third of the run's
// LostAfter (DefaultLostAfter, 30 s); Run and Runs report a running run
// whose last heartbeat is older than that as StatusLost, with the time it
// was last seen. The store refuses impossible transitions: a finished run
// (succeeded, failed, canceled, interrupted) is never finished again nor
// given metrics (ErrRunFinished).
package store
