package mlregistry_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

type net struct {
	In, Out int
	Sizes   []int
	Small   int8
	Opts    opts
}

type opts struct {
	Rate  float64 `json:"rate"`
	Label string  `json:"label"`
}

func newNetRegistry(t *testing.T) *mlregistry.Registry[*net] {
	t.Helper()
	reg := mlregistry.New[*net]()
	mlregistry.Register(reg, func(in, out int, sizes []int, small int8, o opts) *net {
		return &net{in, out, sizes, small, o}
	}, mlregistry.Name("Net"), mlregistry.Params("in", "out", "sizes", "small", "opts"),
		mlregistry.Defaults(mlregistry.Kwargs{"small": 1, "opts": map[string]any{"rate": 0.5}}))
	return reg
}

// TestCallBinding checks Python-style binding and exact conversion.
func TestCallBinding(t *testing.T) {
	reg := newNetRegistry(t)
	cases := []struct {
		name    string
		args    []any
		kwargs  mlregistry.Kwargs
		wantErr []string // substrings every one of which the error holds
		check   func(*net) bool
	}{
		{name: "positional", args: []any{784, 10, []int{1}}, check: func(n *net) bool { return n.In == 784 && n.Small == 1 && n.Opts.Rate == 0.5 }},
		{name: "json float to int", args: []any{784.0, 10.0, []any{256.0, 128.0}}, check: func(n *net) bool { return n.In == 784 && n.Sizes[1] == 128 }},
		{name: "map to struct", kwargs: mlregistry.Kwargs{"in": 1, "out": 2, "sizes": nil, "opts": map[string]any{"rate": 0.1, "label": "x"}}, check: func(n *net) bool { return n.Opts.Label == "x" && n.Opts.Rate == 0.1 }},
		{name: "fraction to int", args: []any{784.5, 10, nil}, wantErr: []string{"Net", "in", "expected int, got float64 784.5", "not a whole number"}},
		{name: "overflow int8", args: []any{1, 2, nil, 300}, wantErr: []string{"small", "out of range for int8"}},
		{name: "string to int", args: []any{"x", 2, nil}, wantErr: []string{"in", `expected int, got string "x"`}},
		{name: "unknown name", args: []any{1, 2, nil}, kwargs: mlregistry.Kwargs{"outt": 3}, wantErr: []string{`no parameter "outt"`, `did you mean "out"`}},
		{name: "given twice", args: []any{1, 2, nil}, kwargs: mlregistry.Kwargs{"in": 3}, wantErr: []string{`"in" given twice`}},
		{name: "missing", args: []any{1}, wantErr: []string{`missing required parameter "out"`, `missing required parameter "sizes"`}},
		{name: "too many", args: []any{1, 2, nil, 1, opts{}, 6}, wantErr: []string{"takes 5 positional arguments, got 6"}},
		{name: "unknown struct field", args: []any{1, 2, nil}, kwargs: mlregistry.Kwargs{"opts": map[string]any{"rat": 1.0}}, wantErr: []string{"opts.rat", `did you mean "rate"`}},
		{name: "all problems at once", args: []any{1.5, "a", []any{1, 2.5}}, wantErr: []string{"3 problems", "in:", "out:", "sizes[1]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := reg.Call("Net", c.args, c.kwargs)
			if len(c.wantErr) > 0 {
				if err == nil {
					t.Fatalf("want an error, got %+v", got)
				}
				if !errors.Is(err, mlregistry.ErrInvalid) {
					t.Errorf("error %v does not match ErrInvalid", err)
				}
				for _, w := range c.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(got) {
				t.Errorf("built %+v", got)
			}
		})
	}
}

// TestValidationErrorPaths checks that errors.As reaches every problem.
func TestValidationErrorPaths(t *testing.T) {
	reg := newNetRegistry(t)
	_, err := reg.Call("Net", []any{1.5}, mlregistry.Kwargs{"bogus": 1})
	var ve *mlregistry.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError, got %T %v", err, err)
	}
	var paths []string
	for _, p := range ve.Problems {
		paths = append(paths, p.Path)
	}
	want := "in bogus out sizes"
	if got := strings.Join(paths, " "); got != want {
		t.Errorf("paths %q, want %q", got, want)
	}
	if ve.Component != "Net" {
		t.Errorf("component %q", ve.Component)
	}
}

// TestConstructorFailure checks that a constructor's error or panic comes
// back wrapped, never crashing the caller.
func TestConstructorFailure(t *testing.T) {
	reg := mlregistry.New[any]()
	errBoom := errors.New("boom")
	mlregistry.Register(reg, func(n int) (*net, error) {
		if n < 0 {
			return nil, errBoom
		}
		return &net{In: n}, nil
	}, mlregistry.Name("Failing"), mlregistry.Params("n"))
	mlregistry.Register(reg, func(n int) *net {
		if n < 0 {
			panic("negative size")
		}
		return &net{In: n}
	}, mlregistry.Name("Panicking"), mlregistry.Params("n"))

	_, err := reg.Call("Failing", []any{-1}, nil)
	var ce *mlregistry.ConstructorError
	if !errors.Is(err, errBoom) || !errors.As(err, &ce) || ce.Panicked {
		t.Errorf("Failing: %v", err)
	}
	_, err = reg.Call("Panicking", []any{-1}, nil)
	if !errors.As(err, &ce) || !ce.Panicked || !strings.Contains(err.Error(), "negative size") {
		t.Errorf("Panicking: %v", err)
	}
	if _, err := reg.Call("Nope", nil, nil); !errors.Is(err, mlregistry.ErrNotFound) {
		t.Errorf("Nope: %v", err)
	}
}
