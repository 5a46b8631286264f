package ml

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		check   func(t *testing.T, s Spec)
		wantErr []string
	}{
		{"empty object keeps the defaults", `{}`, func(t *testing.T, s Spec) {
			if s.Model.Name != "Perceptron" || s.Training.Epochs != 1 || s.Training.BatchSize != 64 {
				t.Errorf("spec %+v", s)
			}
		}, nil},
		{"steps replace epochs", `{"training": {"steps": 10}}`, func(t *testing.T, s Spec) {
			if s.Training.Steps != 10 || s.Training.Epochs != 0 || s.Training.Seed != 1 {
				t.Errorf("training %+v", s.Training)
			}
		}, nil},
		{"numbers stay exact", `{"model": {"name": "Perceptron", "args": [784, 256, 10], "kwargs": {"p": 0.25}}}`, func(t *testing.T, s Spec) {
			if len(s.Model.Args) != 3 || s.Model.Args[0].(interface{ String() string }).String() != "784" {
				t.Errorf("args %#v", s.Model.Args)
			}
		}, nil},
		{"unknown role", `{"modle": {"name": "Perceptron"}}`, nil, []string{`unknown field "modle" (did you mean "model"?)`}},
		{"unknown component field", `{"model": {"name": "Perceptron", "kwarg": {}}}`, nil, []string{`model: unknown field "kwarg" (did you mean "kwargs"?)`}},
		{"unknown training field", `{"training": {"batchsize": 3}}`, nil, []string{`training: unknown field "batchsize" (did you mean "batch_size"?)`}},
		{"missing name", `{"optimizer": {"kwargs": {"lr": 1}}}`, nil, []string{`optimizer: "name" is required`}},
		{"several problems at once", `{"modle": {}, "optimizer": {"kwargs": {}}}`, nil, []string{`"modle"`, `optimizer: "name" is required`}},
		{"not an object", `[1, 2]`, nil, []string{"cannot unmarshal array"}},
		{"trailing data", `{} {}`, nil, []string{"unexpected data after the JSON value"}},
		{"wrong training type", `{"training": {"seed": "one"}}`, nil, []string{"training", "seed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSpec([]byte(tt.in))
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				tt.check(t, s)
				return
			}
			if err == nil {
				t.Fatal("ParseSpec succeeded")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestBuildRefuses(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   []string
		target error
	}{
		{"unknown model", `{"model": {"name": "Perceptorn"}, "dataset": {"name": "Digits"}}`,
			[]string{`model.name: model "Perceptorn" is not registered (did you mean "Perceptron"?)`}, mlregistry.ErrNotFound},
		{"unknown nested activation", `{"model": {"name": "MLP", "kwargs": {"activation": {"name": "Relu"}}}, "dataset": {"name": "Digits"}}`,
			[]string{`model.kwargs.activation.name: model "Relu" is not registered (did you mean "ReLU"`}, mlregistry.ErrNotFound},
		{"every role at once", `{"model": {"name": "MLPP"}, "criterion": {"name": "MSE"}, "optimizer": {"name": "Adamw"}, "dataset": {"name": "digits"}}`,
			[]string{`"MLPP"`, `"MSE" is not registered (did you mean "MSELoss"?)`, `"Adamw" is not registered (did you mean "Adam"?)`, `"digits" is not registered (did you mean "Digits"?)`}, mlregistry.ErrNotFound},
		{"bad arguments", `{"model": {"name": "Perceptron", "kwargs": {"hidden_size": "big"}}, "dataset": {"name": "Digits"}}`,
			[]string{"hidden_size", "expected int"}, mlregistry.ErrInvalid},
		{"constructor refuses", `{"optimizer": {"name": "Adam", "kwargs": {"betas": [0.9]}}, "dataset": {"name": "Digits"}}`,
			[]string{"betas must hold 2 values"}, nil},
		{"excluded parameter given a wrong type", `{"dataset": {"name": "MNIST", "kwargs": {"root": 3}}}`,
			[]string{"root", "expected string"}, mlregistry.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := ParseSpec([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Default.Build(spec, nil)
			if err == nil {
				t.Fatal("Build succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if tt.target != nil && !errors.Is(err, tt.target) {
				t.Errorf("error does not match %v: %v", tt.target, err)
			}
		})
	}
}

func TestBuildFillsSizes(t *testing.T) {
	spec := DefaultSpec()
	spec.Model = ComponentSpec{Name: "MLP"}
	spec.Dataset = ComponentSpec{Name: "Digits", Args: []any{false}}
	p, err := Default.Build(spec, mlregistry.Kwargs{"root": "ignored: Digits has no root"})
	if err != nil {
		t.Fatal(err)
	}
	m := p.Model.(*MLP)
	if m.InputSize != 64 || m.OutputSize != 10 || len(m.HiddenSizes) != 2 {
		t.Errorf("MLP %+v", m)
	}
	if _, ok := m.Activation.(*ReLU); !ok {
		t.Errorf("default activation %T, want *ReLU", m.Activation)
	}
	if p.Dataset.(*Digits).Train {
		t.Error("Digits(false) built the training split")
	}
	// Positional arguments of an optimizer come after its params.
	spec.Optimizer = ComponentSpec{Name: "SGD", Args: []any{0.5, 0.25}}
	p, err = Default.Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if o := p.Optimizer.(*SGD); o.LR != 0.5 || o.Momentum != 0.25 || o.Parameters() != p.Model.Parameters() {
		t.Errorf("SGD %+v", o)
	}
}

func TestParseArguments(t *testing.T) {
	args, kwargs, err := ParseArguments([]byte(`[1, 2.5, "x"]`))
	if err != nil || len(args) != 3 || kwargs != nil {
		t.Errorf("list: %v %v %v", args, kwargs, err)
	}
	args, kwargs, err = ParseArguments([]byte(`{"lr": 0.1}`))
	if err != nil || args != nil || len(kwargs) != 1 {
		t.Errorf("object: %v %v %v", args, kwargs, err)
	}
	if _, _, err := ParseArguments([]byte(`3`)); err == nil {
		t.Error("a number was accepted as arguments")
	}
}

// TestBuildNestedList builds a Sequential whose layers are component specs
// in a list, through the one build path (Rebuild), and reports a problem in
// a layer at its JSON path in the pipeline file.
func TestBuildNestedList(t *testing.T) {
	good := `{"model": {"name": "Sequential", "kwargs": {"layers": [
		{"name": "Linear", "args": [64, 32]}, {"name": "ReLU"}, {"name": "Linear", "kwargs": {"in_features": 32, "out_features": 10}}]}},
		"dataset": {"name": "Digits"}}`
	spec, err := ParseSpec([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Default.Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	seq, ok := p.Model.(*Sequential)
	if !ok || len(seq.Layers) != 3 {
		t.Fatalf("built %#v", p.Model)
	}
	if l, ok := seq.Layers[2].(*Linear); !ok || l.InFeatures != 32 || l.OutFeatures != 10 || !l.Bias {
		t.Errorf("layers[2] is %#v", seq.Layers[2])
	}
	direct := must(NewSequential([]Model{must(NewLinear(64, 32, true)), NewReLU(), must(NewLinear(32, 10, true))}))
	if hashOf(t, seq) != hashOf(t, direct) {
		t.Error("the spec builds another Sequential than the same direct call")
	}
	bad := strings.Replace(good, `"in_features": 32`, `"in_feature": 32`, 1)
	spec, err = ParseSpec([]byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Default.Build(spec, nil)
	if err == nil || !strings.Contains(err.Error(), `model.kwargs.layers[2].kwargs.in_feature: Linear has no parameter "in_feature" (did you mean "in_features"?)`) {
		t.Errorf("got %v", err)
	}
}
