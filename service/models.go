package service

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// Model is a succeeded run's model, loaded for predictions.
type Model struct {
	RunID     string        // the run's ID: the model's name in the Open Inference Protocol
	Component string        // the model component's registered name, e.g. "Perceptron"
	Hash      string        // the model component's hash
	Predictor *ml.Predictor // its Features and Classes give the shapes
}

// DefaultModelCapacity is how many loaded models a Models keeps when its
// Capacity is 0.
const DefaultModelCapacity = 8

// Models loads the models of succeeded runs from their artifacts — the run
// directory or artifacts URL the store records for the run (see RunDir),
// never a path from a request —
// and keeps the most recently used ones loaded. It is safe for concurrent
// use; a model is loaded once however many requests ask for it at once.
type Models struct {
	Store    store.Store
	Repo     *ml.Repository    // nil: ml.Default
	Dataset  mlregistry.Kwargs // runtime values for the datasets' excluded parameters
	Capacity int               // models kept loaded; 0: DefaultModelCapacity

	mu      sync.Mutex
	order   *list.List               // of *Model, most recently used first
	byID    map[string]*list.Element // loaded models by run ID
	loading map[string]*load         // loads in progress by run ID
}

// load is one load in progress; done is closed when m or err is set.
type load struct {
	done chan struct{}
	m    *Model
	err  error
}

// Get returns the model of the run with exactly the given ID, loading it if
// it is not loaded. A run that does not exist is ErrNotFound; one that has
// not succeeded (or whose run directory is gone) is ErrConflict, with its
// status.
func (ms *Models) Get(ctx context.Context, runID string) (*Model, error) {
	ms.mu.Lock()
	if ms.byID == nil {
		ms.order, ms.byID, ms.loading = list.New(), map[string]*list.Element{}, map[string]*load{}
	}
	if e, ok := ms.byID[runID]; ok {
		ms.order.MoveToFront(e)
		ms.mu.Unlock()
		return e.Value.(*Model), nil
	}
	l, ok := ms.loading[runID]
	if !ok {
		l = &load{done: make(chan struct{})}
		ms.loading[runID] = l
		go ms.load(context.WithoutCancel(ctx), runID, l)
	}
	ms.mu.Unlock()
	select {
	case <-l.done:
		return l.m, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// load loads runID's model into l, and keeps it when it loaded.
func (ms *Models) load(ctx context.Context, runID string, l *load) {
	l.m, l.err = ms.open(ctx, runID)
	ms.mu.Lock()
	defer ms.mu.Unlock()
	delete(ms.loading, runID)
	if l.err == nil {
		ms.byID[runID] = ms.order.PushFront(l.m)
		capacity := ms.Capacity
		if capacity <= 0 {
			capacity = DefaultModelCapacity
		}
		for ms.order.Len() > capacity {
			// The evicted model is dropped, not closed: a request may still
			// be using it, and the garbage collector frees it after.
			oldest := ms.order.Back()
			ms.order.Remove(oldest)
			delete(ms.byID, oldest.Value.(*Model).RunID)
		}
	}
	close(l.done)
}

// Loaded returns the IDs of the loaded models, most recently used first.
func (ms *Models) Loaded() []string {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	var ids []string
	if ms.order == nil {
		return ids
	}
	for e := ms.order.Front(); e != nil; e = e.Next() {
		ids = append(ids, e.Value.(*Model).RunID)
	}
	return ids
}

// open reads run runID from the store and loads its run directory.
func (ms *Models) open(ctx context.Context, runID string) (*Model, error) {
	run, err := ms.Store.Run(ctx, runID)
	if errors.Is(err, store.ErrNotFound) || err == nil && run.ID != runID {
		return nil, as(ErrNotFound, fmt.Errorf("model %q: no run has this ID: a model's name is a succeeded run's full ID (GET /v1/runs?status=succeeded lists them)", runID))
	}
	if err != nil {
		return nil, err
	}
	if run.Status != store.StatusSucceeded {
		return nil, as(ErrConflict, fmt.Errorf("model %q: the run is %s: predictions come from succeeded runs", runID, run.Status))
	}
	if run.ArtifactDir == "" && run.ArtifactURL == "" {
		return nil, as(ErrConflict, fmt.Errorf("model %q: the run saved no run directory (trained with no --runs and no --artifacts): nothing to predict with", runID))
	}
	loaded, err := LoadRun(ctx, ms.Repo, run, ms.Dataset)
	if err != nil {
		return nil, as(ErrConflict, fmt.Errorf("model %q: %w", runID, err))
	}
	features := loaded.Pipeline.Dataset.Examples().Features
	pr, err := ml.NewPredictor(nil, loaded.Pipeline.Model, features)
	if err != nil {
		return nil, fmt.Errorf("model %q: %w", runID, err)
	}
	md := loaded.Document.Model
	return &Model{RunID: run.ID, Component: md.Name, Hash: md.Hash, Predictor: pr}, nil
}
