package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/mlregistry/mlregistry/store"
	_ "github.com/mlregistry/mlregistry/store/sqlite" // registers sqlite://
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "mlregistry")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	s, err := store.Open(ctx, "sqlite://"+filepath.Join(dir, "mlregistry.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	// A component as the core's codec writes it: json.Marshal(metadata).
	model, err := store.ComponentFromEnvelope([]byte(`{"format":"mlregistry/v1","kind":"model","name":"Perceptron",
		"hash":"3f2a9c1d00000000000000000000beef","scheme":"canonical/v1","version":1,
		"arguments":{"input_size":784,"hidden_size":256,"output_size":10}}`))
	if err != nil {
		log.Fatal(err)
	}
	run, err := s.StartRun(ctx, store.Run{
		Components: []store.RunComponent{{Role: "model", Hash: model.Hash}},
		Records:    []store.Component{model},
		Params:     map[string]any{"batch_size": 64},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := s.LogMetrics(ctx, run.ID, store.Metric{Step: 100, Name: "loss", Value: 0.31}); err != nil {
		log.Fatal(err)
	}
	if err := s.FinishRun(ctx, run.ID, store.StatusSucceeded, map[string]float64{"test_accuracy": 0.97}); err != nil {
		log.Fatal(err)
	}

	c, err := s.Component(ctx, "3f2a") // a unique prefix is enough
	if err != nil {
		log.Fatal(err)
	}
	runs, err := s.Runs(ctx, store.RunFilter{Component: c.Hash})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Name, c.Kind, len(runs), runs[0].Status, runs[0].Final["test_accuracy"])
	// Output: Perceptron model 1 succeeded 0.97
}

func ExampleDiff() {
	a := `{"format":"mlregistry/v1","name":"Adam","hash":"aaaa","arguments":{"lr":0.001,"betas":[0.9,0.999]}}`
	b := `{"format":"mlregistry/v1","name":"Adam","hash":"bbbb","arguments":{"lr":0.01,"betas":[0.9,0.99]}}`
	changes, err := store.Diff([]byte(a), []byte(b))
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range changes {
		fmt.Println(c)
	}
	// Output:
	// arguments.betas[1]: 0.999 → 0.99
	// arguments.lr: 0.001 → 0.01
}
