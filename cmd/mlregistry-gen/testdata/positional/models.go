// Package positional is a fixture of mlregistry-gen: positional
// constructors, a variadic one, ones returning an error, doc comments.
package positional

import (
	"errors"

	"github.com/mlregistry/mlregistry"
)

//go:generate go run github.com/mlregistry/mlregistry/cmd/mlregistry-gen

// Perceptron is the seed's model, on the fast path.
type Perceptron struct {
	mlregistry.Tracked
	InputSize, HiddenSize, OutputSize int
	P                                 float64
	Bias                              bool
}

// newPerceptron builds a multi-layer perceptron
// with one hidden layer.
//
// Its output is logits.
func newPerceptron(
	inputSize int, // features per example
	// units of the hidden layer
	hiddenSize int,
	outputSize int,
	p float64, // dropout probability
	bias bool,
) (*Perceptron, error) {
	if p < 0 || p >= 1 {
		return nil, errors.New("p must be in [0, 1)")
	}
	return &Perceptron{InputSize: inputSize, HiddenSize: hiddenSize, OutputSize: outputSize, P: p, Bias: bias}, nil
}

// Stack is a side-table component: it does not embed Tracked.
type Stack struct {
	Name  string
	Sizes []int
}

// newStack takes its sizes variadically.
func newStack(name string, sizes ...int) *Stack { return &Stack{Name: name, Sizes: sizes} }

// Mode is a named scalar type.
type Mode int8

// Labeled is a component with named scalar and string types.
type Labeled struct {
	mlregistry.Tracked
	Mode  Mode
	Label Label
}

// Label is a named string type.
type Label string

func newLabeled(mode Mode, label Label) *Labeled { return &Labeled{Mode: mode, Label: label} }

// Model is what Models holds.
type Model interface{ isModel() }

func (*Perceptron) isModel() {}
func (*Labeled) isModel()    {}

// newAsModel returns an interface.
func newAsModel(label Label) Model { return &Labeled{Label: label} }

// Box is a generic component.
type Box[T any] struct{ V T }

// newBox is generic: its instantiations keep Register's reflection path.
func newBox[T any](v T) *Box[T] { return &Box[T]{V: v} }

// newAnonymous has an unnamed parameter: no generated constructor, and
// mlregistry-gen says why.
func newAnonymous(int) *Stack { return &Stack{} }

// Models is the fixture's registry.
var Models = mlregistry.New[any](mlregistry.Kind("model"))

// The tracking constructors, as a user writes them: Params is optional
// with the generated file, and must agree with the source when given.
var (
	NewPerceptron = mlregistry.Register(Models, newPerceptron,
		mlregistry.Params("input_size", "hidden_size", "output_size", "p", "bias"),
		mlregistry.Defaults(mlregistry.Kwargs{"p": 0.5, "bias": true}),
		mlregistry.Name("Perceptron"))
	NewStack   = mlregistry.Register(Models, newStack)
	NewLabeled = mlregistry.Register(Models, newLabeled)
	NewAsModel = mlregistry.Register(Models, newAsModel, mlregistry.Name("AsModel"))
	// Not generated for: a func literal keeps Register's reflection path.
	NewLiteral = mlregistry.Register(Models, func(x int) *Stack { return &Stack{Sizes: []int{x}} },
		mlregistry.Params("x"), mlregistry.Name("Literal"))
	// Params that disagree with the source: refused, and mlregistry-gen
	// warns of it.
	_, WrongParams = mlregistry.TryRegister(Models, newLabeled, mlregistry.Params("m", "l"), mlregistry.Name("Wrong"))
	NewIntBox      = mlregistry.Register(Models, newBox[int], mlregistry.Params("v"), mlregistry.Name("IntBox"))
	NewAnonymous   = mlregistry.Register(Models, newAnonymous, mlregistry.Params("x"), mlregistry.Name("Anonymous"))
)
