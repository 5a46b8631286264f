package ml

import (
	"errors"
	"fmt"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/mlregistry/mlregistry"
)

// ErrUnknownKind is reported (wrapped) for a kind none of a Repository's
// registries has.
var ErrUnknownKind = errors.New("unknown kind")

// Kinds returns the kinds of r's registries, in pipeline order: model,
// criterion, optimizer, dataset.
func (r *Repository) Kinds() []string {
	return []string{r.Models.Kind(), r.Criterions.Kind(), r.Optimizers.Kind(), r.Datasets.Kind()}
}

// BuildComponent builds one component from its spec through the registry
// of the given kind, by the same path as Build (nested specs included, every
// problem at once with its JSON path); an empty kind is the kind of the
// registry that holds the name (the model registry's when none does, for
// its "did you mean"). runtime holds values for the component's excluded
// parameters; an optimizer given no "params" gets an empty variable store.
func (r *Repository) BuildComponent(kind string, cs ComponentSpec, runtime mlregistry.Kwargs) (any, error) {
	if kind == "" {
		kind = r.KindOf(cs.Name)
	}
	switch kind {
	case r.Models.Kind():
		return build(r, r.Models, cs, runtime)
	case r.Criterions.Kind():
		return build(r, r.Criterions, cs, runtime)
	case r.Optimizers.Kind():
		if _, ok := runtime["params"]; !ok {
			rt := mlregistry.Kwargs{"params": model.NewStore()}
			for k, v := range runtime {
				rt[k] = v
			}
			runtime = rt
		}
		return build(r, r.Optimizers, cs, runtime)
	case r.Datasets.Kind():
		return build(r, r.Datasets, cs, runtime)
	}
	return nil, fmt.Errorf("%w %q: expected one of %v", ErrUnknownKind, kind, r.Kinds())
}

// KindOf returns the kind of the registry that holds name, or the model
// registry's kind when none does.
func (r *Repository) KindOf(name string) string {
	switch {
	case has(r.Criterions, name):
		return r.Criterions.Kind()
	case has(r.Optimizers, name):
		return r.Optimizers.Kind()
	case has(r.Datasets, name):
		return r.Datasets.Kind()
	}
	return r.Models.Kind()
}

// has reports whether reg holds name.
func has[T any](reg *mlregistry.Registry[T], name string) bool {
	_, ok := reg.Get(name)
	return ok
}
