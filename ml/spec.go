package ml

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/mlregistry/mlregistry"
)

// Spec is a pipeline as a person writes it — in a pipeline file, say: for
// each role the name of a registered component and its arguments, and the
// training settings.
//
//	{
//	  "model":     {"name": "Perceptron", "args": [784, 256, 10], "kwargs": {"p": 0.5, "bias": true}},
//	  "criterion": {"name": "CrossEntropyLoss"},
//	  "optimizer": {"name": "Adam", "kwargs": {"lr": 0.001}},
//	  "dataset":   {"name": "MNIST", "kwargs": {"train": true}},
//	  "training":  {"batch_size": 64, "epochs": 1, "seed": 1}
//	}
type Spec struct {
	Model     ComponentSpec `json:"model"`
	Criterion ComponentSpec `json:"criterion"`
	Optimizer ComponentSpec `json:"optimizer"`
	Dataset   ComponentSpec `json:"dataset"`
	Training  Training      `json:"training"`
}

// ComponentSpec names a registered component and the arguments to build it
// with, as Registry.Call takes them. A value for a parameter whose type is
// Model — MLP's activation — may itself be a ComponentSpec object, built
// through the Models registry.
type ComponentSpec struct {
	Name   string            `json:"name"`
	Args   []any             `json:"args,omitempty"`
	Kwargs mlregistry.Kwargs `json:"kwargs,omitempty"`
}

// DefaultSpec is the Python library's README pipeline:
// Perceptron(784, 256, 10, p=0.5, bias=True), CrossEntropyLoss(),
// Adam(model.parameters(), lr=1e-3), MNIST(train=True), trained for one
// epoch in batches of 64 with seed 1.
func DefaultSpec() Spec {
	return Spec{
		Model:     ComponentSpec{Name: "Perceptron", Args: []any{784, 256, 10}, Kwargs: mlregistry.Kwargs{"p": 0.5, "bias": true}},
		Criterion: ComponentSpec{Name: "CrossEntropyLoss"},
		Optimizer: ComponentSpec{Name: "Adam", Kwargs: mlregistry.Kwargs{"lr": 1e-3}},
		Dataset:   ComponentSpec{Name: "MNIST", Kwargs: mlregistry.Kwargs{"train": true}},
		Training:  Training{BatchSize: DefaultBatchSize, Epochs: 1, Seed: 1},
	}
}

// ParseSpec decodes a pipeline file strictly: an unknown field is an error
// that suggests the field meant; numbers keep their exact spelling, so
// 784 converts to an int and 0.5 to a float64. Roles the file leaves out
// are those of DefaultSpec; so are the training settings it leaves out.
func ParseSpec(data []byte) (Spec, error) {
	spec := DefaultSpec()
	var top map[string]json.RawMessage
	if err := decodeStrictly(data, &top); err != nil {
		return Spec{}, fmt.Errorf("pipeline: %w", err)
	}
	if top == nil {
		return Spec{}, errors.New("pipeline: expected a JSON object")
	}
	var errs []error
	for _, key := range sortedKeys(top) {
		raw := top[key]
		var err error
		switch key {
		case "model":
			err = parseComponentSpec(raw, &spec.Model)
		case "criterion":
			err = parseComponentSpec(raw, &spec.Criterion)
		case "optimizer":
			err = parseComponentSpec(raw, &spec.Optimizer)
		case "dataset":
			err = parseComponentSpec(raw, &spec.Dataset)
		case "training":
			err = parseTraining(raw, &spec.Training)
		default:
			err = unknownField(key, []string{"model", "criterion", "optimizer", "dataset", "training"})
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("pipeline: %w", at(key, err)))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Spec{}, err
	}
	return spec, nil
}

