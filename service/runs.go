package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/mlregistry/mlregistry/artifacts"

	"github.com/mlregistry/mlregistry/jobs"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// Runs submits, finds, compares and cancels training runs.
type Runs struct {
	Store store.Store
	Queue *jobs.Queue // nil: Submit and Cancel fail
	// RunsDir is where run directories live: Delete removes a run's
	// directory only from there.
	RunsDir string
	// Artifacts is the bucket runs upload their files to (serve
	// --artifacts): Delete removes a run's objects only from it.
	Artifacts *artifacts.Bucket
}

// storeError classifies a store's error: not found, ambiguous prefix or
// invalid input.
func storeError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return as(ErrNotFound, err)
	case errors.Is(err, store.ErrAmbiguous), errors.Is(err, store.ErrInvalid):
		return as(ErrInvalid, err)
	case errors.Is(err, store.ErrRunFinished):
		return as(ErrConflict, err)
	}
	return err
}

// errNoQueue is Submit's and Cancel's error without a queue.
var errNoQueue = errors.New("this server runs no training queue")

// Submit reads a pipeline spec (the JSON of train --pipeline), validates
// it fully and queues its run, which it returns as recorded: queued. Every
// problem of an invalid spec is listed at once (a *ProblemsError matching
// ErrInvalid), and nothing is recorded.
func (rs *Runs) Submit(ctx context.Context, data []byte) (store.Run, error) {
	if rs.Queue == nil {
		return store.Run{}, as(ErrConflict, errNoQueue)
	}
	if _, err := whatIs(data); err != nil {
		return store.Run{}, err
	}
	spec, err := ml.ParseSpec(data)
	if err == nil {
		var run store.Run
		if run, err = rs.Queue.Submit(ctx, ml.FitDefaultModel(spec)); err == nil {
			return run, nil
		}
		var se *jobs.SpecError
		if !errors.As(err, &se) {
			return store.Run{}, err
		}
		err = se.Err
	}
	return store.Run{}, as(ErrInvalid, &ProblemsError{What: WhatPipeline, Problems: ProblemsOf(err)})
}

// Get returns the run with the given ID or unique prefix.
func (rs *Runs) Get(ctx context.Context, id string) (store.Run, error) {
	r, err := rs.Store.Run(ctx, id)
	return r, storeError(err)
}

// statusNames is the set of statuses a filter may name.
var statusNames = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range store.Statuses {
		m[s] = true
	}
	return m
}()

// hexPrefix is what a component hash (prefix) looks like.
var hexPrefix = regexp.MustCompile(`^[0-9a-f]{4,32}$`)

// List lists runs, newest first, filtered as ls runs filters them; next is
// the cursor of the following page ("" on the last).
func (rs *Runs) List(ctx context.Context, f store.RunFilter) (runs []store.Run, next string, err error) {
	switch {
	case f.Status != "" && !statusNames[f.Status]:
		return nil, "", as(ErrInvalid, store.CheckFilterStatus(f.Status))
	case f.Role != "" && f.Component == "" && f.Name == "" && f.Kind == "":
		return nil, "", as(ErrInvalid, errors.New("role: only with component, name or kind (the role a component played)"))
	case f.Kind != "" && !slices.Contains(ml.Default.Kinds(), f.Kind):
		return nil, "", as(ErrInvalid, fmt.Errorf("kind %q: expected one of %v", f.Kind, ml.Default.Kinds()))
	case f.Min != nil && f.Max != nil && *f.Min > *f.Max:
		return nil, "", as(ErrInvalid, fmt.Errorf("min %v is above max %v: the range of %s is empty", *f.Min, *f.Max, f.Metric))
	case f.Component != "" && !hexPrefix.MatchString(f.Component):
		return nil, "", as(ErrInvalid, fmt.Errorf("component %q: expected a hash or a prefix of it: 4 to 32 lowercase hex digits", f.Component))
	case f.Limit < 0 || f.Limit > store.MaxLimit:
		return nil, "", as(ErrInvalid, fmt.Errorf("limit %d: expected 1 to %d (0 for %d)", f.Limit, store.MaxLimit, store.DefaultLimit))
	}
	limit := f.Limit
	if limit == 0 {
		limit = store.DefaultLimit
	}
	f.Limit = limit + 1 // one more, to know whether there is a next page
	runs, err = rs.Store.Runs(ctx, f)
	if err != nil {
		return nil, "", storeError(err)
	}
	if len(runs) > limit {
		runs = runs[:limit]
		next = runs[limit-1].ID
	}
	return runs, next, nil
}

// Metrics returns a page of a run's metrics by step then name: those of
// steps after after, at most limit (0: store.DefaultLimit) steps' worth,
// of the one name when name is not "". next is the step to pass as after
// for the following page, 0 on the last.
func (rs *Runs) Metrics(ctx context.Context, id, name string, after int64, limit int) (ms []store.Metric, next int64, err error) {
	if limit < 0 || limit > store.MaxLimit {
		return nil, 0, as(ErrInvalid, fmt.Errorf("limit %d: expected 1 to %d (0 for %d)", limit, store.MaxLimit, store.DefaultLimit))
	}
	if limit == 0 {
		limit = store.DefaultLimit
	}
	r, err := rs.Get(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	all, err := rs.Store.Metrics(ctx, r.ID)
	if err != nil {
		return nil, 0, storeError(err)
	}
	ms = []store.Metric{}
	for _, m := range all {
		if m.Step <= after || name != "" && m.Name != name {
			continue
		}
		if len(ms) == limit {
			return ms, ms[len(ms)-1].Step, nil
		}
		ms = append(ms, m)
	}
	return ms, 0, nil
}

// Cancel cancels a queued or running run (see jobs.Queue.Cancel); a
// finished one is ErrConflict.
func (rs *Runs) Cancel(ctx context.Context, id string) (store.Run, error) {
	if rs.Queue == nil {
		return store.Run{}, as(ErrConflict, errNoQueue)
	}
	r, err := rs.Get(ctx, id)
	if err != nil {
		return store.Run{}, err
	}
	r, err = rs.Queue.Cancel(ctx, r.ID)
	return r, storeError(err)
}
