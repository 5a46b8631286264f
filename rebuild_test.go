package mlregistry_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// A nested pipeline with a shared reference comes back with the same
// hashes, and the shared component is built once.
func TestRebuildNestedShared(t *testing.T) {
	r := newTestRepo(t)
	act := r.leaky(0.2)
	d, err := r.dense(784, 256, act, true)
	if err != nil {
		t.Fatal(err)
	}
	s := r.stack([]Net{act, d, act})
	data := mustJSON(t, s)
	if n := strings.Count(string(data), `"ref":true`); n < 2 {
		t.Errorf("expected references for the shared activation, got %d: %s", n, data)
	}
	got, err := r.models.Rebuild(mustDecode(t, data), nil)
	if err != nil {
		t.Fatal(err)
	}
	if hashOf(t, got) != hashOf(t, s) {
		t.Fatalf("hash changed")
	}
	layers := got.(*Stack).Layers
	if layers[0] != layers[2] || layers[1].(*Dense).Act != layers[0] {
		t.Errorf("shared activation built more than once: %p %p %p", layers[0], layers[2], layers[1].(*Dense).Act)
	}
	if layers[0] == Net(act) {
		t.Errorf("rebuilt from a document, yet the original instance came back")
	}
	if hashOf(t, layers[1]) != hashOf(t, d) {
		t.Errorf("nested hash changed")
	}
}

