//go:build !race

package ml_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
)

// This example executes GoMLX graphs, which the race detector's checkptr
// stops (see GoMLXRaceEnv in the tests): it is left out of race runs.

// Training on the small Digits dataset, saving the run, and loading it
// back: the rebuilt pipeline has the same hashes and the same accuracy.
func ExampleTrainer_Train() {
	runs, err := os.MkdirTemp("", "runs")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(runs)

	spec := ml.DefaultSpec()
	spec.Model = ml.ComponentSpec{Name: "Perceptron", Kwargs: mlregistry.Kwargs{"hidden_size": 64, "p": 0.1}}
	spec.Dataset = ml.ComponentSpec{Name: "Digits"}
	spec.Training = ml.Training{BatchSize: 32, Epochs: 10, Seed: 1}
	p, err := ml.Default.Build(spec, nil)
	if err != nil {
		log.Fatal(err)
	}
	res, err := (&ml.Trainer{RunsDir: runs}).Train(context.Background(), p)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("accuracy above 90%:", res.TestAccuracy > 0.9)

	run, err := ml.Default.Load(res.Dir, nil)
	if err != nil {
		log.Fatal(err)
	}
	h1, _ := mlregistry.HashOf(p.Model)
	h2, _ := mlregistry.HashOf(run.Pipeline.Model)
	acc, err := ml.Accuracy(nil, run.Pipeline.Model, must(run.Pipeline.Dataset.Test()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("same model hash:", h1 == h2)
	fmt.Println("same accuracy:", acc == res.TestAccuracy)
	// Output:
	// accuracy above 90%: true
	// same model hash: true
	// same accuracy: true
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
