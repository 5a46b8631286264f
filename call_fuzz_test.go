package mlregistry_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/mlregistry/mlregistry"
)

type fuzzModel struct {
	sizes []int
	rate  float32
}

// FuzzCall feeds arbitrary JSON arguments to Registry.Call: it must build
// the component or return an error matching ErrInvalid or ErrNotFound —
// never panic — and what it builds must hash the same when built again.
func FuzzCall(f *testing.F) {
	r := mlregistry.New[*fuzzModel]()
	mlregistry.Register(r, func(in int8, sizes []int, rate float32, name string, extra map[string]uint16, opt *int) *fuzzModel {
		return &fuzzModel{sizes, rate}
	}, mlregistry.Name("M"), mlregistry.Params("in", "sizes", "rate", "name", "extra", "opt"),
		mlregistry.Defaults(mlregistry.Kwargs{"name": "m", "extra": nil, "opt": nil}))
	f.Add("M", []byte(`[1, [2, 3], 0.5]`), []byte(`{"name": "x"}`))
	f.Add("M", []byte(`[127, [], 1e-3, "é"]`), []byte(`{"extra": {"a": 65535}, "opt": 7}`))
	f.Add("M", []byte(`[128.5, "x"]`), []byte(`{"bogus": 1, "in": 2}`))
	f.Add("N", []byte(`[]`), []byte(`{}`))
	f.Add("M", []byte(`[1, [1e400], 3.5e38]`), []byte(`{"extra": {"b": -1}}`))
	f.Fuzz(func(t *testing.T, name string, argsJSON, kwargsJSON []byte) {
		var args []any
		var kwargs mlregistry.Kwargs
		dec := json.NewDecoder(bytes.NewReader(argsJSON))
		dec.UseNumber()
		if dec.Decode(&args) != nil {
			return
		}
		dec = json.NewDecoder(bytes.NewReader(kwargsJSON))
		dec.UseNumber()
		if dec.Decode(&kwargs) != nil {
			return
		}
		x, err := r.Call(name, args, kwargs)
		if err != nil {
			if !errors.Is(err, mlregistry.ErrInvalid) && !errors.Is(err, mlregistry.ErrNotFound) {
				t.Fatalf("unexpected error kind %T: %v", err, err)
			}
			return
		}
		h1, ok := mlregistry.HashOf(x)
		if !ok {
			t.Fatal("built but untracked")
		}
		md, _ := mlregistry.MetadataOf(x)
		y, err := r.Call(name, nil, md.Arguments)
		if err != nil {
			t.Fatalf("rebuilding from the effective arguments %v: %v", md.Arguments, err)
		}
		if h2, _ := mlregistry.HashOf(y); h2 != h1 {
			t.Fatalf("hash %s, rebuilt %s", h1, h2)
		}
	})
}