// A criterion nesting a model is rebuilt through the linked model
// registry.
func TestRebuildAcrossRegistries(t *testing.T) {
	r := newTestRepo(t)
	teacher, _ := r.dense(4, 2, r.leaky(0.1), false)
	crit := r.distil(teacher, 3)
	got, err := r.criterions.Rebuild(mustDecode(t, mustJSON(t, crit)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if hashOf(t, got) != hashOf(t, crit) {
		t.Errorf("hash changed")
	}
	if _, ok := got.(*Distill).Teacher.(*Dense); !ok {
		t.Errorf("teacher is %T", got.(*Distill).Teacher)
	}

	// Without Link, the closed world holds: the model kind is unknown.
	lone := mlregistry.New[Loss](mlregistry.Kind("criterion"))
	mlregistry.Register(lone, func(teacher Net, temperature float64) *Distill { return &Distill{teacher, temperature} },
		mlregistry.Name("Distill"), mlregistry.Params("teacher", "temperature"), mlregistry.Defaults(mlregistry.Kwargs{"temperature": 2.0}))
	_, err = lone.Rebuild(mustDecode(t, mustJSON(t, crit)), nil)
	if !errors.Is(err, mlregistry.ErrNotFound) || !strings.Contains(err.Error(), "args[0].kind") || !strings.Contains(err.Error(), "mlregistry.Link") {
		t.Errorf("unlinked: %v", err)
	}
}

// Metadata straight from MetadataOf, never encoded, rebuilds too; its
// nested components are the instances themselves.
func TestRebuildLiveMetadata(t *testing.T) {
	r := newTestRepo(t)
	act := r.leaky(0.2)
	d, _ := r.dense(3, 4, act, false)
	md, _ := mlregistry.MetadataOf(d)
	got, err := r.models.Rebuild(md, nil)
	if err != nil {
		t.Fatal(err)
	}
	if hashOf(t, got) != hashOf(t, d) || got.(*Dense).Act != Net(act) {
		t.Errorf("live rebuild: %v", got)
	}
}

// Runtime values fill the excluded parameters.
func TestRebuildRuntime(t *testing.T) {
	r := newTestRepo(t)
	o := r.sgd([]float64{1, 2}, 0.1, 0.9)
	md := mustDecode(t, mustJSON(t, o))
	got, err := r.optimizers.Rebuild(md, mlregistry.Kwargs{"params": []float64{3}})
	if err != nil {
		t.Fatal(err)
	}
	if s := got.(*SGD); len(s.Params) != 1 || s.Params[0] != 3 || s.LR != 0.1 || hashOf(t, s) != hashOf(t, o) {
		t.Errorf("rebuilt %+v", s)
	}
	ds := r.digits("/data", false)
	got2, err := r.datasets.Rebuild(mustDecode(t, mustJSON(t, ds)), mlregistry.Kwargs{"root": "/elsewhere"})
	if err != nil {
		t.Fatal(err)
	}
	if d := got2.(*Digits); d.Root != "/elsewhere" || d.Train || hashOf(t, d) != hashOf(t, ds) {
		t.Errorf("rebuilt %+v", d)
	}
}

// A document without a hash is a spec, as a request sends.
func TestRebuildSpec(t *testing.T) {
	r := newTestRepo(t)
	doc := `{"format":"mlregistry/v1","name":"Dense","arguments":{"in_features":784,"out_features":10,
		"activation":{"format":"mlregistry/v1","name":"LeakyReLU","arguments":{"negative_slope":0.1}}}}`
	got, err := r.models.Rebuild(mustDecode(t, []byte(doc)), nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.dense(784, 10, r.leaky(0.1), true)
	if hashOf(t, got) != hashOf(t, want) {
		t.Errorf("spec hash %s, want %s", hashOf(t, got), hashOf(t, want))
	}
}

// problemPaths lists the paths of a *ValidationError's problems.
func problemPaths(t *testing.T, err error) []string {
	t.Helper()
	var ve *mlregistry.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v (%T), want a *ValidationError", err, err)
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Path)
	}
	return out
}

// Each class of problem is found before anything is built, with the
// JSON path of the value at fault.
func TestRebuildValidation(t *testing.T) {
	const leaky = `{"format":"mlregistry/v1","name":"LeakyReLU","arguments":{}}`
	spec := func(name, args string) string {
		return `{"format":"mlregistry/v1","name":"` + name + `","arguments":` + args + `}`
	}
	cases := []struct {
		name     string
		registry string // models, criterions, optimizers
		doc      string
		runtime  mlregistry.Kwargs
		path     string
		want     string
		is       error
	}{
		{"unknown component", "models", spec("LeakyRelu", `{}`), nil, "name", `did you mean "LeakyReLU"`, mlregistry.ErrNotFound},
		{"unknown nested component", "models", spec("Dense", `{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","name":"Relu"}}`), nil,
			"arguments.activation.name", `"Relu" is not registered`, mlregistry.ErrNotFound},
		{"unknown kind", "models", spec("Dense", `{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","kind":"modle","name":"LeakyReLU"}}`), nil,
			"arguments.activation.kind", `did you mean "model"`, mlregistry.ErrNotFound},
		{"document of another kind", "models", `{"format":"mlregistry/v1","kind":"criterion","name":"MSELoss","arguments":{}}`, nil,
			"kind", `rebuild it through the "criterion" registry`, mlregistry.ErrIncompatible},
		{"unknown parameter", "models", spec("Dense", `{"in_feature":1,"out_features":1,"activation":null}`), nil,
			"arguments.in_feature", `did you mean "in_features"`, mlregistry.ErrInvalid},
		{"missing parameter", "models", spec("Dense", `{"in_features":1,"activation":null}`), nil,
			"arguments.out_features", `missing required parameter "out_features"`, mlregistry.ErrInvalid},
		{"type mismatch", "models", spec("Dense", `{"in_features":1,"out_features":1,"activation":null,"bias":"yes"}`), nil,
			"arguments.bias", `expected bool, got string "yes"`, mlregistry.ErrInvalid},
		{"out of range", "models", spec("Dense", `{"in_features":1e30,"out_features":1,"activation":null}`), nil,
			"arguments.in_features", "out of range", mlregistry.ErrInvalid},
		{"not a whole number", "models", spec("Dense", `{"in_features":1.5,"out_features":1,"activation":null}`), nil,
			"arguments.in_features", "not a whole number", mlregistry.ErrInvalid},
		{"nested parameter", "models", spec("Dense", `{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","name":"LeakyReLU","arguments":{"negative_slope":"x"}}}`), nil,
			"arguments.activation.arguments.negative_slope", "expected float64", mlregistry.ErrInvalid},
		{"nested in a list", "models", spec("Stack", `{"layers":[`+leaky+`,{"format":"mlregistry/v1","name":"LeakyReLU","arguments":{"negative_slop":1}}]}`), nil,
			"arguments.layers[1].arguments.negative_slop", `did you mean "negative_slope"`, mlregistry.ErrInvalid},
		{"component of the wrong type", "models", spec("Dense", `{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","kind":"criterion","name":"MSELoss","arguments":{"reduction":"mean","weight":1}}}`), nil,
			"arguments.activation", "does not implement", mlregistry.ErrInvalid},
		{"too many positional arguments", "models", `{"format":"mlregistry/v1","name":"LeakyReLU","args":[0.1,0.2]}`, nil,
			"args", "takes 1 positional arguments, got 2", mlregistry.ErrInvalid},
		{"positional type mismatch", "optimizers", `{"format":"mlregistry/v1","name":"SGD","args":["fast"]}`, mlregistry.Kwargs{"params": []float64{}},
			"args[0]", "expected float64", mlregistry.ErrInvalid},
		{"given twice", "optimizers", `{"format":"mlregistry/v1","name":"SGD","args":[0.1],"kwargs":{"lr":0.2}}`, mlregistry.Kwargs{"params": []float64{}},
			"kwargs.lr", "given twice", mlregistry.ErrInvalid},
		{"missing runtime value", "optimizers", `{"format":"mlregistry/v1","name":"SGD","args":[0.1]}`, nil,
			"runtime.params", "missing runtime value", mlregistry.ErrInvalid},
		{"runtime value of the wrong type", "optimizers", `{"format":"mlregistry/v1","name":"SGD","args":[0.1]}`, mlregistry.Kwargs{"params": "all"},
			"runtime.params", "expected []float64", mlregistry.ErrInvalid},
		{"runtime value for a documented parameter", "optimizers", `{"format":"mlregistry/v1","name":"SGD","args":[0.1]}`, mlregistry.Kwargs{"params": []float64{}, "lr": 1.0},
			"runtime.lr", "not excluded", mlregistry.ErrInvalid},
		{"unknown runtime value", "optimizers", `{"format":"mlregistry/v1","name":"SGD","args":[0.1]}`, mlregistry.Kwargs{"params": []float64{}, "param": 1},
			"runtime.param", `did you mean "params"`, mlregistry.ErrInvalid},
		{"newer version", "models", `{"format":"mlregistry/v1","name":"LeakyReLU","version":2,"arguments":{}}`, nil,
			"version", "version 2", mlregistry.ErrIncompatible},
		{"other hash scheme", "models", `{"format":"mlregistry/v1","name":"LeakyReLU","hash":"0123456789abcdef0123456789abcdef","scheme":"pycompat","args":[],"kwargs":{}}`, nil,
			"scheme", "now uses canonical/v1", mlregistry.ErrIncompatible},
		{"arguments disagree", "models", `{"format":"mlregistry/v1","name":"LeakyReLU","args":[0.1],"kwargs":{},"arguments":{"negative_slope":0.2}}`, nil,
			"arguments.negative_slope", "disagrees", mlregistry.ErrTampered},
		{"arguments incomplete", "models", `{"format":"mlregistry/v1","name":"LeakyReLU","args":[],"kwargs":{},"arguments":{}}`, nil,
			"arguments.negative_slope", "missing", mlregistry.ErrInvalid},
		{"refers to itself", "models", `{"format":"mlregistry/v1","name":"Stack","args":[[{"format":"mlregistry/v1","name":"Stack","hash":"0123456789abcdef0123456789abcdef","args":[[{"format":"mlregistry/v1","name":"Stack","hash":"0123456789abcdef0123456789abcdef","ref":true}]]}]]}`, nil,
			"args[0][0]", "refers to itself", mlregistry.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newTestRepo(t)
			md := mustDecode(t, []byte(c.doc))
			var err error
			switch c.registry {
			case "models":
				_, err = r.models.Rebuild(md, c.runtime)
			case "optimizers":
				_, err = r.optimizers.Rebuild(md, c.runtime)
			}
			paths := problemPaths(t, err)
			if !errors.Is(err, c.is) {
				t.Errorf("error does not match %v: %v", c.is, err)
			}
			var found bool
			var ve *mlregistry.ValidationError
			errors.As(err, &ve)
			for _, p := range ve.Problems {
				found = found || p.Path == c.path && strings.Contains(p.Message, c.want)
			}
			if !found {
				t.Errorf("no problem at %q saying %q; got %v (paths %q)", c.path, c.want, err, paths)
			}
		})
	}
}

