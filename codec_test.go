package mlregistry_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry"
)

// holder is a component with one parameter of type T.
type holder[T any] struct{ V T }

type plainConfig struct {
	A int       `json:"a"`
	B string    `json:"b"`
	C []float64 `json:"c"`
	D *uint8    `json:"d"`
	E [2]bool
}

// roundTrip builds a holder of v, writes its metadata, reads it back,
// rebuilds it, and checks hash, arguments and the document's bytes.
func roundTrip[T any](t *testing.T, v T, scheme mlregistry.Scheme) {
	t.Helper()
	reg := mlregistry.New[any](mlregistry.Kind("thing"))
	newHolder := mlregistry.Register(reg, func(v T) *holder[T] { return &holder[T]{V: v} },
		mlregistry.Name("Holder"), mlregistry.Params("v"), mlregistry.HashScheme(scheme))
	x := newHolder(v)
	data := mustJSON(t, x)
	md := mustDecode(t, data)
	again, err := json.Marshal(md)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Errorf("decoded document writes differently:\n got %s\nwant %s", again, data)
	}
	y, err := reg.Rebuild(md, nil)
	if err != nil {
		t.Fatalf("rebuild %s: %v", data, err)
	}
	if got, want := hashOf(t, y), hashOf(t, x); got != want {
		t.Errorf("hash %s, want %s; document %s", got, want, data)
	}
	if got := y.(*holder[T]).V; !reflect.DeepEqual(got, v) {
		t.Errorf("rebuilt value %#v, want %#v", got, v)
	}
	if rebuilt := mustJSON(t, y); !bytes.Equal(rebuilt, data) {
		t.Errorf("rebuilt instance's document differs:\n got %s\nwant %s", rebuilt, data)
	}
}

func ptr[T any](v T) *T { return &v }

