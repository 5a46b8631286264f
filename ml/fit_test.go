package ml

import (
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// TestCheckFit builds pipelines on Digits (64 features, 10 classes) whose
// models do or do not fit it, and checks that Check refuses those that do
// not, before any weight exists, naming the argument and the numbers.
func TestCheckFit(t *testing.T) {
	tests := []struct {
		name  string
		model ComponentSpec
		want  []string // parts of the error; none: it fits
	}{
		{"fits", ComponentSpec{Name: "Perceptron", Kwargs: mlregistry.Kwargs{"hidden_size": 8}}, nil},
		{"input too small", ComponentSpec{Name: "Perceptron", Kwargs: mlregistry.Kwargs{"input_size": 1, "hidden_size": 8}},
			[]string{"model.arguments.input_size", "takes 1 features", "Digits has 64"}},
		{"too few outputs", ComponentSpec{Name: "MLP", Kwargs: mlregistry.Kwargs{"output_size": 3}},
			[]string{"model.arguments.output_size", "3 outputs", "10 classes"}},
		{"hidden too large", ComponentSpec{Name: "Perceptron", Kwargs: mlregistry.Kwargs{"hidden_size": 100_000_000_000}},
			[]string{"model.arguments.hidden_size", "100000000000", "more than the 1073741824"}},
		{"hidden list too large", ComponentSpec{Name: "MLP", Kwargs: mlregistry.Kwargs{"hidden_sizes": []any{16, 100_000_000_000}}},
			[]string{"model.arguments.hidden_sizes[1]", "100000000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := DefaultSpec()
			spec.Model, spec.Dataset = tt.model, ComponentSpec{Name: "Digits"}
			p, err := Default.Build(spec, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = p.Check()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check() = nil, want an error saying %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Check() = %v, lacks %q", err, w)
				}
			}
		})
	}
}

// TestHeldOutSplit checks that a dataset built for its test split is
// evaluated on the other split, never on the examples it trains on.
func TestHeldOutSplit(t *testing.T) {
	for _, train := range []bool{true, false} {
		d, err := NewDigits(train)
		if err != nil {
			t.Fatal(err)
		}
		test, err := d.Test()
		if err != nil {
			t.Fatal(err)
		}
		if test == d.Examples() || test.Len()+d.Examples().Len() != 1797 {
			t.Errorf("Digits(train=%v): trains on %d examples and tests on %d, the same split: %v", train, d.Examples().Len(), test.Len(), test == d.Examples())
		}
	}
	d, err := NewMNIST("", false, false)
	if err != nil {
		t.Fatal(err)
	}
	test, err := d.Test()
	if err != nil {
		t.Fatal(err)
	}
	if d.Examples().Len() != 10000 || test.Len() != 60000 {
		t.Errorf("MNIST(train=false): trains on %d examples, tests on %d; want 10000 and the other 60000", d.Examples().Len(), test.Len())
	}
}