// Every problem of a document is reported at once.
func TestRebuildReportsAllProblems(t *testing.T) {
	r := newTestRepo(t)
	doc := `{"format":"mlregistry/v1","name":"Dense","arguments":{"in_features":"a","out_feature":1,
		"activation":{"format":"mlregistry/v1","name":"LeakyReLU","arguments":{"negative_slope":true}}, "bias":3}}`
	_, err := r.models.Rebuild(mustDecode(t, []byte(doc)), nil)
	paths := problemPaths(t, err)
	// The nested component's problem is found first, then its parent's.
	want := []string{"arguments.activation.arguments.negative_slope",
		"arguments.bias", "arguments.in_features", "arguments.out_feature", "arguments.out_features"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Errorf("paths %q, want %q", paths, want)
	}
	doc = `{"format":"mlregistry/v1","name":"Dense","arguments":{"in_features":"a","out_feature":1,"activation":null,"bias":3}}`
	_, err = r.models.Rebuild(mustDecode(t, []byte(doc)), nil)
	want = []string{"arguments.bias", "arguments.in_features", "arguments.out_feature", "arguments.out_features"}
	if got := problemPaths(t, err); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("paths %q, want %q\n%v", got, want, err)
	}
}

// A stated hash that the arguments do not give is refused before the
// constructor runs, as tampered or as written by an incompatible version.
func TestRebuildHashMismatch(t *testing.T) {
	r := newTestRepo(t)
	d, _ := r.dense(784, 10, r.leaky(0.2), true)
	data := mustJSON(t, d)

	// Edit args and arguments alike: only the hash can tell.
	edited := strings.Replace(strings.Replace(string(data), `"args":[784`, `"args":[785`, 1), `"in_features":784`, `"in_features":785`, 1)
	_, err := r.models.Rebuild(mustDecode(t, []byte(edited)), nil)
	var he *mlregistry.HashError
	if !errors.As(err, &he) || !errors.Is(err, mlregistry.ErrTampered) || he.Path != "" || !strings.Contains(err.Error(), "edited") {
		t.Errorf("tampered: %v", err)
	}
	// The nested component edited: the error says where.
	edited = strings.Replace(string(data), `"args":[0.2]`, `"args":[0.3]`, 1)
	edited = strings.Replace(edited, `"arguments":{"negative_slope":0.2}`, `"arguments":{"negative_slope":0.3}`, 1)
	_, err = r.models.Rebuild(mustDecode(t, []byte(edited)), nil)
	if !errors.As(err, &he) || he.Path != "args[2]" || he.Component != "LeakyReLU" {
		t.Errorf("nested tampered: %v", err)
	}

	// The same document read by a program whose Dense has another default
	// (a changed signature, without a new Version).
	other := mlregistry.New[Net](mlregistry.Kind("model"))
	mlregistry.Register(other, func(slope float64) *LeakyReLU { return &LeakyReLU{slope} },
		mlregistry.Params("negative_slope"), mlregistry.Defaults(mlregistry.Kwargs{"negative_slope": 0.01}))
	mlregistry.Register(other, func(in, out int, act Net, bias bool) *Dense { return &Dense{in, out, act, bias} },
		mlregistry.Params("in_features", "out_features", "activation", "bias"), mlregistry.Defaults(mlregistry.Kwargs{"bias": false}))
	d2, err := r.models.Call("Dense", []any{784, 10, r.leaky(0.2)}, nil) // bias: the default
	if err != nil {
		t.Fatal(err)
	}
	_, err = other.Rebuild(mustDecode(t, mustJSON(t, d2)), nil)
	if !errors.Is(err, mlregistry.ErrIncompatible) || !strings.Contains(err.Error(), `default of "bias"`) {
		t.Errorf("incompatible: %v", err)
	}
	// Without effective arguments to compare, the hash check tells.
	md := mustDecode(t, mustJSON(t, d2))
	md.Arguments = nil
	_, err = other.Rebuild(md, nil)
	if !errors.As(err, &he) || !errors.Is(err, mlregistry.ErrIncompatible) || !strings.Contains(err.Error(), `default of "bias"`) {
		t.Errorf("incompatible, by hash: %v", err)
	}
}

