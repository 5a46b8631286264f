package ml_test

import (
	"context"
	"fmt"
	"log"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
)

// The README's pipeline, built with the tracking constructors: every
// component carries its metadata.
func Example() {
	model, err := ml.NewPerceptron(784, 256, 10, 0.5, true)
	if err != nil {
		log.Fatal(err)
	}
	criterion, _ := ml.NewCrossEntropyLoss(0)
	optimizer, err := ml.NewAdam(model.Parameters(), 1e-3, []float64{0.9, 0.999}, 1e-8, 0)
	if err != nil {
		log.Fatal(err)
	}
	dataset, err := ml.NewMNIST("", true, false)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range []any{model, criterion, optimizer, dataset} {
		md, _ := mlregistry.MetadataOf(c)
		fmt.Println(md.Kind, md.Name, md.Signature)
	}
	fmt.Println(dataset.Examples().Len(), "training images")
	// Output:
	// model Perceptron {input_size: int, hidden_size: int, output_size: int, p: float64, bias: bool}
	// criterion CrossEntropyLoss {label_smoothing: float64}
	// optimizer Adam {lr: float64, betas: []float64, eps: float64, weight_decay: float64}
	// dataset MNIST {train: bool}
	// 60000 training images
}

// Building components by name, as a pipeline file does; the optimizer's
// params is a runtime input, excluded from its metadata.
func ExampleRepository() {
	model, err := ml.Default.Models.Call("Perceptron", []any{784, 256, 10}, mlregistry.Kwargs{"p": 0.5, "bias": true})
	if err != nil {
		log.Fatal(err)
	}
	opt, err := ml.Default.Optimizers.Call("Adam", nil, mlregistry.Kwargs{"params": model.Parameters(), "lr": 1e-3})
	if err != nil {
		log.Fatal(err)
	}
	md, _ := mlregistry.MetadataOf(opt)
	fmt.Println(md.Name, md.Kwargs, md.Arguments)

	direct, _ := ml.NewPerceptron(784, 256, 10, 0.5, true)
	h1, _ := mlregistry.HashOf(model)
	h2, _ := mlregistry.HashOf(direct)
	fmt.Println("same hash as a direct call:", h1 == h2)

	_, err = ml.Default.Models.Call("Perceptorn", nil, nil)
	fmt.Println(err)
	// Output:
	// Adam map[lr:0.001] map[betas:[0.9 0.999] eps:1e-08 lr:0.001 weight_decay:0]
	// same hash as a direct call: true
	// model "Perceptorn" is not registered (did you mean "Perceptron"?); 9 components are registered
}

// Building a whole pipeline from a spec — here a pipeline file's text.
func ExampleRepository_Build() {
	spec, err := ml.ParseSpec([]byte(`{
	  "model":    {"name": "MLP", "kwargs": {"hidden_sizes": [32], "activation": {"name": "GELU"}}},
	  "dataset":  {"name": "Digits"},
	  "training": {"epochs": 5, "seed": 3}
	}`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := ml.Default.Build(spec, nil)
	if err != nil {
		log.Fatal(err)
	}
	md, _ := mlregistry.MetadataOf(p.Model)
	fmt.Println(md.Arguments["input_size"], md.Arguments["hidden_sizes"], md.Arguments["output_size"])
	act, _ := mlregistry.MetadataOf(md.Arguments["activation"])
	fmt.Println("activation:", act.Name)
	fmt.Printf("%+v\n", p.Training)
	// Output:
	// 64 [32] 10
	// activation: GELU
	// {BatchSize:64 Steps:0 Epochs:5 Seed:3}
}

// Downloading MNIST from a mirror of your own: the four files are checked
// against their SHA-256 sums. (Not run: it needs the network.)
func ExampleMNISTSource_Download() {
	src := ml.DefaultMNISTSource
	src.BaseURL = "https://mirror.example.com/mnist/"
	if err := src.Download(context.Background(), "data/mnist"); err != nil {
		log.Fatal(err)
	}
	d, err := ml.NewMNIST("data/mnist", false, false)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Examples().Len(), "test images")
}
