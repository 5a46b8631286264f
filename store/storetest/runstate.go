package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// testTransitions checks that the store refuses the writes a run's state
// forbids: a finished run never changes.
func testTransitions(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	final := map[string]float64{"test_accuracy": 0.9}
	for _, status := range []string{store.StatusSucceeded, store.StatusFailed, store.StatusCanceled, store.StatusInterrupted} {
		t.Run(status, func(t *testing.T) {
			r, err := s.StartRun(ctx, store.Run{ID: "finished-" + status})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.LogMetrics(ctx, r.ID, store.Metric{Step: 1, Name: "batch_loss", Value: 2}); err != nil {
				t.Fatal(err)
			}
			if err := s.FinishRun(ctx, r.ID, status, final); err != nil {
				t.Fatalf("FinishRun(%s): %v", status, err)
			}
			before, err := s.Run(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			writes := []struct {
				name  string
				write func() error
			}{
				{"FinishRun succeeded", func() error { return s.FinishRun(ctx, r.ID, store.StatusSucceeded, nil) }},
				{"FinishRun failed", func() error { return s.FinishRun(ctx, r.ID, store.StatusFailed, map[string]float64{"x": 1}) }},
				{"LogMetrics", func() error { return s.LogMetrics(ctx, r.ID, store.Metric{Step: 2, Name: "batch_loss", Value: 1}) }},
				{"Heartbeat", func() error { return s.Heartbeat(ctx, r.ID) }},
			}
			for _, w := range writes {
				if err := w.write(); !errors.Is(err, store.ErrRunFinished) {
					t.Errorf("%s after finishing as %s: error = %v, want ErrRunFinished", w.name, status, err)
				}
			}
			after, err := s.Run(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(after, before) {
				t.Errorf("refused writes changed the run:\nbefore %+v\n after %+v", before, after)
			}
			if ms, err := s.Metrics(ctx, r.ID); err != nil || len(ms) != 1 {
				t.Errorf("metrics after the refused LogMetrics: %v (%v), want the one logged before", ms, err)
			}
		})
	}

	t.Run("BadStatuses", func(t *testing.T) {
		r, err := s.StartRun(ctx, store.Run{ID: "bad-statuses"})
		if err != nil {
			t.Fatal(err)
		}
		for _, status := range []string{store.StatusRunning, store.StatusLost, store.StatusQueued, "done", ""} {
			if err := s.FinishRun(ctx, r.ID, status, nil); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("FinishRun(%q) error = %v, want ErrInvalid", status, err)
			}
		}
		for _, status := range []string{store.StatusSucceeded, store.StatusLost, "bogus"} {
			if _, err := s.StartRun(ctx, store.Run{Status: status}); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("StartRun(Status %q) error = %v, want ErrInvalid", status, err)
			}
		}
		if _, err := s.Runs(ctx, store.RunFilter{Status: "exploded"}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Runs(Status exploded) error = %v, want ErrInvalid", err)
		}
		if err := s.Heartbeat(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Heartbeat(unknown) error = %v, want ErrNotFound", err)
		}
		if got, err := s.Run(ctx, r.ID); err != nil || got.Status != store.StatusRunning {
			t.Errorf("after refused writes: status %q (%v), want running", got.Status, err)
		}
	})

	t.Run("Queued", func(t *testing.T) {
		cs, links := pipeline("queued")
		q, err := s.StartRun(ctx, store.Run{ID: "queued-1", Status: store.StatusQueued, Components: links, Records: cs,
			Params: map[string]any{"steps": 5.0}})
		if err != nil {
			t.Fatal(err)
		}
		if q.Status != store.StatusQueued || q.Owner != (store.RunOwner{}) || !q.LastSeen.IsZero() {
			t.Errorf("queued run = %+v: want status queued, no owner, never seen", q)
		}
		if err := s.LogMetrics(ctx, q.ID, store.Metric{Step: 1, Name: "batch_loss"}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("LogMetrics on a queued run: error = %v, want ErrInvalid", err)
		}
		if err := s.Heartbeat(ctx, q.ID); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Heartbeat on a queued run: error = %v, want ErrInvalid", err)
		}
		if err := s.FinishRun(ctx, q.ID, store.StatusSucceeded, nil); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("FinishRun(succeeded) on a queued run: error = %v, want ErrInvalid", err)
		}
		if _, err := s.StartRun(ctx, store.Run{ID: q.ID, Components: links}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("StartRun of a queued run with other components: error = %v, want ErrInvalid", err)
		}
		if _, err := s.StartRun(ctx, store.Run{ID: q.ID, Status: store.StatusQueued}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("queueing an existing ID again: error = %v, want ErrInvalid", err)
		}
		owner := store.RunOwner{Host: "worker-7", PID: 4242}
		r, err := s.StartRun(ctx, store.Run{ID: q.ID, Owner: owner, ArtifactDir: "/runs/q1"})
		if err != nil {
			t.Fatalf("StartRun of a queued run: %v", err)
		}
		if r.Status != store.StatusRunning || r.Owner != owner || r.LastSeen.IsZero() || r.ArtifactDir != "/runs/q1" ||
			len(r.Components) != 3 || r.Params["steps"] != 5.0 {
			t.Errorf("started queued run = %+v: want running, owned by %+v, seen, its components and params kept", r, owner)
		}
		if got, err := s.Run(ctx, q.ID); err != nil || !reflect.DeepEqual(got, r) {
			t.Errorf("Run after starting the queued run:\n got %+v (%v)\nwant %+v", got, err, r)
		}
		if _, err := s.StartRun(ctx, store.Run{ID: q.ID}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("starting a running run again: error = %v, want ErrInvalid", err)
		}
		q2, err := s.StartRun(ctx, store.Run{ID: "queued-2", Status: store.StatusQueued})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.FinishRun(ctx, q2.ID, store.StatusCanceled, nil); err != nil {
			t.Errorf("canceling a queued run: %v", err)
		}
	})
}

