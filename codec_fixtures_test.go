package mlregistry_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// The fixtures of the codec and rebuild tests: a small repository of four
// linked registries whose components nest.

// Net is the element type of the test's model registry.
type Net interface{ Forward(x float64) float64 }

// LeakyReLU is a model without weights, nested in others.
type LeakyReLU struct{ Slope float64 }

func (l *LeakyReLU) Forward(x float64) float64 {
	if x < 0 {
		return l.Slope * x
	}
	return x
}

// Dense is a model with a nested activation.
type Dense struct {
	In, Out int
	Act     Net
	Bias    bool
}

func (d *Dense) Forward(x float64) float64 { return d.Act.Forward(x) }

// Stack holds models, possibly the same one twice.
type Stack struct{ Layers []Net }

func (s *Stack) Forward(x float64) float64 {
	for _, l := range s.Layers {
		x = l.Forward(x)
	}
	return x
}

// Loss is the element type of the test's criterion registry.
type Loss interface{ Reduce() string }

// MSE is a config-struct component embedding Tracked.
type MSE struct {
	mlregistry.Tracked
	Reduction string
}

func (m *MSE) Reduce() string { return m.Reduction }

// MSEConfig is MSE's configuration.
type MSEConfig struct {
	Reduction string  `json:"reduction"`
	Weight    float64 `json:"weight"`
}

// Distill is a criterion that nests a model of another registry.
type Distill struct {
	Teacher     Net
	Temperature float64
}

func (d *Distill) Reduce() string { return "mean" }

// Opt is the element type of the test's optimizer registry.
type Opt interface{ Rate() float64 }

// SGD takes runtime parameters at position 0.
type SGD struct {
	Params   []float64
	LR       float64
	Momentum float64
}

func (s *SGD) Rate() float64 { return s.LR }

// Data is the element type of the test's dataset registry.
type Data interface{ Size() int }

// Digits has an excluded root folder.
type Digits struct {
	Root  string
	Train bool
}

func (d *Digits) Size() int { return 1797 }

// testRepo is the four linked registries and their tracking constructors.
type testRepo struct {
	models     *mlregistry.Registry[Net]
	criterions *mlregistry.Registry[Loss]
	optimizers *mlregistry.Registry[Opt]
	datasets   *mlregistry.Registry[Data]

	leaky  func(slope float64) *LeakyReLU
	dense  func(in, out int, act Net, bias bool) (*Dense, error)
	stack  func(layers []Net) *Stack
	mse    func(MSEConfig) *MSE
	distil func(teacher Net, temperature float64) *Distill
	sgd    func(params []float64, lr, momentum float64) *SGD
	digits func(root string, train bool) *Digits
}

func newTestRepo(t testing.TB) *testRepo {
	t.Helper()
	r := &testRepo{
		models:     mlregistry.New[Net](mlregistry.Kind("model")),
		criterions: mlregistry.New[Loss](mlregistry.Kind("criterion")),
		optimizers: mlregistry.New[Opt](mlregistry.Kind("optimizer"), mlregistry.ExcludePositions(0)),
		datasets:   mlregistry.New[Data](mlregistry.Kind("dataset"), mlregistry.ExcludeParams("root")),
	}
	r.leaky = mlregistry.Register(r.models, func(slope float64) *LeakyReLU { return &LeakyReLU{slope} },
		mlregistry.Params("negative_slope"), mlregistry.Defaults(mlregistry.Kwargs{"negative_slope": 0.01}))
	r.dense = mlregistry.Register(r.models, func(in, out int, act Net, bias bool) (*Dense, error) {
		if in <= 0 || out <= 0 {
			return nil, fmt.Errorf("sizes must be positive, got %d and %d", in, out)
		}
		return &Dense{in, out, act, bias}, nil
	}, mlregistry.Params("in_features", "out_features", "activation", "bias"), mlregistry.Defaults(mlregistry.Kwargs{"bias": true}))
	r.stack = mlregistry.Register(r.models, func(layers []Net) *Stack { return &Stack{layers} }, mlregistry.Params("layers"))
	r.mse = mlregistry.Register(r.criterions, func(c MSEConfig) *MSE { return &MSE{Reduction: c.Reduction} }, mlregistry.Name("MSELoss"))
	r.distil = mlregistry.Register(r.criterions, func(teacher Net, temperature float64) *Distill { return &Distill{teacher, temperature} },
		mlregistry.Params("teacher", "temperature"), mlregistry.Defaults(mlregistry.Kwargs{"temperature": 2.0}))
	r.sgd = mlregistry.Register(r.optimizers, func(params []float64, lr, momentum float64) *SGD { return &SGD{params, lr, momentum} },
		mlregistry.Params("params", "lr", "momentum"), mlregistry.Defaults(mlregistry.Kwargs{"momentum": 0.0}))
	r.digits = mlregistry.Register(r.datasets, func(root string, train bool) *Digits { return &Digits{root, train} },
		mlregistry.Params("root", "train"), mlregistry.Defaults(mlregistry.Kwargs{"train": true}))
	if err := mlregistry.Link(r.models, r.criterions, r.optimizers, r.datasets); err != nil {
		t.Fatal(err)
	}
	return r
}

// mustJSON marshals the metadata of x.
func mustJSON(t testing.TB, x any) []byte {
	t.Helper()
	md, ok := mlregistry.MetadataOf(x)
	if !ok {
		t.Fatalf("%T has no metadata", x)
	}
	data, err := json.Marshal(md)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// mustDecode unmarshals a document.
func mustDecode(t testing.TB, data []byte) mlregistry.Metadata {
	t.Helper()
	var md mlregistry.Metadata
	if err := json.Unmarshal(data, &md); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return md
}

// hashOf is HashOf that fails the test for an untracked value.
func hashOf(t testing.TB, x any) string {
	t.Helper()
	h, ok := mlregistry.HashOf(x)
	if !ok {
		t.Fatalf("%T is not tracked", x)
	}
	return h
}
