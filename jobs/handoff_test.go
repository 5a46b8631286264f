package jobs_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/internal/gomlxrace"
	"github.com/mlregistry/mlregistry/internal/pgtest"
	"github.com/mlregistry/mlregistry/internal/s3test"
	"github.com/mlregistry/mlregistry/jobs"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// queueOn opens a queue on s that trains with jt, polling fast, its runs
// lost after lostAfter.
func queueOn(t *testing.T, s store.Store, train jobs.TrainFunc, lostAfter time.Duration) *jobs.Queue {
	t.Helper()
	q, err := jobs.Open(context.Background(), jobs.Config{Store: s, Train: train, PollInterval: 50 * time.Millisecond, LostAfter: lostAfter})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestStopHandsRunBack(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _ := openQueue(t, dir)
	jt := &service.JobTrainer{RunsDir: filepath.Join(dir, "runs"), HandBack: true}
	q := queueOn(t, s, jt.Train, 0)
	run, err := q.Submit(ctx, digitsSpec(t, 1000000))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, run.ID, store.StatusRunning)
	if err := q.Stop(ctx, nil); err != nil {
		t.Fatal(err)
	}
	back, err := s.Run(ctx, run.ID)
	if err != nil || back.Status != store.StatusQueued || len(back.PastAttempts) != 1 || back.PastAttempts[0].Outcome != store.AttemptHandedBack {
		t.Fatalf("run after Stop = %+v (%v): want queued, its attempt handed back", back, err)
	}
	q2 := queueOn(t, s, jt.Train, 0) // another worker takes it
	if err := q2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	again := waitFor(t, s, run.ID, store.StatusRunning)
	if again.Attempts != 2 {
		t.Errorf("run started again: attempts %d, want 2", again.Attempts)
	}
	if _, err := q2.Cancel(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	_ = q2.Stop(ctx, nil)
	if runs, _ := s.Runs(ctx, store.RunFilter{}); len(runs) != 1 {
		t.Errorf("%d runs recorded, want the one", len(runs))
	}
}

// deadWorker is a TrainFunc that starts the job's run as a process on
// another host would, then neither beats nor records anything until the
// queue stops: a worker killed mid-run, its River job left running.
func deadWorker(lostAfter time.Duration) jobs.TrainFunc {
	return func(ctx context.Context, job jobs.Job) (jobs.Outcome, error) {
		_, err := job.Store.StartRun(ctx, store.Run{ID: job.RunID, Owner: store.RunOwner{Host: "dead-host", PID: 4242}, LostAfter: lostAfter})
		<-ctx.Done()
		return jobs.Outcome{Started: err == nil}, err
	}
}

// stalledWorker is a TrainFunc that dies between taking a job and
// starting its run: it never starts it, and blocks until the queue stops.
func stalledWorker(ctx context.Context, job jobs.Job) (jobs.Outcome, error) {
	<-ctx.Done()
	return jobs.Outcome{}, ctx.Err()
}

func TestStalledQueuedRunTrainedOnce(t *testing.T) {
	gomlxrace.Skip(t)
	ctx := context.Background()
	s, err := store.Open(ctx, pgtest.SchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const lostAfter = 300 * time.Millisecond
	dead := queueOn(t, s, stalledWorker, lostAfter)
	run, err := dead.Submit(ctx, digitsSpec(t, 20))
	if err != nil {
		t.Fatal(err)
	}
	if err := dead.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer dead.Stop(ctx, nil)
	time.Sleep(200 * time.Millisecond) // the dead worker takes the job
	live := queueOn(t, s, (&service.JobTrainer{RunsDir: t.TempDir(), HandBack: true}).Train, lostAfter)
	if err := live.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer live.Stop(ctx, nil)
	done := waitFor(t, s, run.ID, store.StatusSucceeded, store.StatusFailed, store.StatusCanceled)
	if done.Status != store.StatusSucceeded || done.Attempts != 1 {
		t.Fatalf("run = %+v: want succeeded, started once", done)
	}
}

func TestLostRunTrainedAgainOnce(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		testLostRunTrainedAgainOnce(t, "sqlite://"+filepath.Join(t.TempDir(), "store.db"))
	})
	t.Run("postgres", func(t *testing.T) { testLostRunTrainedAgainOnce(t, pgtest.SchemaURL(t)) })
}

