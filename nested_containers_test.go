package mlregistry_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

type layer interface{ layer() }

type linear struct {
	_       *int
	in, out int
}

func (*linear) layer() {}

type sequential struct {
	_      *int
	layers []layer
}

func (*sequential) layer() {}

type blocks struct {
	_  *int
	by map[string]layer
}

func (*blocks) layer() {}

// headConfig is a config struct with a component field.
type headConfig struct {
	Head  layer    `json:"head"`
	Pair  [2]layer `json:"pair"`
	Scale float64  `json:"scale"`
}

type headed struct {
	_   *int
	cfg headConfig
}

func (*headed) layer() {}

// containerRegistry registers a layer and three containers of layers.
func containerRegistry(t *testing.T, scheme mlregistry.Scheme) (*mlregistry.Registry[layer], func(in, out int) *linear) {
	t.Helper()
	r := mlregistry.New[layer](mlregistry.Kind("model"), mlregistry.HashScheme(scheme))
	newLinear := mlregistry.Register(r, func(in, out int) *linear { return &linear{in: in, out: out} },
		mlregistry.Name("Linear"), mlregistry.Params("in", "out"))
	mlregistry.Register(r, func(ls []layer) *sequential { return &sequential{layers: ls} },
		mlregistry.Name("Sequential"), mlregistry.Params("layers"))
	mlregistry.Register(r, func(by map[string]layer) *blocks { return &blocks{by: by} },
		mlregistry.Name("Blocks"), mlregistry.Params("blocks"))
	mlregistry.Register(r, func(c headConfig) *headed { return &headed{cfg: c} }, mlregistry.Name("Headed"))
	return r, newLinear
}

// TestComponentsInContainers checks lists, maps, arrays and struct fields
// of components under canonical/v1: each element hashes by its own hash
// (Merkle), the document holds nested envelopes with shared references,
// Rebuild gives the same hash and keeps shared instances shared, and the
// JSON Schema accepts the document's arguments.
func TestComponentsInContainers(t *testing.T) {
	r, newLinear := containerRegistry(t, mlregistry.CanonicalV1)
	a, b := newLinear(3, 4), newLinear(4, 2)
	tests := []struct {
		name   string
		args   []any
		kwargs mlregistry.Kwargs
		alter  []any // the same with one element's arguments changed
		shared func(layer) bool
	}{
		{"Sequential", []any{[]layer{a, b, a}}, nil, []any{[]layer{a, newLinear(4, 3), a}},
			func(x layer) bool { s := x.(*sequential); return s.layers[0] == s.layers[2] }},
		{"Blocks", []any{map[string]layer{"x": a, "y": b, "z": a}}, nil, []any{map[string]layer{"x": a, "y": newLinear(5, 2), "z": a}},
			func(x layer) bool { s := x.(*blocks); return s.by["x"] == s.by["z"] }},
		{"Headed", nil, mlregistry.Kwargs{"head": a, "pair": [2]layer{b, a}, "scale": 0.5}, nil,
			func(x layer) bool { s := x.(*headed); return s.cfg.Head == s.cfg.Pair[1] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := r.Call(tt.name, tt.args, tt.kwargs)
			if err != nil {
				t.Fatal(err)
			}
			h, _ := mlregistry.HashOf(x)
			// The same structure from distinct but equal instances hashes
			// the same: elements count by their hashes, not addresses.
			if tt.alter != nil {
				y, err := r.Call(tt.name, tt.alter, nil)
				if err != nil {
					t.Fatal(err)
				}
				if hy, _ := mlregistry.HashOf(y); hy == h {
					t.Errorf("changing one element's arguments left the hash %s", h)
				}
			}
			md, _ := mlregistry.MetadataOf(x)
			data, err := json.Marshal(md)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Count(string(data), `"name":"Linear","hash"`) < 2 || !strings.Contains(string(data), `"ref":true`) {
				t.Errorf("want nested envelopes with references: %s", data)
			}
			var back mlregistry.Metadata
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			z, err := r.Rebuild(back, nil)
			if err != nil {
				t.Fatalf("rebuild: %v", err)
			}
			if hz, _ := mlregistry.HashOf(z); hz != h {
				t.Errorf("rebuilt hash %s, built %s", hz, h)
			}
			if !tt.shared(z) {
				t.Error("an instance shared in the original is two instances after rebuild")
			}
			// The schema accepts the spec form of the same arguments.
			schema, err := r.JSONSchema(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			spec := specArguments(t, md)
			if err := compileSchema(t, schema).Validate(spec); err != nil {
				t.Errorf("the schema refuses the arguments %v: %v", spec, err)
			}
		})
	}
}

// specArguments is md's arguments with nested components as specs.
func specArguments(t *testing.T, md mlregistry.Metadata) any {
	t.Helper()
	var conv func(v any) any
	conv = func(v any) any {
		switch x := v.(type) {
		case layer:
			m, _ := mlregistry.MetadataOf(x)
			args := map[string]any{}
			for k, a := range m.Arguments {
				args[k] = conv(a)
			}
			return map[string]any{"format": mlregistry.Format, "kind": m.Kind, "name": m.Name, "arguments": args}
		case []layer:
			out := []any{}
			for _, e := range x {
				out = append(out, conv(e))
			}
			return out
		case [2]layer:
			return []any{conv(x[0]), conv(x[1])}
		case map[string]layer:
			out := map[string]any{}
			for k, e := range x {
				out[k] = conv(e)
			}
			return out
		case headConfig:
			return map[string]any{"head": conv(x.Head), "pair": conv(x.Pair), "scale": x.Scale}
		}
		return v
	}
	out := map[string]any{}
	for k, v := range md.Arguments {
		out[k] = conv(v)
	}
	// Round-trip through JSON, as a validator sees a document.
	data, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestComponentsInContainersPyCompat checks that PyCompat refuses, at
// construction and naming the path, what the original cannot hash: a
// component inside a list, map or struct.
func TestComponentsInContainersPyCompat(t *testing.T) {
	r, newLinear := containerRegistry(t, mlregistry.PyCompat)
	a := newLinear(3, 4)
	tests := []struct {
		name   string
		args   []any
		kwargs mlregistry.Kwargs
		path   string
	}{
		{"Sequential", []any{[]layer{a}}, nil, "layers[0]"},
		{"Blocks", []any{map[string]layer{"x": a}}, nil, "blocks.x"},
		{"Headed", nil, mlregistry.Kwargs{"head": a, "pair": [2]layer{}, "scale": 1.0}, ""}, // a direct component: hashable
	}
	for _, tt := range tests {
		_, err := r.Call(tt.name, tt.args, tt.kwargs)
		if tt.path == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var ve *mlregistry.ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Path != tt.path || !strings.Contains(err.Error(), "TypeError") {
			t.Errorf("%s: got %v, want a refusal at %q", tt.name, err, tt.path)
		}
	}
}
