// Package ml holds real machine-learning components built on GoMLX — models,
// criterions, optimizers and datasets — registered in the typed registries of
// a Repository, and a Trainer that runs a pipeline of them, tracks it, and
// saves it so that it can be rebuilt exactly.
//
// It is the Go counterpart of the pipeline in the Python library's README:
//
//	model, err := ml.NewPerceptron(784, 256, 10, 0.5, true)
//	criterion, err := ml.NewCrossEntropyLoss(0)
//	optimizer, err := ml.NewAdam(model.Parameters(), 1e-3, []float64{0.9, 0.999}, 1e-8, 0)
//	dataset, err := ml.NewMNIST("", true, false) // "": the MNIST files of the GoMNIST module
//	res, err := (&ml.Trainer{RunsDir: "runs"}).Train(ctx, &ml.Pipeline{
//		Model: model, Criterion: criterion, Optimizer: optimizer, Dataset: dataset,
//		Training: ml.Training{BatchSize: 64, Epochs: 1, Seed: 1},
//	})
//	run, err := ml.Default.Load(res.Dir, nil) // the same pipeline, rebuilt from pipeline.json
//
// Every value built by these tracking constructors (or by the registries of
// Default, from names and arguments: see Repository.Build and Spec) carries
// its metadata: read it with mlregistry.MetadataOf.
//
// Components are small pointer types holding their configuration. In GoMLX
// a model is a graph-building function over a variable store and an
// optimizer is a builder; a Model here builds its forward pass into a graph
// and owns the variable store (its Parameters) that holds its weights, and
// an Optimizer holds the Parameters it updates, as PyTorch's do.
//
// Computation runs on GoMLX's pure-Go backend
// (github.com/gomlx/compute/gobackend): no C library, no plugin download.
package ml
