package configstruct

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/mlregistry/mlregistry"
)

func TestConfigStruct(t *testing.T) {
	a, err := NewAdam(AdamConfig{LR: 1e-3, Betas: []float64{0.9, 0.999}, Eps: 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Optimizers.Call("Adam", nil, mlregistry.Kwargs{"lr": 1e-3, "betas": []float64{0.9, 0.999}, "Eps": 1e-8})
	if err != nil {
		t.Fatal(err)
	}
	ma, _ := mlregistry.MetadataOf(a)
	mb, _ := mlregistry.MetadataOf(b)
	if ma.Hash != mb.Hash || !reflect.DeepEqual(ma.Kwargs, mb.Kwargs) || ma.Args != nil {
		t.Errorf("generated %+v, by name %+v", ma, mb)
	}
	schema, err := Optimizers.JSONSchema("Adam")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Description string
		Properties  map[string]struct{ Description string }
	}
	if err := json.Unmarshal(schema, &s); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"lr": "learning rate", "betas": "decay rates of the moments", "Eps": "stability term"}
	for k, d := range want {
		if s.Properties[k].Description != d {
			t.Errorf("schema: %s's description = %q, want %q", k, s.Properties[k].Description, d)
		}
	}
	if want := "newAdam builds an Adam optimizer.\n\nArguments of the optimizer Adam (version 1): {lr: float64, betas: []float64, Eps: float64}"; s.Description != want {
		t.Errorf("schema description = %q, want %q", s.Description, want)
	}
}
