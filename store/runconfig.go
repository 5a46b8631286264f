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
	doc, err := ConfigOf(r.Params, comps)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", r.ID, err)
	}
	return doc, nil
}

// ConfigOf returns the configuration document RunConfig gives a run with
// these params and these envelopes by role: the shape that a configuration
// not recorded in a store (a pipeline file) must have to compare with a run.
func ConfigOf(params map[string]any, components map[string]json.RawMessage) (json.RawMessage, error) {
	if params == nil {
		params = map[string]any{}
	}
	if components == nil {
		components = map[string]json.RawMessage{}
	}
	return json.Marshal(struct {
		Params     map[string]any             `json:"params"`
		Components map[string]json.RawMessage `json:"components"`
	}{params, components})
}
