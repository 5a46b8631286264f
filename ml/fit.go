package ml

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/mlregistry/mlregistry"
)

// MaxWeights bounds the weights a model's sizes may ask for: 2^30 float32
// values are 4 GiB, and training keeps about four times that (weights,
// gradients, Adam's two moments). A model above it is refused before
// anything is allocated, rather than failing half-way with the runtime out
// of memory.
const MaxWeights = 1 << 30

// checkFit reports every way the model does not fit the dataset — an
// input_size other than the dataset's features, an output_size below its
// classes — and sizes whose weights exceed MaxWeights, each at the model
// argument's path (model.arguments.input_size) with the numbers. It reads
// the model's recorded arguments, so it knows the models whose sizes are
// the parameters input_size, hidden_size or hidden_sizes, and output_size,
// as this package's are; others pass.
func (p *Pipeline) checkFit() error {
	md, ok := mlregistry.MetadataOf(p.Model)
	if !ok {
		return nil
	}
	ex := p.Dataset.Examples()
	dataset := "the dataset"
	if dm, ok := mlregistry.MetadataOf(p.Dataset); ok {
		dataset = dm.Name
	}
	var errs []error
	in, hasIn := asInt(md.Arguments["input_size"])
	out, hasOut := asInt(md.Arguments["output_size"])
	if hasIn && in != int64(ex.Features) {
		errs = append(errs, fmt.Errorf("model.arguments.input_size: %s takes %d features, but %s has %d: give input_size %d, or leave it out to take the dataset's",
			md.Name, in, dataset, ex.Features, ex.Features))
	}
	if hasOut && out < int64(ex.Classes) {
		errs = append(errs, fmt.Errorf("model.arguments.output_size: %s gives %d outputs, but %s has %d classes: give output_size %d, or leave it out to take the dataset's",
			md.Name, out, dataset, ex.Classes, ex.Classes))
	}
	if hasIn && hasOut {
		if err := checkWeights(md, in, out); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkWeights refuses layer sizes — input_size, hidden_size or
// hidden_sizes, output_size — whose dense layers hold more than MaxWeights
// weights, naming the largest hidden size.
func checkWeights(md mlregistry.Metadata, in, out int64) error {
	sizes := []float64{float64(in)}
	path, largest := "", -1.0
	if h, ok := asInt(md.Arguments["hidden_size"]); ok {
		sizes = append(sizes, float64(h))
		path, largest = "model.arguments.hidden_size", float64(h)
	}
	if hs := reflect.ValueOf(md.Arguments["hidden_sizes"]); hs.Kind() == reflect.Slice {
		for i := range hs.Len() {
			h, ok := asInt(hs.Index(i).Interface())
			if !ok {
				return nil // not sizes this check knows; the model reports them
			}
			sizes = append(sizes, float64(h))
			if float64(h) > largest {
				path, largest = fmt.Sprintf("model.arguments.hidden_sizes[%d]", i), float64(h)
			}
		}
	}
	sizes = append(sizes, float64(out))
	weights := 0.0
	for i := 1; i < len(sizes); i++ {
		weights += sizes[i-1]*sizes[i] + sizes[i]
	}
	if weights <= MaxWeights {
		return nil
	}
	if path == "" {
		path = "model.arguments.input_size"
		largest = float64(in)
	}
	return fmt.Errorf("%s: %.0f makes %s's layers %.3g weights (%.0f GiB as float32), more than the %d (4 GiB) a model may have",
		path, largest, md.Name, weights, weights*4/(1<<30), MaxWeights)
}

// asInt returns v as an int64 when it is an integer of any Go type.
func asInt(v any) (int64, bool) {
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return r.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(r.Uint()), true
	}
	return 0, false
}
