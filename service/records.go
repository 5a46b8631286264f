package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// Records lists recorded components — the configurations of a name, say —
// a page at a time, by name then by when they were first recorded.
func (rs *Runs) Records(ctx context.Context, f store.ComponentFilter) (store.ComponentPage, error) {
	switch {
	case f.Kind != "" && !slices.Contains(ml.Default.Kinds(), f.Kind):
		return store.ComponentPage{}, as(ErrInvalid, fmt.Errorf("kind %q: expected one of %v", f.Kind, ml.Default.Kinds()))
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
