package jobs_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/internal/gomlxrace"
	"github.com/mlregistry/mlregistry/internal/pgtest"
	"github.com/mlregistry/mlregistry/jobs"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
	_ "github.com/mlregistry/mlregistry/store/postgres"
	_ "github.com/mlregistry/mlregistry/store/sqlite"
)

// digitsSpec is a short Digits run: a few steps of a small Perceptron.
func digitsSpec(t testing.TB, steps int) ml.Spec {
	t.Helper()
	spec, err := ml.ParseSpec([]byte(`{"model": {"name": "Perceptron", "kwargs": {"hidden_size": 16, "p": 0.1, "bias": true}},
		"dataset": {"name": "Digits"}, "training": {"batch_size": 32, "steps": ` + itoa(steps) + `, "seed": 3}}`))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func itoa(n int) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}

// openQueue opens a store in dir and a queue on it.
func openQueue(t *testing.T, dir string) (store.Store, *jobs.Queue) {
	t.Helper()
	return openQueueAt(t, "sqlite://"+filepath.Join(dir, "store.db"), dir)
}

// openQueueAt opens the store at url and a queue on it, saving runs in dir.
func openQueueAt(t *testing.T, url, dir string) (store.Store, *jobs.Queue) {
	t.Helper()
	gomlxrace.Skip(t)
	s, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	q, err := jobs.Open(context.Background(), jobs.Config{Store: s, Train: (&service.JobTrainer{RunsDir: filepath.Join(dir, "runs")}).Train, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return s, q
}

// waitFor waits until run id has one of the statuses, and returns it.
func waitFor(t *testing.T, s store.Store, id string, statuses ...string) store.Run {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := s.Run(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range statuses {
			if r.Status == st {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s is %s after 60 s, want one of %v", id, r.Status, statuses)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSubmitTrainsOnce(t *testing.T) {
	dir := t.TempDir()
	s, q := openQueue(t, dir)
	testSubmitTrainsOnce(t, s, q)
}

func TestSubmitTrainsOncePostgres(t *testing.T) {
	s, q := openQueueAt(t, pgtest.SchemaURL(t), t.TempDir())
	testSubmitTrainsOnce(t, s, q)
}

func testSubmitTrainsOnce(t *testing.T, s store.Store, q *jobs.Queue) {
	ctx := context.Background()
	run, err := q.Submit(ctx, digitsSpec(t, 5))
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != store.StatusQueued || run.ID == "" || len(run.Components) != 4 {
		t.Fatalf("submitted run = %+v: want queued, an ID, 4 components", run)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx, nil)
	done := waitFor(t, s, run.ID, store.StatusSucceeded, store.StatusFailed)
	if done.Status != store.StatusSucceeded || done.Final[ml.MetricSteps] != 5 || done.ArtifactDir == "" {
		t.Fatalf("run = %+v: want succeeded after 5 steps, with a run directory", done)
	}
	if _, err := ml.Default.Load(done.ArtifactDir, nil); err != nil {
		t.Errorf("loading the run directory: %v", err)
	}
	runs, err := s.Runs(ctx, store.RunFilter{})
	if err != nil || len(runs) != 1 {
		t.Errorf("runs in the store: %d (%v), want 1: the queued run, started, not a second one", len(runs), err)
	}
}

func TestSubmitRefusesInvalidSpecs(t *testing.T) {
	ctx := context.Background()
	s, q := openQueue(t, t.TempDir())
	for _, c := range []struct {
		name, spec, path string
	}{
		{"unknown model", `{"model": {"name": "Perceptrn"}, "dataset": {"name": "Digits"}}`, "model.name"},
		{"bad optimizer argument", `{"optimizer": {"name": "Adam", "kwargs": {"lr": "fast"}}, "dataset": {"name": "Digits"}}`, "optimizer.kwargs.lr"},
	} {
		t.Run(c.name, func(t *testing.T) {
			spec, err := ml.ParseSpec([]byte(c.spec))
			if err != nil {
				t.Fatal(err)
			}
			_, err = q.Submit(ctx, spec)
			var ve *mlregistry.ValidationError
			if !errors.Is(err, jobs.ErrInvalidSpec) || !errors.As(err, &ve) {
				t.Fatalf("Submit error = %v, want ErrInvalidSpec with a *ValidationError", err)
			}
			found := false
			for _, p := range ve.Problems {
				found = found || p.Path == c.path
			}
			if !found {
				t.Errorf("problems %+v: none at %s", ve.Problems, c.path)
			}
		})
	}
	if runs, _ := s.Runs(ctx, store.RunFilter{}); len(runs) != 0 {
		t.Errorf("%d runs recorded for refused specs, want none", len(runs))
	}
}

func TestCancelQueuedNeverStarts(t *testing.T) {
	ctx := context.Background()
	s, q := openQueue(t, t.TempDir())
	run, err := q.Submit(ctx, digitsSpec(t, 5))
	if err != nil {
		t.Fatal(err)
	}
	got, err := q.Cancel(ctx, run.ID)
	if err != nil || got.Status != store.StatusCanceled {
		t.Fatalf("Cancel = %+v, %v: want canceled", got, err)
	}
	if _, err := q.Cancel(ctx, run.ID); !errors.Is(err, store.ErrRunFinished) {
		t.Errorf("Cancel again: error = %v, want ErrRunFinished", err)
	}
	next, err := q.Submit(ctx, digitsSpec(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx, nil)
	waitFor(t, s, next.ID, store.StatusSucceeded) // jobs run in order: the canceled one's is done by then
	if r, _ := s.Run(ctx, run.ID); r.Status != store.StatusCanceled || r.Owner != (store.RunOwner{}) {
		t.Errorf("canceled run = %+v: want canceled, never owned", r)
	}
}

func TestQueuedRunSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, q := openQueue(t, dir)
	run, err := q.Submit(ctx, digitsSpec(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, q2 := openQueue(t, dir) // a new server on the same store
	if err := q2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q2.Stop(ctx, nil)
	waitFor(t, s2, run.ID, store.StatusSucceeded)
	_ = q
}

func TestCancelRunning(t *testing.T) {
	ctx := context.Background()
	s, q := openQueue(t, t.TempDir())
	run, err := q.Submit(ctx, digitsSpec(t, 100000))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx, nil)
	waitFor(t, s, run.ID, store.StatusRunning)
	got, err := q.Cancel(ctx, run.ID)
	if err != nil || got.Status != store.StatusCanceled || got.Final[ml.MetricSteps] >= 100000 {
		t.Fatalf("Cancel of a running run = %+v, %v: want canceled before the end", got, err)
	}
}
