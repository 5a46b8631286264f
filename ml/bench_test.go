package ml

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// mnistTrain loads the real MNIST training split once.
var mnistTrain = sync.OnceValues(func() (*Examples, error) {
	d, err := NewMNIST("", true, false)
	if err != nil {
		return nil, err
	}
	return d.Examples(), nil
})

// stepper returns a function that runs training step i of trainer on a
// batch of 64 MNIST examples.
func stepper(b testing.TB, trainer *train.Trainer) func(i int) {
	ex, err := mnistTrain()
	if err != nil {
		b.Skip(err)
	}
	const batch = 64
	xs := make([]float32, batch*ex.Features)
	ys := make([]int32, batch)
	return func(i int) {
		start := (i * batch) % (ex.Len() - batch)
		copy(xs, ex.X[start*ex.Features:(start+batch)*ex.Features])
		copy(ys, ex.Y[start:start+batch])
		metrics, err := trainer.TrainStep(train.Batch{
			Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(xs, batch, ex.Features)},
			Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(ys, batch, 1)},
		})
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range metrics {
			_ = m.FinalizeAll()
		}
	}
}

// benchSteps runs b.N training steps of trainer, after warming up (the
// first step compiles the graph).
func benchSteps(b *testing.B, trainer *train.Trainer) {
	step := stepper(b, trainer)
	for i := range 5 {
		step(i)
	}
	b.ResetTimer()
	for i := range b.N {
		step(i)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/step")
}

// BenchmarkTrainStep measures one training step of the README's pipeline
// — Perceptron(784, 256, 10, p=0.5, bias=true), CrossEntropyLoss,
// Adam(1e-3), batch 64 — in ms/step, two ways in the same run:
//
//   - baseline: the pipeline as this package built it before its graphs
//     were shaped for the pure-Go backend, which is GoMLX's own layers
//     (layers.Dense, layers.DropoutStatic, ReLU as max(x, 0)) and GoMLX's
//     Adam: the same GoMLX code written by hand.
//   - optimized: the registry's components as they are now.
//
// The matrix kernels depend on the build: run it once as it is and once
// with GOEXPERIMENT=simd (with -v, a log line says which kernels ran).
func BenchmarkTrainStep(b *testing.B) {
	b.Logf("matrix kernels: %s", Kernels())
	b.Run("baseline", func(b *testing.B) { benchSteps(b, baselineTrainer()) })
	b.Run("optimized", func(b *testing.B) { benchSteps(b, registryTrainer(b)) })
}

// BenchmarkTrainStepPaired runs the two of BenchmarkTrainStep in
// alternation, step by step, and reports the median step time of each and
// their ratio: on a shared machine, load from other processes then weighs
// on both alike, and the median ignores the steps a burst of it slowed
// down.
func BenchmarkTrainStepPaired(b *testing.B) {
	base, opt := stepper(b, baselineTrainer()), stepper(b, registryTrainer(b))
	for i := range 5 {
		base(i)
		opt(i)
	}
	tBase := make([]time.Duration, 0, b.N)
	tOpt := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		first, second, t1, t2 := base, opt, &tBase, &tOpt
		if i%2 == 1 {
			first, second, t1, t2 = opt, base, &tOpt, &tBase
		}
		start := time.Now()
		first(i)
		mid := time.Now()
		second(i)
		*t1 = append(*t1, mid.Sub(start))
		*t2 = append(*t2, time.Since(mid))
	}
	b.StopTimer()
	mBase, mOpt := median(tBase), median(tOpt)
	b.ReportMetric(float64(mBase.Microseconds())/1000, "baseline-ms/step")
	b.ReportMetric(float64(mOpt.Microseconds())/1000, "optimized-ms/step")
	b.ReportMetric(float64(mOpt)/float64(mBase), "optimized/baseline")
}

// median returns the median of ds, which it sorts.
func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// pipelineConfig is what the trainers of the benchmarks and of
// TestOptimizedMatchesBaseline vary: the model's dropout and bias, Adam's
// weight decay, and whether the model is MLP(784, [128, 64], 10, GELU, p)
// (whose layers always have a bias) instead of the Perceptron.
type pipelineConfig struct {
	p           float64
	bias        bool
	weightDecay float64
	mlp         bool
}

