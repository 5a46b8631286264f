package storetest

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/mlregistry/mlregistry/store"
	"github.com/mlregistry/mlregistry/store/internal/sqlstore"
)

// NewDB returns the URL of a fresh, empty SQL store and a database handle on
// it, both living as long as t.
type NewDB func(t testing.TB) (url string, db *sql.DB)

// Migrations tests the schema migrations of an SQL backend: from an empty
// database and from every earlier version, with data written as that version
// wrote it; a database newer than the code is refused; concurrent openers of
// an empty database all succeed.
func Migrations(t *testing.T, newDB NewDB, d *sqlstore.Dialect) {
	ctx := context.Background()
	c := NewComponent("model", "Perceptron", "old")
	for from := 0; from <= sqlstore.Latest(); from++ {
		t.Run(seedf("FromVersion%d", from), func(t *testing.T) {
			url, db := newDB(t)
			if err := sqlstore.MigrateTo(ctx, db, d, from); err != nil {
				t.Fatalf("MigrateTo(%d): %v", from, err)
			}
			seed := []struct {
				version int
				query   string
				args    []any
			}{
				{1, `INSERT INTO components (hash, name, kind, envelope, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)`,
					[]any{c.Hash, "Perceptron", "model", string(c.Envelope), 1, 2}},
				{2, `INSERT INTO runs (id, status, started, ended, artifact_dir, params) VALUES ('old-run', 'succeeded', 1, 2, '/runs/old', '{"steps":10}')`, nil},
				{2, `INSERT INTO run_components (run_id, role, hash) VALUES ('old-run', 'model', ?)`, []any{c.Hash}},
				{2, `INSERT INTO metrics (run_id, step, name, value) VALUES ('old-run', 1, 'loss', 0.25)`, nil},
				{3, `UPDATE runs SET final = '{"acc":0.5}'`, nil},
				// Left running by a killed process of a version without heartbeats.
				{2, `INSERT INTO runs (id, status, started, ended, artifact_dir, params) VALUES ('old-running', 'running', 5, NULL, '', '{}')`, nil},
			}
			for _, s := range seed {
				if s.version <= from {
					if _, err := db.ExecContext(ctx, d.Rebind(s.query), s.args...); err != nil {
						t.Fatalf("seeding version %d: %v\n%s", from, err, s.query)
					}
				}
			}
			s := open(t, url)
			if v, err := sqlstore.SchemaVersion(ctx, db); err != nil || v != sqlstore.Latest() {
				t.Fatalf("after Open: schema version %d (%v), want %d", v, err, sqlstore.Latest())
			}
			if from >= 1 {
				got, err := s.Component(ctx, c.Hash)
				if err != nil || string(got.Envelope) != string(c.Envelope) || got.LastSeen.UnixMicro() != 2 {
					t.Errorf("component written by version %d: %+v, %v", from, got, err)
				}
			}
			if from >= 2 {
				r, err := s.Run(ctx, "old-run")
				if err != nil || r.ArtifactDir != "/runs/old" || len(r.Components) != 1 || r.Params["steps"] != 10.0 {
					t.Errorf("run written by version %d: %+v, %v", from, r, err)
				}
				wantFinal := 0
				if from >= 3 {
					wantFinal = 1
				}
				if len(r.Final) != wantFinal {
					t.Errorf("run written by version %d: final %v, want %d metrics", from, r.Final, wantFinal)
				}
				if r, err := s.Run(ctx, "old-running"); err != nil || r.Status != store.StatusLost || (from < 4 && r.LastSeen.UnixMicro() != 5) {
					t.Errorf("a run left running by version %d: %+v, %v; want it lost, last seen when it started", from, r, err)
				}
				if r.LastSeen.UnixMicro() != 2 && from < 4 {
					t.Errorf("a run finished by version %d: last seen %v, want when it ended", from, r.LastSeen)
				}
				if from >= 3 && from < 5 { // migration 5 indexes the final metrics recorded before it
					sorted, err := s.Runs(ctx, store.RunFilter{Sort: "acc"})
					if err != nil || len(sorted) != 1 || sorted[0].ID != "old-run" {
						t.Errorf("runs sorted by a final metric written by version %d: %v, %v; want old-run", from, sorted, err)
					}
				}
				ms, err := s.Metrics(ctx, "old-run")
				if err != nil || len(ms) != 1 || ms[0].Value != 0.25 {
					t.Errorf("metrics written by version %d: %v, %v", from, ms, err)
				}
			}
			if err := writeLoad(ctx, s, "after-migration", 2); err != nil {
				t.Errorf("writing after migrating from version %d: %v", from, err)
			}
		})
	}

	t.Run("NewerThanCode", func(t *testing.T) {
		url, db := newDB(t)
		if err := sqlstore.MigrateTo(ctx, db, d, sqlstore.Latest()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, d.Rebind(`INSERT INTO mlregistry_schema (version, description, applied) VALUES (?, 'from the future', 0)`), sqlstore.Latest()+1); err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(ctx, url)
		if err == nil {
			s.Close()
			t.Fatal("Open succeeded on a database newer than the code")
		}
		if !strings.Contains(err.Error(), "newer than this program knows") {
			t.Errorf("Open error = %v, want one saying the database is newer", err)
		}
	})

	t.Run("ConcurrentOpen", func(t *testing.T) {
		url, _ := newDB(t)
		const n = 6
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				s, err := store.Open(ctx, url)
				if err == nil {
					err = s.PutComponents(ctx, NewComponent("model", "M", seedf("%d", i)))
					s.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("concurrent Open of an empty store: %v", err)
		}
	})
}
