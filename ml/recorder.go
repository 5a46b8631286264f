package ml

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/mlregistry/mlregistry/store"
)

// recorder records a training run in a store.Store; with no store it does
// nothing.
type recorder struct {
	s     store.Store
	doc   *Document
	cfg   Training
	dir   string
	id    string
	every int
}

// newRecorder prepares the recording of a run; s may be nil.
func newRecorder(s store.Store, doc *Document, cfg Training, dir string) *recorder {
	return &recorder{s: s, doc: doc, cfg: cfg, dir: dir}
}

// start records the run's components and the run itself, in one
// transaction.
func (r *recorder) start(ctx context.Context) error {
	if r.s == nil {
		return nil
	}
	run := store.Run{
		ArtifactDir: r.dir,
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
	return nil
}

// log records the loss of a step: about a hundred points per run, and the
// last step.
func (r *recorder) log(ctx context.Context, step, steps int, loss float64) error {
	if r.s == nil {
		return nil
	}
	if r.every == 0 {
		r.every = max(1, steps/100)
	}
	if step%r.every != 0 && step != steps {
		return nil
	}
	if err := r.s.LogMetrics(ctx, r.id, store.Metric{Step: int64(step), Name: "loss", Value: loss}); err != nil {
		return fmt.Errorf("recording run: %w", err)
	}
	return nil
}

// finish records how the run ended. A failure to record is not the run's
// failure: training already happened, so it is left for the next look at
// the store (the run stays "running").
func (r *recorder) finish(ctx context.Context, res *Result, err error) {
	if r.s == nil || r.id == "" {
		return
	}
	res.RunID = r.id
	if err != nil {
		_ = r.s.FinishRun(context.WithoutCancel(ctx), r.id, store.StatusFailed, nil)
		return
	}
	_ = r.s.FinishRun(ctx, r.id, store.StatusSucceeded, map[string]float64{
		"test_accuracy": res.TestAccuracy, "loss": res.Loss, "steps": float64(res.Steps),
		"train_seconds": res.Duration.Seconds(),
	})
}
