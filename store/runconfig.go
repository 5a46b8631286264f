package store

import (
	"context"
	"encoding/json"
	"fmt"
)

// RunConfig returns a run's configuration as one JSON document, for Diff:
//
//	{"id": …, "params": {…}, "components": {"model": envelope, "optimizer": envelope, …}}
//
// The envelopes are read from s.
func RunConfig(ctx context.Context, s Store, r Run) (json.RawMessage, error) {
	comps := make(map[string]json.RawMessage, len(r.Components))
	for _, l := range r.Components {
		c, err := s.Component(ctx, l.Hash)
		if err != nil {
			return nil, fmt.Errorf("run %s: %s component: %w", r.ID, l.Role, err)
		}
		comps[l.Role] = c.Envelope
	}
	params := r.Params
	if params == nil {
		params = map[string]any{}
	}
	doc, err := json.Marshal(struct {
		Params     map[string]any             `json:"params"`
		Components map[string]json.RawMessage `json:"components"`
	}{params, comps})
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", r.ID, err)
	}
	return doc, nil
}
