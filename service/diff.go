package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// Operand is one side of a comparison: a reference to a recorded run or
// component, or a document.
type Operand struct {
	// Ref is a run ID or a component hash, or a unique prefix of either;
	// with Data, the document's name (a file's path), for messages.
	Ref string
	// Data, when not nil, is the document itself: a metadata envelope
	// (compared as a component), a pipeline document or a pipeline spec
	// (compared as a run).
	Data []byte
}

// Diff is two configurations compared: mlregistry diff --json and
// GET /v1/diff.
type Diff struct {
	A       string         `json:"a" doc:"what a resolved to: a run ID or a full hash"`
	B       string         `json:"b" doc:"what b resolved to"`
	Kind    string         `json:"kind" enum:"run,component" doc:"what was compared"`
	Same    bool           `json:"same" doc:"whether there is no difference"`
	Changes []store.Change `json:"changes" doc:"each difference: its path and the two values"`
}

// Diff compares two runs' configurations — their settings and, role by
// role, their components' arguments, nested components included — or two
// components' envelopes, argument by argument.
func (rs *Records) Diff(ctx context.Context, a, b Operand) (Diff, error) {
	var docs [2]json.RawMessage
	var kinds, ids [2]string
	for i, o := range []Operand{a, b} {
		var err error
		if docs[i], kinds[i], ids[i], err = rs.config(ctx, o); err != nil {
			if o.Data == nil {
				return Diff{}, fmt.Errorf("%s: %w", "ab"[i:i+1], err)
			}
			return Diff{}, fmt.Errorf("%s: %w", o.Ref, err)
		}
	}
	if kinds[0] != kinds[1] {
		return Diff{}, as(ErrInvalid, fmt.Errorf("%s is a %s and %s a %s: compare two runs (or pipeline files) or two components (or metadata files)", ids[0], kinds[0], ids[1], kinds[1]))
	}
	changes, err := store.Diff(docs[0], docs[1])
	if err != nil {
		return Diff{}, as(ErrInvalid, err)
	}
	if changes == nil {
		changes = []store.Change{}
	}
	return Diff{A: ids[0], B: ids[1], Kind: kinds[0], Same: len(changes) == 0, Changes: changes}, nil
}

// config returns what o compares as, its kind (run or component) and what
// it resolved to.
func (rs *Records) config(ctx context.Context, o Operand) (doc json.RawMessage, kind, id string, err error) {
	if o.Data != nil {
		doc, kind, err = rs.documentConfig(o.Data)
		return doc, kind, o.Ref, err
	}
	if o.Ref == "" {
		return nil, "", "", as(ErrInvalid, errors.New("is required: a run ID or a component hash"))
	}
	c, r, err := rs.resolve(ctx, o.Ref)
	if err != nil {
		return nil, "", "", err
	}
	if c != nil {
		return c.Envelope, "component", c.Hash, nil
	}
	doc, err = store.RunConfig(ctx, rs.Store, *r)
	return doc, "run", r.ID, storeError(err)
}

// documentConfig returns what a document compares as, and its kind: a
// metadata envelope as a component; a pipeline document, or a pipeline
// spec (built through the registries, to know its hashes), as a run — in
// the shape store.RunConfig gives a recorded run, so that a run and a
// document compare like with like.
func (rs *Records) documentConfig(data []byte) (json.RawMessage, string, error) {
	var head map[string]json.RawMessage
	if err := json.Unmarshal(data, &head); err != nil || head == nil {
		return nil, "", as(ErrInvalid, fmt.Errorf("not a JSON object: %v", err))
	}
	var doc *ml.Document
	switch {
	case ml.IsDocument(data):
		d, err := ml.ParseDocument(data)
		if err != nil {
			return nil, "", as(ErrInvalid, err)
		}
		doc = d
	case head["name"] != nil:
		return data, "component", nil
	default:
		spec, err := ml.ParseSpec(data)
		if err != nil {
			return nil, "", as(ErrInvalid, fmt.Errorf("neither metadata, a pipeline document nor a pipeline spec: %w", err))
		}
		p, err := rs.repo().Build(spec, rs.Runtime)
		if err != nil {
			return nil, "", buildError(err)
		}
		if doc, err = ml.NewDocument(p); err != nil {
			return nil, "", err
		}
	}
	envelopes := map[string]json.RawMessage{}
	for _, r := range doc.Roles() {
		env, err := json.Marshal(r.Metadata)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", r.Name, err)
		}
		envelopes[r.Name] = env
	}
	config, err := store.ConfigOf(TrainingParams(doc.Training), envelopes)
	return config, "run", err
}

// TrainingParams are a run's params as the trainer records them.
func TrainingParams(t ml.Training) map[string]any {
	return map[string]any{"batch_size": t.BatchSize, "steps": t.Steps, "epochs": t.Epochs, "seed": t.Seed}
}
