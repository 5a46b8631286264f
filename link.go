package mlregistry

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Resolver is a registry seen without its element type. Every
// *Registry[T] is a Resolver, and nothing else can be: its other methods
// are unexported. Link takes Resolvers so that registries of different
// element types — models, criterions, optimizers, datasets — can be linked.
type Resolver interface {
	// Kind returns the registry's kind, as set by the Kind option.
	Kind() string
	// Keys returns the registered names, sorted.
	Keys() []string

	resolveComponent(name string) (*component, error)
	links() *linkSet
	setLinks(*linkSet)
}

// linkSet is a closed set of registries that resolve each other's nested
// components, one per kind.
type linkSet struct {
	byKind map[string]Resolver
}

func (r *Registry[T]) resolveComponent(name string) (*component, error) {
	c, err := r.lookup(name)
	if err != nil {
		return nil, err
	}
	return c.c, nil
}

func (r *Registry[T]) links() *linkSet     { return r.linked.Load() }
func (r *Registry[T]) setLinks(l *linkSet) { r.linked.Store(l) }

// Link makes registries of different kinds resolve each other's
// components when Rebuild meets a nested component: an envelope of kind
// "model" nested in an optimizer's document is rebuilt through the linked
// registry of kind "model". Every registry must have a distinct, non-empty
// Kind. Link replaces the links the registries had before; call it once,
// with all of them, where the registries are made:
//
//	err := mlregistry.Link(models, criterions, optimizers, datasets)
//
// The world stays closed: Rebuild constructs nothing that is not
// registered in the registry it was called on or in one linked to it, and
// a kind that is not linked is an error, never a search. A nested envelope
// without a kind is resolved in the registry of the component it is
// nested in.
func Link(registries ...Resolver) error {
	ls := &linkSet{byKind: make(map[string]Resolver, len(registries))}
	for i, r := range registries {
		if r == nil {
			return fmt.Errorf("mlregistry.Link: registry %d is nil", i)
		}
		k := r.Kind()
		if k == "" {
			return errors.New("mlregistry.Link: a registry without a kind cannot be linked, since nested components find their registry by kind: create it with New(Kind(\"model\"))")
		}
		if prev, dup := ls.byKind[k]; dup && prev != r {
			return fmt.Errorf("mlregistry.Link: two registries of kind %q; kinds must be distinct", k)
		}
		ls.byKind[k] = r
	}
	for _, r := range registries {
		r.setLinks(ls)
	}
	registriesChanged()
	return nil
}

// registryOfKind returns the registry that resolves components of kind
// for a component of registry r: r itself for its own kind or for "",
// else the registry of that kind linked to r.
func registryOfKind(r Resolver, kind string) (Resolver, error) {
	if kind == "" || kind == r.Kind() {
		return r, nil
	}
	if ls := r.links(); ls != nil {
		if o, ok := ls.byKind[kind]; ok {
			return o, nil
		}
		kinds := slices.Sorted(maps.Keys(ls.byKind))
		return nil, fmt.Errorf("no registry of kind %q is linked%s; linked kinds are %q: %w", kind, didYouMean(suggest(kind, kinds)), kinds, ErrNotFound)
	}
	own := r.Kind()
	if own == "" {
		own = "kind-less"
	}
	return nil, fmt.Errorf("no registry of kind %q is linked to the %s registry (link them with mlregistry.Link): %w", kind, own, ErrNotFound)
}
