package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

func env(name, hash string, arguments string) string {
	return fmt.Sprintf(`{"format":"mlregistry/v1","kind":"model","name":%q,"hash":%q,"scheme":"canonical/v1","version":1,
		"args":[1],"kwargs":{},"arguments":%s,"signature":[{"name":"x","type":"int"}]}`, name, hash, arguments)
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want []string
	}{
		{"Same", env("P", "h1", `{"x":1}`), env("P", "h1", `{"x":2}`), nil},
		{"Argument", env("P", "h1", `{"x":1,"y":"a"}`), env("P", "h2", `{"x":2,"y":"a"}`),
			[]string{"arguments.x: 1 → 2"}},
		{"NumbersByValue", env("P", "h1", `{"x":1,"p":0.5}`), env("P", "h2", `{"x":1.0,"p":0.50}`),
			[]string{"hash: \"h1\" → \"h2\""}},
		{"AddedRemoved", env("P", "h1", `{"x":1}`), env("P", "h2", `{"y":1}`),
			[]string{"arguments.x: 1 → (absent)", "arguments.y: (absent) → 1"}},
		{"Name", env("P", "h1", `{"x":1}`), env("Q", "h2", `{"x":1}`),
			[]string{"name: \"P\" → \"Q\""}},
		{"Nested", env("Adam", "h1", `{"lr":0.1,"model":`+env("P", "n1", `{"hidden":[256,128]}`)+`}`),
			env("Adam", "h2", `{"lr":0.1,"model":`+env("P", "n2", `{"hidden":[256,64,10]}`)+`}`),
			[]string{"arguments.model.arguments.hidden[1]: 128 → 64", "arguments.model.arguments.hidden[2]: (absent) → 10"}},
		{"NullIsAValue", env("P", "h1", `{"x":null}`), env("P", "h2", `{}`),
			[]string{"arguments.x: null → (absent)"}},
		{"TypeChange", env("P", "h1", `{"x":{"a":1}}`), env("P", "h2", `{"x":[1]}`),
			[]string{`arguments.x: {"a":1} → [1]`}},
		{"RunConfigs",
			`{"params":{"batch_size":64,"steps":100},"components":{"model":` + env("P", "h1", `{"x":1}`) + `,"optimizer":` + env("SGD", "o1", `{"lr":0.1}`) + `}}`,
			`{"params":{"batch_size":32,"steps":100},"components":{"model":` + env("P", "h1", `{"x":1}`) + `,"optimizer":` + env("Adam", "o2", `{"lr":0.1}`) + `,"dataset":` + env("MNIST", "d", `{}`) + `}}`,
			[]string{
				`components.dataset: (absent) → ` + compact(env("MNIST", "d", `{}`)),
				`components.optimizer.name: "SGD" → "Adam"`,
				`params.batch_size: 64 → 32`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes, err := store.Diff([]byte(tt.a), []byte(tt.b))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range changes {
				got = append(got, c.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	if _, err := store.Diff([]byte(`{`), []byte(`{}`)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Diff(bad JSON) error = %v, want ErrInvalid", err)
	}
}

func compact(s string) string {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		panic(err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func TestChangeKind(t *testing.T) {
	for _, tt := range []struct {
		c    store.Change
		want string
	}{
		{store.Change{New: json.RawMessage("1")}, "added"},
		{store.Change{Old: json.RawMessage("1")}, "removed"},
		{store.Change{Old: json.RawMessage("1"), New: json.RawMessage("2")}, "changed"},
	} {
		if got := tt.c.Kind(); got != tt.want {
			t.Errorf("%+v.Kind() = %q, want %q", tt.c, got, tt.want)
		}
	}
}
