package ml

import (
	"errors"
	"testing"

	"github.com/mlregistry/mlregistry"
)

func TestBuildComponent(t *testing.T) {
	for _, c := range []struct {
		name, kind string
		spec       ComponentSpec
		wantHash   string // "" to skip
		wantPath   string // a problem's path when the build must fail
	}{
		{name: "model by name", spec: ComponentSpec{Name: "Perceptron", Args: []any{784, 256, 10}, Kwargs: mlregistry.Kwargs{"p": 0.5, "bias": true}},
			wantHash: "a5b23870c829a0112ce11c562ae20f85"},
		{name: "optimizer without params", spec: ComponentSpec{Name: "Adam", Kwargs: mlregistry.Kwargs{"lr": 1e-3}},
			wantHash: "37182e3ec4deb3da8fd0408447ff5e63"},
		{name: "nested spec", spec: ComponentSpec{Name: "MLP", Kwargs: mlregistry.Kwargs{"input_size": 4, "hidden_sizes": []any{3}, "output_size": 2,
			"activation": map[string]any{"name": "LeakyReLU", "kwargs": map[string]any{"negative_slope": "x"}}}},
			wantPath: "kwargs.activation.kwargs.negative_slope"},
		{name: "unknown name", spec: ComponentSpec{Name: "Perceptrn"}, wantPath: "name"},
		{name: "wrong kind", kind: "dataset", spec: ComponentSpec{Name: "Adam"}, wantPath: "name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			x, err := Default.BuildComponent(c.kind, c.spec, nil)
			if c.wantPath != "" {
				var ve *mlregistry.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("error = %v, want a *ValidationError", err)
				}
				for _, p := range ve.Problems {
					if p.Path == c.wantPath {
						return
					}
				}
				t.Fatalf("problems %v: none at %s", ve.Problems, c.wantPath)
			}
			if err != nil {
				t.Fatal(err)
			}
			if h := hashOf(t, x); h != c.wantHash {
				t.Errorf("hash %s, want %s", h, c.wantHash)
			}
		})
	}
	if _, err := Default.BuildComponent("loss", ComponentSpec{Name: "MSELoss"}, nil); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("kind loss: error = %v, want ErrUnknownKind", err)
	}
}
