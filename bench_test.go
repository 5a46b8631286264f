package mlregistry_test

import (
	"reflect"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// benchModel is a plain 5-parameter component (side-table path).
type benchModel struct {
	in, hidden, out int
	p               float64
	bias            bool
}

// benchTracked is the same component on the fast path.
type benchTracked struct {
	mlregistry.Tracked
	in, hidden, out int
	p               float64
	bias            bool
}

//go:noinline
func newBenchModel(in, hidden, out int, p float64, bias bool) *benchModel {
	return &benchModel{in, hidden, out, p, bias}
}

//go:noinline
func newBenchTracked(in, hidden, out int, p float64, bias bool) *benchTracked {
	return &benchTracked{in: in, hidden: hidden, out: out, p: p, bias: bias}
}

var (
	sink       any
	stringSink string
)

var benchParams = mlregistry.Params("input_size", "hidden_size", "output_size", "p", "bias")

// BenchmarkConstruct compares a bare constructor call with the tracking
// constructors of both paths, for a 5-parameter component.
func BenchmarkConstruct(b *testing.B) {
	r := mlregistry.New[any]()
	side := mlregistry.Register(r, newBenchModel, benchParams)
	fast := mlregistry.Register(r, newBenchTracked, benchParams)
	b.Run("bare", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = newBenchModel(784, 256+i&7, 10, 0.5, true)
		}
	})
	b.Run("bare-tracked-type", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = newBenchTracked(784, 256+i&7, 10, 0.5, true)
		}
	})
	// The floor any tracking constructor of an arbitrary func type pays:
	// a reflect.MakeFunc wrapper that only calls the constructor.
	floor := makeFuncFloor(newBenchModel)
	b.Run("makefunc-floor", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = floor(784, 256+i&7, 10, 0.5, true)
		}
	})
	b.Run("side-table", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = side(784, 256+i&7, 10, 0.5, true)
		}
	})
	b.Run("fast-path", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = fast(784, 256+i&7, 10, 0.5, true)
		}
	})
}

// BenchmarkGet measures a lookup by name, across all cores.
func BenchmarkGet(b *testing.B) {
	r := mlregistry.New[any]()
	mlregistry.Register(r, newBenchModel, benchParams, mlregistry.Name("Perceptron"))
	for _, n := range []string{"MLP", "CNN", "RNN", "LSTM", "Transformer", "ResNet", "ViT"} {
		mlregistry.Register(r, newBenchModel, benchParams, mlregistry.Name(n))
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, ok := r.Get("Perceptron"); !ok {
				b.Fatal("not found")
			}
		}
	})
}

// BenchmarkMetadataOf measures reading an instance's metadata snapshot.
func BenchmarkMetadataOf(b *testing.B) {
	r := mlregistry.New[any]()
	side := mlregistry.Register(r, newBenchModel, benchParams)
	fast := mlregistry.Register(r, newBenchTracked, benchParams)
	for _, c := range []struct {
		name string
		x    any
	}{{"side-table", side(784, 256, 10, 0.5, true)}, {"fast-path", fast(784, 256, 10, 0.5, true)}} {
		mlregistry.HashOf(c.x)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				md, _ := mlregistry.MetadataOf(c.x)
				stringSink = md.Name
			}
		})
	}
}

// BenchmarkHashOf measures HashOf after its first call (cached), and the
// first call itself under CanonicalV1.
func BenchmarkHashOf(b *testing.B) {
	r := mlregistry.New[any]()
	side := mlregistry.Register(r, newBenchModel, benchParams)
	fast := mlregistry.Register(r, newBenchTracked, benchParams)
	for _, c := range []struct {
		name string
		x    any
	}{{"cached/side-table", side(784, 256, 10, 0.5, true)}, {"cached/fast-path", fast(784, 256, 10, 0.5, true)}} {
		mlregistry.HashOf(c.x)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				stringSink, _ = mlregistry.HashOf(c.x)
			}
		})
	}
}

// makeFuncFloor wraps f in a reflect.MakeFunc wrapper that does nothing
// but call it.
func makeFuncFloor[F any](f F) F {
	fv := reflect.ValueOf(f)
	return reflect.MakeFunc(fv.Type(), func(in []reflect.Value) []reflect.Value { return fv.Call(in) }).Interface().(F)
}
