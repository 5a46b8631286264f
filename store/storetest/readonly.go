package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/mlregistry/mlregistry/store"
	"github.com/mlregistry/mlregistry/store/internal/sqlstore"
)

// ReadOnly tests store.OpenReadOnly on an SQL backend: it reads what Open
// wrote and refuses every write; it creates nothing in an empty database
// and migrates nothing in an older one, failing with store.ErrNotStore and a
// *store.SchemaError instead; another program's database is not a store.
func ReadOnly(t *testing.T, newDB NewDB, d *sqlstore.Dialect) {
	ctx := context.Background()
	t.Run("ReadsAndRefusesWrites", func(t *testing.T) {
		url, _ := newDB(t)
		w := open(t, url)
		cs, links := pipeline("ro")
		run, err := w.StartRun(ctx, store.Run{Components: links, Records: cs})
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		s, err := store.OpenReadOnly(ctx, url)
		if err != nil {
			t.Fatalf("OpenReadOnly: %v", err)
		}
		defer s.Close()
		if got, err := s.Run(ctx, run.ID); err != nil || len(got.Components) != len(links) {
			t.Errorf("Run(%s) read-only = %+v, %v; want its %d components", run.ID, got, err, len(links))
		}
		if _, err := s.Component(ctx, cs[0].Hash); err != nil {
			t.Errorf("Component read-only: %v", err)
		}
		if err := s.PutComponents(ctx, NewComponent("model", "M", "write")); err == nil {
			t.Error("PutComponents succeeded on a read-only store")
		}
		if err := s.LogMetrics(ctx, run.ID, store.Metric{Step: 1, Name: "loss", Value: 1}); err == nil {
			t.Error("LogMetrics succeeded on a read-only store")
		}
	})
	t.Run("EmptyIsNotStore", func(t *testing.T) {
		url, db := newDB(t)
		s, err := store.OpenReadOnly(ctx, url)
		if err == nil {
			s.Close()
		}
		if !errors.Is(err, store.ErrNotStore) {
			t.Fatalf("OpenReadOnly of an empty database: %v, want ErrNotStore", err)
		}
		if _, err := sqlstore.SchemaVersion(ctx, db); err == nil {
			t.Error("OpenReadOnly of an empty database created the schema table")
		}
	})
	t.Run("ForeignIsNotStore", func(t *testing.T) {
		url, db := newDB(t)
		if _, err := db.ExecContext(ctx, `CREATE TABLE invoices (id INTEGER PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		s, err := store.OpenReadOnly(ctx, url)
		if err == nil {
			s.Close()
		}
		if !errors.Is(err, store.ErrNotStore) {
			t.Fatalf("OpenReadOnly of another program's database: %v, want ErrNotStore", err)
		}
	})
	t.Run("OlderIsNotMigrated", func(t *testing.T) {
		url, db := newDB(t)
		old := sqlstore.Latest() - 1
		if err := sqlstore.MigrateTo(ctx, db, d, old); err != nil {
			t.Fatal(err)
		}
		s, err := store.OpenReadOnly(ctx, url)
		if err == nil {
			s.Close()
		}
		var se *store.SchemaError
		if !errors.As(err, &se) || !errors.Is(err, store.ErrSchemaVersion) || !se.Outdated() || se.Version != old {
			t.Fatalf("OpenReadOnly of a version-%d store: %v, want an outdated *SchemaError of version %d", old, err, old)
		}
		if v, err := sqlstore.SchemaVersion(ctx, db); err != nil || v != old {
			t.Errorf("after OpenReadOnly the schema version is %d (%v), want %d: it migrated", v, err, old)
		}
	})
	t.Run("NewerIsRefused", func(t *testing.T) {
		url, db := newDB(t)
		if err := sqlstore.MigrateTo(ctx, db, d, sqlstore.Latest()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, d.Rebind(`INSERT INTO mlregistry_schema (version, description, applied) VALUES (?, 'from the future', 0)`), sqlstore.Latest()+1); err != nil {
			t.Fatal(err)
		}
		s, err := store.OpenReadOnly(ctx, url)
		if err == nil {
			s.Close()
		}
		var se *store.SchemaError
		if !errors.As(err, &se) || se.Outdated() {
			t.Fatalf("OpenReadOnly of a store newer than the code: %v, want a *SchemaError, not outdated", err)
		}
	})
}
