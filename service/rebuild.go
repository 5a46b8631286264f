package service

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// Rebuilt is one component rebuilt from its metadata (or built from its
// spec) through the registries, with its hash and the hash it was stated
// to have.
type Rebuilt struct {
	Role     string `json:"role,omitempty" doc:"its role in a run or pipeline"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Stated   string `json:"stated_hash,omitempty" doc:"the hash the record or document states"`
	Hash     string `json:"hash" doc:"the hash of the rebuilt component; empty when it could not be rebuilt"`
	Match    *bool  `json:"match" doc:"hash equals stated_hash; null when no hash is stated"`
	Note     string `json:"note,omitempty" doc:"how a runtime input was supplied (an optimizer's model parameters)"`
	Recorded *bool  `json:"recorded,omitempty" doc:"whether the store records a component of this hash (when there is a store)"`
}

// Mismatched reports whether a hash was stated and the rebuilt one differs.
func (r Rebuilt) Mismatched() bool { return r.Match != nil && !*r.Match }

// Rebuilds is what Rebuild and Hash found: each component, with its hash.
type Rebuilds struct {
	What       string    `json:"what" enum:"component,run,envelope,document,pipeline" doc:"what was rebuilt: a recorded component, a run's components, a metadata envelope, a pipeline document (pipeline.json), a pipeline or component spec"`
	Components []Rebuilt `json:"components"`
}

// Rebuild rebuilds what ref names — a recorded component (by hash or
// unique prefix) or each component of a run (by ID or unique prefix) —
// through the registries, and checks each hash against the recorded one.
// A component that cannot be rebuilt is listed with an empty Hash and its
// error is returned, joined with the others, beside the results.
func (rs *Records) Rebuild(ctx context.Context, ref string) (Rebuilds, error) {
	c, r, err := rs.resolve(ctx, ref)
	if err != nil {
		return Rebuilds{}, err
	}
	out := Rebuilds{What: "component", Components: []Rebuilt{}}
	comps, roles, runID := []store.Component{}, []string{""}, ""
	if c != nil {
		comps = append(comps, *c)
	} else {
		if comps, err = rs.components(ctx, *r); err != nil {
			return Rebuilds{}, err
		}
		if len(comps) == 0 {
			return Rebuilds{}, as(ErrConflict, fmt.Errorf("run %s recorded no components: nothing to rebuild", r.ID))
		}
		out.What, roles, runID = "run", nil, r.ID
		for _, l := range r.Components {
			roles = append(roles, l.Role)
		}
	}
	named := make([][2]string, len(comps))
	for i, c := range comps {
		named[i] = [2]string{c.Name, c.Kind}
	}
	if err := rs.checkRuntime(named...); err != nil {
		return Rebuilds{}, err
	}
	var errs []error
	for i, c := range comps {
		res, err := rs.rebuildEnvelope(ctx, c.Envelope, rs.Runtime, runID)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", c.Name, c.Hash, err))
			res = Rebuilt{Name: c.Name, Kind: c.Kind, Stated: c.Hash}
		}
		res.Role = roles[i]
		out.Components = append(out.Components, res)
	}
	return out, errors.Join(errs...)
}

// rebuildEnvelope rebuilds the component an envelope describes, giving it
// the runtime values it takes. An optimizer needs a model's parameters,
// which metadata never holds: they come from the model of run when run is
// not "", else of a recorded run that used the optimizer, else an empty
// parameter store (they are not part of its hash).
func (rs *Records) rebuildEnvelope(ctx context.Context, env []byte, runtime mlregistry.Kwargs, run string) (Rebuilt, error) {
	var md mlregistry.Metadata
	if err := json.Unmarshal(env, &md); err != nil {
		return Rebuilt{}, as(ErrInvalid, fmt.Errorf("reading the metadata: %w", err))
	}
	out := Rebuilt{Name: md.Name, Kind: md.Kind, Stated: md.Hash}
	kind := cmp.Or(md.Kind, rs.repo().KindOf(md.Name))
	if _, given := runtime["params"]; !given && kind == rs.repo().Optimizers.Kind() {
		params, note := rs.modelParams(ctx, md.Hash, run)
		runtime = maps.Clone(runtime)
		if runtime == nil {
			runtime = mlregistry.Kwargs{}
		}
		runtime["params"], out.Note = params, note
	}
	x, err := rebuildAs(rs.repo(), kind, md, runtime)
	if err != nil {
		return out, err
	}
	out.Kind = kind
	out.Hash, _ = mlregistry.HashOf(x)
	if md.Hash != "" {
		match := out.Hash == md.Hash
		out.Match = &match
	}
	return out, nil
}

// rebuildAs rebuilds md through the registry of kind, giving it the values
// of runtime its excluded parameters take.
func rebuildAs(r *ml.Repository, kind string, md mlregistry.Metadata, runtime mlregistry.Kwargs) (any, error) {
	switch kind {
	case r.Models.Kind():
		return r.Models.Rebuild(md, ml.RuntimeFor(signatureOf(r.Models, md.Name), runtime))
	case r.Criterions.Kind():
		return r.Criterions.Rebuild(md, ml.RuntimeFor(signatureOf(r.Criterions, md.Name), runtime))
	case r.Optimizers.Kind():
		return r.Optimizers.Rebuild(md, ml.RuntimeFor(signatureOf(r.Optimizers, md.Name), runtime))
	case r.Datasets.Kind():
		return r.Datasets.Rebuild(md, ml.RuntimeFor(signatureOf(r.Datasets, md.Name), runtime))
	}
	return nil, &mlregistry.ValidationError{Problems: []mlregistry.Problem{{Path: "kind", Message: fmt.Sprintf("%q: expected one of %s%s", kind, strings.Join(r.Kinds(), ", "), didYouMean(kind, r.Kinds()))}}}
}

// modelParams returns model parameters for rebuilding an optimizer: those
// of the model of run, or of a recorded run that used it, else an empty
// parameter store; and a note saying which.
func (rs *Records) modelParams(ctx context.Context, optimizer, run string) (any, string) {
	if r, ok := rs.runOf(ctx, optimizer, run); ok {
		for _, l := range r.Components {
			if l.Role != "model" {
				continue
			}
			c, err := rs.Store.Component(ctx, l.Hash)
			if err != nil {
				break
			}
			var md mlregistry.Metadata
			if err := json.Unmarshal(c.Envelope, &md); err != nil {
				break
			}
			m, err := rs.repo().Models.Rebuild(md, nil)
			if err != nil {
				break
			}
			return m.Parameters(), fmt.Sprintf("optimizer given the parameters of %s, the model of run %s", md.Name, r.ID)
		}
	}
	return model.NewStore(), "optimizer given an empty parameter store (a model's parameters are not part of its hash)"
}

// runOf returns the run an optimizer's model is taken from: run, when not
// "", else the newest recorded run that used the optimizer.
func (rs *Records) runOf(ctx context.Context, optimizer, run string) (store.Run, bool) {
	if rs.Store == nil {
		return store.Run{}, false
	}
	if run != "" {
		r, err := rs.Store.Run(ctx, run)
		return r, err == nil
	}
	if optimizer == "" {
		return store.Run{}, false
	}
	runs, err := rs.Store.Runs(ctx, store.RunFilter{Component: optimizer, Role: "optimizer", Limit: 1})
	if err != nil || len(runs) == 0 {
		return store.Run{}, false
	}
	return runs[0], true
}

// checkRuntime refuses, with StrictRuntime, Runtime keys that are no
// runtime input of the components named (registered name and kind), as
// Rebuild refuses unknown parameters: each with the inputs there are and a
// "did you mean".
func (rs *Records) checkRuntime(components ...[2]string) error {
	if !rs.StrictRuntime || len(rs.Runtime) == 0 {
		return nil
	}
	r := rs.repo()
	var inputs []string
	for _, c := range components {
		kind := cmp.Or(c[1], r.KindOf(c[0]))
		sig, ok := signatureIn(r, kind, c[0])
		if !ok {
			continue // reported where the component is built
		}
		for _, p := range sig.Params() {
			if p.Excluded && !(p.Name == "params" && kind == r.Optimizers.Kind()) && !slices.Contains(inputs, p.Name) {
				inputs = append(inputs, p.Name)
			}
		}
	}
	var problems []Problem
	for _, k := range slices.Sorted(maps.Keys(rs.Runtime)) {
		if slices.Contains(inputs, k) {
			continue
		}
		there := "these components take none"
		if len(inputs) > 0 {
			there = "they are " + strings.Join(inputs, ", ")
		}
		problems = append(problems, Problem{Path: "runtime." + k, Message: "not a runtime input of the components here (" + there + ")" + didYouMean(k, inputs)})
	}
	if problems != nil {
		return as(ErrInvalid, &ProblemsError{What: "runtime", Problems: problems})
	}
	return nil
}

// signatureIn returns the signature of name in the registry of kind.
func signatureIn(r *ml.Repository, kind, name string) (mlregistry.Signature, bool) {
	switch kind {
	case r.Models.Kind():
		return r.Models.Signature(name)
	case r.Criterions.Kind():
		return r.Criterions.Signature(name)
	case r.Optimizers.Kind():
		return r.Optimizers.Signature(name)
	case r.Datasets.Kind():
		return r.Datasets.Signature(name)
	}
	return mlregistry.Signature{}, false
}
