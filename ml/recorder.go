package ml

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

// Names of the metrics a Trainer records. The two losses are two
// quantities: the loss of one batch, and the trainer's moving average of it.
const (
	// MetricBatchLoss is the step metric: the loss of the step's batch.
	MetricBatchLoss = "batch_loss"
	// MetricTrainLossAvg is the final metric: the exponential moving
	// average of the batch loss at the last step trained (what the
	// progress display shows).
	MetricTrainLossAvg = "train_loss_avg"
	// MetricTestAccuracy is the final accuracy on the held-out split
	// (succeeded runs only).
	MetricTestAccuracy = "test_accuracy"
	// MetricSteps is the final number of steps trained.
	MetricSteps = "steps"
	// MetricTrainSeconds is the final training time, evaluation excluded.
	MetricTrainSeconds = "train_seconds"
)

// recorder records a training run in a store.Store, and keeps its
// heartbeat while it trains; with no store it does nothing.
type recorder struct {
	s         store.Store
	doc       *Document
	cfg       Training
	dir       string
	lostAfter time.Duration
	id        string
	every     int

	last      store.Metric // the last step's batch loss
	lastSaved bool         // whether last was logged
	stopBeat  func()       // stops the heartbeat and waits for it
}

// newRecorder prepares the recording of a run; s may be nil. lostAfter is
// the run's store.Run.LostAfter (0: the store's default).
func newRecorder(s store.Store, doc *Document, cfg Training, dir string, lostAfter time.Duration) *recorder {
	return &recorder{s: s, doc: doc, cfg: cfg, dir: dir, lostAfter: lostAfter, stopBeat: func() {}}
}

// start records the run's components and the run itself, in one
// transaction, and starts its heartbeat.
func (r *recorder) start(ctx context.Context) error {
	if r.s == nil {
		return nil
	}
	dir := r.dir
	if dir != "" {
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs // readers (show) run elsewhere
		}
	}
	run := store.Run{
		ArtifactDir: dir,
		LostAfter:   r.lostAfter,
		Params: map[string]any{
			"batch_size": r.cfg.BatchSize, "steps": r.cfg.Steps, "epochs": r.cfg.Epochs, "seed": r.cfg.Seed,
		},
	}
	for _, role := range r.doc.Roles() {
		env, err := json.Marshal(*role.Metadata)
		if err != nil {
			return fmt.Errorf("recording run: %s: %w", role.Name, err)
		}
		md := role.Metadata
		run.Records = append(run.Records, store.Component{Hash: md.Hash, Name: md.Name, Kind: md.Kind, Envelope: env})
		run.Components = append(run.Components, store.RunComponent{Role: role.Name, Hash: md.Hash})
	}
	started, err := r.s.StartRun(ctx, run)
	if err != nil {
		return fmt.Errorf("recording run: %w", err)
	}
	r.id = started.ID
	r.stopBeat = r.beat(started.ID, store.HeartbeatInterval(started.LostAfter))
	return nil
}

// beat calls Heartbeat every interval until the returned function is
// called, which waits for the last beat to end. Each beat is a transaction
// of its own. A failed beat is tried again at the next tick: a store busy
// for a moment must not stop training, and the run is reported lost only
// after three missed beats. It stops for good when the run is gone or
// finished.
func (r *recorder) beat(id string, interval time.Duration) (stop func()) {
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
				err := r.s.Heartbeat(ctx, id)
				if errors.Is(err, store.ErrRunFinished) || errors.Is(err, store.ErrNotFound) {
					return
				}
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}

// log records the batch loss of a step: about a hundred points per run,
// and the last step.
func (r *recorder) log(ctx context.Context, step, steps int, loss float64) error {
	if r.s == nil {
		return nil
	}
	if r.every == 0 {
		r.every = max(1, steps/100)
	}
	r.last, r.lastSaved = store.Metric{Step: int64(step), Name: MetricBatchLoss, Value: loss}, false
	if step%r.every != 0 && step != steps {
		return nil
	}
	// Not cancelled with ctx: a stop takes effect between steps, and the
	// write of a step that was done is kept.
	if err := r.s.LogMetrics(context.WithoutCancel(ctx), r.id, r.last); err != nil {
		return fmt.Errorf("recording run: %w", err)
	}
	r.lastSaved = true
	return nil
}

// finish stops the heartbeat and records how the run ended: succeeded with
// its final metrics; interrupted (a signal, see Interrupt) or canceled (ctx
// cancelled otherwise) with the metrics it had reached, the last step's
// batch loss logged; failed. A failure to record is not the run's failure:
// training already happened, so it is left for the next look at the store
// (where the run, its heartbeat stopped, is soon reported lost).
func (r *recorder) finish(ctx context.Context, res *Result, err error) {
	r.stopBeat()
	if r.s == nil || r.id == "" {
		return
	}
	res.RunID = r.id
	ctx = context.WithoutCancel(ctx) // record the end even when ctx is what ended the run
	reached := map[string]float64{MetricSteps: float64(res.Steps), MetricTrainSeconds: res.Duration.Seconds()}
	if res.Steps > 0 {
		reached[MetricTrainLossAvg] = res.Loss
	}
	status := store.StatusFailed
	switch {
	case err == nil:
		status = store.StatusSucceeded
		reached[MetricTestAccuracy] = res.TestAccuracy
	case errors.Is(err, ErrInterrupted):
		status = store.StatusInterrupted
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		status = store.StatusCanceled
	}
	if err != nil && !r.lastSaved && r.last.Name != "" {
		_ = r.s.LogMetrics(ctx, r.id, r.last)
	}
	_ = r.s.FinishRun(ctx, r.id, status, reached)
}
