package mlregistry_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

type counter struct{ n int }

type emptyThing struct{}

// TestRegisterMisuse checks that every misuse is refused at registration,
// naming the call site.
func TestRegisterMisuse(t *testing.T) {
	cases := []struct {
		name string
		reg  func(r *mlregistry.Registry[any]) error
		want string
	}{
		{"not a func", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, 42)
			return err
		}, "must be a func"},
		{"missing Params", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func(n int) *counter { return &counter{n} })
			return err
		}, "name them with Params"},
		{"Params count", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func(n int) *counter { return &counter{n} }, mlregistry.Params("a", "b"))
			return err
		}, "Params names 2 parameters"},
		{"not a pointer", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func() counter { return counter{} })
			return err
		}, "cannot carry identity"},
		{"func result", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func() func() { return nil }, mlregistry.Name("F"))
			return err
		}, "cannot carry identity"},
		{"zero size", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func() *emptyThing { return &emptyThing{} })
			return err
		}, "zero-size"},
		{"bad second result", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func() (*counter, int) { return nil, 0 })
			return err
		}, "must return"},
		{"unhashable param", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func(c chan int) *counter { return nil }, mlregistry.Params("c"))
			return err
		}, `parameter "c": a chan`},
		{"exclude unknown", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func(params []float64) *counter { return nil }, mlregistry.Params("params"), mlregistry.ExcludeParams("parms"))
			return err
		}, `did you mean "params"`},
		{"exclude position", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func(n int) *counter { return nil }, mlregistry.Params("n"), mlregistry.ExcludePositions(3))
			return err
		}, "ExcludePositions(3)"},
		{"default of wrong type", func(r *mlregistry.Registry[any]) error {
			_, err := mlregistry.TryRegister(r, func(n int) *counter { return nil }, mlregistry.Params("n"), mlregistry.Defaults(mlregistry.Kwargs{"n": "x"}))
			return err
		}, "expected int"},
		{"duplicate", func(r *mlregistry.Registry[any]) error {
			mlregistry.Register(r, func(n int) *counter { return &counter{n} }, mlregistry.Params("n"))
			_, err := mlregistry.TryRegister(r, func(n int) *counter { return &counter{n} }, mlregistry.Params("n"))
			if !errors.Is(err, mlregistry.ErrDuplicate) {
				t.Errorf("duplicate does not match ErrDuplicate: %v", err)
			}
			return err
		}, "already registered"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.reg(mlregistry.New[any]())
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q lacks %q", err, c.want)
			}
			if !strings.Contains(err.Error(), "register_test.go:") {
				t.Errorf("error %q does not name the call site", err)
			}
		})
	}
}

func TestRegisterPanicsOnMisuse(t *testing.T) {
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !strings.Contains(err.Error(), "register_test.go:") {
			t.Errorf("want a panic naming the call site, got %v", r)
		}
	}()
	mlregistry.Register(mlregistry.New[any](), 42)
}

// TestRegistryElementType checks that a result must fit the registry.
func TestRegistryElementType(t *testing.T) {
	type model interface{ Forward() }
	_, err := mlregistry.TryRegister(mlregistry.New[model](), func() *counter { return &counter{} })
	if err == nil || !strings.Contains(err.Error(), "not assignable") {
		t.Errorf("got %v", err)
	}
}

func TestKeysAndSignature(t *testing.T) {
	r := mlregistry.New[any]()
	mlregistry.Register(r, func(n int) *counter { return &counter{n} }, mlregistry.Name("B"), mlregistry.Params("n"))
	mlregistry.Register(r, func(n int) *counter { return &counter{n} }, mlregistry.Name("A"), mlregistry.Params("size"), mlregistry.Defaults(mlregistry.Kwargs{"size": 3}))
	if got := strings.Join(r.Keys(), ","); got != "A,B" {
		t.Errorf("Keys = %s", got)
	}
	sig, ok := r.Signature("A")
	if !ok || sig.String() != "{size: int}" {
		t.Fatalf("Signature = %v %v", sig, ok)
	}
	p, _ := sig.Lookup("size")
	if !p.HasDefault || p.Default != 3 || p.Required() {
		t.Errorf("param %+v", p)
	}
	if _, ok := r.Signature("C"); ok {
		t.Error("Signature of an unregistered name")
	}
}

// TestNotFoundMessage checks the suggestions and the count.
func TestNotFoundMessage(t *testing.T) {
	type model interface{}
	r := mlregistry.New[model](mlregistry.Kind("model"))
	for _, n := range []string{"Perceptron", "MLP", "Transformer", "Perceptrons"} {
		mlregistry.Register(r, func() *counter { return &counter{} }, mlregistry.Name(n))
	}
	_, err := r.Call("perceptron", nil, nil)
	var nf *mlregistry.NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("got %T %v", err, err)
	}
	want := `model "perceptron" is not registered (did you mean "Perceptron" or "Perceptrons"?); 4 components are registered`
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}
