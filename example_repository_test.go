package mlregistry_test

import (
	"fmt"

	"github.com/mlregistry/mlregistry"
)

// Model, Criterion, Optimizer and Dataset are the interfaces of the
// example's typed registries; the real GoMLX components live in package ml.
type (
	Model     interface{ Parameters() []float64 }
	Criterion interface {
		Loss(pred, target []float64) float64
	}
	Optimizer interface{ Step() }
	Dataset   interface{ Len() int }
)

// Parameters makes Perceptron a Model.
func (p *Perceptron) Parameters() []float64 { return make([]float64, p.InputSize*p.HiddenSize) }

// CrossEntropyLoss is a stand-in criterion.
type CrossEntropyLoss struct{ mlregistry.Tracked }

// Loss is a stand-in.
func (*CrossEntropyLoss) Loss(pred, target []float64) float64 { return 0 }

// Adam is a stand-in optimizer; params is a runtime input.
type Adam struct {
	params []float64
	lr     float64
}

// Step is a stand-in.
func (a *Adam) Step() {}

// MNIST is a stand-in dataset; root and download are runtime inputs.
type MNIST struct {
	root  string
	train bool
}

// Len is a stand-in.
func (m *MNIST) Len() int {
	if m.train {
		return 60000
	}
	return 10000
}

// Repository holds the typed registries of a training pipeline, as the
// seed recommends.
type Repository struct {
	Models     *mlregistry.Registry[Model]
	Criterions *mlregistry.Registry[Criterion]
	Optimizers *mlregistry.Registry[Optimizer]
	Datasets   *mlregistry.Registry[Dataset]
}

// The seed's Repository: an optimizer's parameters and a dataset's root
// folder are runtime inputs, excluded from metadata and hash.
func Example_repository() {
	repo := Repository{
		Models:     mlregistry.New[Model](mlregistry.Kind("model")),
		Criterions: mlregistry.New[Criterion](mlregistry.Kind("criterion")),
		Optimizers: mlregistry.New[Optimizer](mlregistry.Kind("optimizer"),
			mlregistry.ExcludePositions(0), mlregistry.ExcludeParams("params")),
		Datasets: mlregistry.New[Dataset](mlregistry.Kind("dataset"),
			mlregistry.ExcludePositions(0), mlregistry.ExcludeParams("root", "download")),
	}
	newPerceptron := mlregistry.Register(repo.Models, NewPerceptron,
		mlregistry.Params("input_size", "hidden_size", "output_size", "p", "bias"))
	newLoss := mlregistry.Register(repo.Criterions, func() *CrossEntropyLoss { return &CrossEntropyLoss{} })
	newAdam := mlregistry.Register(repo.Optimizers,
		func(params []float64, lr float64) *Adam { return &Adam{params, lr} },
		mlregistry.Params("params", "lr"), mlregistry.Defaults(mlregistry.Kwargs{"lr": 1e-3}))
	newMNIST := mlregistry.Register(repo.Datasets,
		func(root string, train, download bool) *MNIST { return &MNIST{root, train} },
		mlregistry.Params("root", "train", "download"))

	model := newPerceptron(784, 256, 10, 0.5, true)
	criterion := newLoss()
	optimizer := newAdam(model.Parameters(), 1e-3)
	dataset := newMNIST("data", true, true)

	for _, c := range []any{model, criterion, optimizer, dataset} {
		md, _ := mlregistry.MetadataOf(c)
		fmt.Printf("%-9s %-16s %v %v\n", md.Kind, md.Name, md.Arguments, md.Signature)
	}
	// The dataset's hash ignores where its files are.
	elsewhere := newMNIST("/mnt/datasets", true, false)
	h1, _ := mlregistry.HashOf(dataset)
	h2, _ := mlregistry.HashOf(elsewhere)
	fmt.Println(h1 == h2)
	// Output:
	// model     Perceptron       map[bias:true hidden_size:256 input_size:784 output_size:10 p:0.5] {input_size: int, hidden_size: int, output_size: int, p: float64, bias: bool}
	// criterion CrossEntropyLoss map[] {}
	// optimizer Adam             map[lr:0.001] {lr: float64}
	// dataset   MNIST            map[train:true] {train: bool}
	// true
}
