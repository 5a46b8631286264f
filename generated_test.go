package mlregistry_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// TestGeneratedConstructorUsed checks that Register returns the generated
// tracking constructor when mlregistry_gen_x_test.go is built in, and the
// reflection-based one otherwise — and that Params is optional with it.
func TestGeneratedConstructorUsed(t *testing.T) {
	r := mlregistry.New[any]()
	f := mlregistry.Register(r, newBenchTracked, benchParams)
	if isGenerated(f) != withGenerated {
		t.Fatalf("generated constructor: %v, want %v", isGenerated(f), withGenerated)
	}
	if !withGenerated {
		return
	}
	g := mlregistry.New[any]()
	mlregistry.Register(g, newBenchTracked) // no Params: the source names them
	sig, _ := g.Signature("benchTracked")
	if got, want := sig.String(), "{input_size: int, hidden_size: int, output_size: int, p: float64, bias: bool}"; got != want {
		t.Errorf("signature without Params = %s, want %s", got, want)
	}
}

// TestGeneratedSameMetadata checks that a generated tracking constructor
// records what the reflection-based one records: same metadata, same
// hash, on both paths (Tracked and the side table), with an exclusion.
func TestGeneratedSameMetadata(t *testing.T) {
	defaults := mlregistry.Defaults(mlregistry.Kwargs{"p": 0.5, "bias": true})
	for _, c := range []struct {
		name      string
		gen, refl any
		opts      []mlregistry.Option
	}{
		{"side-table", newBenchModel, reflectBenchModel, nil},
		{"fast-path", newBenchTracked, reflectBenchTracked, []mlregistry.Option{defaults}},
		{"excluded", newBenchTracked, reflectBenchTracked, []mlregistry.Option{mlregistry.ExcludePositions(0)}},
	} {
		opts := append([]mlregistry.Option{benchParams}, c.opts...)
		gr, rr := mlregistry.New[any](), mlregistry.New[any]()
		var got, want any
		switch gen := c.gen.(type) {
		case func(int, int, int, float64, bool) *benchModel:
			got = mlregistry.Register(gr, gen, opts...)(784, 256, 10, 0.5, true)
			want = mlregistry.Register(rr, c.refl.(func(int, int, int, float64, bool) *benchModel), opts...)(784, 256, 10, 0.5, true)
		case func(int, int, int, float64, bool) *benchTracked:
			got = mlregistry.Register(gr, gen, opts...)(784, 256, 10, 0.5, true)
			want = mlregistry.Register(rr, c.refl.(func(int, int, int, float64, bool) *benchTracked), opts...)(784, 256, 10, 0.5, true)
		}
		gm, ok1 := mlregistry.MetadataOf(got)
		wm, ok2 := mlregistry.MetadataOf(want)
		if !ok1 || !ok2 {
			t.Fatalf("%s: untracked: generated %v, reflection %v", c.name, ok1, ok2)
		}
		if gm.Hash != wm.Hash || !reflect.DeepEqual(gm.Args, wm.Args) || !reflect.DeepEqual(gm.Kwargs, wm.Kwargs) ||
			!reflect.DeepEqual(gm.Arguments, wm.Arguments) || gm.Signature.String() != wm.Signature.String() {
			t.Errorf("%s: generated %+v\nreflection %+v", c.name, gm, wm)
		}
	}
}

