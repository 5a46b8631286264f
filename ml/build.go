package ml

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/mlregistry/mlregistry"
)

// Build builds the pipeline a Spec describes through r's registries:
// dataset, model, criterion, then optimizer, given the model's
// Parameters() as its excluded params. dataset holds runtime values for the
// dataset's excluded parameters ("root", "download"); nil leaves their
// defaults, and values for parameters a dataset lacks are left out.
//
// Each component spec becomes a metadata document without a hash and is
// built by Registry.Rebuild — one build path for specs, saved documents and
// the API, with the same validation: every problem at once, at the JSON
// path of the pipeline file (model.kwargs.activation.kwargs.negative_slope),
// with "did you mean" for unknown names. A value for a parameter that takes
// models — MLP's activation, Sequential's layers — may be a component spec
// object ({"name": "ReLU"}), or a list or map of them.
//
// A model whose spec leaves out input_size or output_size gets the
// dataset's number of features and classes.
func (r *Repository) Build(spec Spec, dataset mlregistry.Kwargs) (*Pipeline, error) {
	p := &Pipeline{Training: spec.Training}
	var errs []error
	var err error
	if p.Dataset, err = build(r, r.Datasets, spec.Dataset, dataset); err != nil {
		errs = append(errs, atPath("dataset", err))
	}
	modelSpec := spec.Model
	if p.Dataset != nil {
		ex := p.Dataset.Examples()
		modelSpec = fillSizes(r, modelSpec, ex.Features, ex.Classes)
	}
	if p.Model, err = build(r, r.Models, modelSpec, nil); err != nil {
		errs = append(errs, atPath("model", err))
	}
	if p.Criterion, err = build(r, r.Criterions, spec.Criterion, nil); err != nil {
		errs = append(errs, atPath("criterion", err))
	}
	if p.Model != nil {
		if p.Optimizer, err = build(r, r.Optimizers, spec.Optimizer, mlregistry.Kwargs{"params": p.Model.Parameters()}); err != nil {
			errs = append(errs, atPath("optimizer", err))
		}
	} else if _, ok := r.Optimizers.Get(spec.Optimizer.Name); !ok {
		// Without a model there are no params to build it with; an
		// unknown name is still worth its "did you mean".
		_, err := build(r, r.Optimizers, spec.Optimizer, nil)
		errs = append(errs, atPath("optimizer", err))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return p, nil
}

// build rebuilds the component cs names from cs as a document without a
// hash, with the values of runtime that are its excluded parameters.
//
// A spec may give an excluded parameter by name (a dataset's root in a
// pipeline file): that value is a runtime value, taking precedence over
// runtime's, and a problem with it is reported at its place in the spec
// (kwargs.root).
func build[T any](r *Repository, reg *mlregistry.Registry[T], cs ComponentSpec, runtime mlregistry.Kwargs) (T, error) {
	sig, _ := reg.Signature(cs.Name)
	own := RuntimeFor(sig, runtime)
	inSpec := RuntimeFor(sig, cs.Kwargs)
	if inSpec != nil {
		if own == nil {
			own = mlregistry.Kwargs{}
		}
		maps.Copy(own, inSpec)
		cs.Kwargs = maps.Clone(cs.Kwargs)
		maps.DeleteFunc(cs.Kwargs, func(k string, _ any) bool { _, ok := inSpec[k]; return ok })
	}
	md, err := r.specDocument(mlregistry.Metadata{Name: cs.Name, Kind: reg.Kind()}, cs, sig)
	if err != nil {
		var zero T
		return zero, err
	}
	x, err := reg.Rebuild(md, own)
	return x, runtimeAtKwargs(err, inSpec)
}

// runtimeAtKwargs reports the problems Rebuild found with the runtime
// values a spec gave by name at their place in the spec: "runtime.root"
// becomes "kwargs.root".
func runtimeAtKwargs(err error, inSpec mlregistry.Kwargs) error {
	var ve *mlregistry.ValidationError
	if len(inSpec) == 0 || !errors.As(err, &ve) {
		return err
	}
	out := &mlregistry.ValidationError{Component: ve.Component, Problems: slices.Clone(ve.Problems)}
	for i, p := range out.Problems {
		for k := range inSpec {
			if rest, ok := strings.CutPrefix(p.Path, "runtime."+k); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
				out.Problems[i].Path = "kwargs." + k + rest
			}
		}
	}
	return out
}