func TestRoundTripValues(t *testing.T) {
	u8 := uint8(7)
	cases := []struct {
		name string
		run  func(*testing.T, mlregistry.Scheme)
	}{
		{"int zero", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, 0, s) }},
		{"int64 max", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, int64(math.MaxInt64), s) }},
		{"int64 min", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, int64(math.MinInt64), s) }},
		{"int8 min", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, int8(math.MinInt8), s) }},
		{"int16 max", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, int16(math.MaxInt16), s) }},
		{"int32 min", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, int32(math.MinInt32), s) }},
		{"uint8 max", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, uint8(math.MaxUint8), s) }},
		{"uint32 max", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, uint32(math.MaxUint32), s) }},
		{"uint64 max", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, uint64(math.MaxUint64), s) }},
		{"uint", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, uint(12), s) }},
		{"duration", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, 1500*time.Millisecond, s) }},
		{"float64 tenth", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, 0.1, s) }},
		{"float64 whole", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, 784.0, s) }},
		{"float64 negative zero", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, math.Copysign(0, -1), s) }},
		{"float64 max", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, math.MaxFloat64, s) }},
		{"float64 smallest", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, math.SmallestNonzeroFloat64, s) }},
		{"float64 1e21", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, 1e21, s) }},
		{"float64 1e-7", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, 1e-7, s) }},
		{"float32 tenth", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, float32(0.1), s) }},
		{"float32 max", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, float32(math.MaxFloat32), s) }},
		{"string empty", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, "", s) }},
		{"string unicode", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, "héllo wörld — 日本語", s) }},
		{"string non-BMP", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, "𝄞 😀 \U0010FFFF", s) }},
		{"string escapes", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, "\x00\x1f\n\t\"\\ <>& \u2028\u2029 \x7f", s) }},
		{"bool", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, true, s) }},
		{"nil slice", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, []int(nil), s) }},
		{"empty slice", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, []int{}, s) }},
		{"slice", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, []int{784, 256, -10}, s) }},
		{"byte slice", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, []byte("abc"), s) }},
		{"nested slices", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, [][]string{{"a"}, nil, {}}, s) }},
		{"float slice", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, []float64{0.9, 0.999, 1e-8}, s) }},
		{"array", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, [3]int{1, 2, 3}, s) }},
		{"map", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, map[string]int{"b": 2, "a": 1, "": 0}, s) }},
		{"nil map", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, map[string]int(nil), s) }},
		{"int-keyed map", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, map[int]string{-1: "x", 10: "y", 2: "z"}, s) }},
		{"uint64-keyed map", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, map[uint64]bool{math.MaxUint64: true}, s) }},
		{"struct", func(t *testing.T, s mlregistry.Scheme) {
			roundTrip(t, plainConfig{A: -3, B: "𝄞", C: []float64{0.5}, D: &u8, E: [2]bool{true, false}}, s)
		}},
		{"zero struct", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, plainConfig{}, s) }},
		{"pointer", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, ptr(42), s) }},
		{"nil pointer", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, (*int)(nil), s) }},
		{"pointer to struct", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, &plainConfig{A: 1}, s) }},
		{"any int", func(t *testing.T, s mlregistry.Scheme) { roundTrip[any](t, int64(5), s) }},
		{"any float", func(t *testing.T, s mlregistry.Scheme) { roundTrip[any](t, 2.0, s) }},
		{"any negative zero", func(t *testing.T, s mlregistry.Scheme) { roundTrip[any](t, math.Copysign(0, -1), s) }},
		{"any uint64 max", func(t *testing.T, s mlregistry.Scheme) { roundTrip[any](t, uint64(math.MaxUint64), s) }},
		{"any string", func(t *testing.T, s mlregistry.Scheme) { roundTrip[any](t, "𝄞", s) }},
		{"any nil", func(t *testing.T, s mlregistry.Scheme) { roundTrip[any](t, nil, s) }},
		{"any list", func(t *testing.T, s mlregistry.Scheme) { roundTrip[any](t, []any{int64(1), "x", 2.5, nil, true}, s) }},
		{"any map", func(t *testing.T, s mlregistry.Scheme) {
			roundTrip[any](t, map[string]any{"lr": 0.001, "steps": int64(10), "tags": []any{"a"}}, s)
		}},
		{"slice of any", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, []any{int64(3), 0.5, "s"}, s) }},
		{"map of any", func(t *testing.T, s mlregistry.Scheme) { roundTrip(t, map[string]any{"k": []any{int64(1)}}, s) }},
	}
	for _, scheme := range []mlregistry.Scheme{mlregistry.CanonicalV1, mlregistry.PyCompat} {
		for _, c := range cases {
			t.Run(scheme.String()+"/"+c.name, func(t *testing.T) { c.run(t, scheme) })
		}
	}
}

// A PyCompat hash depends on which arguments were given by position and
// which by name; the document keeps both, so the hash survives.
func TestRoundTripGivenArguments(t *testing.T) {
	for _, scheme := range []mlregistry.Scheme{mlregistry.CanonicalV1, mlregistry.PyCompat} {
		reg := mlregistry.New[any](mlregistry.HashScheme(scheme), mlregistry.ExcludePositions(1))
		mlregistry.Register(reg, func(a int, rt []int, b float64, c string, d bool) *holder[int] { return &holder[int]{a} },
			mlregistry.Name("P"), mlregistry.Params("a", "rt", "b", "c", "d"),
			mlregistry.Defaults(mlregistry.Kwargs{"b": 0.5, "c": "x", "d": true, "rt": []int(nil)}))
		calls := []struct {
			args []any
			kw   mlregistry.Kwargs
		}{
			{[]any{1}, nil},
			{[]any{1, []int{9}, 0.25}, mlregistry.Kwargs{"d": false}},
			{nil, mlregistry.Kwargs{"a": 1, "c": "y"}},
			{[]any{1, nil, 0.5, "x", true}, nil},
		}
		for _, call := range calls {
			x, err := reg.Call("P", call.args, call.kw)
			if err != nil {
				t.Fatal(err)
			}
			data := mustJSON(t, x)
			y, err := reg.Rebuild(mustDecode(t, data), mlregistry.Kwargs{"rt": []int{1}})
			if err != nil {
				t.Fatalf("%s: %v", data, err)
			}
			if hashOf(t, y) != hashOf(t, x) {
				t.Errorf("%s: %s: hash changed", scheme, data)
			}
			if got := mustJSON(t, y); !bytes.Equal(got, data) {
				t.Errorf("%s: document changed:\n got %s\nwant %s", scheme, got, data)
			}
		}
	}
}