// TestGeneratedParamsDisagree checks that Params contradicting the source
// is a registration error naming both.
func TestGeneratedParamsDisagree(t *testing.T) {
	if !withGenerated {
		t.Skip("built with -tags mlregistry_nogen: Params is not checked against the source")
	}
	wrong := mlregistry.Params("in", "hidden", "out", "p", "bias") // not literal in the call: mlregistry-gen would warn
	_, err := mlregistry.TryRegister(mlregistry.New[any](), newBenchModel, wrong)
	var re *mlregistry.RegistrationError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *RegistrationError", err)
	}
	for _, want := range []string{"[in hidden out p bias]", "[input_size hidden_size output_size p bias]", "newBenchModel", "make Params agree with the source"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// Hand-written announcements of generated constructors, for the
// constructors below, which the tests register through variables so that
// mlregistry-gen leaves them alone. newStale's was written for another
// signature: it is stale.
type staleThing struct{ n int }

func newStale(n, m int) *staleThing { return &staleThing{n + m} }

func newDocumented(size int) *staleThing { return &staleThing{size} }

func newLate(size int) *staleThing { return &staleThing{size} }

var _ = mlregistry.Generate(mlregistry.GeneratedConstructor{
	Func:   "github.com/mlregistry/mlregistry_test.newStale",
	Type:   "func(n int) *staleThing",
	File:   "stale_gen.go",
	Params: []mlregistry.GeneratedParam{{Name: "n"}},
	New:    func(ctor any, _ *mlregistry.Tracker) any { return nil },
})

var _ = mlregistry.Generate(mlregistry.GeneratedConstructor{
	Func:   "github.com/mlregistry/mlregistry_test.newDocumented",
	Type:   "func(size int) *staleThing",
	File:   "documented_gen.go",
	Doc:    "newDocumented builds a thing\nof some size.",
	Params: []mlregistry.GeneratedParam{{Name: "size", Doc: "how big"}},
	New: func(ctor any, t *mlregistry.Tracker) any {
		f, ok := ctor.(func(int) *staleThing)
		if !ok {
			return nil
		}
		return func(size int) *staleThing {
			rec := t.Begin()
			mlregistry.RecordScalar(rec, 0, size)
			if err := t.Check(rec); err != nil {
				panic(err)
			}
			x := f(size)
			if err := mlregistry.Attach(rec, x); err != nil {
				panic(err)
			}
			return x
		}
	},
})

// TestGeneratedStale checks that a generated constructor whose type no
// longer matches is a registration error that says to run go generate.
func TestGeneratedStale(t *testing.T) {
	ctor := newStale // through a variable: mlregistry-gen leaves it alone
	_, err := mlregistry.TryRegister(mlregistry.New[any](), ctor, mlregistry.Params("n", "m"))
	if err == nil {
		t.Fatal("a stale generated constructor was accepted")
	}
	want := "mlregistry_test.newStale is func(int, int) *mlregistry_test.staleThing, but stale_gen.go was generated for func(n int) *staleThing; the generated file is out of date: run go generate in the constructor's package (or build with -tags mlregistry_nogen)"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant it to contain %s", err, want)
	}
}

// staleConfig gained the field B after its constructor was generated for.
type staleConfig struct{ A, B int }

func newFromStaleConfig(c staleConfig) *staleThing { return &staleThing{c.A} }

var _ = mlregistry.Generate(mlregistry.GeneratedConstructor{
	Func:   "github.com/mlregistry/mlregistry_test.newFromStaleConfig",
	Type:   "func(c staleConfig) *staleThing",
	File:   "config_gen.go",
	Params: []mlregistry.GeneratedParam{{Name: "A"}},
	Struct: true,
	New: func(ctor any, _ *mlregistry.Tracker) any {
		f, ok := ctor.(func(staleConfig) *staleThing)
		if !ok {
			return nil
		}
		return f // never called: registration refuses it
	},
})

// TestGeneratedStaleStruct checks that a config struct whose fields
// changed after generation is a registration error that says to run go
// generate.
func TestGeneratedStaleStruct(t *testing.T) {
	ctor := newFromStaleConfig // through a variable: mlregistry-gen leaves it alone
	_, err := mlregistry.TryRegister(mlregistry.New[any](), ctor)
	want := "config struct mlregistry_test.staleConfig has the fields [A B], but config_gen.go was generated for [A]; the generated file is out of date: run go generate"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant it to contain %s", err, want)
	}
}

// TestGeneratedDocs checks that the docs from the source reach the
// component, its signature and its JSON Schema.
func TestGeneratedDocs(t *testing.T) {
	r := mlregistry.New[any](mlregistry.Kind("thing"))
	ctor := newDocumented // through a variable: mlregistry-gen leaves it alone
	mlregistry.Register(r, ctor, mlregistry.Name("Documented"))
	c, _ := r.Get("Documented")
	if c.Doc() != "newDocumented builds a thing\nof some size." {
		t.Errorf("Doc = %q", c.Doc())
	}
	if p, _ := c.Signature().Lookup("size"); p.Doc != "how big" {
		t.Errorf("size's Doc = %q", p.Doc)
	}
	raw, err := r.JSONSchema("Documented")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Description string
		Properties  map[string]struct{ Description string }
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if want := "newDocumented builds a thing\nof some size.\n\nArguments of the thing Documented (version 1): {size: int}"; s.Description != want {
		t.Errorf("schema description = %q, want %q", s.Description, want)
	}
	if s.Properties["size"].Description != "how big" {
		t.Errorf("schema: size's description = %q", s.Properties["size"].Description)
	}
	// Without a generated constructor, no descriptions.
	mlregistry.Register(r, func(size int) *staleThing { return &staleThing{size} }, mlregistry.Name("Plain"), mlregistry.Params("size"))
	raw, _ = r.JSONSchema("Plain")
	if strings.Contains(string(raw), "how big") {
		t.Errorf("a plain component's schema has the generated docs: %s", raw)
	}
}

