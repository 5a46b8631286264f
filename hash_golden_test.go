package mlregistry_test

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"sort"
	"testing"

	"github.com/mlregistry/mlregistry"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/canonical-v1-vectors.json (only for a NEW scheme: v1 hashes must never move)")

type goldenVector struct {
	Case string `json:"case"`
	Hash string `json:"hash"`
}

type box struct{ v any }

type adamConfig struct {
	LR    float64   `json:"lr"`
	Betas []float64 `json:"betas"`
	Eps   float64   `json:"eps"`
}

// goldenCases builds one instance per rule of docs/hash.md.
func goldenCases(t *testing.T) map[string]any {
	t.Helper()
	r := mlregistry.New[any]()
	one := func(name string, ctor any, opts ...mlregistry.Option) func(args ...any) any {
		mlregistry.Register(r, ctor, append(opts, mlregistry.Name(name))...)
		c, _ := r.Get(name)
		return func(args ...any) any {
			x, err := c.Call(args, nil)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return x
		}
	}
	p := mlregistry.Params("x")
	anyX := one("AnyX", func(x any) *box { return &box{x} }, p)
	intX := one("IntX", func(x int) *box { return &box{x} }, p)
	i8 := one("Int8X", func(x int8) *box { return &box{x} }, p)
	i32 := one("Int32X", func(x int32) *box { return &box{x} }, p)
	i64 := one("Int64X", func(x int64) *box { return &box{x} }, p)
	u8 := one("Uint8X", func(x uint8) *box { return &box{x} }, p)
	u64 := one("Uint64X", func(x uint64) *box { return &box{x} }, p)
	f32 := one("Float32X", func(x float32) *box { return &box{x} }, p)
	f64 := one("Float64X", func(x float64) *box { return &box{x} }, p)
	str := one("StringX", func(x string) *box { return &box{x} }, p)
	boo := one("BoolX", func(x bool) *box { return &box{x} }, p)
	pint := one("PtrIntX", func(x *int) *box { return &box{x} }, p)
	ints := one("IntsX", func(x []int) *box { return &box{x} }, p)
	floats := one("FloatsX", func(x []float64) *box { return &box{x} }, p)
	arr := one("ArrayX", func(x [3]int) *box { return &box{x} }, p)
	nested := one("StringsX", func(x [][]string) *box { return &box{x} }, p)
	msi := one("MapX", func(x map[string]int) *box { return &box{x} }, p)
	mis := one("IntMapX", func(x map[int]string) *box { return &box{x} }, p)
	cfg := one("ConfigX", func(x adamConfig) *box { return &box{x} }, p)
	pcfg := one("PtrConfigX", func(x *adamConfig) *box { return &box{x} }, p)
	leaf := one("Leaf", func(k int) *box { return &box{k} }, mlregistry.Params("k"))
	empty := one("Empty", func() *box { return &box{} })
	perceptron := one("Perceptron", func(in, hidden, out int, p float64, bias bool) *box { return &box{} },
		mlregistry.Params("input_size", "hidden_size", "output_size", "p", "bias"),
		mlregistry.Defaults(mlregistry.Kwargs{"p": 0.5, "bias": true}))
	adam := one("Adam", func(params []float64, lr float64, betas [2]float64, eps, wd float64) *box { return &box{} },
		mlregistry.Params("params", "lr", "betas", "eps", "weight_decay"), mlregistry.ExcludePositions(0),
		mlregistry.Defaults(mlregistry.Kwargs{"lr": 1e-3, "betas": []any{0.9, 0.999}, "eps": 1e-8, "weight_decay": 0.0}))
	mlregistry.Register(r, func(c adamConfig) *box { return &box{c} }, mlregistry.Name("AdamConfig"))
	adamCfg := func(kw mlregistry.Kwargs) any {
		x, err := r.Call("AdamConfig", nil, kw)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	negZero := math.Copysign(0, -1)
	seven := 7
	return map[string]any{
		"int 2":                       intX(2),
		"float64 2.0":                 f64(2.0),
		"any holding int 2":           anyX(2),
		"any holding float64 2.0":     anyX(2.0),
		"int8 min":                    i8(int8(math.MinInt8)),
		"int32 max":                   i32(int32(math.MaxInt32)),
		"int64 min":                   i64(int64(math.MinInt64)),
		"int64 max":                   i64(int64(math.MaxInt64)),
		"uint8 max":                   u8(uint8(255)),
		"uint64 max":                  u64(uint64(math.MaxUint64)),
		"float64 0":                   f64(0.0),
		"float64 -0":                  f64(negZero),
		"float64 0.1":                 f64(0.1),
		"float64 1e-300":              f64(1e-300),
		"float64 1e21":                f64(1e21),
		"float64 max":                 f64(math.MaxFloat64),
		"float32 0.1":                 f32(float32(0.1)),
		"string empty":                str(""),
		"string unicode":              str("héllo, 世界 😀"),
		"bool true":                   boo(true),
		"bool false":                  boo(false),
		"any nil":                     anyX(nil),
		"pointer to int 7":            pint(&seven),
		"nil pointer":                 pint(nil),
		"slice of int":                ints([]int{1, 2, 3}),
		"empty slice":                 ints([]int{}),
		"nil slice":                   ints(nil),
		"slice of float64":            floats([]float64{0.5, -1.25, 1e-7}),
		"array of int":                arr([3]int{1, 2, 3}),
		"nested slices of string":     nested([][]string{{"a"}, {}, {"b", "c"}}),
		"map string to int":           msi(map[string]int{"b": 2, "a": 1, "c": 3}),
		"map int to string":           mis(map[int]string{10: "x", -1: "y", 2: "z"}),
		"struct":                      cfg(adamConfig{LR: 1e-3, Betas: []float64{0.9, 0.999}, Eps: 1e-8}),
		"pointer to struct":           pcfg(&adamConfig{LR: 1e-3}),
		"component no arguments":      empty(),
		"component argument":          anyX(leaf(3)),
		"components in slice":         anyX([]any{leaf(1), leaf(2)}),
		"components in map":           anyX(map[string]any{"a": leaf(1), "b": empty()}),
		"component depth 3":           anyX(anyX(anyX(leaf(1)))),
		"perceptron":                  perceptron(784, 256, 10, 0.5, true),
		"perceptron defaults omitted": perceptron(784, 256, 10),
		"adam params excluded":        adam([]float64{1, 2, 3}),
		"adam config struct":          adamCfg(mlregistry.Kwargs{"lr": 1e-3, "betas": []any{0.9, 0.999}, "eps": 1e-8}),
	}
}

// TestCanonicalV1Golden checks every CanonicalV1 hash against the golden
// vectors: a change that moves any of them fails here.
func TestCanonicalV1Golden(t *testing.T) {
	cases := goldenCases(t)
	const file = "testdata/canonical-v1-vectors.json"
	if *updateGolden {
		var out []goldenVector
		for name, x := range cases {
			h, _ := mlregistry.HashOf(x)
			out = append(out, goldenVector{name, h})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Case < out[j].Case })
		data, _ := json.MarshalIndent(out, "", "  ")
		if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var golden []goldenVector
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden) < 30 || len(golden) != len(cases) {
		t.Fatalf("%d golden vectors for %d cases", len(golden), len(cases))
	}
	seen := map[string]string{}
	for _, g := range golden {
		x, ok := cases[g.Case]
		if !ok {
			t.Errorf("golden case %q has no Go case", g.Case)
			continue
		}
		h, _ := mlregistry.HashOf(x)
		if h != g.Hash {
			t.Errorf("%s: hash %s, golden %s — CanonicalV1 moved", g.Case, h, g.Hash)
		}
		if other, dup := seen[h]; dup && !sameByRule(g.Case, other) {
			t.Errorf("%s and %s share hash %s", g.Case, other, h)
		}
		seen[h] = g.Case
	}
}

// sameByRule reports pairs of cases that must hash alike.
func sameByRule(a, b string) bool {
	pair := map[string]string{"perceptron": "perceptron defaults omitted", "perceptron defaults omitted": "perceptron"}
	return pair[a] == b
}
