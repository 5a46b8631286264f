package mlregistry_test

import (
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry"
)

// Perceptron is a stand-in model for the examples.
type Perceptron struct {
	InputSize, HiddenSize, OutputSize int
	P                                 float64
	Bias                              bool
}

// NewPerceptron builds a Perceptron.
func NewPerceptron(inputSize, hiddenSize, outputSize int, p float64, bias bool) *Perceptron {
	return &Perceptron{inputSize, hiddenSize, outputSize, p, bias}
}

// The seed's first example: register Perceptron in the package-level
// registry, build it, and read its metadata, hash and signature.
func Example() {
	newPerceptron := mlregistry.Register(mlregistry.Default, NewPerceptron,
		mlregistry.Params("input_size", "hidden_size", "output_size", "p", "bias"),
		mlregistry.Defaults(mlregistry.Kwargs{"p": 0.5, "bias": true}))

	perceptron := newPerceptron(784, 256, 10, 0.5, true)

	hash, _ := mlregistry.HashOf(perceptron)
	fmt.Println(hash)

	metadata, _ := mlregistry.MetadataOf(perceptron)
	fmt.Println(metadata.Name)
	fmt.Println(metadata.Args)
	fmt.Println(metadata.Kwargs)

	signature, _ := mlregistry.SignatureOf(perceptron)
	fmt.Println(signature)

	// Build it by name, with positional and keyword arguments, as the
	// seed's Perceptron(784, 256, 10, p=0.5, bias=True).
	component, _ := mlregistry.Default.Get("Perceptron")
	instance, err := component.Call([]any{784, 256, 10}, mlregistry.Kwargs{"p": 0.5, "bias": true})
	if err != nil {
		fmt.Println(err)
		return
	}
	metadata, _ = mlregistry.MetadataOf(instance)
	fmt.Println(metadata.Args, metadata.Kwargs)
	_, isPerceptron := instance.(*Perceptron)
	fmt.Println(isPerceptron, metadata.Hash == hash)

	// A misspelt name is an error that helps.
	_, err = mlregistry.Default.Call("Perceptorn", nil, nil)
	fmt.Println(err, errors.Is(err, mlregistry.ErrNotFound))
	// Output:
	// a5b23870c829a0112ce11c562ae20f85
	// Perceptron
	// [784 256 10 0.5 true]
	// map[]
	// {input_size: int, hidden_size: int, output_size: int, p: float64, bias: bool}
	// [784 256 10] map[bias:true p:0.5]
	// true true
	// component "Perceptorn" is not registered (did you mean "Perceptron"?); 1 component is registered true
}
