package service

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mlregistry/mlregistry"
)

// FormatCall renders a component's metadata as the call that builds it, as
// the seed's README shows one: Perceptron(784, 256, 10, p=0.5, bias=true) —
// positional arguments, then keyword arguments in signature order, nested
// components as calls. The CLI's train and the web UI show components so.
func FormatCall(md mlregistry.Metadata) string {
	var parts []string
	for _, a := range md.Args {
		parts = append(parts, FormatValue(a))
	}
	order := map[string]int{}
	for i, p := range md.Signature.Params() {
		order[p.Name] = i
	}
	keys := slices.SortedFunc(maps.Keys(md.Kwargs), func(a, b string) int {
		if order[a] != order[b] {
			return order[a] - order[b]
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		parts = append(parts, k+"="+FormatValue(md.Kwargs[k]))
	}
	return md.Name + "(" + strings.Join(parts, ", ") + ")"
}

// FormatValue renders an argument: a nested component — decoded metadata
// or an instance built through a registry — as its call, lists and objects
// element by element, anything else as JSON.
func FormatValue(v any) string {
	switch x := v.(type) {
	case *mlregistry.Metadata:
		return FormatCall(*x)
	case mlregistry.Metadata:
		return FormatCall(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = FormatValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := []string{}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, fmt.Sprintf("%q: %s", k, FormatValue(x[k])))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	if md, ok := mlregistry.MetadataOf(v); ok {
		return FormatCall(md)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
