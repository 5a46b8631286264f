package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/mlregistry/mlregistry/store"
)

// List returns recorded components — the configurations of a name, say —
// a page at a time, by name then by when they were first recorded: what
// GET /v1/records and the UI's /components?name= show.
func (rs *Records) List(ctx context.Context, f store.ComponentFilter) (store.ComponentPage, error) {
	if rs.Store == nil {
		return store.ComponentPage{}, errNoStore
	}
	kinds := rs.repo().Kinds()
	switch {
	case f.Kind != "" && !slices.Contains(kinds, f.Kind):
		return store.ComponentPage{}, as(ErrInvalid, fmt.Errorf("kind %q: expected one of %v", f.Kind, kinds))
	case f.Limit < 0 || f.Limit > store.MaxLimit:
		return store.ComponentPage{}, as(ErrInvalid, fmt.Errorf("limit %d: expected 1 to %d (0 for %d)", f.Limit, store.MaxLimit, store.DefaultLimit))
	}
	p, err := rs.Store.Components(ctx, f)
	if err != nil {
		return store.ComponentPage{}, storeError(err)
	}
	if p.Components == nil {
		p.Components = []store.Component{}
	}
	return p, nil
}
