package storetest

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// testRestartLost checks that StartRun with the ID of a lost run starts it
// again (a job queue's retry after its worker died), and refuses a run
// whose heartbeat is fresh.
func testRestartLost(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	cs, links := pipeline("restart")
	const lostAfter = 300 * time.Millisecond
	dead := store.RunOwner{Host: "gone", PID: 1}
	r, err := s.StartRun(ctx, store.Run{ID: "restart-1", Owner: dead, LostAfter: lostAfter, Components: links, Records: cs,
		Params: map[string]any{"seed": 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartRun(ctx, store.Run{ID: r.ID}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("StartRun of a running run with a fresh heartbeat: error = %v, want ErrInvalid", err)
	}
	time.Sleep(lostAfter + 100*time.Millisecond)
	again, err := s.StartRun(ctx, store.Run{ID: r.ID})
	if err != nil {
		t.Fatalf("StartRun of a lost run: %v", err)
	}
	if again.Status != store.StatusRunning || again.Owner != store.ThisProcess() || len(again.Components) != len(links) {
		t.Errorf("restarted run = %+v: want running, owned by this process, its components kept", again)
	}
	if got, err := s.Run(ctx, r.ID); err != nil || got.Status != store.StatusRunning {
		t.Errorf("Run after the restart: status %q (%v), want running", got.Status, err)
	}
	if err := s.FinishRun(ctx, r.ID, store.StatusSucceeded, nil); err != nil {
		t.Errorf("finishing the restarted run: %v", err)
	}
	if _, err := s.StartRun(ctx, store.Run{ID: r.ID}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("StartRun of a finished run: error = %v, want ErrInvalid", err)
	}
}

// testStartRunTx checks store.SQLBacked, when the store implements it: what
// within writes commits with the run, and a failing within records nothing.
func testStartRunTx(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	sb, ok := s.(store.SQLBacked)
	if !ok {
		t.Skip("the store is not store.SQLBacked")
	}
	db, dialect := sb.Database()
	if dialect != "sqlite" && dialect != "postgres" {
		t.Errorf("dialect %q, want sqlite or postgres", dialect)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE within_test (run_id TEXT)`); err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO within_test (run_id) VALUES (?)`
	if dialect == "postgres" {
		insert = `INSERT INTO within_test (run_id) VALUES ($1)`
	}
	r, err := sb.StartRunTx(ctx, store.Run{ID: "tx-1", Status: store.StatusQueued}, func(tx *sql.Tx, r store.Run) error {
		_, err := tx.ExecContext(ctx, insert, r.ID)
		return err
	})
	if err != nil || r.Status != store.StatusQueued {
		t.Fatalf("StartRunTx: %+v, %v", r, err)
	}
	boom := errors.New("boom")
	if _, err := sb.StartRunTx(ctx, store.Run{ID: "tx-2", Status: store.StatusQueued}, func(tx *sql.Tx, r store.Run) error {
		if _, err := tx.ExecContext(ctx, insert, r.ID); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Errorf("StartRunTx with a failing within: error = %v, want it", err)
	}
	if _, err := s.Run(ctx, "tx-2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the run of a failed StartRunTx: error = %v, want ErrNotFound", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM within_test`).Scan(&n); err != nil || n != 1 {
		t.Errorf("rows written within: %d (%v), want 1 (the committed run's)", n, err)
	}
}
