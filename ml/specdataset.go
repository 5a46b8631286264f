package ml

import (
	"reflect"

	"github.com/mlregistry/mlregistry"
)

// FitDefaultModel returns spec with its model made to fit its dataset when
// the model is DefaultSpec's (the Perceptron for MNIST) and the dataset is
// another: Perceptron(hidden_size=256, p=0.5, bias=true), whose input and
// output sizes Build takes from the dataset. A spec that names its own
// model is returned as it is. It is what train --dataset Digits and a
// pipeline file that names only a dataset mean.
func FitDefaultModel(spec Spec) Spec {
	def := DefaultSpec()
	if reflect.DeepEqual(spec.Model, def.Model) && spec.Dataset.Name != def.Dataset.Name {
		spec.Model = ComponentSpec{Name: "Perceptron", Kwargs: mlregistry.Kwargs{"hidden_size": 256, "p": 0.5, "bias": true}}
	}
	return spec
}
