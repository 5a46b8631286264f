package mlregistry

import (
	"encoding/json"
	"math"
	"os"
	"reflect"
	"testing"
)

// pyVector is one case of testdata/pycompat-vectors.json, computed with the
// Python library itself.
type pyVector struct {
	Component string `json:"component"`
	Params    []struct {
		Name   string `json:"name"`
		GoType string `json:"go_type"`
		Value  any    `json:"value"`
	} `json:"params"`
	MD5Input string `json:"md5_input"`
	Hash     string `json:"hash"`
}

type pyModel struct{ x, y, z, t any }
type pyEmpty struct{ _ byte }
type pyInner struct{ k int }
type pyOuter struct{ inner, other any }

// TestPyCompatVectors rebuilds every reference vector in Go and checks both
// the exact string hashed and the hash.
func TestPyCompatVectors(t *testing.T) {
	data, err := os.ReadFile("testdata/pycompat-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Vectors []pyVector `json:"vectors"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Vectors) < 8 {
		t.Fatalf("want at least 8 vectors, got %d", len(file.Vectors))
	}
	py := HashScheme(PyCompat)
	reg := New[any](py)
	newModel := Register(reg, func(x int, y float64, z string, t string) *pyModel { return &pyModel{x, y, z, t} },
		Name("Model"), Params("x", "y", "z", "t"), Defaults(Kwargs{"t": "5"}))
	// A second registry holds a Model declaring its parameters as z, y, x.
	newZYX := Register(New[any](py), func(z string, y float64, x int) *pyModel { return &pyModel{x, y, z, nil} },
		Name("Model"), Params("z", "y", "x"))
	newPerceptron := Register(reg, func(in, out int) *pyModel { return &pyModel{in, out, nil, nil} },
		Name("Perceptron"), Params("input_size", "output_size"))
	newReLU := Register(reg, func() *pyEmpty { return &pyEmpty{} }, Name("ReLU"))
	newEmpty := Register(reg, func() *pyEmpty { return &pyEmpty{} }, Name("Empty"))
	newInner := Register(reg, func(k int) *pyInner { return &pyInner{k} }, Name("Inner"), Params("k"))
	newOuter := Register(reg, func(inner, other any) *pyOuter { return &pyOuter{inner, other} }, Name("Outer"), Params("inner", "other"))
	newMLP := Register(reg, func(in, hidden, out int, dropout float64, act any) *pyModel { return &pyModel{in, hidden, out, act} },
		Name("MLP"), Params("input_size", "hidden_size", "output_size", "dropout", "activation"))
	newAdam := Register(reg, func(params []float64, lr float64) *pyModel { return &pyModel{params, lr, nil, nil} },
		Name("Adam"), Params("params", "lr"), ExcludePositions(0))
	newLinear := Register(reg, func(in, out int) *pyModel { return &pyModel{in, out, nil, nil} },
		Name("Linear"), Params("in_features", "out_features"))

	// built maps each vector, in file order, to the Go instance that must
	// reproduce it. The Python original ordered keyword arguments by call
	// order; Go by parameter order, so the vector built as
	// Model(z="3", y=2.0, x=1) is reproduced by a component declaring its
	// parameters in that order (docs/hash.md explains).
	built := []struct {
		md5Input string
		instance any
	}{
		{`Model{"x": 1, "y": 2.0, "z": "3"}`, mustCall(t, reg, "Model", []any{1, 2.0, "3"}, nil)},
		{`Perceptron{"input_size": 10, "output_size": 1}`, newPerceptron(10, 1)},
		{`MLP{"input_size": 784, "hidden_size": 256, "output_size": 10, "dropout": 0.5, "activation": "ReLU"}`, newMLP(784, 256, 10, 0.5, newReLU())},
		{`Outer{"inner": {"name": "Inner", "arguments": {"k": 3}}, "other": "Empty"}`, newOuter(newInner(3), newEmpty())},
		{`Model{"x": 1, "y": 2.0, "z": "3", "t": "5"}`, newModel(1, 2.0, "3", "5")},
		{`Adam{"lr": 0.001}`, newAdam([]float64{1, 2}, 0.001)},
		{`Linear{"in_features": 3, "out_features": 4}`, newLinear(3, 4)},
		{`Model{"z": "3", "y": 2.0, "x": 1}`, newZYX("3", 2.0, 1)},
	}
	for i, v := range file.Vectors {
		if i >= len(built) {
			t.Errorf("vector %d (%s) has no Go case", i, v.MD5Input)
			continue
		}
		b := built[i]
		if b.md5Input != v.MD5Input {
			t.Errorf("vector %d: test table out of step with the file: %q vs %q", i, b.md5Input, v.MD5Input)
			continue
		}
		rec := recordOf(b.instance)
		got := rec.c.name + string(appendPyArguments(nil, rec))
		if got != v.MD5Input {
			t.Errorf("vector %d: hashed %q, the original hashed %q", i, got, v.MD5Input)
		}
		h, _ := HashOf(b.instance)
		if h != v.Hash {
			t.Errorf("vector %d (%s): hash %s, the original's %s", i, v.MD5Input, h, v.Hash)
		}
	}
}

