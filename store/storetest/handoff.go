package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// handoff returns s as a store.Handoff, skipping t when it is not one.
func handoff(t *testing.T, s store.Store) store.Handoff {
	t.Helper()
	h, ok := s.(store.Handoff)
	if !ok {
		t.Skip("the store is not store.Handoff")
	}
	return h
}

// testAttempts checks that a lost run started again keeps one record with
// its attempts counted, the lost one marked, and that SucceedRun records
// the artifacts with the status.
func testAttempts(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	h := handoff(t, s)
	cs, links := pipeline("attempts")
	q, err := s.StartRun(ctx, store.Run{Status: store.StatusQueued, Components: links, Records: cs})
	if err != nil {
		t.Fatal(err)
	}
	if q.Attempts != 0 || q.PastAttempts != nil {
		t.Errorf("queued run: attempts %d, past %v; want 0, none", q.Attempts, q.PastAttempts)
	}
	const lostAfter = 300 * time.Millisecond
	dead := store.RunOwner{Host: "host-a", PID: 11}
	first, err := s.StartRun(ctx, store.Run{ID: q.ID, Owner: dead, LostAfter: lostAfter})
	if err != nil || first.Attempts != 1 {
		t.Fatalf("first start: attempts %d (%v), want 1", first.Attempts, err)
	}
	time.Sleep(lostAfter + 100*time.Millisecond)
	live := store.RunOwner{Host: "host-b", PID: 22}
	second, err := s.StartRun(ctx, store.Run{ID: q.ID, Owner: live, LostAfter: lostAfter})
	if err != nil {
		t.Fatalf("starting the lost run again: %v", err)
	}
	if second.Attempts != 2 || len(second.PastAttempts) != 1 {
		t.Fatalf("restarted run: attempts %d, past %+v; want 2 attempts, the lost one kept", second.Attempts, second.PastAttempts)
	}
	if p := second.PastAttempts[0]; p.Attempt != 1 || p.Owner != dead || p.Outcome != store.AttemptLost || p.LastSeen.IsZero() {
		t.Errorf("past attempt = %+v: want attempt 1 of %v, lost, with when it was last seen", p, dead)
	}
	if err := h.SucceedRun(ctx, q.ID, 2, map[string]float64{"test_accuracy": 0.5}, "s3://b?prefix=x%2F", "short"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SucceedRun with a bad SHA-256: error = %v, want ErrInvalid", err)
	}
	sum := strings.Repeat("ab", 32)
	if err := h.SucceedRun(ctx, q.ID, 1, map[string]float64{"test_accuracy": 0.4}, "s3://b?prefix=x%2F1%2F", sum); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("SucceedRun by the lost attempt: error = %v, want ErrInvalid: the run was taken over", err)
	}
	if err := h.SucceedRun(ctx, q.ID, 2, map[string]float64{"test_accuracy": 0.5}, "s3://b?prefix=x%2F2%2F", sum); err != nil {
		t.Fatal(err)
	}
	got, err := s.Run(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.StatusSucceeded || got.ArtifactURL != "s3://b?prefix=x%2F2%2F" || got.ArtifactSHA256 != sum ||
		got.Attempts != 2 || len(got.PastAttempts) != 1 || got.Final["test_accuracy"] != 0.5 || got.Owner != live {
		t.Errorf("succeeded run = %+v: want succeeded by %v with its artifacts, 2 attempts", got, live)
	}
	if err := h.SucceedRun(ctx, q.ID, 2, nil, "s3://b", sum); !errors.Is(err, store.ErrRunFinished) {
		t.Errorf("SucceedRun of a finished run: error = %v, want ErrRunFinished", err)
	}
	runs, err := s.Runs(ctx, store.RunFilter{})
	if err != nil || len(runs) != 1 || runs[0].Attempts != 2 || runs[0].ArtifactSHA256 != sum {
		t.Errorf("Runs = %+v (%v): want the one run, as Run reports it", runs, err)
	}
}

// testRequeue checks RequeueRun: a running run goes back to queued, no
// owner, its attempt kept as handed back, and starts again under its ID.
func testRequeue(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	h := handoff(t, s)
	r, err := s.StartRun(ctx, store.Run{ID: "requeue-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LogMetrics(ctx, r.ID, store.Metric{Step: 1, Name: "batch_loss", Value: 2}); err != nil {
		t.Fatal(err)
	}
	if err := h.RequeueRun(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	q, err := s.Run(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if q.Status != store.StatusQueued || q.Owner != (store.RunOwner{}) || len(q.PastAttempts) != 1 ||
		q.PastAttempts[0].Outcome != store.AttemptHandedBack || q.PastAttempts[0].Owner != store.ThisProcess() {
		t.Fatalf("handed-back run = %+v: want queued, no owner, the attempt handed back", q)
	}
	if err := h.RequeueRun(ctx, r.ID); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("RequeueRun of a queued run: error = %v, want ErrInvalid", err)
	}
	again, err := s.StartRun(ctx, store.Run{ID: r.ID})
	if err != nil || again.Attempts != 2 || len(again.PastAttempts) != 1 {
		t.Fatalf("started again: %+v (%v): want attempt 2, one past attempt", again, err)
	}
	if ms, err := s.Metrics(ctx, r.ID); err != nil || len(ms) != 1 {
		t.Errorf("metrics: %v (%v), want the handed-back attempt's kept", ms, err)
	}
	if err := s.FinishRun(ctx, r.ID, store.StatusFailed, nil); err != nil {
		t.Fatal(err)
	}
	if err := h.RequeueRun(ctx, r.ID); !errors.Is(err, store.ErrRunFinished) {
		t.Errorf("RequeueRun of a finished run: error = %v, want ErrRunFinished", err)
	}
	if err := h.RequeueRun(ctx, "no-such-run"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RequeueRun of no run: error = %v, want ErrNotFound", err)
	}
}
