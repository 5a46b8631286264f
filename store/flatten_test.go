package store

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestFlatten(t *testing.T) {
	env := `{"format": "mlregistry/v1", "name": "MLP", "kind": "model", "hash": "h1", "version": 1, "args": [64], "kwargs": {},
		"signature": [], "arguments": {"hidden_sizes": [32, 16], "activation": {"format": "mlregistry/v1", "name": "LeakyReLU", "hash": "h2",
		"arguments": {"negative_slope": 0.01}, "signature": []}, "extra": {}}}`
	fs, err := Flatten([]byte(`{"params": {"steps": 10, "seed": null}, "components": {"model": ` + env + `}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.Path+"="+string(f.Value))
	}
	want := []string{
		"components.model.arguments.activation.arguments.negative_slope=0.01",
		"components.model.arguments.activation.name=\"LeakyReLU\"",
		"components.model.arguments.extra={}",
		"components.model.arguments.hidden_sizes[0]=32",
		"components.model.arguments.hidden_sizes[1]=16",
		"components.model.kind=\"model\"",
		"components.model.name=\"MLP\"",
		"components.model.version=1",
		"params.seed=null",
		"params.steps=10",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Flatten:\n got %q\nwant %q", got, want)
	}
	if _, err := Flatten([]byte(`{"a": `)); err == nil {
		t.Error("Flatten of broken JSON: no error")
	}
}

// FuzzFlatten: every document flattens without a panic, into JSON values;
// a document Diff finds no change in against itself flattens alike twice.
func FuzzFlatten(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a": [1, {"b": null}]}`, `{"name": "X", "hash": "h", "arguments": {"x": 1}}`, `3`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		fs, err := Flatten(doc)
		if err != nil {
			return
		}
		again, _ := Flatten(doc)
		if len(again) != len(fs) {
			t.Fatalf("Flatten is not deterministic on %s", doc)
		}
		for _, x := range fs {
			if !json.Valid(x.Value) {
				t.Fatalf("value at %q is not JSON: %s", x.Path, x.Value)
			}
		}
	})
}
