package service

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// PipelineRoles are the roles of a pipeline, in the order they are built.
var PipelineRoles = []string{"model", "criterion", "optimizer", "dataset"}

// Hash computes the hashes of what data describes, by building it through
// the registries (nothing unregistered is ever built) and hashing the
// result: a metadata envelope (its stated hash checked, signature
// included), a pipeline document (a run directory's pipeline.json: each
// role's envelope, checked), a component spec (nested specs included) or a
// pipeline spec (each role's hash). With a Store, each hash says whether
// it is recorded there. A document that does not build is ErrInvalid, its
// problems listed (a *ProblemsError) — a hash that does not match the one
// stated too (errors.As reaches the *mlregistry.HashError) — unless
// reading the dataset's files failed, which is not the document's fault.
func (rs *Records) Hash(ctx context.Context, data []byte) (Rebuilds, error) {
	what, err := whatIs(data)
	if err != nil {
		return Rebuilds{}, err
	}
	if ml.IsDocument(data) {
		what = "document"
	}
	out := Rebuilds{What: what, Components: []Rebuilt{}}
	switch what {
	case "document":
		out.Components, err = rs.hashDocument(ctx, data)
	case WhatEnvelope:
		var md struct{ Name, Kind string }
		_ = json.Unmarshal(data, &md)
		if err = rs.checkRuntime([2]string{md.Name, md.Kind}); err != nil {
			return Rebuilds{}, err
		}
		var r Rebuilt
		if r, err = rs.rebuildEnvelope(ctx, data, rs.Runtime, ""); err == nil {
			out.Components = []Rebuilt{r}
		}
	default:
		if err = rs.checkSpecRuntime(what, data); err != nil {
			return Rebuilds{}, err
		}
		v := &Validator{Repo: rs.repo(), Dataset: rs.Runtime}
		var hashed []Hashed
		if what == WhatPipeline {
			hashed, err = v.pipeline(data)
		} else {
			hashed, err = v.component(data)
		}
		for _, h := range hashed {
			out.Components = append(out.Components, Rebuilt{Role: h.Role, Name: h.Name, Kind: h.Kind, Hash: h.Hash})
		}
	}
	if err != nil {
		return Rebuilds{}, documentError(what, err)
	}
	if rs.Store != nil {
		for i, c := range out.Components {
			_, err := rs.Store.Component(ctx, c.Hash)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return Rebuilds{}, storeError(err)
			}
			found := err == nil
			out.Components[i].Recorded = &found
		}
	}
	return out, nil
}

// hashDocument rebuilds each role of a pipeline document.
func (rs *Records) hashDocument(ctx context.Context, data []byte) ([]Rebuilt, error) {
	var head map[string]json.RawMessage
	_ = json.Unmarshal(data, &head)
	var ds struct{ Name, Kind string }
	_ = json.Unmarshal(head["dataset"], &ds)
	if err := rs.checkRuntime([2]string{ds.Name, ds.Kind}); err != nil {
		return nil, err
	}
	var out []Rebuilt
	var problems []mlregistry.Problem
	for _, role := range PipelineRoles {
		env, ok := head[role]
		if !ok {
			problems = append(problems, mlregistry.Problem{Path: role, Message: "is missing: a pipeline document has a model, a criterion, an optimizer and a dataset"})
			continue
		}
		var runtime mlregistry.Kwargs
		if role == "dataset" {
			runtime = rs.Runtime // only the dataset takes runtime inputs
		}
		r, err := rs.rebuildEnvelope(ctx, env, runtime, "")
		if err != nil {
			if IsIOFailure(err) {
				return nil, fmt.Errorf("%s: %w", role, err)
			}
			for _, p := range ProblemsOf(err) {
				problems = append(problems, mlregistry.Problem{Path: joinPath(role, p.Path), Message: p.Message, Err: err})
			}
			continue
		}
		r.Role = role
		out = append(out, r)
	}
	if problems != nil {
		return nil, &mlregistry.ValidationError{Problems: problems}
	}
	return out, nil
}

// checkSpecRuntime checks the runtime values against the components a
// spec names: the dataset of a pipeline spec, or the one component.
func (rs *Records) checkSpecRuntime(what string, data []byte) error {
	if what == WhatPipeline {
		var p struct{ Dataset struct{ Name string } }
		_ = json.Unmarshal(data, &p)
		return rs.checkRuntime([2]string{cmp.Or(p.Dataset.Name, ml.DefaultSpec().Dataset.Name), "dataset"})
	}
	var c struct{ Name, Kind string }
	_ = json.Unmarshal(data, &c)
	return rs.checkRuntime([2]string{c.Name, c.Kind})
}

// joinPath joins a role and a JSON path into it.
func joinPath(role, path string) string {
	if path == "" {
		return role
	}
	return role + "." + path
}

// docError is a document's problems, every one listed, with their cause
// (an *mlregistry.HashError, an *mlregistry.NotFoundError) for errors.As.
type docError struct {
	*ProblemsError
	cause error
}

func (e *docError) Unwrap() []error { return []error{ErrInvalid, e.ProblemsError, e.cause} }

// documentError classifies an error of building what a document describes:
// reading or downloading files failed (not the document's fault), or the
// document is invalid, its problems listed.
func documentError(what string, err error) error {
	var pe *ProblemsError
	if IsIOFailure(err) || errors.As(err, &pe) {
		return err
	}
	return &docError{ProblemsError: &ProblemsError{What: what, Problems: ProblemsOf(err)}, cause: err}
}
