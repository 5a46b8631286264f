package main

// The registries of ml.Default, seen through one non-generic view, for the
// commands that look components up by name or rebuild them from metadata.

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
	doc       func(name string) string // the component's doc comment, from a generated file
	schema    func(name string) ([]byte, error)
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
