package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// ErrInvalidSpec is matched (errors.Is) by Submit's error for a spec that
// cannot train: a *SpecError.
var ErrInvalidSpec = errors.New("invalid pipeline spec")

// Submit validates spec fully — every component built through the
// registries, the pipeline checked as Pipeline.Check does, before anything
// is written — and queues it: the run is recorded as queued, with its
// components and settings, in the same transaction as its job. It returns
// the run as recorded.
func (q *Queue) Submit(ctx context.Context, spec ml.Spec) (store.Run, error) {
	doc, err := q.document(spec)
	if err != nil {
		return store.Run{}, err
	}
	data, err := json.Marshal(spec)
	if err != nil {
		return store.Run{}, fmt.Errorf("jobs: encoding the spec: %w", err)
	}
	run := queuedRun(doc, q.cfg.LostAfter)
	return q.store.StartRunTx(ctx, run, func(tx *sql.Tx, r store.Run) error {
		if _, err := q.client.InsertTx(ctx, tx, TrainArgs{RunID: r.ID, Spec: data}, nil); err != nil {
			return fmt.Errorf("jobs: queueing run %s: %w", r.ID, err)
		}
		return nil
	})
}

// document builds spec's pipeline and returns its document, or why it
// cannot train (matching ErrInvalidSpec).
func (q *Queue) document(spec ml.Spec) (*ml.Document, error) {
	p, err := q.pipeline(spec)
	if err != nil {
		return nil, err
	}
	return ml.NewDocument(p)
}

// pipeline builds spec's pipeline and checks it, or says why it cannot
// train (matching ErrInvalidSpec).
func (q *Queue) pipeline(spec ml.Spec) (*ml.Pipeline, error) {
	p, err := q.repo.Build(spec, q.cfg.Dataset)
	if err == nil {
		err = p.Check()
	}
	if err != nil {
		return nil, &SpecError{Err: err}
	}
	return p, nil
}

// SpecError is a spec that cannot train, and why: the build's or the
// check's own error (a *mlregistry.ValidationError with JSON paths, or
// several joined).
type SpecError struct{ Err error }

// Error returns Err's message.
func (e *SpecError) Error() string { return e.Err.Error() }

// Unwrap returns Err and ErrInvalidSpec.
func (e *SpecError) Unwrap() []error { return []error{e.Err, ErrInvalidSpec} }

// queuedRun is the queued run of a document: its components, recorded with
// it, and its settings, as ml.Trainer records them.
func queuedRun(doc *ml.Document, lostAfter time.Duration) store.Run {
	t := doc.Training
	run := store.Run{
		Status:    store.StatusQueued,
		LostAfter: lostAfter,
		Params:    map[string]any{"batch_size": t.BatchSize, "steps": t.Steps, "epochs": t.Epochs, "seed": t.Seed},
	}
	for _, role := range doc.Roles() {
		md := role.Metadata
		env, _ := json.Marshal(*md) // a document's metadata always encodes: NewDocument made it
		run.Records = append(run.Records, store.Component{Hash: md.Hash, Name: md.Name, Kind: md.Kind, Envelope: env})
		run.Components = append(run.Components, store.RunComponent{Role: role.Name, Hash: md.Hash})
	}
	return run
}
