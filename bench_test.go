package mlregistry_test

import (
	"maps"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"weak"

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

// newBenchModel and newBenchTracked have generated tracking constructors
// (mlregistry_gen_x_test.go): their parameter names are benchParams'.
//
//go:noinline
func newBenchModel(inputSize, hiddenSize, outputSize int, p float64, bias bool) *benchModel {
	return &benchModel{inputSize, hiddenSize, outputSize, p, bias}
}

//go:noinline
func newBenchTracked(inputSize, hiddenSize, outputSize int, p float64, bias bool) *benchTracked {
	return &benchTracked{in: inputSize, hidden: hiddenSize, out: outputSize, p: p, bias: bias}
}

var (
	sink       any
	stringSink string
	weakSink   weak.Pointer[benchModel]
	argsSink   []any
	kwargsSink mlregistry.Kwargs
)

var benchParams = mlregistry.Params("input_size", "hidden_size", "output_size", "p", "bias")

// reflectBenchModel and reflectBenchTracked call the bench constructors
// from func literals, which have no generated tracking constructor: what
// Register makes of them is its reflect.MakeFunc one.
var (
	reflectBenchModel = func(inputSize, hiddenSize, outputSize int, p float64, bias bool) *benchModel {
		return newBenchModel(inputSize, hiddenSize, outputSize, p, bias)
	}
	reflectBenchTracked = func(inputSize, hiddenSize, outputSize int, p float64, bias bool) *benchTracked {
		return newBenchTracked(inputSize, hiddenSize, outputSize, p, bias)
	}
)

// benchConstructors registers the bench components both ways: through
// Register's reflection-based tracking constructor (side, fast) and
// through the generated one (genSide, genFast; the reflection-based one
// too when built with -tags mlregistry_nogen).
func benchConstructors(b *testing.B) (side func(int, int, int, float64, bool) *benchModel, fast func(int, int, int, float64, bool) *benchTracked,
	genSide func(int, int, int, float64, bool) *benchModel, genFast func(int, int, int, float64, bool) *benchTracked) {
	r := mlregistry.New[any]()
	side = mlregistry.Register(r, reflectBenchModel, benchParams)
	fast = mlregistry.Register(r, reflectBenchTracked, benchParams)
	g := mlregistry.New[any]()
	genSide = mlregistry.Register(g, newBenchModel, benchParams)
	genFast = mlregistry.Register(g, newBenchTracked, benchParams)
	if !isGenerated(genSide) || !isGenerated(genFast) {
		b.Log("no generated tracking constructors (built with -tags mlregistry_nogen?): generated/* measure the reflection-based ones")
	}
	return side, fast, genSide, genFast
}

// BenchmarkConstruct compares a bare constructor call with the tracking
// constructors of both paths, Register's reflection-based ones and the
// generated ones, for a 5-parameter component.
func BenchmarkConstruct(b *testing.B) {
	side, fast, genSide, genFast := benchConstructors(b)
	// The floor any tracking constructor of an arbitrary func type pays:
	// a reflect.MakeFunc wrapper that only calls the constructor.
	floor := makeFuncFloor(newBenchModel)
	// Each is called through a func value, the bare constructors too: the
	// differences are the tracking constructors' costs.
	for _, c := range []struct {
		name string
		call func(i int) any
	}{
		{"bare", func(i int) any { return newBenchModel(784, 256+i&7, 10, 0.5, true) }},
		{"bare-tracked-type", func(i int) any { return newBenchTracked(784, 256+i&7, 10, 0.5, true) }},
		{"makefunc-floor", func(i int) any { return floor(784, 256+i&7, 10, 0.5, true) }},
		// The floor of the side table: the bare constructor and the one
		// weak pointer to its instance that an entry needs.
		{"weak-pointer-floor", func(i int) any {
			x := newBenchModel(784, 256+i&7, 10, 0.5, true)
			weakSink = weak.Make(x)
			return x
		}},
		{"side-table", func(i int) any { return side(784, 256+i&7, 10, 0.5, true) }},
		{"fast-path", func(i int) any { return fast(784, 256+i&7, 10, 0.5, true) }},
		{"generated/side-table", func(i int) any { return genSide(784, 256+i&7, 10, 0.5, true) }},
		{"generated/fast-path", func(i int) any { return genFast(784, 256+i&7, 10, 0.5, true) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for i := 0; b.Loop(); i++ {
				sink = c.call(i)
			}
		})
	}
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
	side, fast, genSide, genFast := benchConstructors(b)
	for _, c := range []struct {
		name string
		x    any
	}{{"side-table", side(784, 256, 10, 0.5, true)}, {"fast-path", fast(784, 256, 10, 0.5, true)},
		{"generated/side-table", genSide(784, 256, 10, 0.5, true)}, {"generated/fast-path", genFast(784, 256, 10, 0.5, true)}} {
		mlregistry.HashOf(c.x)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				md, _ := mlregistry.MetadataOf(c.x)
				stringSink = md.Name
			}
		})
	}
	// The floor of a snapshot: copies of a slice of the 5 arguments and
	// of a map of them, which a caller may change without changing the
	// instance's metadata.
	md, _ := mlregistry.MetadataOf(genFast(784, 256, 10, 0.5, true))
	b.Run("snapshot-floor", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b)()
		for b.Loop() {
			argsSink = slices.Clone(md.Args)
			kwargsSink = maps.Clone(md.Arguments)
		}
	})
}

// BenchmarkHashOf measures HashOf after its first call (cached), and the
// first call itself under CanonicalV1 (the cache cleared before each).
func BenchmarkHashOf(b *testing.B) {
	side, fast, genSide, genFast := benchConstructors(b)
	for _, c := range []struct {
		name string
		x    any
	}{{"cached/side-table", side(784, 256, 10, 0.5, true)}, {"cached/fast-path", fast(784, 256, 10, 0.5, true)},
		{"cached/generated/fast-path", genFast(784, 256, 10, 0.5, true)}} {
		mlregistry.HashOf(c.x)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				stringSink, _ = mlregistry.HashOf(c.x)
			}
		})
	}
	for _, c := range []struct {
		name string
		x    any
	}{{"first/fast-path", fast(784, 256, 10, 0.5, true)}, {"first/generated/fast-path", genFast(784, 256, 10, 0.5, true)},
		{"first/generated/side-table", genSide(784, 256, 10, 0.5, true)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				mlregistry.ForgetHash(c.x)
				stringSink, _ = mlregistry.HashOf(c.x)
			}
		})
	}
}

// reportCPU starts measuring the process's CPU time; the func it returns
// reports it per operation as cpu-ns/op. On a shared machine it is far
// steadier than ns/op, which counts the time the benchmark waited for a
// core; it includes the garbage collector's work on other threads.
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		if start != 0 && b.N > 0 {
			b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// isGenerated reports whether a tracking constructor is a generated one,
// not a reflect.MakeFunc.
func isGenerated(f any) bool {
	return runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name() != "reflect.makeFuncStub"
}

// makeFuncFloor wraps f in a reflect.MakeFunc wrapper that does nothing
// but call it.
func makeFuncFloor[F any](f F) F {
	fv := reflect.ValueOf(f)
	return reflect.MakeFunc(fv.Type(), func(in []reflect.Value) []reflect.Value { return fv.Call(in) }).Interface().(F)
}