// RuntimeFor returns the values in runtime for sig's excluded parameters —
// the runtime inputs a component takes (an optimizer's params, a dataset's
// root) — leaving out the others, so that one set of runtime values can be
// offered to every component of a pipeline. It returns nil when there are
// none.
func RuntimeFor(sig mlregistry.Signature, runtime mlregistry.Kwargs) mlregistry.Kwargs {
	var own mlregistry.Kwargs
	for name, v := range runtime {
		if p, ok := sig.Lookup(name); ok && p.Excluded {
			if own == nil {
				own = mlregistry.Kwargs{}
			}
			own[name] = v
		}
	}
	return own
}

// specDocument is md with the args and kwargs of the component spec cs,
// whose signature is sig: a metadata document without a hash. A nested
// spec where a parameter's type takes models becomes a nested document.
func (r *Repository) specDocument(md mlregistry.Metadata, cs ComponentSpec, sig mlregistry.Signature) (mlregistry.Metadata, error) {
	var errs []error
	var kept []mlregistry.Param // the parameters args are given for
	for _, p := range sig.Params() {
		if !p.Excluded {
			kept = append(kept, p)
		}
	}
	for i, a := range cs.Args {
		if i < len(kept) {
			a = r.nestedSpecs(a, kept[i].Type, fmt.Sprintf("args[%d]", i), &errs)
		}
		md.Args = append(md.Args, a)
	}
	if cs.Kwargs != nil {
		md.Kwargs = make(mlregistry.Kwargs, len(cs.Kwargs))
		for _, k := range sortedKeys(cs.Kwargs) {
			v := cs.Kwargs[k]
			if p, ok := sig.Lookup(k); ok {
				v = r.nestedSpecs(v, p.Type, "kwargs."+k, &errs)
			}
			md.Kwargs[k] = v
		}
	}
	return md, errors.Join(errs...)
}

// nestedSpecs turns the component specs in v into nested documents where
// the type t takes models: t itself, or the elements of a list, array or
// map of them. Other values are returned as they are.
func (r *Repository) nestedSpecs(v any, t reflect.Type, path string, errs *[]error) any {
	switch {
	case t == modelType:
		obj, ok := v.(map[string]any)
		if !ok {
			return v // Rebuild reports what it is not
		}
		cs, err := nestedSpec(obj, path)
		if err != nil {
			*errs = append(*errs, err)
			return nil
		}
		sig, _ := r.Models.Signature(cs.Name)
		md, err := r.specDocument(mlregistry.Metadata{Name: cs.Name, Kind: r.Models.Kind()}, cs, sig)
		if err != nil {
			*errs = append(*errs, atPath(path, err))
			return nil
		}
		return &md
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		list, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(list))
		for i, e := range list {
			out[i] = r.nestedSpecs(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), errs)
		}
		return out
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(m))
		for _, k := range sortedKeys(m) {
			out[k] = r.nestedSpecs(m[k], t.Elem(), path+"."+k, errs)
		}
		return out
	}
	return v
}

// nestedSpec reads a component spec object: {"name": …, "args": […],
// "kwargs": {…}}.
func nestedSpec(obj map[string]any, path string) (ComponentSpec, error) {
	var cs ComponentSpec
	for _, key := range sortedKeys(obj) {
		val := obj[key]
		switch key {
		case "name":
			cs.Name, _ = val.(string)
		case "args":
			a, ok := val.([]any)
			if !ok {
				return cs, fmt.Errorf("%s.args: expected a list", path)
			}
			cs.Args = a
		case "kwargs":
			k, ok := val.(map[string]any)
			if !ok {
				return cs, fmt.Errorf("%s.kwargs: expected an object", path)
			}
			cs.Kwargs = k
		default:
			return cs, fmt.Errorf("%s: %w", path, unknownField(key, []string{"name", "args", "kwargs"}))
		}
	}
	if cs.Name == "" {
		return cs, fmt.Errorf(`%s: expected a component such as {"name": "ReLU"}`, path)
	}
	return cs, nil
}

// fillSizes gives a model spec that leaves out input_size or output_size
// the dataset's features and classes.
func fillSizes(r *Repository, cs ComponentSpec, features, classes int) ComponentSpec {
	comp, ok := r.Models.Get(cs.Name)
	if !ok {
		return cs
	}
	params := comp.Signature().Params()
	for name, v := range map[string]int{"input_size": features, "output_size": classes} {
		i := indexOf(params, name)
		if i < 0 || i < len(cs.Args) {
			continue
		}
		if _, given := cs.Kwargs[name]; given {
			continue
		}
		cs.Kwargs = maps.Clone(cs.Kwargs)
		if cs.Kwargs == nil {
			cs.Kwargs = mlregistry.Kwargs{}
		}
		cs.Kwargs[name] = v
	}
	return cs
}

// indexOf returns the position of the parameter called name, or -1.
func indexOf(params []mlregistry.Param, name string) int {
	for i, p := range params {
		if p.Name == name {
			return i
		}
	}
	return -1
}