func TestMarshalEnvelope(t *testing.T) {
	r := newTestRepo(t)
	d, err := r.dense(784, 10, r.leaky(0.2), false)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(mustJSON(t, d), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "kind", "name", "hash", "scheme", "version", "args", "kwargs", "arguments", "signature"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("envelope lacks %q: %v", k, doc)
		}
	}
	if doc["format"] != mlregistry.Format || doc["kind"] != "model" || doc["name"] != "Dense" || doc["scheme"] != "canonical/v1" {
		t.Errorf("envelope: %v", doc)
	}
	act := doc["args"].([]any)[2].(map[string]any)
	if act["name"] != "LeakyReLU" || act["format"] != mlregistry.Format {
		t.Errorf("nested envelope: %v", act)
	}
	// The second occurrence, in arguments, is a reference.
	ref := doc["arguments"].(map[string]any)["activation"].(map[string]any)
	if ref["ref"] != true || ref["hash"] != act["hash"] {
		t.Errorf("second occurrence is not a reference: %v", ref)
	}
	sig := doc["signature"].([]any)
	if got := sig[3].(map[string]any); got["name"] != "bias" || got["type"] != "bool" || got["default"] != true {
		t.Errorf("signature entry: %v", got)
	}
}

// Excluded parameters are never written, not even their defaults.
func TestMarshalLeavesOutExcluded(t *testing.T) {
	r := newTestRepo(t)
	data := mustJSON(t, r.sgd([]float64{1, 2, 3}, 0.1, 0.9))
	if bytes.Contains(data, []byte("[1,2,3]")) || bytes.Contains(data, []byte("1.0,2.0")) {
		t.Errorf("runtime parameters written: %s", data)
	}
	if !bytes.Contains(data, []byte(`{"name":"params","type":"[]float64","excluded":true}`)) {
		t.Errorf("excluded parameter not flagged: %s", data)
	}
	if !bytes.Contains(data, []byte(`"args":[0.1,0.9]`)) {
		t.Errorf("args: %s", data)
	}
}

func TestMarshalRefusesLossyValues(t *testing.T) {
	type pair struct{ A int }
	cases := []struct {
		name string
		v    any
		want string
	}{
		{"uint under any", uint8(3), "signed integer"},
		{"float32 under any", float32(0.5), "float64"},
		{"struct under any", pair{1}, "struct"},
		{"int-keyed map under any", map[int]int{1: 1}, "string keys"},
		{"nested uint under any", []any{uint16(1)}, "signed integer"},
		{"format collision", map[string]any{"format": "mlregistry/v1"}, "envelope"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg := mlregistry.New[any]()
			f := mlregistry.Register(reg, func(v any) *holder[any] { return &holder[any]{v} }, mlregistry.Name("H"), mlregistry.Params("v"))
			md, _ := mlregistry.MetadataOf(f(c.v))
			_, err := json.Marshal(md)
			var me *mlregistry.MarshalError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(me.Path, "args[0]") {
				t.Errorf("got %v, want a *MarshalError at args[0] mentioning %q", err, c.want)
			}
		})
	}
	t.Run("bool-keyed map", func(t *testing.T) {
		reg := mlregistry.New[any]()
		f := mlregistry.Register(reg, func(v map[bool]int) *holder[int] { return &holder[int]{} }, mlregistry.Name("H"), mlregistry.Params("v"))
		md, _ := mlregistry.MetadataOf(f(map[bool]int{true: 1}))
		if _, err := json.Marshal(md); err == nil || !strings.Contains(err.Error(), "bool keys") {
			t.Errorf("got %v", err)
		}
	})
}

