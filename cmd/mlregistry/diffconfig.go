package main

import (
	"encoding/json"
	"fmt"

	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// fileConfig returns what a file operand of diff compares as, and its kind:
// a metadata envelope as a component; a pipeline document, or a pipeline
// spec (built through the registries, to know its hashes), as a run —
// in the shape store.RunConfig gives a recorded run, so that a run and a
// file compare like with like.
func fileConfig(data []byte) (json.RawMessage, string, error) {
	var head map[string]json.RawMessage
	if err := json.Unmarshal(data, &head); err != nil || head == nil {
		return nil, "", exitAs(errUsage, fmt.Errorf("not a JSON object: %v", err))
	}
	var doc *ml.Document
	switch {
	case ml.IsDocument(data):
		d, err := ml.ParseDocument(data)
		if err != nil {
			return nil, "", exitAs(errUsage, err)
		}
		doc = d
	case head["name"] != nil:
		return data, "component", nil
	default:
		spec, err := ml.ParseSpec(data)
		if err != nil {
			return nil, "", exitAs(errUsage, fmt.Errorf("neither metadata, a pipeline document nor a pipeline spec: %w", err))
		}
		p, err := ml.Default.Build(spec, nil)
		if err != nil {
			return nil, "", inputOrIOErr(err)
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
	config, err := store.ConfigOf(trainingParams(doc.Training), envelopes)
	return config, "run", err
}

// trainingParams are a run's params as the trainer records them.
func trainingParams(t ml.Training) map[string]any {
	return map[string]any{"batch_size": t.BatchSize, "steps": t.Steps, "epochs": t.Epochs, "seed": t.Seed}
}