// TestGeneratedTooLate checks that a generated constructor announced
// after Register already registered its constructor without it is a
// panic at init that explains the file order.
func TestGeneratedTooLate(t *testing.T) {
	ctor := newLate // through a variable: mlregistry-gen leaves it alone
	mlregistry.Register(mlregistry.New[any](), ctor, mlregistry.Params("size"))
	defer func() {
		p := recover()
		msg, _ := p.(string)
		if !strings.Contains(msg, "late_gen.go announces the generated constructor of github.com/mlregistry/mlregistry_test.newLate after Register at ") ||
			!strings.Contains(msg, "generated_test.go:") || !strings.Contains(msg, "file order") {
			t.Errorf("panic = %v, want it to name the file, the Register call and the file order", p)
		}
	}()
	mlregistry.Generate(mlregistry.GeneratedConstructor{Func: "github.com/mlregistry/mlregistry_test.newLate", File: "late_gen.go"})
}

// mlpConstructor is a named func type of NewMLP's signature.
type mlpConstructor func(MLPConfig) (*MLP, error)

// TestGeneratedKinds checks the registrations whose kind differs from the
// generated constructor's, and a named func type.
func TestGeneratedKinds(t *testing.T) {
	r := mlregistry.New[any]()
	// A one-struct constructor registered with Params is positional: the
	// generated config-struct constructor does not serve it.
	positional := mlregistry.Register(r, NewMLP, mlregistry.Params("config"), mlregistry.Name("Positional"))
	if isGenerated(positional) {
		t.Error("a config-struct generated constructor serves a positional registration")
	}
	m, err := positional(MLPConfig{InputSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if md, _ := mlregistry.MetadataOf(m); md.Signature.String() != "{config: mlregistry_test.MLPConfig}" {
		t.Errorf("signature = %s", md.Signature)
	}
	// Through a named func type, the generated constructor, as that type.
	named := mlregistry.Register(r, mlpConstructor(NewMLP), mlregistry.Name("Named"))
	if isGenerated(named) != withGenerated {
		t.Errorf("named func type: generated %v, want %v", isGenerated(named), withGenerated)
	}
	m, err = named(MLPConfig{InputSize: 3, Hidden: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	if md, _ := mlregistry.MetadataOf(m); md.Kwargs["input_size"] != 3 || md.Name != "Named" {
		t.Errorf("metadata = %+v", md)
	}
}

// checked has the parameter kinds a generated constructor checks itself.
type checked struct {
	mlregistry.Tracked
	name string
}

func newChecked(name string, rate float64, n int) (*checked, error) { return &checked{name: name}, nil }

// TestGeneratedRefuses checks that a generated constructor refuses what
// has no canonical form with the reflection-based one's error.
func TestGeneratedRefuses(t *testing.T) {
	params := mlregistry.Params("name", "rate", "n")
	gen := mlregistry.Register(mlregistry.New[any](), newChecked, params)
	refl := mlregistry.Register(mlregistry.New[any](), func(name string, rate float64, n int) (*checked, error) { return newChecked(name, rate, n) }, params)
	inf := math.Inf(1)
	for _, c := range []struct {
		name string
		s    string
		f    float64
		ok   bool
	}{
		{"valid", "relu", 0.5, true},
		{"NaN", "relu", math.NaN(), false},
		{"+Inf", "relu", inf, false},
		{"-Inf", "relu", -inf, false},
		{"invalid UTF-8", "re\xfflu", 0.5, false},
	} {
		_, gerr := gen(c.s, c.f, 1)
		_, rerr := refl(c.s, c.f, 1)
		if (gerr == nil) != c.ok || (rerr == nil) != c.ok {
			t.Errorf("%s: generated %v, reflection %v, want ok=%v", c.name, gerr, rerr, c.ok)
			continue
		}
		if gerr != nil && gerr.Error() != rerr.Error() {
			t.Errorf("%s: generated %q, reflection %q", c.name, gerr, rerr)
		}
		if gerr != nil && !errors.Is(gerr, mlregistry.ErrInvalid) {
			t.Errorf("%s: %v does not match ErrInvalid", c.name, gerr)
		}
	}
}