func TestUnmarshalRefuses(t *testing.T) {
	const h = `"hash":"0123456789abcdef0123456789abcdef"`
	cases := []struct {
		name, doc string
		paths     []string
	}{
		{"not an object", `[1]`, []string{""}},
		{"not JSON", `{"format":`, []string{""}},
		{"trailing data", `{"format":"mlregistry/v1","name":"X"} {}`, []string{""}},
		{"missing format and name", `{}`, []string{"format", "name"}},
		{"unknown format", `{"format":"mlregistry/v9","name":"X"}`, []string{"format"}},
		{"unknown member", `{"format":"mlregistry/v1","name":"X","nmae":1,"kwarg":{}}`, []string{"kwarg", "nmae"}},
		{"bad hash", `{"format":"mlregistry/v1","name":"X","hash":"ABC"}`, []string{"hash"}},
		{"bad scheme", `{"format":"mlregistry/v1","name":"X",` + h + `,"scheme":"md5"}`, []string{"scheme"}},
		{"bad version", `{"format":"mlregistry/v1","name":"X","version":0}`, []string{"version"}},
		{"wrong types", `{"format":"mlregistry/v1","name":7,"args":{},"kwargs":[],"arguments":1,"signature":{}}`,
			[]string{"name", "args", "kwargs", "arguments", "signature"}},
		{"bad signature", `{"format":"mlregistry/v1","name":"X","signature":[{"name":"a"},{"name":"a","type":"int","excluded":1,"x":0},3]}`,
			[]string{"signature[0].type", "signature[1].excluded", "signature[1].name", "signature[1].x", "signature[2]"}},
		{"dangling reference", `{"format":"mlregistry/v1","name":"X","args":[{"format":"mlregistry/v1","name":"Y",` + h + `,"ref":true}]}`,
			[]string{"args[0]"}},
		{"top-level reference", `{"format":"mlregistry/v1","name":"X",` + h + `,"ref":true}`, []string{"ref"}},
		{"defined twice", `{"format":"mlregistry/v1","name":"X","args":[{"format":"mlregistry/v1","name":"Y",` + h + `},{"format":"mlregistry/v1","name":"Y",` + h + `}]}`,
			[]string{"args[1]"}},
		{"bad nested envelope", `{"format":"mlregistry/v1","name":"X","kwargs":{"act":{"format":"mlregistry/v1","kind":1}}}`,
			[]string{"kwargs.act.kind", "kwargs.act.name"}},
		{"long number", `{"format":"mlregistry/v1","name":"X","args":[` + strings.Repeat("9", 200) + `]}`, []string{"args[0]"}},
		{"deep value", `{"format":"mlregistry/v1","name":"X","args":[` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `]}`,
			[]string{strings.Repeat("[0]", 65)}},
		{"deep document", strings.Repeat("[", 300) + strings.Repeat("]", 300), []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var md mlregistry.Metadata
			err := json.Unmarshal([]byte(c.doc), &md)
			var ve *mlregistry.ValidationError
			if !errors.As(err, &ve) {
				// encoding/json checks syntax before UnmarshalJSON runs.
				var se *json.SyntaxError
				if c.paths[0] == "" && errors.As(err, &se) {
					return
				}
				t.Fatalf("got %v, want a *ValidationError", err)
			}
			if !errors.Is(err, mlregistry.ErrInvalid) {
				t.Errorf("error does not match ErrInvalid")
			}
			got := map[string]bool{}
			for _, p := range ve.Problems {
				got[strings.TrimPrefix(p.Path, "args[0]")] = true
				got[p.Path] = true
			}
			for _, p := range c.paths {
				if !got[p] {
					t.Errorf("no problem at %q; got %v", p, err)
				}
			}
		})
	}
}

