package storetest

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// testRunsFilterSort: runs filtered by a component's name, kind and role,
// by a final metric's range, and sorted by a final metric either way,
// paged by cursor.
func testRunsFilterSort(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	adam, sgd := NewComponent("optimizer", "Adam", "x"), NewComponent("optimizer", "SGD", "x")
	model := NewComponent("model", "Perceptron", "x")
	if err := s.PutComponents(ctx, adam, sgd, model); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// run-i uses Adam for even i, SGD for odd; accuracy i/10, with ties
	// at 0.3 (runs 3 and 4); run-7 has NaN, run-8 no final metrics.
	acc := []float64{0.0, 0.1, 0.2, 0.3, 0.3, 0.5, 0.6, math.NaN(), -1}
	for i, a := range acc {
		opt := adam
		if i%2 == 1 {
			opt = sgd
		}
		id := seedf("run-%d", i)
		_, err := s.StartRun(ctx, store.Run{ID: id, StartedAt: base.Add(time.Duration(i) * time.Minute),
			Components: []store.RunComponent{{Role: "model", Hash: model.Hash}, {Role: "optimizer", Hash: opt.Hash}}})
		if err != nil {
			t.Fatal(err)
		}
		if a >= 0 || math.IsNaN(a) {
			if err := s.FinishRun(ctx, id, store.StatusSucceeded, map[string]float64{"acc": a, "loss": 1 - a}); err != nil {
				t.Fatal(err)
			}
		}
	}
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name string
		f    store.RunFilter
		want []string
	}{
		{"name", store.RunFilter{Name: "SGD"}, []string{"run-7", "run-5", "run-3", "run-1"}},
		{"name and role", store.RunFilter{Name: "Adam", Role: "model"}, nil},
		{"kind", store.RunFilter{Kind: "optimizer", Name: "Adam"}, []string{"run-8", "run-6", "run-4", "run-2", "run-0"}},
		{"kind alone", store.RunFilter{Kind: "dataset"}, nil},
		{"metric range", store.RunFilter{Metric: "acc", Min: f(0.2), Max: f(0.5)}, []string{"run-5", "run-4", "run-3", "run-2"}},
		{"metric min", store.RunFilter{Metric: "acc", Min: f(0.55)}, []string{"run-6"}},
		{"metric present", store.RunFilter{Metric: "acc", Name: "SGD"}, []string{"run-5", "run-3", "run-1"}}, // run-7's is NaN
		{"sort", store.RunFilter{Sort: "acc"}, []string{"run-6", "run-5", "run-4", "run-3", "run-2", "run-1", "run-0"}},
		{"sort ascending", store.RunFilter{Sort: "acc", Ascending: true}, []string{"run-0", "run-1", "run-2", "run-3", "run-4", "run-5", "run-6"}},
		{"sort and filter", store.RunFilter{Sort: "loss", Ascending: true, Name: "Adam", Metric: "acc", Max: f(0.4)}, []string{"run-4", "run-2", "run-0"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, limit := range []int{0, 2} { // one page, and pages of 2 by cursor
				var got []string
				g := c.f
				g.Limit = limit
				for {
					runs, err := s.Runs(ctx, g)
					if err != nil {
						t.Fatalf("Runs(%+v): %v", g, err)
					}
					for _, r := range runs {
						got = append(got, r.ID)
					}
					if limit == 0 || len(runs) < limit {
						break
					}
					g.After = runs[len(runs)-1].ID
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("limit %d: got %q, want %q", limit, got, c.want)
				}
			}
		})
	}
	for _, c := range []struct {
		name string
		f    store.RunFilter
	}{
		{"ascending without sort", store.RunFilter{Ascending: true}},
		{"min without metric", store.RunFilter{Min: f(1)}},
		{"cursor without the sort metric", store.RunFilter{Sort: "acc", After: "run-8"}},
	} {
		if _, err := s.Runs(ctx, c.f); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", c.name, err)
		}
	}
}
