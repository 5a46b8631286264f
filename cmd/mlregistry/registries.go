package main

// The registries of ml.Default, seen through one non-generic view, for the
// commands that look components up by name or rebuild them from metadata.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// registryView is a typed registry with its type parameter erased.
type registryView struct {
	kind      string
	keys      func() []string
	signature func(name string) (mlregistry.Signature, bool)
	doc       func(name string) string // the component's doc comment, from a generated file
	schema    func(name string) ([]byte, error)
	rebuild   func(md mlregistry.Metadata, runtime mlregistry.Kwargs) (any, error)
}

func viewOf[T any](r *mlregistry.Registry[T]) registryView {
	return registryView{
		kind:      r.Kind(),
		keys:      r.Keys,
		signature: r.Signature,
		doc: func(name string) string {
			if c, ok := r.Get(name); ok {
				return c.Doc()
			}
			return ""
		},
		schema: r.JSONSchema,
		rebuild: func(md mlregistry.Metadata, runtime mlregistry.Kwargs) (any, error) {
			return r.Rebuild(md, runtime)
		},
	}
}

// registries returns the views of the four registries of ml.Default.
func registries() []registryView {
	r := ml.Default
	return []registryView{viewOf(r.Models), viewOf(r.Criterions), viewOf(r.Optimizers), viewOf(r.Datasets)}
}

// kinds returns the kinds of the registries, in pipeline order.
func kinds() []string {
	var ks []string
	for _, v := range registries() {
		ks = append(ks, v.kind)
	}
	return ks
}

// checkKind returns a usage error for a --kind outside the registries'
// kinds, or nil.
func checkKind(kind string) error {
	if kind == "" || slices.Contains(kinds(), kind) {
		return nil
	}
	return exitAs(errUsage, fmt.Errorf("--kind %q: expected one of %s%s", kind, strings.Join(kinds(), ", "), nearest(kind, kinds())))
}

// findRegistry returns the registry holding the component name — of kind, if
// kind is not "". It fails with errNotFound, suggesting near names.
func findRegistry(name, kind string) (registryView, error) {
	var all []string
	kinds := []string{}
	for _, v := range registries() {
		kinds = append(kinds, v.kind)
		if kind != "" && v.kind != kind {
			continue
		}
		if _, ok := v.signature(name); ok {
			return v, nil
		}
		all = append(all, v.keys()...)
	}
	if kind != "" && len(all) == 0 {
		return registryView{}, fmt.Errorf("%w: no registry of kind %q: the kinds are %s", errNotFound, kind, strings.Join(kinds, ", "))
	}
	where := "any registry"
	if kind != "" {
		where = "the " + kind + " registry"
	}
	return registryView{}, fmt.Errorf("%w: no component %q in %s%s (registered: %s)", errNotFound, name, where, nearest(name, all), strings.Join(all, ", "))
}

// nearest returns ` (did you mean "x"?)` for the closest of names to name, or "".
func nearest(name string, names []string) string {
	if best := mlregistry.Suggest(name, names); len(best) > 0 {
		return fmt.Sprintf(" (did you mean %q?)", best[0])
	}
	return ""
}

// rebuilt is the outcome of rebuilding a component from its metadata.
type rebuilt struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Stated string `json:"stated_hash,omitempty"` // the hash the metadata records, if any
	Hash   string `json:"hash"`                  // the hash of the rebuilt component
	Match  *bool  `json:"match"`                 // Hash == Stated; nil (JSON null) when nothing is stated
	Note   string `json:"note,omitempty"`
}

// mismatched reports whether a hash was stated and the rebuilt one differs.
func (r rebuilt) mismatched() bool { return r.Match != nil && !*r.Match }