// testLost checks that a running run whose heartbeat is older than its
// LostAfter is reported lost by Run and Runs, and running again after a
// heartbeat.
func testLost(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	const lostAfter = time.Second
	r, err := s.StartRun(ctx, store.Run{ID: "beating", LostAfter: lostAfter})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := s.StartRun(ctx, store.Run{ID: "fresh"}) // the default threshold: stays running
	if err != nil {
		t.Fatal(err)
	}
	ids := func(status string) []string {
		t.Helper()
		runs, err := s.Runs(ctx, store.RunFilter{Status: status})
		if err != nil {
			t.Fatalf("Runs(Status %q): %v", status, err)
		}
		var ids []string
		for _, r := range runs {
			if r.Status != status {
				t.Errorf("Runs(Status %q) listed %s as %q", status, r.ID, r.Status)
			}
			ids = append(ids, r.ID)
		}
		slices.Sort(ids)
		return ids
	}
	check := func(when, wantStatus string, wantRunning, wantLost []string) store.Run {
		t.Helper()
		got, err := s.Run(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != wantStatus {
			t.Errorf("%s: Run status %q, want %q (last seen %v, lost after %v)", when, got.Status, wantStatus, got.LastSeen, got.LostAfter)
		}
		if g := ids(store.StatusRunning); !slices.Equal(g, wantRunning) {
			t.Errorf("%s: running runs %q, want %q", when, g, wantRunning)
		}
		if g := ids(store.StatusLost); !slices.Equal(g, wantLost) {
			t.Errorf("%s: lost runs %q, want %q", when, g, wantLost)
		}
		return got
	}
	check("just started", store.StatusRunning, []string{r.ID, fresh.ID}, nil)

	time.Sleep(lostAfter + 200*time.Millisecond)
	lost := check("heartbeat stopped", store.StatusLost, []string{fresh.ID}, []string{r.ID})
	if !lost.LastSeen.Equal(r.LastSeen) || lost.Owner != store.ThisProcess() || !lost.EndedAt.IsZero() {
		t.Errorf("lost run: last seen %v (want %v, its start), owner %+v, ended %v", lost.LastSeen, r.LastSeen, lost.Owner, lost.EndedAt)
	}

	if err := s.Heartbeat(ctx, r.ID); err != nil {
		t.Fatalf("Heartbeat: %v", err)
	}
	back := check("heartbeat again", store.StatusRunning, []string{r.ID, fresh.ID}, nil)
	if !back.LastSeen.After(r.LastSeen) {
		t.Errorf("Heartbeat did not move LastSeen: %v, was %v", back.LastSeen, r.LastSeen)
	}

	// A lost run's owner may still come back and finish it.
	time.Sleep(lostAfter + 200*time.Millisecond)
	check("lost again", store.StatusLost, []string{fresh.ID}, []string{r.ID})
	if err := s.FinishRun(ctx, r.ID, store.StatusSucceeded, map[string]float64{"test_accuracy": 1}); err != nil {
		t.Fatalf("FinishRun of a lost run: %v", err)
	}
	done := check("finished", store.StatusSucceeded, []string{fresh.ID}, nil)
	if !done.LastSeen.Equal(done.EndedAt) {
		t.Errorf("finished run: last seen %v, want when it ended, %v", done.LastSeen, done.EndedAt)
	}
}
