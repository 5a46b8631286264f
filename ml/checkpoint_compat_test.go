package ml

import (
	"context"
	"testing"
)

// TestLoadRunBeforeSpeed loads a run directory written before the graphs
// were shaped for the pure-Go backend (testdata/run-before-speed:
// Perceptron(64, 16, 10) and Adam, 20 steps on Digits, by the commit before
// that change) and checks that the model, with the weights it restores,
// classifies the held-out split as it did when saved, and that training
// continues from the restored weights and Adam state.
func TestLoadRunBeforeSpeed(t *testing.T) {
	needsGoMLX(t)
	run, err := Default.Load("testdata/run-before-speed", nil)
	if err != nil {
		t.Fatal(err)
	}
	test, err := run.Pipeline.Dataset.Test()
	if err != nil {
		t.Fatal(err)
	}
	acc, err := Accuracy(nil, run.Pipeline.Model, test)
	if err != nil {
		t.Fatal(err)
	}
	if want := run.Document.Result.TestAccuracy; acc != want {
		t.Errorf("accuracy %v with the restored weights, %v when saved", acc, want)
	}
	run.Pipeline.Training.Steps = 5
	res, err := (&Trainer{}).Train(context.Background(), run.Pipeline)
	if err != nil {
		t.Fatalf("training on from the restored state: %v", err)
	}
	if res.Steps != 5 {
		t.Errorf("trained %d steps, want 5", res.Steps)
	}
	if step := values(t, run.Pipeline.Model.Parameters(), "/AdamOptimizer/step"); len(step) != 1 || step[0] != 25 {
		t.Errorf("Adam's step count is %v after 20 restored steps and 5 more, want 25", step)
	}
}