// rebuildEnvelope rebuilds the component an envelope describes through the
// registries of ml.Default, giving it the runtime values it takes. An
// optimizer needs a model's parameters, which metadata never holds: they come
// from the model of a recorded run that used the optimizer when s has one,
// else from a placeholder model (they are not part of the hash). When run is
// not "", the model of that run is preferred.
func rebuildEnvelope(ctx context.Context, s store.Store, env []byte, runtime mlregistry.Kwargs, run string) (rebuilt, error) {
	var md mlregistry.Metadata
	if err := json.Unmarshal(env, &md); err != nil {
		return rebuilt{}, exitAs(errUsage, fmt.Errorf("reading the metadata: %w", err))
	}
	out := rebuilt{Name: md.Name, Kind: md.Kind, Stated: md.Hash}
	reg, err := findRegistry(md.Name, md.Kind)
	if err != nil {
		return out, err
	}
	sig, _ := reg.signature(md.Name)
	own := ml.RuntimeFor(sig, runtime)
	if _, given := own["params"]; !given && reg.kind == "optimizer" {
		if p, ok := sig.Lookup("params"); ok && p.Excluded {
			params, note, err := modelParams(ctx, s, md.Hash, run)
			if err != nil {
				return out, err
			}
			if own == nil {
				own = mlregistry.Kwargs{}
			}
			own["params"], out.Note = params, note
		}
	}
	x, err := reg.rebuild(md, own)
	if err != nil {
		var v *mlregistry.ValidationError
		if errors.As(err, &v) {
			return out, exitAs(errUsage, err)
		}
		return out, err
	}
	out.Hash, _ = mlregistry.HashOf(x)
	if md.Hash != "" {
		match := out.Hash == md.Hash
		out.Match = &match
	}
	return out, nil
}

// modelParams returns model parameters for rebuilding an optimizer: those of
// the model of run, or of a recorded run that used it, else a placeholder
// model's.
func modelParams(ctx context.Context, s store.Store, optimizer, run string) (any, string, error) {
	if s != nil && optimizer != "" {
		runs, err := s.Runs(ctx, store.RunFilter{Component: optimizer, Role: "optimizer", Limit: 1})
		if run != "" {
			var r store.Run
			if r, err = s.Run(ctx, run); err == nil {
				runs = []store.Run{r}
			}
		}
		if err == nil && len(runs) > 0 {
			for _, l := range runs[0].Components {
				if l.Role != "model" {
					continue
				}
				c, err := s.Component(ctx, l.Hash)
				if err != nil {
					break
				}
				var md mlregistry.Metadata
				if err := json.Unmarshal(c.Envelope, &md); err != nil {
					break
				}
				m, err := ml.Default.Models.Rebuild(md, nil)
				if err != nil {
					break
				}
				return m.Parameters(), fmt.Sprintf("optimizer given the parameters of %s, the model of run %s", md.Name, runs[0].ID), nil
			}
		}
	}
	m, err := ml.NewPerceptron(1, 1, 1, 0.0, false)
	if err != nil {
		return nil, "", fmt.Errorf("building a placeholder model for the optimizer: %w", err)
	}
	return m.Parameters(), "optimizer given a placeholder model's parameters (they are not part of its hash)", nil
}

// parseRuntime parses a --runtime flag: a JSON object of runtime values.
func parseRuntime(s string) (mlregistry.Kwargs, error) {
	if s == "" {
		return nil, nil
	}
	var kw mlregistry.Kwargs
	if err := json.Unmarshal([]byte(s), &kw); err != nil {
		return nil, fmt.Errorf("%w: --runtime %q: expected a JSON object such as '{\"root\": \"/data/mnist\"}': %v", errUsage, s, err)
	}
	return kw, nil
}

// checkRuntime refuses --runtime keys that are no runtime input of the
// components named (registered name and kind), as Rebuild refuses unknown
// parameters: each with the inputs there are and a "did you mean".
func checkRuntime(runtime mlregistry.Kwargs, components [][2]string) error {
	if len(runtime) == 0 {
		return nil
	}
	var inputs []string
	for _, c := range components {
		reg, err := findRegistry(c[0], c[1])
		if err != nil {
			continue // reported where the component is built
		}
		sig, _ := reg.signature(c[0])
		for _, p := range sig.Params() {
			if p.Excluded && !(p.Name == "params" && reg.kind == "optimizer") && !slices.Contains(inputs, p.Name) {
				inputs = append(inputs, p.Name)
			}
		}
	}
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(runtime)) {
		if slices.Contains(inputs, k) {
			continue
		}
		there := "these components take none"
		if len(inputs) > 0 {
			there = "they are " + strings.Join(inputs, ", ")
		}
		errs = append(errs, fmt.Errorf("--runtime: runtime.%s: not a runtime input of the components here (%s)%s", k, there, nearest(k, inputs)))
	}
	if err := errors.Join(errs...); err != nil {
		return exitAs(errUsage, err)
	}
	return nil
}
