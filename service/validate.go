package service

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
)

// What a request body describes.
const (
	WhatPipeline  = "pipeline"  // a pipeline spec, as train --pipeline takes it
	WhatComponent = "component" // one component's spec: {"kind"?, "name", "args"?, "kwargs"?}
	WhatEnvelope  = "envelope"  // a metadata envelope: {"format": "mlregistry/v1", …, "hash"?}
)

// Hashed is one component a spec or envelope built, with its hash.
type Hashed struct {
	Role string `json:"role,omitempty" doc:"its role in a pipeline"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	Hash string `json:"hash"`
}

// Validation is what Validate found.
type Validation struct {
	Valid      bool      `json:"valid"`
	What       string    `json:"what" enum:"pipeline,component,envelope" doc:"what the body was read as"`
	Problems   []Problem `json:"problems" doc:"every problem, at once, with its JSON path"`
	Components []Hashed  `json:"components,omitempty" doc:"what it builds, with hashes, when valid"`
}

// Validator validates and hashes specs and envelopes through a
// Repository's registries.
type Validator struct {
	Repo *ml.Repository
	// Dataset holds runtime values for the datasets' excluded parameters.
	Dataset mlregistry.Kwargs
}

// Validate reads data as a pipeline spec (an object with any of model,
// criterion, optimizer, dataset, training), a metadata envelope (an object
// with format or hash) or a component spec (an object with name), builds
// what it describes through the registries, and reports every problem at
// once. Only data that is not a JSON object is an error (ErrInvalid).
func (v *Validator) Validate(data []byte) (Validation, error) {
	what, err := whatIs(data)
	if err != nil {
		return Validation{}, err
	}
	out := Validation{What: what, Problems: []Problem{}}
	var hashed []Hashed
	switch what {
	case WhatPipeline:
		hashed, err = v.pipeline(data)
	case WhatEnvelope:
		hashed, err = v.envelope(data)
	default:
		hashed, err = v.component(data)
	}
	if err != nil {
		out.Problems = ProblemsOf(err)
		return out, nil
	}
	out.Valid, out.Components = true, hashed
	return out, nil
}

// ProblemsError is a request with problems, every one listed.
type ProblemsError struct {
	What     string
	Problems []Problem
}

// Error lists the problems.
func (e *ProblemsError) Error() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "invalid %s", e.What)
	if len(e.Problems) > 1 {
		fmt.Fprintf(&b, " (%d problems)", len(e.Problems))
	}
	for i, p := range e.Problems {
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		b.WriteString(sep)
		if p.Path != "" {
			b.WriteString(p.Path + ": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// whatIs says what data describes, from its top-level members.
func whatIs(data []byte) (string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top == nil {
		msg := "expected a JSON object (a pipeline spec, a component spec or a metadata envelope), but this is not a JSON object"
		if err != nil {
			msg += ": " + err.Error()
		}
		return "", as(ErrInvalid, errors.New(msg))
	}
	for _, k := range []string{"model", "criterion", "optimizer", "dataset", "training"} {
		if _, ok := top[k]; ok {
			return WhatPipeline, nil
		}
	}
	for _, k := range []string{"format", "hash"} {
		if _, ok := top[k]; ok {
			return WhatEnvelope, nil
		}
	}
	return WhatComponent, nil
}

// pipeline builds a pipeline spec and checks it.
func (v *Validator) pipeline(data []byte) ([]Hashed, error) {
	spec, err := ml.ParseSpec(data)
	if err != nil {
		return nil, err
	}
	p, err := v.Repo.Build(ml.FitDefaultModel(spec), v.Dataset)
	if err != nil {
		return nil, err
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	doc, err := ml.NewDocument(p)
	if err != nil {
		return nil, err
	}
	var out []Hashed
	for _, r := range doc.Roles() {
		out = append(out, Hashed{Role: r.Name, Kind: r.Metadata.Kind, Name: r.Metadata.Name, Hash: r.Metadata.Hash})
	}
	return out, nil
}

// componentSpec is a component spec with the kind of its registry.
type componentSpec struct {
	Kind   string            `json:"kind"`
	Name   string            `json:"name"`
	Args   []any             `json:"args"`
	Kwargs mlregistry.Kwargs `json:"kwargs"`
}

// component builds one component spec.
func (v *Validator) component(data []byte) ([]Hashed, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var cs componentSpec
	if err := dec.Decode(&cs); err != nil {
		return nil, fmt.Errorf("component spec: %w (expected {\"kind\"?, \"name\", \"args\"?, \"kwargs\"?})", err)
	}
	if cs.Name == "" {
		return nil, &mlregistry.ValidationError{Problems: []mlregistry.Problem{{Path: "name", Message: "is required: the registered name of a component"}}}
	}
	if cs.Kind != "" && !slices.Contains(v.Repo.Kinds(), cs.Kind) {
		return nil, &mlregistry.ValidationError{Problems: []mlregistry.Problem{{Path: "kind", Message: fmt.Sprintf("%q: expected one of %v", cs.Kind, v.Repo.Kinds())}}}
	}
	x, err := v.Repo.BuildComponent(cs.Kind, ml.ComponentSpec{Name: cs.Name, Args: cs.Args, Kwargs: cs.Kwargs}, v.Dataset)
	if err != nil {
		return nil, err
	}
	return []Hashed{hashedOf(x)}, nil
}

// envelope rebuilds a metadata envelope, checking the hash it states.
func (v *Validator) envelope(data []byte) ([]Hashed, error) {
	var md mlregistry.Metadata
	if err := json.Unmarshal(data, &md); err != nil {
		return nil, err
	}
	kind := md.Kind
	if kind == "" {
		kind = v.Repo.KindOf(md.Name)
	}
	x, err := v.rebuild(kind, md)
	if err != nil {
		return nil, err
	}
	return []Hashed{hashedOf(x)}, nil
}

// rebuild rebuilds md through the registry of kind: an optimizer with an
// empty parameter store (there is no model), a dataset with Dataset.
func (v *Validator) rebuild(kind string, md mlregistry.Metadata) (any, error) {
	runtime := mlregistry.Kwargs{"params": model.NewStore()}
	for k, x := range v.Dataset {
		runtime[k] = x
	}
	return rebuildAs(v.Repo, kind, md, runtime)
}

// hashedOf is a built component's kind, name and hash.
func hashedOf(x any) Hashed {
	md, _ := mlregistry.MetadataOf(x)
	return Hashed{Kind: md.Kind, Name: md.Name, Hash: md.Hash}
}

func signatureOf[T any](reg *mlregistry.Registry[T], name string) mlregistry.Signature {
	sig, _ := reg.Signature(name)
	return sig
}
