package jobs

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/mlregistry/mlregistry/store"
)

// rescueBatch bounds the lost runs and running jobs one rescue looks at.
const rescueBatch = 1000

// rescue looks for lost runs every interval, and queues again the run of
// each job whose worker died (see rescueLost), until the returned function
// is called, which waits for the last look to end.
//
// River would rescue such a job only after RescueStuckJobsAfter, which is
// longer than any run may train; the run's heartbeat says much sooner that
// its worker is gone.
func (q *Queue) rescue(interval time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				_, _ = q.rescueLost(ctx) // tried again at the next tick
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}

// rescueLost queues a new job for every lost run whose job is still
// running in River — its worker died mid-run (kill -9, a host gone) — and
// returns how many it queued. The new job carries the lost attempt's
// number and is unique by its arguments: however many workers find the
// same lost attempt, one job is queued for it. Its worker starts the run
// again under the same ID (a new attempt; the lost one is kept in
// PastAttempts). The dead worker's job, when River rescues it at last,
// finds the run finished and does nothing.
//
// So it does, keyed by the attempt that never started, for a run still
// queued whose job has been running for three heartbeat thresholds: its
// worker died between taking the job and starting the run.
func (q *Queue) rescueLost(ctx context.Context) (int, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().Kinds(TrainKind).States(rivertype.JobStateRunning).First(rescueBatch))
	if err != nil || len(res.Jobs) == 0 {
		return 0, err
	}
	lost, err := q.store.Runs(ctx, store.RunFilter{Status: store.StatusLost, Limit: rescueBatch})
	if err != nil {
		return 0, err
	}
	var stalled []store.Run // queued, their job running for longer than a heartbeat threshold
	specs := map[string]json.RawMessage{}
	for _, j := range res.Jobs {
		var a TrainArgs
		if json.Unmarshal(j.EncodedArgs, &a) != nil {
			continue
		}
		specs[a.RunID] = a.Spec
		if _, here := q.local(a.RunID); here || j.AttemptedAt == nil || time.Since(*j.AttemptedAt) < 3*q.lostAfter() {
			continue
		}
		if r, err := q.store.Run(ctx, a.RunID); err == nil && r.Status == store.StatusQueued {
			stalled = append(stalled, r)
		}
	}
	queued := 0
	for _, r := range append(lost, stalled...) {
		spec, ok := specs[r.ID]
		if _, here := q.local(r.ID); !ok || here {
			continue // not a job's run (a killed `train`), or training here
		}
		args := TrainArgs{RunID: r.ID, Spec: spec, Resume: r.Attempts}
		if r.Status == store.StatusQueued {
			args = TrainArgs{RunID: r.ID, Spec: spec, Stalled: r.Attempts + 1}
		}
		opts := &river.InsertOpts{MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
		ins, err := q.client.Insert(ctx, args, opts)
		if err != nil {
			return queued, err
		}
		if !ins.UniqueSkippedAsDuplicate {
			queued++
		}
	}
	return queued, nil
}
