package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

// writeLoad does n units of a training-like write load on s: a run with its
// components, metrics for a few steps, its end. It returns the first error.
func writeLoad(ctx context.Context, s store.Store, who string, n int) error {
	for i := range n {
		cs, links := pipeline(seedf("%s-%d", who, i%7)) // components are shared between iterations
		r, err := s.StartRun(ctx, store.Run{Components: links, Records: cs, Params: map[string]any{"who": who, "i": i}})
		if err != nil {
			return err
		}
		for step := range 3 {
			if err := s.LogMetrics(ctx, r.ID, store.Metric{Step: int64(step), Name: "loss", Value: 1 / float64(step+1)},
				store.Metric{Step: int64(step), Name: "acc", Value: float64(step) / 3}); err != nil {
				return err
			}
		}
		if err := s.PutComponents(ctx, NewComponent("dataset", "MNIST", seedf("%s-%d", who, i))); err != nil {
			return err
		}
		if err := s.FinishRun(ctx, r.ID, store.StatusSucceeded, map[string]float64{"acc": 0.9}); err != nil {
			return err
		}
		if _, err := s.Run(ctx, r.ID); err != nil {
			return err
		}
	}
	return nil
}

func testConcurrentGoroutines(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	url := newURL(t)
	s := open(t, url)
	s2 := open(t, url) // a second pool on the same store, as a second library user in the process would have
	const writers, each = 8, 15
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Go(func() {
			st := s
			if w%2 == 1 {
				st = s2
			}
			errs[w] = writeLoad(ctx, st, seedf("g%d", w), each)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent writers: %v", err)
	}
	runs, err := s.Runs(ctx, store.RunFilter{Status: store.StatusSucceeded, Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != writers*each {
		t.Errorf("%d succeeded runs, want %d", len(runs), writers*each)
	}
}