// A document may drop its hash to be rebuilt as a spec, with a new hash.
func TestRebuildConstructorError(t *testing.T) {
	r := newTestRepo(t)
	doc := `{"format":"mlregistry/v1","name":"Stack","arguments":{"layers":[{"format":"mlregistry/v1","name":"Dense","arguments":{"in_features":0,"out_features":1,"activation":null}}]}}`
	_, err := r.models.Rebuild(mustDecode(t, []byte(doc)), nil)
	var ce *mlregistry.ConstructorError
	if !errors.As(err, &ce) || ce.Component != "Dense" || !strings.Contains(err.Error(), "arguments.layers[0]") {
		t.Errorf("got %v", err)
	}
}

// Hostile documents are refused by their bounds.
func TestRebuildBounds(t *testing.T) {
	r := newTestRepo(t)
	deep := `{"format":"mlregistry/v1","name":"LeakyReLU"}`
	for i := 0; i < 40; i++ {
		deep = `{"format":"mlregistry/v1","name":"Stack","arguments":{"layers":[` + deep + `]}}`
	}
	var md mlregistry.Metadata
	if err := json.Unmarshal([]byte(deep), &md); err == nil || !strings.Contains(err.Error(), "nest deeper") {
		t.Errorf("deep components: %v", err)
	}
	many := make([]string, 5000)
	for i := range many {
		many[i] = `{"format":"mlregistry/v1","name":"LeakyReLU"}`
	}
	wide := `{"format":"mlregistry/v1","name":"Stack","arguments":{"layers":[` + strings.Join(many, ",") + `]}}`
	if err := json.Unmarshal([]byte(wide), &md); err == nil || !strings.Contains(err.Error(), "more than 4096 components") {
		t.Errorf("many components: %v", err)
	}
	ok := `{"format":"mlregistry/v1","name":"Stack","arguments":{"layers":[` + strings.Join(many[:100], ",") + `]}}`
	got, err := r.models.Rebuild(mustDecode(t, []byte(ok)), nil)
	if err != nil || len(got.(*Stack).Layers) != 100 {
		t.Errorf("100 components: %v", err)
	}
}

