package service

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/ml"
)

func TestCatalogue(t *testing.T) {
	c := NewCatalogue(ml.Default)
	for _, tc := range []struct {
		kind, name string
		class      error // nil: found
		msg        string
	}{
		{"optimizer", "Adam", nil, ""},
		{"model", "Perceptrn", ErrNotFound, `did you mean "Perceptron"?`},
		{"optimizer", "Perceptron", ErrNotFound, "is not registered"},
		{"models", "Perceptron", ErrInvalid, `did you mean "model"?`},
	} {
		t.Run(tc.kind+"/"+tc.name, func(t *testing.T) {
			d, err := c.Describe(tc.kind, tc.name)
			if tc.class == nil {
				if err != nil || d.Name != tc.name || len(d.Params) == 0 || len(d.Schema) == 0 {
					t.Fatalf("Describe = %+v, %v", d, err)
				}
				return
			}
			if !errors.Is(err, tc.class) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error = %v, want %v with %q", err, tc.class, tc.msg)
			}
		})
	}
	all, err := c.Components("")
	if err != nil {
		t.Fatal(err)
	}
	models, _ := c.Components("model")
	if len(models) == 0 || len(all) <= len(models) {
		t.Errorf("%d components, %d models", len(all), len(models))
	}
}