func mustCall(t *testing.T, reg *Registry[any], name string, args []any, kw Kwargs) any {
	t.Helper()
	x, err := reg.Call(name, args, kw)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestPyFloatRepr(t *testing.T) {
	cases := []struct {
		in   float64
		bits int
		want string
	}{
		{2.0, 64, "2.0"}, {0.001, 64, "0.001"}, {1e-05, 64, "1e-05"}, {1000000.0, 64, "1000000.0"},
		{1e16, 64, "1e+16"}, {1.5e16, 64, "1.5e+16"}, {0.0001, 64, "0.0001"}, {0.5, 64, "0.5"},
		{9999999999999998.0, 64, "9999999999999998.0"}, {123456789.125, 64, "123456789.125"},
		{negZero(), 64, "-0.0"}, {0, 64, "0.0"}, {1e22, 64, "1e+22"}, {5e-324, 64, "5e-324"},
		{0.1, 64, "0.1"}, {100, 64, "100.0"}, {-2.5e-7, 64, "-2.5e-07"}, {1.7976931348623157e308, 64, "1.7976931348623157e+308"},
		{float64(float32(0.1)), 32, "0.1"}, {1e-4 * 0.99, 64, "9.9e-05"},
	}
	for _, c := range cases {
		if got := string(appendPyFloat(nil, c.in, c.bits)); got != c.want {
			t.Errorf("appendPyFloat(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

func negZero() float64 { return math.Copysign(0, -1) }

func TestPyString(t *testing.T) {
	cases := map[string]string{
		"plain":         `"plain"`,
		"é":             `"\u00e9"`,
		"😀":             `"\ud83d\ude00"`,
		"\x7f\x01":      `"\u007f\u0001"`,
		"<a&b>":         `"<a&b>"`,
		"q\"b\\n\n\t\r": `"q\"b\\n\n\t\r"`,
		"\b\f":          `"\b\f"`,
		"\u2028":        `"\u2028"`,
	}
	for in, want := range cases {
		if got := string(appendPyString(nil, in)); got != want {
			t.Errorf("appendPyString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestPyValues(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{[]int{1, 2, 3}, "[1, 2, 3]"},
		{[]float64{}, "[]"},
		{map[string]int{"b": 2, "a": 1}, `{"a": 1, "b": 2}`},
		{true, "true"}, {nil, "null"},
		{uint64(18446744073709551615), "18446744073709551615"},
		{int64(-9223372036854775808), "-9223372036854775808"},
		{[2]bool{true, false}, "[true, false]"},
	}
	for _, c := range cases {
		if got := string(appendPyValue(nil, reflect.ValueOf(c.in), 0)); got != c.want {
			t.Errorf("appendPyValue(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}