func TestLink(t *testing.T) {
	a := mlregistry.New[Net](mlregistry.Kind("model"))
	b := mlregistry.New[Net](mlregistry.Kind("model"))
	c := mlregistry.New[Net]()
	for _, tc := range []struct {
		regs []mlregistry.Resolver
		want string
	}{
		{[]mlregistry.Resolver{a, b}, "two registries of kind"},
		{[]mlregistry.Resolver{a, c}, "without a kind"},
		{[]mlregistry.Resolver{a, nil}, "nil"},
	} {
		if err := mlregistry.Link(tc.regs...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Link: %v, want %q", err, tc.want)
		}
	}
	if err := mlregistry.Link(a, a); err != nil {
		t.Errorf("linking a registry with itself: %v", err)
	}
}

func ExampleRegistry_Rebuild() {
	models := mlregistry.New[Net](mlregistry.Kind("model"))
	newLeaky := mlregistry.Register(models, func(slope float64) *LeakyReLU { return &LeakyReLU{slope} },
		mlregistry.Params("negative_slope"), mlregistry.Defaults(mlregistry.Kwargs{"negative_slope": 0.01}))
	newDense := mlregistry.Register(models, func(in, out int, act Net) *Dense { return &Dense{In: in, Out: out, Act: act} },
		mlregistry.Params("in_features", "out_features", "activation"))

	dense := newDense(784, 10, newLeaky(0.2))
	metadata, _ := mlregistry.MetadataOf(dense)
	document, _ := json.Marshal(metadata) // save it beside the checkpoint…

	var saved mlregistry.Metadata // …and later, anywhere:
	if err := json.Unmarshal(document, &saved); err != nil {
		fmt.Println(err)
		return
	}
	rebuilt, err := models.Rebuild(saved, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	before, _ := mlregistry.HashOf(dense)
	after, _ := mlregistry.HashOf(rebuilt)
	fmt.Println(rebuilt.(*Dense).In, rebuilt.(*Dense).Act.(*LeakyReLU).Slope, before == after)

	// A request names components and arguments; every problem is reported.
	request := `{"format":"mlregistry/v1","name":"Dense","arguments":{"in_features":"784",
		"activation":{"format":"mlregistry/v1","name":"LeakyRelu"}}}`
	if err := json.Unmarshal([]byte(request), &saved); err != nil {
		fmt.Println(err)
		return
	}
	_, err = models.Rebuild(saved, nil)
	fmt.Println(err)
	// Output:
	// 784 0.2 true
	// Dense: 3 problems:
	//   - arguments.activation.name: model "LeakyRelu" is not registered (did you mean "LeakyReLU"?); 2 components are registered
	//   - arguments.in_features: expected int, got string "784"
	//   - arguments.out_features: missing required parameter "out_features" (int)
}

func TestWithPathPrefix(t *testing.T) {
	r := newTestRepo(t)
	md := mustDecode(t, []byte(`{"format":"mlregistry/v1","name":"SGD","args":[],"kwargs":{"lr":"fast"}}`))
	_, err := r.optimizers.Rebuild(md, mlregistry.Kwargs{"params": []float64{}})
	err = mlregistry.WithPathPrefix("optimizer", err)
	if got := problemPaths(t, err); len(got) != 1 || got[0] != "optimizer.kwargs.lr" {
		t.Errorf("paths %q", got)
	}
	if mlregistry.WithPathPrefix("x", nil) != nil {
		t.Errorf("nil error prefixed")
	}
	he := &mlregistry.HashError{Path: "args[0]", Err: mlregistry.ErrTampered}
	var got *mlregistry.HashError
	if err := mlregistry.WithPathPrefix("model", he); !errors.As(err, &got) || got.Path != "model.args[0]" || he.Path != "args[0]" {
		t.Errorf("hash error: %v", err)
	}
}

// Rebuilding one decoded document from many goroutines shares nothing
// mutable.
func TestRebuildConcurrent(t *testing.T) {
	r := newTestRepo(t)
	act := r.leaky(0.2)
	d, _ := r.dense(3, 4, act, true)
	md := mustDecode(t, mustJSON(t, r.stack([]Net{act, d, act})))
	want := hashOf(t, r.stack([]Net{act, d, act}))
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 50 {
				x, err := r.models.Rebuild(md, nil)
				if err == nil {
					if h, _ := mlregistry.HashOf(x); h != want {
						err = fmt.Errorf("hash %s, want %s", h, want)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