// parseComponentSpec decodes one role.
func parseComponentSpec(raw json.RawMessage, cs *ComponentSpec) error {
	var fields map[string]json.RawMessage
	if err := decodeStrictly(raw, &fields); err != nil {
		return err
	}
	if fields == nil {
		return errors.New(`expected an object such as {"name": "Adam", "kwargs": {"lr": 0.001}}`)
	}
	out := ComponentSpec{}
	var errs []error
	for _, key := range sortedKeys(fields) {
		var err error
		switch key {
		case "name":
			err = decodeStrictly(fields[key], &out.Name)
		case "args":
			err = decodeStrictly(fields[key], &out.Args)
		case "kwargs":
			err = decodeStrictly(fields[key], &out.Kwargs)
		default:
			err = unknownField(key, []string{"name", "args", "kwargs"})
		}
		if err != nil {
			errs = append(errs, at(key, err))
		}
	}
	if out.Name == "" {
		errs = append(errs, errors.New(`"name" is required: the registered name of a component`))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	*cs = out
	return nil
}

// parseTraining decodes the training settings over the defaults.
func parseTraining(raw json.RawMessage, t *Training) error {
	var fields map[string]json.RawMessage
	if err := decodeStrictly(raw, &fields); err != nil {
		return err
	}
	known := []string{"batch_size", "steps", "epochs", "seed"}
	for _, key := range sortedKeys(fields) {
		if !slices.Contains(known, key) {
			return unknownField(key, known)
		}
	}
	for _, f := range []struct {
		key string
		to  any
	}{{"batch_size", &t.BatchSize}, {"steps", &t.Steps}, {"epochs", &t.Epochs}, {"seed", &t.Seed}} {
		raw, ok := fields[f.key]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, f.to); err != nil {
			return &fieldError{fmt.Sprintf("%s: expected a whole number, got %s", f.key, raw)}
		}
	}
	if _, ok := fields["steps"]; ok {
		if _, ok := fields["epochs"]; !ok {
			t.Epochs = 0
		}
	}
	return nil
}

// decodeStrictly decodes one JSON value, keeping numbers as json.Number,
// and refuses trailing data.
func decodeStrictly(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// unknownField reports an unknown key, suggesting the closest known one.
func unknownField(key string, known []string) error {
	msg := fmt.Sprintf("unknown field %q", key)
	if s := closest(key, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return &fieldError{fmt.Sprintf("%s; fields are %s", msg, strings.Join(known, ", "))}
}

// fieldError reports an unknown field; it names the field itself.
type fieldError struct{ msg string }

// Error returns the message.
func (e *fieldError) Error() string { return e.msg }

// at prefixes err with the key it is about, unless err is about the key
// being unknown, which it names already.
func at(key string, err error) error {
	fe, ok := err.(*fieldError)
	switch {
	case ok && strings.HasPrefix(fe.msg, fmt.Sprintf("unknown field %q", key)):
		return err
	case ok && !strings.HasPrefix(fe.msg, "unknown field"):
		return &fieldError{key + "." + fe.msg} // a member's path: training.batch_size
	}
	return fmt.Errorf("%s: %w", key, err)
}

// closest returns the candidate closest to s, or "".
func closest(s string, candidates []string) string {
	if c := mlregistry.Suggest(s, candidates); len(c) > 0 {
		return c[0]
	}
	return ""
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// modelType is the Model interface's type: parameters of this type take a
// nested component spec.
var modelType = reflect.TypeFor[Model]()

// ParseArguments decodes a component's arguments written as JSON: a list
// gives positional arguments, an object named ones. Numbers keep their
// exact spelling, as in ParseSpec.
func ParseArguments(data []byte) ([]any, mlregistry.Kwargs, error) {
	var v any
	if err := decodeStrictly(data, &v); err != nil {
		return nil, nil, err
	}
	switch x := v.(type) {
	case []any:
		return x, nil, nil
	case map[string]any:
		return nil, x, nil
	}
	return nil, nil, errors.New(`want a JSON list such as [784, 256, 10] or an object such as {"lr": 0.01}`)
}

// atPath roots an error of a pipeline spec at path (a role, or a nested
// component's argument): the problems of a *mlregistry.ValidationError get
// path as the prefix of their JSON paths, joined errors each, other errors
// "path: " before their message.
func atPath(path string, err error) error {
	if ve, ok := err.(*mlregistry.ValidationError); ok {
		return mlregistry.WithPathPrefix(path, ve)
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var errs []error
		for _, e := range joined.Unwrap() {
			errs = append(errs, atPath(path, e))
		}
		return errors.Join(errs...)
	}
	return fmt.Errorf("%s: %w", path, err)
}
