package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// Records reads what a store recorded and rebuilds what documents describe:
// what mlregistry show, diff, rebuild and hash do, and the routes that
// answer the same questions (GET /v1/records/{hash}, GET /v1/diff,
// POST /v1/hash). The CLI and the API call the same methods, so they give
// the same answers and the same errors.
type Records struct {
	// Store is where components and runs are looked up; nil answers
	// documents only (hash and rebuild of a file).
	Store store.Store
	// Repo holds the registries; nil means ml.Default.
	Repo *ml.Repository
	// Runtime holds values for the components' excluded parameters, such
	// as MNIST's root.
	Runtime mlregistry.Kwargs
	// StrictRuntime makes a Runtime key that no component at hand takes an
	// error, with the inputs there are: set it when Runtime came from the
	// user (the CLI's --runtime), not from a server's configuration.
	StrictRuntime bool
}

// repo returns the registries.
func (rs *Records) repo() *ml.Repository {
	if rs.Repo == nil {
		return ml.Default
	}
	return rs.Repo
}

// errNoStore is the error of a lookup without a store.
var errNoStore = errors.New("no store to look records up in")

// CheckHashPrefix returns ref lowercased when it is a hash or a hash
// prefix — store.MinPrefix to store.HashLen hex digits, nothing else — and
// otherwise the one message every command and route gives (ErrInvalid).
func CheckHashPrefix(ref string) (string, error) {
	q := strings.ToLower(ref)
	if len(q) < store.MinPrefix || len(q) > store.HashLen || !IsHex(q) {
		return "", as(ErrInvalid, fmt.Errorf("%q is not a hash or hash prefix: expected %d to %d hex digits (0-9, a-f)", ref, store.MinPrefix, store.HashLen))
	}
	return q, nil
}

// IsHex reports whether s is made of hex digits only (either case).
func IsHex(s string) bool {
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return s != ""
}

// resolve finds what ref names: a recorded component, by its hash or a
// unique prefix of it, or a run, by its ID or a unique prefix of it. A ref
// of hex digits only follows the rule for hash prefixes (CheckHashPrefix)
// and is tried as a component first; anything else is a run ID.
func (rs *Records) resolve(ctx context.Context, ref string) (*store.Component, *store.Run, error) {
	if rs.Store == nil {
		return nil, nil, errNoStore
	}
	if IsHex(ref) {
		q, err := CheckHashPrefix(ref)
		if err != nil {
			return nil, nil, err
		}
		c, err := rs.Store.Component(ctx, q)
		if err == nil {
			return &c, nil, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, nil, storeError(err)
		}
	}
	r, err := rs.Store.Run(ctx, ref)
	if err == nil {
		return nil, &r, nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, as(ErrNotFound, fmt.Errorf("no component hash and no run ID starts with %q", ref))
	}
	return nil, nil, storeError(err)
}

// components returns the recorded components of run r, in its order.
func (rs *Records) components(ctx context.Context, r store.Run) ([]store.Component, error) {
	comps := make([]store.Component, len(r.Components))
	for i, l := range r.Components {
		c, err := rs.Store.Component(ctx, l.Hash)
		if err != nil {
			return nil, storeError(fmt.Errorf("run %s: %s component: %w", r.ID, l.Role, err))
		}
		comps[i] = c
	}
	return comps, nil
}
