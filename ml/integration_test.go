package ml

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// TestMNIST trains the README's pipeline on real MNIST for 200 steps, saves
// the run, loads it back and checks that the rebuilt pipeline has the same
// hashes and the same test accuracy.
func TestMNIST(t *testing.T) {
	needsGoMLX(t)
	steps := 200
	if raceEnabled {
		steps = 20 // the race detector slows GoMLX's kernels about tenfold
	}
	if testing.Short() {
		t.Skip("trains on MNIST for 200 steps (about 6 s)")
	}
	spec := DefaultSpec()
	spec.Training.Steps = steps
	p, err := Default.Build(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	runs := t.TempDir()
	res, err := (&Trainer{RunsDir: runs}).Train(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d steps: test accuracy %.4f, loss %.4f, %v/step", res.Steps, res.TestAccuracy, res.Loss, res.StepTime())
	if !raceEnabled && res.TestAccuracy < 0.85 {
		t.Errorf("test accuracy %.4f after %d steps, want ≥ 0.85", res.TestAccuracy, steps)
	}
	if want := filepath.Join(runs, hashOf(t, p.Model)); res.Dir != want {
		t.Errorf("run directory %s, want %s (named by the model's hash)", res.Dir, want)
	}

	run, err := Default.Load(res.Dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := run.Pipeline
	for role, pair := range map[string][2]any{
		"model": {p.Model, q.Model}, "criterion": {p.Criterion, q.Criterion},
		"optimizer": {p.Optimizer, q.Optimizer}, "dataset": {p.Dataset, q.Dataset},
	} {
		if h1, h2 := hashOf(t, pair[0]), hashOf(t, pair[1]); h1 != h2 {
			t.Errorf("%s: rebuilt with hash %s, trained with %s", role, h2, h1)
		}
	}
	if q.Training != p.Training.withDefaults() {
		t.Errorf("training settings %+v, want %+v", q.Training, p.Training.withDefaults())
	}
	test, err := q.Dataset.Test()
	if err != nil {
		t.Fatal(err)
	}
	acc, err := Accuracy(nil, q.Model, test)
	if err != nil {
		t.Fatal(err)
	}
	if acc != res.TestAccuracy || run.Document.Result.TestAccuracy != res.TestAccuracy {
		t.Errorf("rebuilt pipeline: accuracy %v (document says %v), trained one %v", acc, run.Document.Result.TestAccuracy, res.TestAccuracy)
	}
}

// TestLoadRefuses checks that a run directory whose document was edited
// is refused, and that a fresh model is not mistaken for a trained one.
func TestLoadRefuses(t *testing.T) {
	needsGoMLX(t)
	p := digitsPipeline(t, 1)
	p.Training.Epochs = 1
	res, err := (&Trainer{RunsDir: t.TempDir()}).Train(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	docPath := filepath.Join(res.Dir, DocumentFile)
	data, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}

	edit := func(t *testing.T, change func(doc map[string]any)) string {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		change(doc)
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(res.Dir)); err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(doc)
		if err := os.WriteFile(filepath.Join(dir, DocumentFile), out, 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	t.Run("tampered argument", func(t *testing.T) {
		dir := edit(t, func(doc map[string]any) {
			model := doc["model"].(map[string]any)
			model["args"].([]any)[1] = 65 // hidden_size
			model["arguments"].(map[string]any)["hidden_size"] = 65
		})
		_, err := Default.Load(dir, nil)
		if !errors.Is(err, mlregistry.ErrTampered) {
			t.Fatalf("Load = %v, want ErrTampered", err)
		}
	})
	t.Run("unknown component", func(t *testing.T) {
		dir := edit(t, func(doc map[string]any) {
			doc["criterion"].(map[string]any)["name"] = "CrossEntropy"
		})
		_, err := Default.Load(dir, nil)
		if !errors.Is(err, mlregistry.ErrNotFound) {
			t.Fatalf("Load = %v, want ErrNotFound", err)
		}
	})
	t.Run("other format", func(t *testing.T) {
		dir := edit(t, func(doc map[string]any) { doc["format"] = "something/v9" })
		if _, err := Default.Load(dir, nil); err == nil {
			t.Fatal("Load accepted another format")
		}
	})
	t.Run("no checkpoint", func(t *testing.T) {
		dir := edit(t, func(map[string]any) {})
		if err := os.RemoveAll(filepath.Join(dir, CheckpointDir)); err != nil {
			t.Fatal(err)
		}
		if _, err := Default.Load(dir, nil); err == nil {
			t.Fatal("Load succeeded without a checkpoint")
		}
	})
}

// TestSaveLoadNested saves and loads a pipeline whose model nests a
// component (MLP with a LeakyReLU): the nested envelope is rebuilt through
// the linked Models registry, hashes and accuracy survive, and the loaded
// pipeline trains on from the restored optimizer state.
func TestSaveLoadNested(t *testing.T) {
	needsGoMLX(t)
	m := must(NewMLP(64, []int{32, 16}, 10, must(NewLeakyReLU(0.1)), 0))
	p := &Pipeline{
		Model:     m,
		Criterion: must(NewCrossEntropyLoss(0.05)),
		Optimizer: must(NewSGD(m.Parameters(), 0.05, 0.9)),
		Dataset:   must(NewDigits(true)),
		Training:  Training{BatchSize: 32, Epochs: 3, Seed: 11},
	}
	res, err := (&Trainer{RunsDir: t.TempDir()}).Train(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	run, err := Default.Load(res.Dir, mlregistry.Kwargs{"root": "/not/used", "download": false})
	if err != nil {
		t.Fatal(err)
	}
	q := run.Pipeline
	if hashOf(t, q.Model) != hashOf(t, p.Model) || hashOf(t, q.Optimizer) != hashOf(t, p.Optimizer) {
		t.Error("hashes changed through save and load")
	}
	act := q.Model.(*MLP).Activation
	if lr, ok := act.(*LeakyReLU); !ok || lr.NegativeSlope != 0.1 {
		t.Fatalf("rebuilt activation %#v", act)
	}
	if hashOf(t, act) != hashOf(t, m.Activation) {
		t.Error("the nested activation's hash changed")
	}
	acc := must(Accuracy(nil, q.Model, must(q.Dataset.Test())))
	if acc != res.TestAccuracy {
		t.Errorf("accuracy %v after loading, %v after training", acc, res.TestAccuracy)
	}
	// Both train on one more epoch from the same state: same result.
	p.Training.Epochs, q.Training.Epochs = 1, 1
	r1 := must((&Trainer{}).Train(context.Background(), p))
	r2 := must((&Trainer{}).Train(context.Background(), q))
	if r1.Loss != r2.Loss || r1.TestAccuracy != r2.TestAccuracy {
		t.Errorf("training on: original loss %v accuracy %v, loaded loss %v accuracy %v", r1.Loss, r1.TestAccuracy, r2.Loss, r2.TestAccuracy)
	}
}
