package service

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
)

// registryView is a typed registry with its type parameter erased.
type registryView struct {
	kind      string
	keys      func() []string
	signature func(name string) (mlregistry.Signature, bool)
	doc       func(name string) string
	schema    func(name string) ([]byte, error)
}

func viewOf[T any](r *mlregistry.Registry[T]) registryView {
	doc := func(name string) string {
		if c, ok := r.Get(name); ok {
			return c.Doc()
		}
		return ""
	}
	return registryView{kind: r.Kind(), keys: r.Keys, signature: r.Signature, doc: doc, schema: r.JSONSchema}
}

// Catalogue describes the components of a Repository's registries.
type Catalogue struct {
	views []registryView
}

// NewCatalogue returns the catalogue of repo's registries.
func NewCatalogue(repo *ml.Repository) *Catalogue {
	return &Catalogue{views: []registryView{viewOf(repo.Models), viewOf(repo.Criterions), viewOf(repo.Optimizers), viewOf(repo.Datasets)}}
}

// ComponentSummary is one registered component in a listing.
type ComponentSummary struct {
	Kind      string `json:"kind" doc:"the registry: model, criterion, optimizer or dataset"`
	Name      string `json:"name" doc:"the registered name"`
	Signature string `json:"signature" doc:"its parameters and their types, e.g. {lr: float64, ...}"`
}

// Kinds returns the registries' kinds, in pipeline order.
func (c *Catalogue) Kinds() []string {
	ks := make([]string, len(c.views))
	for i, v := range c.views {
		ks[i] = v.kind
	}
	return ks
}

// view returns the registry of kind, or an ErrInvalid naming the kinds.
func (c *Catalogue) view(kind string) (registryView, error) {
	for _, v := range c.views {
		if v.kind == kind {
			return v, nil
		}
	}
	return registryView{}, as(ErrInvalid, fmt.Errorf("kind %q: expected one of %s%s", kind, strings.Join(c.Kinds(), ", "), didYouMean(kind, c.Kinds())))
}

// Components lists the registered components of kind, or of every kind
// when kind is "", by kind then name.
func (c *Catalogue) Components(kind string) ([]ComponentSummary, error) {
	views := c.views
	if kind != "" {
		v, err := c.view(kind)
		if err != nil {
			return nil, err
		}
		views = []registryView{v}
	}
	out := []ComponentSummary{}
	for _, v := range views {
		for _, name := range v.keys() {
			sig, _ := v.signature(name)
			out = append(out, ComponentSummary{Kind: v.kind, Name: name, Signature: sig.String()})
		}
	}
	return out, nil
}

// Param is one parameter of a component's signature.
type Param struct {
	Name     string `json:"name"`
	Type     string `json:"type" doc:"its Go type"`
	Default  any    `json:"default,omitempty" doc:"its default value; a component's metadata envelope"`
	Required bool   `json:"required"`
	Excluded bool   `json:"excluded,omitempty" doc:"a runtime input: never in metadata or hash"`
	Doc      string `json:"doc,omitempty" doc:"the parameter's doc comment, from source (mlregistry-gen)"`
}

// Description is one component: its signature, defaults and the JSON
// Schema of its arguments.
type Description struct {
	Name      string          `json:"name"`
	Kind      string          `json:"kind"`
	Doc       string          `json:"doc,omitempty" doc:"the constructor's doc comment, from source (mlregistry-gen)"`
	Signature string          `json:"signature"`
	Params    []Param         `json:"params"`
	Schema    json.RawMessage `json:"schema" doc:"JSON Schema (draft 2020-12) of a request's arguments"`
}

// Describe describes the component name of kind. An unknown name is
// ErrNotFound, with the names close to it.
func (c *Catalogue) Describe(kind, name string) (Description, error) {
	v, err := c.view(kind)
	if err != nil {
		return Description{}, err
	}
	sig, ok := v.signature(name)
	if !ok {
		return Description{}, as(ErrNotFound, fmt.Errorf("%s %q is not registered%s; GET /v1/components?kind=%s lists them",
			kind, name, didYouMean(name, v.keys()), kind))
	}
	schema, err := v.schema(name)
	if err != nil {
		return Description{}, fmt.Errorf("JSON Schema of %s: %w", name, err)
	}
	d := Description{Kind: kind, Name: name, Doc: v.doc(name), Signature: sig.String(), Params: []Param{}, Schema: schema}
	for _, p := range sig.Params() {
		pj := Param{Name: p.Name, Type: p.TypeName, Required: p.Required(), Excluded: p.Excluded, Doc: p.Doc}
		if p.HasDefault {
			pj.Default = p.Default
			if md, ok := mlregistry.MetadataOf(p.Default); ok {
				pj.Default = md // a component: its envelope, not its Go fields
			}
		}
		d.Params = append(d.Params, pj)
	}
	return d, nil
}

// didYouMean returns ` (did you mean "x"?)` for the candidates closest to
// name, or "".
func didYouMean(name string, candidates []string) string {
	best := mlregistry.Suggest(name, slices.Clone(candidates))
	if len(best) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best[0])
}
