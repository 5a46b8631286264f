package jobs_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/internal/pgtest"
	"github.com/mlregistry/mlregistry/jobs"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// firstStepStore is a queue's store that reports on steps when a run logs
// its first metric: the first step trained.
type firstStepStore struct {
	store.SQLBacked
	steps chan time.Time
}

// LogMetrics logs ms and reports the time.
func (s *firstStepStore) LogMetrics(ctx context.Context, runID string, ms ...store.Metric) error {
	err := s.SQLBacked.LogMetrics(ctx, runID, ms...)
	select {
	case s.steps <- time.Now():
	default:
	}
	return err
}

// BenchmarkQueueLatency measures the time from Submit to a worker's first
// training step, with two workers (two queues, as two processes would
// have) polling the store at the default interval. The one-step runs
// train and finish within the iteration. ns/op is the latency.
func BenchmarkQueueLatency(b *testing.B) {
	for _, c := range []struct {
		name string
		url  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return "sqlite://" + filepath.Join(b.TempDir(), "store.db") }},
		{"postgres", func(b *testing.B) string { return pgtest.SchemaURL(b) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := store.Open(ctx, c.url(b))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			fs := &firstStepStore{SQLBacked: s.(store.SQLBacked), steps: make(chan time.Time, 1)}
			jt := &service.JobTrainer{}
			var queues []*jobs.Queue
			for range 2 {
				q, err := jobs.Open(ctx, jobs.Config{Store: fs, Train: jt.Train})
				if err != nil {
					b.Fatal(err)
				}
				if err := q.Start(ctx); err != nil {
					b.Fatal(err)
				}
				defer q.Stop(ctx, nil)
				queues = append(queues, q)
			}
			spec := digitsSpec(b, 1)
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				run, err := queues[0].Submit(ctx, spec)
				if err != nil {
					b.Fatal(err)
				}
				select {
				case at := <-fs.steps:
					total += at.Sub(start)
				case <-time.After(30 * time.Second):
					b.Fatalf("run %s: no step within 30 s", run.ID)
				}
				for deadline := time.Now().Add(30 * time.Second); ; {
					if r, err := s.Run(ctx, run.ID); err == nil && store.Finished(r.Status) {
						break
					}
					if time.Now().After(deadline) {
						b.Fatalf("run %s did not finish within 30 s", run.ID)
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-first-step")
		})
	}
}
