package ml

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
	_ "github.com/mlregistry/mlregistry/store/sqlite"
)

// watchedStore is a real store that calls onMetrics at each LogMetrics
// and counts heartbeats.
type watchedStore struct {
	store.Store
	onMetrics func(n int)

	mu          sync.Mutex
	logs, beats int
}

func (s *watchedStore) LogMetrics(ctx context.Context, id string, ms ...store.Metric) error {
	err := s.Store.LogMetrics(ctx, id, ms...)
	s.mu.Lock()
	s.logs++
	n := s.logs
	s.mu.Unlock()
	if s.onMetrics != nil {
		s.onMetrics(n)
	}
	return err
}

func (s *watchedStore) Heartbeat(ctx context.Context, id string) error {
	s.mu.Lock()
	s.beats++
	s.mu.Unlock()
	return s.Store.Heartbeat(ctx, id)
}

func (s *watchedStore) heartbeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.beats
}

// openSQLite opens a fresh SQLite store that lives as long as t.
func openSQLite(t *testing.T) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "runs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestTrainStopped stops training midway, by a signal or by the caller, and
// checks the run is recorded so, with the metrics it reached, and leaves no
// run directory.
func TestTrainStopped(t *testing.T) {
	needsGoMLX(t)
	tests := []struct {
		name       string
		cause      error // nil: a plain cancel
		wantStatus string
		wantErr    error
	}{
		{"SIGTERM", &Interrupt{Signal: syscall.SIGTERM}, store.StatusInterrupted, ErrInterrupted},
		{"SIGINT", &Interrupt{Signal: syscall.SIGINT}, store.StatusInterrupted, ErrInterrupted},
		{"canceled", nil, store.StatusCanceled, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			runs := t.TempDir()
			s := &watchedStore{Store: openSQLite(t)}
			s.onMetrics = func(n int) {
				if n == 3 {
					if entries, _ := os.ReadDir(runs); len(entries) != 1 || entries[0].Name()[0] != '.' {
						t.Errorf("while training, the runs directory holds %v, want only the hidden partial directory", entries)
					}
					cancel(tt.cause)
				}
			}
			p := digitsPipeline(t, 1)
			res, err := (&Trainer{Store: s, RunsDir: runs}).Train(ctx, p)
			if !errors.Is(err, tt.wantErr) || !errors.Is(err, context.Canceled) {
				t.Fatalf("Train error = %v, want %v and context.Canceled", err, tt.wantErr)
			}
			if res == nil || res.RunID == "" || res.Steps == 0 || res.Steps >= 352 || res.Dir != "" {
				t.Fatalf("result %+v: want the run's ID and the steps done (some, not all 352), no directory", res)
			}
			r, err := s.Run(context.Background(), res.RunID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tt.wantStatus || r.EndedAt.IsZero() {
				t.Errorf("run recorded %q (ended %v), want %q", r.Status, r.EndedAt, tt.wantStatus)
			}
			if r.Final[MetricSteps] != float64(res.Steps) || r.Final[MetricTrainLossAvg] != res.Loss || r.Final[MetricTrainLossAvg] == 0 {
				t.Errorf("final metrics %v, want steps %d and %s %v", r.Final, res.Steps, MetricTrainLossAvg, res.Loss)
			}
			if _, ok := r.Final[MetricTestAccuracy]; ok {
				t.Errorf("a stopped run has a test accuracy: %v", r.Final)
			}
			ms, err := s.Metrics(context.Background(), res.RunID)
			if err != nil || len(ms) == 0 || ms[len(ms)-1].Step != int64(res.Steps) || ms[len(ms)-1].Name != MetricBatchLoss {
				t.Errorf("metrics %v (%v): want the last step's (%d) %s", ms, err, res.Steps, MetricBatchLoss)
			}
			if entries, _ := os.ReadDir(runs); len(entries) != 0 {
				t.Errorf("a stopped run left %v in the runs directory", entries)
			}
		})
	}
}

// TestTrainHeartbeat checks that a recorded run's heartbeat goes on while
// it trains, and stops when it ends; and that its directory appears, whole,
// only at the end.
func TestTrainHeartbeat(t *testing.T) {
	needsGoMLX(t)
	s := &watchedStore{Store: openSQLite(t)}
	runs := t.TempDir()
	p := digitsPipeline(t, 1)
	p.Training.Epochs = 30 // a few seconds
	res, err := (&Trainer{Store: s, RunsDir: runs, LostAfter: 300 * time.Millisecond}).Train(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	beats := s.heartbeats()
	if min := int(res.Duration / (200 * time.Millisecond)); beats < min {
		t.Errorf("%d heartbeats in %v, want at least %d (one per 100 ms)", beats, res.Duration, min)
	}
	r, err := s.Run(context.Background(), res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != store.StatusSucceeded || r.LostAfter != 300*time.Millisecond || !r.LastSeen.After(r.StartedAt) || r.Owner != store.ThisProcess() {
		t.Errorf("run %+v: want succeeded, lost after 300ms, seen after it started, owned by this process", r)
	}
	if abs, _ := filepath.Abs(res.Dir); r.ArtifactDir != abs {
		t.Errorf("recorded artifact dir %q, want %q", r.ArtifactDir, abs)
	}
	time.Sleep(300 * time.Millisecond)
	if after := s.heartbeats(); after != beats {
		t.Errorf("%d heartbeats after the run finished", after-beats)
	}
	entries, _ := os.ReadDir(runs)
	if len(entries) != 1 || entries[0].Name() != filepath.Base(res.Dir) {
		t.Fatalf("runs directory holds %v, want only %s", entries, filepath.Base(res.Dir))
	}
	for _, f := range []string{DocumentFile, CheckpointDir} {
		if _, err := os.Stat(filepath.Join(res.Dir, f)); err != nil {
			t.Errorf("run directory: %v", err)
		}
	}
}
