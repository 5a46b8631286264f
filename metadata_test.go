package mlregistry_test

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/mlregistry/mlregistry"
)

type opt struct {
	params []float64
	lr     float64
	betas  []float64
}

func optimizerRegistry(t testing.TB) *mlregistry.Registry[*opt] {
	t.Helper()
	r := mlregistry.New[*opt](mlregistry.Kind("optimizer"), mlregistry.ExcludePositions(0), mlregistry.ExcludeParams("params"))
	mlregistry.Register(r, func(params []float64, lr float64, betas []float64) *opt { return &opt{params, lr, betas} },
		mlregistry.Name("Adam"), mlregistry.Params("params", "lr", "betas"),
		mlregistry.Defaults(mlregistry.Kwargs{"lr": 1e-3, "betas": []float64{0.9, 0.999}}))
	return r
}

var hexHash = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestHashIdentity checks that equal effective arguments give equal hashes,
// however they were passed, and that any difference moves the hash.
func TestHashIdentity(t *testing.T) {
	r := optimizerRegistry(t)
	hash := func(args []any, kw mlregistry.Kwargs) string {
		t.Helper()
		x, err := r.Call("Adam", args, kw)
		if err != nil {
			t.Fatal(err)
		}
		h, ok := mlregistry.HashOf(x)
		if !ok || !hexHash.MatchString(h) {
			t.Fatalf("HashOf = %q, %v", h, ok)
		}
		return h
	}
	base := hash([]any{[]float64{1}, 1e-3, []float64{0.9, 0.999}}, nil)
	same := map[string]string{
		"by name":               hash(nil, mlregistry.Kwargs{"params": []float64{1}, "lr": 1e-3, "betas": []float64{0.9, 0.999}}),
		"defaults omitted":      hash([]any{[]float64{1}}, nil),
		"mixed":                 hash([]any{[]float64{1}}, mlregistry.Kwargs{"betas": []any{0.9, 0.999}}),
		"other excluded value":  hash([]any{[]float64{5, 6, 7}}, nil),
		"excluded by name only": hash(nil, mlregistry.Kwargs{"params": []float64{2}}),
	}
	for what, h := range same {
		if h != base {
			t.Errorf("%s: hash %s, want %s", what, h, base)
		}
	}
	diff := map[string]string{
		"lr":    hash([]any{nil, 1e-2}, nil),
		"betas": hash([]any{nil}, mlregistry.Kwargs{"betas": []float64{0.9, 0.99}}),
	}
	for what, h := range diff {
		if h == base {
			t.Errorf("changing %s did not move the hash", what)
		}
	}
	// Another name, same arguments: another hash.
	mlregistry.Register(r, func(params []float64, lr float64, betas []float64) *opt { return &opt{params, lr, betas} },
		mlregistry.Name("AdamW"), mlregistry.Params("params", "lr", "betas"))
	x, _ := r.Call("AdamW", []any{nil, 1e-3, []float64{0.9, 0.999}}, nil)
	if h, _ := mlregistry.HashOf(x); h == base {
		t.Error("another name gave the same hash")
	}
}

// TestExclusion checks that an excluded parameter stays out of everything,
// whether passed by position or by name.
func TestExclusion(t *testing.T) {
	r := optimizerRegistry(t)
	for _, call := range []struct {
		args []any
		kw   mlregistry.Kwargs
	}{
		{[]any{[]float64{1, 2}, 0.1}, nil},
		{nil, mlregistry.Kwargs{"params": []float64{1, 2}, "lr": 0.1}},
	} {
		x, err := r.Call("Adam", call.args, call.kw)
		if err != nil {
			t.Fatal(err)
		}
		md, _ := mlregistry.MetadataOf(x)
		if _, ok := md.Arguments["params"]; ok {
			t.Errorf("params in Arguments: %v", md.Arguments)
		}
		if _, ok := md.Kwargs["params"]; ok {
			t.Errorf("params in Kwargs: %v", md.Kwargs)
		}
		for _, a := range md.Args {
			if _, ok := a.([]float64); ok {
				t.Errorf("params in Args: %v", md.Args)
			}
		}
		if got := md.Signature.String(); got != "{lr: float64, betas: []float64}" {
			t.Errorf("Signature = %s", got)
		}
		if len(x.params) != 2 {
			t.Errorf("the constructor did not get params: %v", x.params)
		}
	}
}

