package mlregistry_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// The fuzz targets run decode → validate → rebuild on arbitrary bytes.
// Their seed corpus is in testdata/fuzz/FuzzUnmarshal and
// testdata/fuzz/FuzzRebuild; CI runs each for a short time:
//
//	go test -run '^$' -fuzz '^FuzzUnmarshal$' -fuzztime 15s .
//	go test -run '^$' -fuzz '^FuzzRebuild$' -fuzztime 15s .

// seedDocuments are documents of every shape the codec knows.
func seedDocuments(t testing.TB) map[string][]byte {
	r := newTestRepo(t)
	act := r.leaky(0.2)
	d, _ := r.dense(784, 10, act, true)
	d2, _ := r.models.Call("Dense", []any{3, 4}, mlregistry.Kwargs{"activation": act})
	seeds := map[string][]byte{
		"leaky":    mustJSON(t, act),
		"dense":    mustJSON(t, d),
		"dense_kw": mustJSON(t, d2),
		"stack":    mustJSON(t, r.stack([]Net{act, d, act})),
		"distill":  mustJSON(t, r.distil(d, 3)),
		"mse":      mustJSON(t, r.mse(MSEConfig{Reduction: "sum", Weight: 0.5})),
		"sgd":      mustJSON(t, r.sgd(nil, 0.1, 0.9)),
		"digits":   mustJSON(t, r.digits("/data", false)),
		"spec":     []byte(`{"format":"mlregistry/v1","name":"Dense","arguments":{"in_features":784,"out_features":10,"activation":{"format":"mlregistry/v1","name":"LeakyReLU","arguments":{"negative_slope":0.1}}}}`),
		"numbers":  []byte(`{"format":"mlregistry/v1","name":"LeakyReLU","args":[-0.0],"kwargs":{},"arguments":{"negative_slope":-0}}`),
		"bad":      []byte(`{"format":"mlregistry/v1","name":"Dens","arguments":{"in_features":"a","activation":{"format":"mlregistry/v1","kind":"modle","name":"X"}}}`),
		"cycle":    []byte(`{"format":"mlregistry/v1","name":"Stack","hash":"0123456789abcdef0123456789abcdef","args":[[{"format":"mlregistry/v1","name":"Stack","hash":"0123456789abcdef0123456789abcdef","ref":true}]]}`),
		"old":      []byte(`{"format":"mlregistry/v1","name":"LeakyReLU","version":1,"args":[1e308],"kwargs":{"x":[18446744073709551615,-9223372036854775808]}}`),
	}
	things, newAny, newCfg := thingRegistry(t)
	_ = things
	seeds["any"] = mustJSON(t, newAny([]any{int64(1), "x", 2.5, nil, map[string]any{"k": math.Copysign(0, -1)}}, uint64(1)<<63))
	seeds["cfg"] = mustJSON(t, newCfg(plainConfig{A: 1, C: []float64{0.5}}, map[int]string{-1: "a"}, ptr(int8(-3))))
	return seeds
}

// thingRegistry has PyCompat components with untyped, struct, map and
// pointer parameters.
func thingRegistry(t testing.TB) (*mlregistry.Registry[any], func(v any, u uint64) *holder[any], func(c plainConfig, m map[int]string, p *int8) *holder[int]) {
	reg := mlregistry.New[any](mlregistry.Kind("thing"), mlregistry.HashScheme(mlregistry.PyCompat))
	newAny := mlregistry.Register(reg, func(v any, u uint64) *holder[any] { return &holder[any]{v} },
		mlregistry.Name("Any"), mlregistry.Params("v", "u"), mlregistry.Defaults(mlregistry.Kwargs{"u": uint64(0)}))
	newCfg := mlregistry.Register(reg, func(c plainConfig, m map[int]string, p *int8) *holder[int] { return &holder[int]{} },
		mlregistry.Name("Cfg"), mlregistry.Params("c", "m", "p"), mlregistry.Defaults(mlregistry.Kwargs{"p": nil}))
	return reg, newAny, newCfg
}

