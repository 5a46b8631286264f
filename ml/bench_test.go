package ml

import (
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
func stepper(b *testing.B, trainer *train.Trainer) func(i int) {
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

// BenchmarkTrainStep compares one training step of the README's pipeline —
// Perceptron(784, 256, 10, p=0.5, bias=true), CrossEntropyLoss, Adam(1e-3),
// batch 64 — built through the registry, against the same GoMLX code
// written by hand. The registry only builds the configuration; the graph
// GoMLX compiles and runs is the same, so the two must match.
func BenchmarkTrainStep(b *testing.B) {
	b.Run("registry", func(b *testing.B) { benchSteps(b, registryTrainer(b)) })
	b.Run("handwritten", func(b *testing.B) { benchSteps(b, handwrittenTrainer()) })
}

// BenchmarkTrainStepPaired runs the two in alternation, step by step, and
// reports the median step time of each and their ratio: on a shared
// machine, load from other processes then weighs on both alike, and the
// median ignores the steps a burst of it slowed down.
func BenchmarkTrainStepPaired(b *testing.B) {
	reg, hand := stepper(b, registryTrainer(b)), stepper(b, handwrittenTrainer())
	for i := range 5 {
		reg(i)
		hand(i)
	}
	tReg := make([]time.Duration, 0, b.N)
	tHand := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		first, second, t1, t2 := reg, hand, &tReg, &tHand
		if i%2 == 1 {
			first, second, t1, t2 = hand, reg, &tHand, &tReg
		}
		start := time.Now()
		first(i)
		mid := time.Now()
		second(i)
		*t1 = append(*t1, mid.Sub(start))
		*t2 = append(*t2, time.Since(mid))
	}
	b.StopTimer()
	mReg, mHand := median(tReg), median(tHand)
	b.ReportMetric(float64(mReg.Microseconds())/1000, "registry-ms/step")
	b.ReportMetric(float64(mHand.Microseconds())/1000, "handwritten-ms/step")
	b.ReportMetric(float64(mReg)/float64(mHand), "registry/handwritten")
}

// median returns the median of ds, which it sorts.
func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// registryTrainer builds the README's pipeline through the registry.
func registryTrainer(b *testing.B) *train.Trainer {
	m, err := NewPerceptron(784, 256, 10, 0.5, true)
	if err != nil {
		b.Fatal(err)
	}
	c, _ := NewCrossEntropyLoss(0)
	o, err := NewAdam(m.Parameters(), 1e-3, []float64{0.9, 0.999}, 1e-8, 0)
	if err != nil {
		b.Fatal(err)
	}
	m.Parameters().SetParam(model.ParamInitialSeed, int64(1))
	return train.NewTrainer(Backend(), m.Parameters(),
		func(scope *model.Scope, x *graph.Node) *graph.Node { return m.Forward(scope, x) },
		c.Loss, o.Build(), nil, nil)
}

// handwrittenTrainer is the same pipeline in plain GoMLX.
func handwrittenTrainer() *train.Trainer {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(1))
	modelFn := func(scope *model.Scope, x *graph.Node) *graph.Node {
		h := layers.Dense(scope.In("hidden"), x, true, 256)
		h = activation.Relu(h)
		h = layers.DropoutStatic(scope, h, 0.5)
		return layers.Dense(scope.In("output"), h, true, 10)
	}
	opt := optimizer.Adam().LearningRate(1e-3).Betas(0.9, 0.999).Epsilon(1e-8).Done()
	return train.NewTrainer(Backend(), store, modelFn, loss.SparseCategoricalCrossEntropyLogits, opt, nil, nil)
}