// TestMetadataIsSnapshot checks that changing what MetadataOf returned, or
// the caller's own slices, changes nothing inside.
func TestMetadataIsSnapshot(t *testing.T) {
	r := optimizerRegistry(t)
	betas := []float64{0.9, 0.999}
	newAdam, _ := r.Get("Adam")
	x, _ := newAdam.Call([]any{nil, 0.1, betas}, nil)
	h1, _ := mlregistry.HashOf(x)
	betas[0] = 0.5 // the caller's slice
	md, _ := mlregistry.MetadataOf(x)
	md.Arguments["lr"] = 99.0
	md.Args[0] = 42
	md.Arguments["betas"].([]float64)[1] = 0
	md2, _ := mlregistry.MetadataOf(x)
	if md2.Arguments["lr"] != 0.1 || md2.Args[0] != 0.1 || md2.Arguments["betas"].([]float64)[0] != 0.9 || md2.Arguments["betas"].([]float64)[1] != 0.999 {
		t.Errorf("metadata changed: %v %v", md2.Args, md2.Arguments)
	}
	if h2, _ := mlregistry.HashOf(x); h2 != h1 || md2.Hash != h1 {
		t.Errorf("hash moved: %s → %s", h1, h2)
	}
}

// TestMetadataOfScalarsIsSnapshot checks the snapshot MetadataOf keeps
// for a component of numbers, bools and strings only: every call gets
// its own slice and maps, so that changing one changes neither the next
// nor one taken before.
func TestMetadataOfScalarsIsSnapshot(t *testing.T) {
	r := mlregistry.New[any]()
	type scalars struct{ mlregistry.Tracked }
	newScalars := mlregistry.Register(r, func(n int, p float64, name string, on bool) *scalars { return &scalars{} },
		mlregistry.Params("n", "p", "name", "on"), mlregistry.Defaults(mlregistry.Kwargs{"on": true}))
	c, _ := r.Get("scalars")
	x, err := c.Call([]any{3, 0.5}, mlregistry.Kwargs{"name": "relu"})
	if err != nil {
		t.Fatal(err)
	}
	want := func() mlregistry.Metadata {
		md, _ := mlregistry.MetadataOf(x)
		return md
	}
	first := want()
	before := want()
	before.Args[0] = 42
	before.Args = append(before.Args, "extra")
	before.Kwargs["name"] = "tanh"
	before.Kwargs["new"] = 1
	before.Arguments["p"] = 99.0
	delete(before.Arguments, "n")
	after := want()
	for _, md := range []mlregistry.Metadata{first, after} {
		if !reflect.DeepEqual(md.Args, []any{3, 0.5}) || !reflect.DeepEqual(md.Kwargs, mlregistry.Kwargs{"name": "relu"}) ||
			!reflect.DeepEqual(md.Arguments, mlregistry.Kwargs{"n": 3, "p": 0.5, "name": "relu", "on": true}) {
			t.Errorf("a change to one snapshot reached another: %v %v %v", md.Args, md.Kwargs, md.Arguments)
		}
	}
	if h, _ := mlregistry.HashOf(x); after.Hash != h || after.Name != "scalars" {
		t.Errorf("snapshot's hash %s, name %s; HashOf says %s", after.Hash, after.Name, h)
	}
	if md, _ := mlregistry.MetadataOf(newScalars(3, 0.5, "relu", true)); !reflect.DeepEqual(md.Arguments, first.Arguments) {
		t.Errorf("a direct call records %v, Call %v", md.Arguments, first.Arguments)
	}
}

