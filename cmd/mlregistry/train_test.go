package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// trainsGoMLX skips a test that trains under a plain race run: the race
// detector turns checkptr on, which stops GoMLX's pure-Go matmul (see
// GoMLXRaceEnv in package ml). Run the training tests under the race
// detector with:
//
//	MLREGISTRY_GOMLX_RACE=1 go test -race -gcflags=all=-d=checkptr=0 ./cmd/...
func trainsGoMLX(t *testing.T) {
	t.Helper()
	if trainRaceEnabled && os.Getenv("MLREGISTRY_GOMLX_RACE") != "1" {
		t.Skip("trains with GoMLX, which checkptr (on under -race) stops; run with MLREGISTRY_GOMLX_RACE=1 and -gcflags=all=-d=checkptr=0")
	}
}

// runCmd runs the CLI with args and returns its exit code and outputs.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw bytes.Buffer
	code = run(args, &out, &errw)
	return code, out.String(), errw.String()
}

func TestTrainDigits(t *testing.T) {
	trainsGoMLX(t)
	runs := t.TempDir()
	db := "sqlite://" + filepath.Join(t.TempDir(), "runs.db")
	code, out, errOut := runCmd(t, "train", "--dataset", "Digits", "--epochs", "4", "--runs", runs, "--db", db, "--progress", "lines")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"model      Perceptron(input_size=64, hidden_size=256, output_size=10, p=0.5, bias=true)",
		"signature  {input_size: int, hidden_size: int, output_size: int, p: float64, bias: bool}",
		"criterion  CrossEntropyLoss()",
		"optimizer  Adam(lr=0.001)",
		"signature  {lr: float64, betas: []float64, eps: float64, weight_decay: float64}",
		"dataset    Digits()",
		"training   1438 examples, batch 64, 4 epochs, seed 1",
		"result     test accuracy ",
		"saved      " + runs,
		"recorded   run ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "step 88/88 (100%)") {
		t.Errorf("stderr lacks the last progress line:\n%s", errOut)
	}
	entries, _ := os.ReadDir(runs)
	if len(entries) != 1 {
		t.Fatalf("%d run directories, want 1", len(entries))
	}
	saved := filepath.Join(runs, entries[0].Name(), "pipeline.json")
	if _, err := os.Stat(saved); err != nil {
		t.Fatal(err)
	}

	// The saved document trains the same pipeline again: same hashes, a
	// second run directory of the same model.
	code, out2, errOut := runCmd(t, "train", "--pipeline", saved, "--epochs", "1", "--runs", runs, "--db", "none", "--progress", "off")
	if code != exitOK {
		t.Fatalf("retraining from %s: exit %d\n%s\n%s", saved, code, out2, errOut)
	}
	hashes := func(s string) []string {
		var hs []string
		for _, line := range strings.Split(s, "\n") {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "hash" {
				hs = append(hs, f[1])
			}
		}
		return hs
	}
	if h1, h2 := hashes(out), hashes(out2); len(h1) != 4 || strings.Join(h1, " ") != strings.Join(h2, " ") {
		t.Errorf("hashes %v, then from the saved document %v", h1, h2)
	}
	if !strings.Contains(out2, "training   1438 examples, batch 64, 1 epoch, seed 1") ||
		!strings.Contains(out2, "saved      "+filepath.Join(runs, entries[0].Name())+"-2 ") {
		t.Errorf("retraining output:\n%s", out2)
	}
	code, _, errOut = runCmd(t, "train", "--pipeline", saved, "--model", "MLP", "--db", "none")
	if code != exitUsage || !strings.Contains(errOut, "saved pipeline document") {
		t.Errorf("a saved document with --model: exit %d\n%s", code, errOut)
	}
}

func TestTrainPipelineFile(t *testing.T) {
	trainsGoMLX(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "pipeline.json")
	const pipeline = `{
  "model":     {"name": "MLP", "kwargs": {"hidden_sizes": [32], "activation": {"name": "LeakyReLU", "kwargs": {"negative_slope": 0.1}}}},
  "optimizer": {"name": "SGD", "args": [0.05, 0.9]},
  "dataset":   {"name": "Digits"},
  "training":  {"batch_size": 32, "steps": 100, "seed": 7}
}`
	if err := os.WriteFile(file, []byte(pipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "train", "--pipeline", file, "--runs", "", "--db", "none", "--progress", "off")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"model      MLP(input_size=64, hidden_sizes=[32], output_size=10, activation=LeakyReLU(negative_slope=0.1))",
		"optimizer  SGD(0.05, 0.9)",
		"training   1438 examples, batch 32, 100 steps, seed 7",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "saved") || strings.Contains(out, "recorded") {
		t.Errorf("--runs \"\" and --db none still saved or recorded:\n%s", out)
	}
}

func TestTrainRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string { return writeFile(t, dir, name, content) }
	unknown := write("unknown.json", `{"model": {"name": "Perceptorn", "args": [64, 32, 10]}, "dataset": {"name": "Digits"}}`)
	typo := write("typo.json", `{"modle": {"name": "Perceptron"}}`)
	badArg := write("badarg.json", `{"model": {"name": "Perceptron", "kwargs": {"hidden_size": 2.5, "dropout": 0.1}}, "dataset": {"name": "Digits"}}`)
	notJSON := write("bad.json", `{"model": `)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown component", []string{"--pipeline", unknown}, []string{`model.name: model "Perceptorn" is not registered (did you mean "Perceptron"?)`}},
		{"unknown field", []string{"--pipeline", typo}, []string{`unknown field "modle" (did you mean "model"?)`}},
		{"bad arguments", []string{"--pipeline", badArg}, []string{"hidden_size", "not a whole number", `no parameter "dropout"`}},
		{"truncated file", []string{"--pipeline", notJSON}, []string{"bad.json", "unexpected EOF"}},
		{"missing file", []string{"--pipeline", filepath.Join(dir, "nope.json")}, []string{"no such file"}},
		{"unknown flag", []string{"--modle", "MLP"}, []string{"flag provided but not defined: -modle (did you mean --model?)"}},
		{"unknown optimizer flag", []string{"--optimizer", "Adamw"}, []string{`optimizer "Adamw" is not registered (did you mean "Adam"?)`}},
		{"bad args JSON", []string{"--optimizer-args", `{"lr": }`}, []string{"--optimizer-args", "invalid character"}},
		{"args of the wrong kind", []string{"--optimizer-args", `"fast"`}, []string{"--optimizer-args", "want a JSON list"}},
		{"bad progress", []string{"--progress", "fancy"}, []string{`--progress "fancy"`}},
		{"stray argument", []string{"mnist"}, []string{`unexpected argument "mnist"`}},
		{"negative steps", []string{"--steps", "-3"}, []string{"--steps -3: expected a positive number"}},
		{"bad constructor value", []string{"--dataset", "Digits", "--optimizer-args", `{"lr": -1}`}, []string{"lr must be positive"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"train", "--db", "none", "--runs", ""}, tt.args...)
			code, out, errOut := runCmd(t, args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitUsage, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic") {
				t.Errorf("stderr holds a stack trace:\n%s", errOut)
			}
		})
	}
}

func TestTrainHelpAndList(t *testing.T) {
	code, out, _ := runCmd(t, "train", "--help")
	if code != exitOK || !strings.Contains(out, "Usage: mlregistry train [flags]") || !strings.Contains(out, "-pipeline file") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "train", "--list")
	if code != exitOK || !strings.Contains(out, "model      Perceptron        {input_size: int, hidden_size: int, output_size: int, p: float64, bias: bool}") ||
		!strings.Contains(out, "dataset    MNIST             {train: bool}") {
		t.Errorf("--list: exit %d\n%s", code, out)
	}
}

// TestTrainDefaultPipeline runs the README's pipeline — no component flags
// — on real MNIST, for a few steps only.
func TestTrainDefaultPipeline(t *testing.T) {
	trainsGoMLX(t)
	code, out, errOut := runCmd(t, "train", "--steps", "30", "--runs", "", "--db", "none", "--progress", "off")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"model      Perceptron(784, 256, 10, p=0.5, bias=true)",
		`           args       [784, 256, 10]`,
		`           kwargs     {"bias": true, "p": 0.5}`,
		"optimizer  Adam(lr=0.001)",
		"dataset    MNIST(train=true)",
		"training   60000 examples, batch 64, 30 steps, seed 1",
		"result     test accuracy ",
		" on 10000 examples",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}
