package ml

import (
	"errors"
	"fmt"
	"maps"

	"github.com/mlregistry/mlregistry"
)

// Build builds the pipeline a Spec describes through r's registries:
// dataset, model, criterion, then optimizer, given the model's
// Parameters() as its excluded params. dataset holds runtime values for the
// dataset's excluded parameters ("root", "download"); nil leaves their
// defaults.
//
// A model whose spec leaves out input_size or output_size gets the
// dataset's number of features and classes. A Model-typed argument (MLP's
// activation) may be given as a component spec object and is built through
// r.Models. Every problem is reported, per role; an unknown name suggests
// the registered names it may have meant.
func (r *Repository) Build(spec Spec, dataset mlregistry.Kwargs) (*Pipeline, error) {
	p := &Pipeline{Training: spec.Training}
	var errs []error
	var err error
	if p.Dataset, err = build(r, r.Datasets, spec.Dataset, dataset); err != nil {
		errs = append(errs, roleError("dataset", err))
	}
	modelSpec := spec.Model
	if p.Dataset != nil {
		ex := p.Dataset.Examples()
		modelSpec = fillSizes(r, modelSpec, ex.Features, ex.Classes)
	}
	if p.Model, err = build(r, r.Models, modelSpec, nil); err != nil {
		errs = append(errs, roleError("model", err))
	}
	if p.Criterion, err = build(r, r.Criterions, spec.Criterion, nil); err != nil {
		errs = append(errs, roleError("criterion", err))
	}
	if p.Model != nil {
		if p.Optimizer, err = build(r, r.Optimizers, spec.Optimizer, mlregistry.Kwargs{"params": p.Model.Parameters()}); err != nil {
			errs = append(errs, roleError("optimizer", err))
		}
	} else if _, ok := r.Optimizers.Get(spec.Optimizer.Name); !ok {
		_, err := r.Optimizers.Call(spec.Optimizer.Name, nil, nil) // for its "did you mean"
		errs = append(errs, roleError("optimizer", &unknownName{err}))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return p, nil
}

// roleError locates an error in a pipeline spec: an unknown name at the
// role's "name", anything else at the role.
func roleError(path string, err error) error {
	if _, ok := err.(*unknownName); ok {
		return fmt.Errorf("%s.name: %w", path, err)
	}
	return atPath(path, err)
}

// unknownName marks the error of a spec that names no registered
// component; it wraps the registry's *mlregistry.NotFoundError.
type unknownName struct{ err error }

// Error returns the registry's message.
func (e *unknownName) Error() string { return e.err.Error() }

// Unwrap returns the registry's *mlregistry.NotFoundError.
func (e *unknownName) Unwrap() error { return e.err }

// build calls the component cs names with cs's arguments plus runtime
// values for its excluded parameters: leading excluded parameters go
// ahead of cs.Args (an optimizer's params, a dataset's root), the others
// by name. Parameters the component lacks are skipped.
func build[T any](r *Repository, reg *mlregistry.Registry[T], cs ComponentSpec, runtime mlregistry.Kwargs) (T, error) {
	comp, ok := reg.Get(cs.Name)
	if !ok {
		x, err := reg.Call(cs.Name, nil, nil) // the error names close matches
		return x, &unknownName{err}
	}
	params := comp.Signature().Params()
	var args []any
	kwargs := maps.Clone(cs.Kwargs)
	if kwargs == nil {
		kwargs = mlregistry.Kwargs{}
	}
	if len(cs.Args) > 0 {
		for _, p := range params {
			if !p.Excluded {
				break
			}
			v, ok := runtime[p.Name]
			if !ok {
				if !p.HasDefault {
					var zero T
					return zero, fmt.Errorf("%s: no value for the runtime parameter %q", cs.Name, p.Name)
				}
				v = p.Default
			}
			args = append(args, v)
		}
	}
	args = append(args, cs.Args...)
	for _, name := range sortedKeys(runtime) {
		i := indexOf(params, name)
		if i < 0 || i < len(args) {
			continue
		}
		if _, given := kwargs[name]; !given {
			kwargs[name] = runtime[name]
		}
	}
	var errs []error
	for i := range args {
		if i < len(params) && params[i].Type == modelType {
			args[i], _ = nested(r, args[i], fmt.Sprintf("args[%d]", i), &errs)
		}
	}
	for _, name := range sortedKeys(kwargs) {
		if i := indexOf(params, name); i >= 0 && params[i].Type == modelType {
			kwargs[name], _ = nested(r, kwargs[name], "kwargs."+name, &errs)
		}
	}
	if err := errors.Join(errs...); err != nil {
		var zero T
		return zero, err
	}
	x, err := comp.Call(args, kwargs)
	return x, specPaths(err, cs, params, len(args)-len(cs.Args))
}

// nested builds a Model given as a component spec object; other values
// are returned as they are.
func nested(r *Repository, v any, path string, errs *[]error) (any, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		return v, true
	}
	var cs ComponentSpec
	name, _ := obj["name"].(string)
	cs.Name = name
	for key, val := range obj {
		switch key {
		case "name":
		case "args":
			a, ok := val.([]any)
			if !ok {
				*errs = append(*errs, fmt.Errorf("%s.args: expected a list", path))
				return nil, false
			}
			cs.Args = a
		case "kwargs":
			k, ok := val.(map[string]any)
			if !ok {
				*errs = append(*errs, fmt.Errorf("%s.kwargs: expected an object", path))
				return nil, false
			}
			cs.Kwargs = k
		default:
			*errs = append(*errs, fmt.Errorf("%s: %w", path, unknownField(key, []string{"name", "args", "kwargs"})))
			return nil, false
		}
	}
	if cs.Name == "" {
		*errs = append(*errs, fmt.Errorf(`%s: expected a component such as {"name": "ReLU"}`, path))
		return nil, false
	}
	m, err := build(r, r.Models, cs, nil)
	if err != nil {
		*errs = append(*errs, roleError(path, err))
		return nil, false
	}
	return m, true
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