type trackedModel struct {
	mlregistry.Tracked
	size int
}

// TestUntracked checks that MetadataOf says false, never panics, for what
// was not built through a registry.
func TestUntracked(t *testing.T) {
	var nilPtr *counter
	for _, x := range []any{nil, 42, "s", counter{}, &counter{}, nilPtr, &trackedModel{}, []int{1}, func() {}} {
		if _, ok := mlregistry.MetadataOf(x); ok {
			t.Errorf("MetadataOf(%#v) = true", x)
		}
		if _, ok := mlregistry.HashOf(x); ok {
			t.Errorf("HashOf(%#v) = true", x)
		}
		if _, ok := mlregistry.SignatureOf(x); ok {
			t.Errorf("SignatureOf(%#v) = true", x)
		}
	}
}

// TestTrackedFastPath checks that a type embedding Tracked carries its own
// metadata, and that both paths hash alike.
func TestTrackedFastPath(t *testing.T) {
	r := mlregistry.New[any]()
	newTracked := mlregistry.Register(r, func(size int) *trackedModel { return &trackedModel{size: size} },
		mlregistry.Name("M"), mlregistry.Params("size"))
	newPlain := mlregistry.Register(mlregistry.New[any](), func(size int) *counter { return &counter{size} },
		mlregistry.Name("M"), mlregistry.Params("size"))
	a, b := newTracked(3), newPlain(3)
	ha, okA := mlregistry.HashOf(a)
	hb, okB := mlregistry.HashOf(b)
	if !okA || !okB || ha != hb {
		t.Errorf("hashes %s %v, %s %v", ha, okA, hb, okB)
	}
	md, _ := mlregistry.MetadataOf(a)
	if md.Name != "M" || md.Arguments["size"] != 3 {
		t.Errorf("metadata %+v", md)
	}
}

// TestNestedComponentHash checks the Merkle composition: a parent's hash
// moves when anything below it changes.
func TestNestedComponentHash(t *testing.T) {
	r := mlregistry.New[any]()
	newLeaf := mlregistry.Register(r, func(k int) *counter { return &counter{k} }, mlregistry.Name("Leaf"), mlregistry.Params("k"))
	newParent := mlregistry.Register(r, func(children []any) *opt { return &opt{} }, mlregistry.Name("Parent"), mlregistry.Params("children"))
	h := func(x any) string { s, _ := mlregistry.HashOf(x); return s }
	p1 := newParent([]any{newLeaf(1), newLeaf(2)})
	p2 := newParent([]any{newLeaf(1), newLeaf(2)})
	p3 := newParent([]any{newLeaf(1), newLeaf(3)})
	if h(p1) != h(p2) {
		t.Error("equal trees hash differently")
	}
	if h(p1) == h(p3) {
		t.Error("a changed leaf did not move the parent's hash")
	}
	// An untracked pointer to an opaque struct is refused at construction.
	defer func() {
		if recover() == nil {
			t.Error("an untracked opaque pointer was accepted")
		}
	}()
	newParent([]any{&counter{1}})
}

// TestRefusedAtConstruction checks values with no canonical form.
func TestRefusedAtConstruction(t *testing.T) {
	r := mlregistry.New[any]()
	mlregistry.Register(r, func(x any) (*counter, error) { return &counter{}, nil }, mlregistry.Name("Any"), mlregistry.Params("x"))
	nan := 0.0
	nan = nan / nan
	for _, bad := range []any{make(chan int), func() {}, nan, "\xff", []any{1, make(chan int)}, &counter{}} {
		_, err := r.Call("Any", []any{bad}, nil)
		if err == nil {
			t.Errorf("%#v accepted", bad)
			continue
		}
		if !regexp.MustCompile(`Any: .*x`).MatchString(err.Error()) {
			t.Errorf("error %q does not name the component and parameter", err)
		}
	}
}
