package ml_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
)

// A Sequential is a list of models: each layer's metadata is nested in
// its own, each layer's hash is part of its hash, and a saved Sequential
// is rebuilt layer by layer through the Models registry.
func ExampleNewSequential() {
	first, _ := ml.NewLinear(64, 32, true)
	last, _ := ml.NewLinear(32, 10, true)
	model, err := ml.NewSequential([]ml.Model{first, ml.NewReLU(), last})
	if err != nil {
		log.Fatal(err)
	}
	md, _ := mlregistry.MetadataOf(model)
	fmt.Println(md.Name, md.Signature)

	doc, _ := json.Marshal(md)
	var saved mlregistry.Metadata
	if err := json.Unmarshal(doc, &saved); err != nil {
		log.Fatal(err)
	}
	again, err := ml.Default.Models.Rebuild(saved, nil)
	if err != nil {
		log.Fatal(err)
	}
	h1, _ := mlregistry.HashOf(model)
	h2, _ := mlregistry.HashOf(again)
	fmt.Println("layers:", len(again.(*ml.Sequential).Layers), "same hash:", h1 == h2)

	// A different layer is a different Sequential.
	other, _ := ml.NewLinear(32, 10, false)
	changed, _ := ml.NewSequential([]ml.Model{first, ml.NewReLU(), other})
	h3, _ := mlregistry.HashOf(changed)
	fmt.Println("changed layer, same hash:", h1 == h3)
	// Output:
	// Sequential {layers: []ml.Model}
	// layers: 3 same hash: true
	// changed layer, same hash: false
}
