package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// testDeleteRun: a finished or lost run is deleted with its metrics and
// links, its components stay; a queued or running one is refused with
// ErrRunActive; an unknown one is ErrNotFound.
func testDeleteRun(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	cs, links := pipeline("d")
	if err := s.PutComponents(ctx, cs...); err != nil {
		t.Fatal(err)
	}
	start := func(id string, r store.Run) {
		t.Helper()
		r.ID, r.Components = id, links
		if _, err := s.StartRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	start("done", store.Run{})
	if err := s.LogMetrics(ctx, "done", store.Metric{Step: 1, Name: "batch_loss", Value: 2}); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, "done", store.StatusSucceeded, map[string]float64{"test_accuracy": 0.9}); err != nil {
		t.Fatal(err)
	}
	start("keep", store.Run{})
	start("queued", store.Run{Status: store.StatusQueued})
	start("lost", store.Run{LostAfter: time.Millisecond})
	time.Sleep(5 * time.Millisecond)

	for _, c := range []struct {
		id   string
		want error
	}{
		{"keep", store.ErrRunActive},
		{"queued", store.ErrRunActive},
		{"nosuch", store.ErrNotFound},
		{"don", store.ErrNotFound}, // an exact ID, never a prefix
		{"done", nil},
		{"lost", nil},
		{"done", store.ErrNotFound},
	} {
		if err := s.DeleteRun(ctx, c.id); !errors.Is(err, c.want) || (err == nil) != (c.want == nil) {
			t.Errorf("DeleteRun(%q) = %v, want %v", c.id, err, c.want)
		}
	}
	if _, err := s.Run(ctx, "done"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Run(done) after delete: %v, want ErrNotFound", err)
	}
	if ms, err := s.Metrics(ctx, "done"); err == nil && len(ms) > 0 {
		t.Errorf("metrics of the deleted run remain: %v", ms)
	}
	if runs, err := s.Runs(ctx, store.RunFilter{Sort: "test_accuracy"}); err != nil || len(runs) != 0 {
		t.Errorf("runs sorted by the deleted run's final metric: %v, %v; want none", runs, err)
	}
	if _, err := s.Component(ctx, cs[0].Hash); err != nil {
		t.Errorf("the deleted run's component: %v, want it kept", err)
	}
	runs, err := s.Runs(ctx, store.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range runs {
		ids = append(ids, r.ID)
	}
	if len(ids) != 2 {
		t.Errorf("runs left %q, want keep and queued", ids)
	}
}