func testLostRunTrainedAgainOnce(t *testing.T, url string) {
	gomlxrace.Skip(t)
	ctx := context.Background()
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const lostAfter = 600 * time.Millisecond
	dead := queueOn(t, s, deadWorker(lostAfter), lostAfter)
	run, err := dead.Submit(ctx, digitsSpec(t, 20))
	if err != nil {
		t.Fatal(err)
	}
	if err := dead.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer dead.Stop(ctx, nil)
	waitFor(t, s, run.ID, store.StatusRunning)
	b, err := artifacts.Open(ctx, s3test.Fake(t, "runs").BucketURL("runs"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	live := queueOn(t, s, (&service.JobTrainer{Artifacts: b, HandBack: true}).Train, lostAfter)
	if err := live.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer live.Stop(ctx, nil)
	done := waitFor(t, s, run.ID, store.StatusSucceeded, store.StatusFailed, store.StatusCanceled)
	if done.Status != store.StatusSucceeded || done.Attempts != 2 || len(done.PastAttempts) != 1 ||
		done.PastAttempts[0].Outcome != store.AttemptLost || done.PastAttempts[0].Owner.Host != "dead-host" || done.Owner != store.ThisProcess() {
		t.Fatalf("run = %+v: want succeeded on the second attempt, here, the dead one marked lost", done)
	}
	if done.ArtifactURL == "" || len(done.ArtifactSHA256) != 64 || done.ArtifactDir != "" {
		t.Errorf("run artifacts: url %q sha %q dir %q: want uploaded to the bucket only", done.ArtifactURL, done.ArtifactSHA256, done.ArtifactDir)
	}
	t.Setenv(service.ArtifactCacheEnv, t.TempDir())
	loaded, err := service.LoadRun(ctx, nil, done, nil)
	if err != nil {
		t.Fatalf("loading the run from its artifacts: %v", err)
	}
	if loaded.Document.Model.Hash != componentOf(done, "model") {
		t.Errorf("loaded model %s, the run records %s", loaded.Document.Model.Hash, componentOf(done, "model"))
	}
	if runs, _ := s.Runs(ctx, store.RunFilter{}); len(runs) != 1 {
		t.Errorf("%d runs recorded, want the one", len(runs))
	}
}

// componentOf returns the hash of the run's component in role.
func componentOf(r store.Run, role string) string {
	for _, c := range r.Components {
		if c.Role == role {
			return c.Hash
		}
	}
	return ""
}

// TestOpenConcurrently opens queues at once on a new database, as servers
// and workers started together do: every one migrates River's tables or
// finds them migrated, none fails.
func TestOpenConcurrently(t *testing.T) {
	for _, c := range []struct{ name, url string }{
		{"sqlite", "sqlite://" + filepath.Join(t.TempDir(), "store.db")},
		{"postgres", pgtest.SchemaURL(t)},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s, err := store.Open(ctx, c.url)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			const n = 4
			errs := make(chan error, n)
			for range n {
				go func() {
					_, err := jobs.Open(ctx, jobs.Config{Store: s, Train: (&service.JobTrainer{}).Train})
					errs <- err
				}()
			}
			for range n {
				if err := <-errs; err != nil {
					t.Errorf("Open: %v", err)
				}
			}
		})
	}
}

// TestCancelClaimedBeforeItStarts: a run whose job a worker here has taken
// but whose training has not started yet is canceled at once, and ends
// canceled — not failed, not queued — once the stalled trainer gives up.
func TestCancelClaimedBeforeItStarts(t *testing.T) {
	ctx := context.Background()
	s, _ := openQueue(t, t.TempDir())
	claimed := make(chan struct{}, 1)
	q := queueOn(t, s, func(ctx context.Context, job jobs.Job) (jobs.Outcome, error) {
		claimed <- struct{}{}
		return stalledWorker(ctx, job)
	}, 0)
	run, err := q.Submit(ctx, digitsSpec(t, 20))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx, nil)
	select {
	case <-claimed:
	case <-time.After(30 * time.Second):
		t.Fatal("the job was not taken")
	}
	got, err := q.Cancel(ctx, run.ID)
	if err != nil || got.Status != store.StatusCanceled {
		t.Fatalf("Cancel = %s, %v: want canceled", got.Status, err)
	}
	time.Sleep(200 * time.Millisecond) // the stalled trainer returns; its job must not record another outcome
	if r, err := s.Run(ctx, run.ID); err != nil || r.Status != store.StatusCanceled || r.Attempts != 0 {
		t.Errorf("run after the job ended = %s, %d attempts (%v): want canceled, never started", r.Status, r.Attempts, err)
	}
}
