package mlregistry

import (
	"testing"
)

type hashBenchThing struct{ _ int }

var hashSink string

// benchFirstHash measures HashOf's first call on x: the cache is cleared
// before each call.
func benchFirstHash(b *testing.B, x any) {
	rec := recordOf(x)
	if rec == nil {
		b.Fatal("untracked")
	}
	b.ReportAllocs()
	for b.Loop() {
		rec.hash.Store(nil)
		hashSink, _ = HashOf(x)
	}
}

// BenchmarkHashFirst measures the first HashOf of components under both
// schemes: 5 scalar parameters, a 1,000-element []float64, nesting depth 3.
func BenchmarkHashFirst(b *testing.B) {
	for _, scheme := range []Scheme{CanonicalV1, PyCompat} {
		r := New[any](HashScheme(scheme))
		newP := Register(r, func(in, hidden, out int, p float64, bias bool) *hashBenchThing { return new(hashBenchThing) },
			Name("Perceptron"), Params("input_size", "hidden_size", "output_size", "p", "bias"))
		newW := Register(r, func(w []float64) *hashBenchThing { return new(hashBenchThing) }, Name("Weights"), Params("weights"))
		newN := Register(r, func(inner any) *hashBenchThing { return new(hashBenchThing) }, Name("Nest"), Params("inner"))
		w := make([]float64, 1000)
		for i := range w {
			w[i] = float64(i)*0.001 + 1e-7
		}
		b.Run(scheme.String()+"/5-params", func(b *testing.B) { benchFirstHash(b, newP(784, 256, 10, 0.5, true)) })
		b.Run(scheme.String()+"/1000-float64", func(b *testing.B) { benchFirstHash(b, newW(w)) })
		b.Run(scheme.String()+"/depth-3", func(b *testing.B) {
			leaf := newP(784, 256, 10, 0.5, true)
			x := newN(newN(newN(leaf)))
			// Clear the whole chain's caches each time: depth 3 is
			// hashed from scratch.
			chain := []*record{recordOf(x)}
			for i := 0; i < 3; i++ {
				chain = append(chain, recordOf(chain[i].values[0]))
			}
			b.ReportAllocs()
			for b.Loop() {
				for _, rec := range chain {
					rec.hash.Store(nil)
				}
				hashSink, _ = HashOf(x)
			}
		})
	}
}