func addSeeds(f *testing.F) {
	for _, doc := range seedDocuments(f) {
		f.Add(doc)
	}
}

// FuzzUnmarshal: decoding never panics; what decodes writes back, and
// reads back to the same bytes.
func FuzzUnmarshal(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var md mlregistry.Metadata
		if err := md.UnmarshalJSON(data); err != nil {
			var ve *mlregistry.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error %v (%T) is not a *ValidationError with problems", err, err)
			}
			return
		}
		out, err := json.Marshal(md)
		if err != nil {
			t.Fatalf("decoded %q but cannot write it back: %v", data, err)
		}
		var again mlregistry.Metadata
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("wrote %s, which does not read back: %v", out, err)
		}
		out2, err := json.Marshal(again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("not stable:\n%s\n%s\n%v", out, out2, err)
		}
	})
}

// FuzzRebuild: rebuilding any decoded document through linked registries
// never panics; what rebuilds has the stated hash, and rebuilds again to
// the same hash.
func FuzzRebuild(f *testing.F) {
	addSeeds(f)
	r := newTestRepo(f)
	things, _, _ := thingRegistry(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var md mlregistry.Metadata
		if md.UnmarshalJSON(data) != nil {
			return
		}
		rebuilds := []func(mlregistry.Metadata) (any, error){
			func(md mlregistry.Metadata) (any, error) { return r.models.Rebuild(md, nil) },
			func(md mlregistry.Metadata) (any, error) { return r.criterions.Rebuild(md, nil) },
			func(md mlregistry.Metadata) (any, error) {
				return r.optimizers.Rebuild(md, mlregistry.Kwargs{"params": []float64{1}})
			},
			func(md mlregistry.Metadata) (any, error) {
				return r.datasets.Rebuild(md, mlregistry.Kwargs{"root": "/data"})
			},
			func(md mlregistry.Metadata) (any, error) { return things.Rebuild(md, nil) },
		}
		for _, rebuild := range rebuilds {
			x, err := rebuild(md)
			if err != nil {
				var ve *mlregistry.ValidationError
				var he *mlregistry.HashError
				var ce *mlregistry.ConstructorError
				if !errors.As(err, &ve) && !errors.As(err, &he) && !errors.As(err, &ce) {
					t.Fatalf("unexpected error type %T: %v", err, err)
				}
				continue
			}
			got, ok := mlregistry.MetadataOf(x)
			if !ok {
				t.Fatalf("rebuilt %T carries no metadata", x)
			}
			if md.Hash != "" && (md.Version == 0 || md.Version == got.Version) && got.Hash != md.Hash {
				t.Fatalf("rebuilt with hash %s, document states %s", got.Hash, md.Hash)
			}
			doc, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("rebuilt component's metadata does not write: %v", err)
			}
			var back mlregistry.Metadata
			if err := json.Unmarshal(doc, &back); err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			y, err := rebuild(back)
			if err != nil {
				t.Fatalf("%s does not rebuild: %v", doc, err)
			}
			if h, _ := mlregistry.HashOf(y); h != got.Hash {
				t.Fatalf("second rebuild hash %s, want %s", h, got.Hash)
			}
		}
	})
}

// TestWriteFuzzCorpus writes the seed corpus files; run it with
// MLREGISTRY_WRITE_CORPUS=1 after changing the seeds.
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("MLREGISTRY_WRITE_CORPUS") == "" {
		t.Skip("set MLREGISTRY_WRITE_CORPUS=1 to rewrite testdata/fuzz")
	}
	for _, target := range []string{"FuzzUnmarshal", "FuzzRebuild"} {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, doc := range seedDocuments(t) {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(doc)))
			if err := os.WriteFile(filepath.Join(dir, "seed_"+name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