func TestUnmarshalDirectCall(t *testing.T) {
	var md mlregistry.Metadata
	big := append([]byte(`{"format":"mlregistry/v1","name":"X","args":["`), bytes.Repeat([]byte("a"), 1<<20)...)
	big = append(big, `"]}`...)
	if err := md.UnmarshalJSON(big); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("oversized document: %v", err)
	}
	if err := md.UnmarshalJSON([]byte(`{"format":"mlregistry/v1","name":"X"} x`)); err == nil {
		t.Errorf("trailing data accepted")
	}
	if err := md.UnmarshalJSON([]byte(`{"format":"mlregistry/v1","name":"X","args":[1.50,-0]}`)); err != nil {
		t.Fatal(err)
	}
	if md.Args[0] != json.Number("1.50") || md.Args[1] != json.Number("-0") {
		t.Errorf("numbers not kept exactly: %#v", md.Args)
	}
}

// A reference decodes to metadata equal to the full definition, whatever
// the order in which the decoder meets them.
func TestUnmarshalReference(t *testing.T) {
	r := newTestRepo(t)
	act := r.leaky(0.3)
	s := r.stack([]Net{act, act, r.leaky(0.3)})
	md := mustDecode(t, mustJSON(t, s))
	layers := md.Args[0].([]any)
	a, b := layers[0].(*mlregistry.Metadata), layers[1].(*mlregistry.Metadata)
	if !reflect.DeepEqual(a, b) || a.Name != "LeakyReLU" || len(b.Args) != 1 {
		t.Errorf("reference not resolved: %+v vs %+v", a, b)
	}
}

func ExampleMetadata_MarshalJSON() {
	optimizers := mlregistry.New[Opt](mlregistry.Kind("optimizer"), mlregistry.ExcludePositions(0))
	newSGD := mlregistry.Register(optimizers, func(params []float64, lr, momentum float64) *SGD { return &SGD{params, lr, momentum} },
		mlregistry.Params("params", "lr", "momentum"), mlregistry.Defaults(mlregistry.Kwargs{"momentum": 0.0}))

	sgd := newSGD([]float64{0.1, 0.2}, 1e-3, 0.9) // params: a runtime input, never written
	metadata, _ := mlregistry.MetadataOf(sgd)
	document, err := json.MarshalIndent(metadata, "", "  ")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(document))
	// Output:
	// {
	//   "format": "mlregistry/v1",
	//   "kind": "optimizer",
	//   "name": "SGD",
	//   "hash": "5bbb12c9177f38a4ad077aa747069dc3",
	//   "scheme": "canonical/v1",
	//   "version": 1,
	//   "args": [
	//     0.001,
	//     0.9
	//   ],
	//   "kwargs": {},
	//   "arguments": {
	//     "lr": 0.001,
	//     "momentum": 0.9
	//   },
	//   "signature": [
	//     {
	//       "name": "params",
	//       "type": "[]float64",
	//       "excluded": true
	//     },
	//     {
	//       "name": "lr",
	//       "type": "float64"
	//     },
	//     {
	//       "name": "momentum",
	//       "type": "float64",
	//       "default": 0.0
	//     }
	//   ]
	// }
}

func TestSignatureJSON(t *testing.T) {
	r := newTestRepo(t)
	sig, _ := r.optimizers.Signature("SGD")
	data, err := json.Marshal(sig)
	if err != nil {
		t.Fatal(err)
	}
	const want = `[{"name":"params","type":"[]float64","excluded":true},{"name":"lr","type":"float64"},{"name":"momentum","type":"float64","default":0.0}]`
	if string(data) != want {
		t.Errorf("got %s\nwant %s", data, want)
	}
	var back mlregistry.Signature
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.String() != sig.String() || back.Len() != 3 {
		t.Errorf("read back %v, want %v", back, sig)
	}
	if p, _ := back.Lookup("momentum"); !p.HasDefault || p.Default != json.Number("0.0") || p.TypeName != "float64" || p.Type != nil {
		t.Errorf("momentum: %+v", p)
	}
	if err := json.Unmarshal([]byte(`[{"name":"a"}]`), &back); err == nil {
		t.Errorf("parameter without a type accepted")
	}
}