// readme is the README's pipeline.
var readme = pipelineConfig{p: 0.5, bias: true}

// registryTrainer builds the README's pipeline through the registry.
func registryTrainer(tb testing.TB) *train.Trainer {
	trainer, _ := optimizedTrainer(tb, readme)
	return trainer
}

// optimizedTrainer builds Perceptron(784, 256, 10, c.p, c.bias) (or the
// MLP), CrossEntropyLoss and Adam(1e-3, weight_decay=c.weightDecay) through
// the registry, and returns the trainer and the model's variables.
func optimizedTrainer(tb testing.TB, c pipelineConfig) (*train.Trainer, *model.Store) {
	var m Model
	var err error
	if c.mlp {
		m, err = NewMLP(784, []int{128, 64}, 10, NewGELU(), c.p)
	} else {
		m, err = NewPerceptron(784, 256, 10, c.p, c.bias)
	}
	if err != nil {
		tb.Fatal(err)
	}
	criterion, _ := NewCrossEntropyLoss(0)
	o, err := NewAdam(m.Parameters(), 1e-3, []float64{0.9, 0.999}, 1e-8, c.weightDecay)
	if err != nil {
		tb.Fatal(err)
	}
	m.Parameters().SetParam(model.ParamInitialSeed, int64(1))
	return train.NewTrainer(Backend(), m.Parameters(),
		func(scope *model.Scope, x *graph.Node) *graph.Node { return m.Forward(scope, x) },
		criterion.Loss, o.Build(), nil, nil), m.Parameters()
}

// baselineTrainer is the README's pipeline in plain GoMLX, as this package
// built it before its graphs were shaped for the pure-Go backend.
func baselineTrainer() *train.Trainer {
	trainer, _ := gomlxTrainer(readme)
	return trainer
}

// gomlxTrainer is the pipeline of optimizedTrainer written with GoMLX's own
// layers and Adam.
func gomlxTrainer(c pipelineConfig) (*train.Trainer, *model.Store) {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(1))
	modelFn := func(scope *model.Scope, x *graph.Node) *graph.Node {
		h := layers.Dense(scope.In("hidden"), x, c.bias, 256)
		h = activation.Relu(h)
		h = layers.DropoutStatic(scope, h, c.p)
		return layers.Dense(scope.In("output"), h, c.bias, 10)
	}
	if c.mlp {
		modelFn = func(scope *model.Scope, x *graph.Node) *graph.Node {
			h := x
			for i, size := range []int{128, 64} {
				layer := scope.In("hidden%d", i)
				h = activation.Gelu(layers.Dense(layer, h, true, size))
				h = layers.DropoutStatic(layer, h, c.p)
			}
			return layers.Dense(scope.In("output"), h, true, 10)
		}
	}
	var opt optimizer.Interface = optimizer.Adam().LearningRate(1e-3).Betas(0.9, 0.999).Epsilon(1e-8).Done()
	if c.weightDecay > 0 {
		opt = &l2Penalty{Interface: opt, amount: c.weightDecay}
	}
	return train.NewTrainer(Backend(), store, modelFn, loss.SparseCategoricalCrossEntropyLogits, opt, nil, nil), store
}

// BenchmarkAccuracy measures Accuracy on MNIST's test split (10,000
// examples) with the README's Perceptron, running the examples through the
// model in batches of 1,000 (what Accuracy did before) and of evalBatch.
func BenchmarkAccuracy(b *testing.B) {
	d, err := NewMNIST("", false, false)
	if err != nil {
		b.Skip(err)
	}
	test := d.Examples()
	for _, batch := range []int{1000, evalBatch} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			m, err := NewPerceptron(784, 256, 10, 0.5, true)
			if err != nil {
				b.Fatal(err)
			}
			m.Parameters().SetParam(model.ParamInitialSeed, int64(1))
			for b.Loop() {
				if _, err := accuracy(nil, m, test, batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
