package service_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/service"
)

// ExampleFormatCall shows the seed's model as the call that builds it.
func ExampleFormatCall() {
	spec, err := ml.ParseSpec([]byte(`{"model": {"name": "Perceptron", "args": [784, 256, 10], "kwargs": {"bias": true, "p": 0.5}}, "dataset": {"name": "Digits"}}`))
	if err != nil {
		panic(err)
	}
	p, err := ml.Default.Build(spec, nil)
	if err != nil {
		panic(err)
	}
	md, _ := mlregistry.MetadataOf(p.Model)
	fmt.Println(service.FormatCall(md))
	// Output: Perceptron(784, 256, 10, p=0.5, bias=true)
}

func TestFormatValue(t *testing.T) {
	spec, err := ml.ParseSpec([]byte(`{"optimizer": {"name": "Adam", "kwargs": {"lr": 0.01}}, "dataset": {"name": "Digits"}}`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ml.Default.Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	live, ok := mlregistry.MetadataOf(p.Optimizer)
	if !ok {
		t.Fatal("the optimizer has no metadata")
	}
	data, err := json.Marshal(live)
	if err != nil {
		t.Fatal(err)
	}
	var md mlregistry.Metadata
	if err := json.Unmarshal(data, &md); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"number", 0.5, "0.5"},
		{"string", "relu", `"relu"`},
		{"list", []any{1.0, "a", []any{true}}, `[1, "a", [true]]`},
		{"object, keys in order", map[string]any{"b": 1.0, "a": nil}, `{"a": null, "b": 1}`},
		{"decoded metadata", &md, "Adam(lr=0.01)"},
		{"metadata in a list", []any{md}, "[Adam(lr=0.01)]"},
		{"a built instance", p.Optimizer, "Adam(lr=0.01)"},
	} {
		if got := service.FormatValue(c.v); got != c.want {
			t.Errorf("%s: FormatValue = %s, want %s", c.name, got, c.want)
		}
	}
}
