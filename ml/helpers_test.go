package ml

import (
	"testing"

	"github.com/mlregistry/mlregistry"
)

// hashOf returns a tracked value's hash, failing the test otherwise.
func hashOf(t testing.TB, x any) string {
	t.Helper()
	h, ok := mlregistry.HashOf(x)
	if !ok {
		t.Fatalf("%T carries no metadata", x)
	}
	return h
}

// must returns v, and panics on err: for building test fixtures whose
// construction cannot fail unless the test itself is wrong.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// digitsPipeline is a small pipeline that trains in about a second.
func digitsPipeline(t testing.TB, seed int64) *Pipeline {
	t.Helper()
	m := must(NewPerceptron(64, 64, 10, 0.1, true))
	return &Pipeline{
		Model:     m,
		Criterion: must(NewCrossEntropyLoss(0)),
		Optimizer: must(NewAdam(m.Parameters(), 3e-3, []float64{0.9, 0.999}, 1e-8, 0)),
		Dataset:   must(NewDigits(true)),
		Training:  Training{BatchSize: 32, Epochs: 8, Seed: seed},
	}
}
