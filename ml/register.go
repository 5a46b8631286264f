package ml

import "github.com/mlregistry/mlregistry"

// The tracking constructors of the components registered in Default. Each
// is the registered constructor itself, wrapped by mlregistry.Register:
// same parameters, same results, and the value it returns carries its
// metadata. Building by name — Default.Models.Call("Perceptron", args,
// kwargs) — gives the same value, metadata and hash.
//
// Register returns the typed ones that mlregistry-gen wrote in
// mlregistry_gen.go (go generate; see generate.go), with the parameter
// docs and doc comments of the constructors. Params stays for builds
// without that file (-tags mlregistry_nogen), and is checked against the
// source with it.

// Models.
var (
	// NewPerceptron builds a Perceptron(input_size, hidden_size,
	// output_size, p=0.5, bias=true).
	NewPerceptron = mlregistry.Register(Default.Models, newPerceptron,
		mlregistry.Params("input_size", "hidden_size", "output_size", "p", "bias"),
		mlregistry.Defaults(mlregistry.Kwargs{"p": 0.5, "bias": true}))

	// NewMLP builds an MLP(input_size, hidden_sizes=[128, 64],
	// output_size, activation=ReLU(), p=0).
	NewMLP = mlregistry.Register(Default.Models, newMLP,
		mlregistry.Params("input_size", "hidden_sizes", "output_size", "activation", "p"),
		mlregistry.Defaults(mlregistry.Kwargs{"hidden_sizes": []int{128, 64}, "activation": NewReLU(), "p": 0.0}))

	// NewLinear builds a Linear(in_features, out_features, bias=true).
	NewLinear = mlregistry.Register(Default.Models, newLinear,
		mlregistry.Params("in_features", "out_features", "bias"),
		mlregistry.Defaults(mlregistry.Kwargs{"bias": true}))

	// NewSequential builds a Sequential(layers): its layers, nested
	// components, applied in order.
	NewSequential = mlregistry.Register(Default.Models, newSequential,
		mlregistry.Params("layers"))

	// NewReLU builds a ReLU().
	NewReLU = mlregistry.Register(Default.Models, newReLU)

	// NewLeakyReLU builds a LeakyReLU(negative_slope=0.01).
	NewLeakyReLU = mlregistry.Register(Default.Models, newLeakyReLU,
		mlregistry.Params("negative_slope"),
		mlregistry.Defaults(mlregistry.Kwargs{"negative_slope": 0.01}))

	// NewTanh builds a Tanh().
	NewTanh = mlregistry.Register(Default.Models, newTanh)

	// NewSigmoid builds a Sigmoid().
	NewSigmoid = mlregistry.Register(Default.Models, newSigmoid)

	// NewGELU builds a GELU().
	NewGELU = mlregistry.Register(Default.Models, newGELU)
)

// Criterions.
var (
	// NewCrossEntropyLoss builds a CrossEntropyLoss(label_smoothing=0).
	NewCrossEntropyLoss = mlregistry.Register(Default.Criterions, newCrossEntropyLoss,
		mlregistry.Params("label_smoothing"),
		mlregistry.Defaults(mlregistry.Kwargs{"label_smoothing": 0.0}))

	// NewMSELoss builds an MSELoss().
	NewMSELoss = mlregistry.Register(Default.Criterions, newMSELoss)
)

// Optimizers. Their params (the model's Parameters()) is excluded from
// metadata and hash by the registry, and supplied again at Rebuild.
var (
	// NewAdam builds an Adam(params, lr=1e-3, betas=[0.9, 0.999], eps=1e-8,
	// weight_decay=0), PyTorch's defaults.
	NewAdam = mlregistry.Register(Default.Optimizers, newAdam,
		mlregistry.Params("params", "lr", "betas", "eps", "weight_decay"),
		mlregistry.Defaults(mlregistry.Kwargs{"lr": 1e-3, "betas": []float64{0.9, 0.999}, "eps": 1e-8, "weight_decay": 0.0}))

	// NewSGD builds an SGD(params, lr=1e-3, momentum=0), PyTorch's
	// defaults.
	NewSGD = mlregistry.Register(Default.Optimizers, newSGD,
		mlregistry.Params("params", "lr", "momentum"),
		mlregistry.Defaults(mlregistry.Kwargs{"lr": 1e-3, "momentum": 0.0}))
)

// Datasets. Their root and download are excluded from metadata and hash by
// the registry: where the files are and whether to fetch them does not
// change what the dataset is.
var (
	// NewMNIST builds an MNIST(root="", train=true, download=false); an
	// empty root is DefaultMNISTRoot().
	NewMNIST = mlregistry.Register(Default.Datasets, newMNIST,
		mlregistry.Params("root", "train", "download"),
		mlregistry.Defaults(mlregistry.Kwargs{"root": "", "train": true, "download": false}))

	// NewDigits builds a Digits(train=true).
	NewDigits = mlregistry.Register(Default.Datasets, newDigits,
		mlregistry.Params("train"),
		mlregistry.Defaults(mlregistry.Kwargs{"train": true}))
)
