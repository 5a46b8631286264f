package ml

import (
	"context"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// TestTrainSequential trains a Sequential — a list of nested components,
// one of them shared — on Digits, saves and loads the run, and checks that
// the list is rebuilt layer by layer with the same hashes, the shared
// layer still shared, and the same accuracy.
func TestTrainSequential(t *testing.T) {
	needsGoMLX(t)
	relu := NewReLU()
	m := must(NewSequential([]Model{must(NewLinear(64, 48, true)), relu, must(NewLinear(48, 32, true)), relu, must(NewLinear(32, 10, false))}))
	p := &Pipeline{
		Model:     m,
		Criterion: must(NewCrossEntropyLoss(0)),
		Optimizer: must(NewAdam(m.Parameters(), 3e-3, []float64{0.9, 0.999}, 1e-8, 0)),
		Dataset:   must(NewDigits(true)),
		Training:  Training{BatchSize: 32, Epochs: 6, Seed: 5},
	}
	if raceEnabled {
		p.Training.Epochs = 1
	}
	res, err := (&Trainer{RunsDir: t.TempDir()}).Train(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if !raceEnabled && res.TestAccuracy < 0.9 {
		t.Errorf("test accuracy %.3f on Digits, want ≥ 0.9", res.TestAccuracy)
	}
	run, err := Default.Load(res.Dir, mlregistry.Kwargs{"root": "/not/used", "download": false})
	if err != nil {
		t.Fatal(err)
	}
	q, ok := run.Pipeline.Model.(*Sequential)
	if !ok || len(q.Layers) != 5 {
		t.Fatalf("loaded model %#v", run.Pipeline.Model)
	}
	if hashOf(t, q) != hashOf(t, m) {
		t.Error("the Sequential's hash changed through save and load")
	}
	for i := range m.Layers {
		if hashOf(t, q.Layers[i]) != hashOf(t, m.Layers[i]) {
			t.Errorf("layers[%d]: hash changed through save and load", i)
		}
	}
	if q.Layers[1] != q.Layers[3] {
		t.Error("the ReLU given twice is two instances after loading")
	}
	if l, ok := q.Layers[4].(*Linear); !ok || l.InFeatures != 32 || l.OutFeatures != 10 || l.Bias {
		t.Errorf("layers[4] loaded as %#v", q.Layers[4])
	}
	acc := must(Accuracy(nil, q, must(run.Pipeline.Dataset.Test())))
	if acc != res.TestAccuracy {
		t.Errorf("accuracy %v after loading, %v after training", acc, res.TestAccuracy)
	}
}

// TestSequentialRefuses checks the constructor's own checks.
func TestSequentialRefuses(t *testing.T) {
	if _, err := NewSequential(nil); err == nil {
		t.Error("an empty Sequential was built")
	}
	if _, err := NewSequential([]Model{NewReLU(), nil}); err == nil {
		t.Error("a Sequential with a null layer was built")
	}
	if _, err := NewLinear(0, 3, true); err == nil {
		t.Error("a Linear with 0 in_features was built")
	}
}
