package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/store"
)

// runCLI runs the CLI with args and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// fixture is a store holding two recorded runs of real ml components.
type fixture struct {
	db                         string
	run1, run2                 string
	model1, model2, adam, loss string
	digits                     string
	dir                        string
}

func envelopeOf(t *testing.T, x any) store.Component {
	t.Helper()
	md, ok := mlregistry.MetadataOf(x)
	if !ok {
		t.Fatalf("%T has no metadata", x)
	}
	env, err := json.Marshal(md)
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.ComponentFromEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	dir := t.TempDir()
	fx := fixture{db: "sqlite://" + filepath.Join(dir, "cli.db"), dir: dir}
	ctx := context.Background()
	s, err := store.Open(ctx, fx.db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m1, err := ml.NewPerceptron(64, 32, 10, 0.5, true)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := ml.NewPerceptron(64, 16, 10, 0.25, true)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := ml.NewCrossEntropyLoss(0.0)
	if err != nil {
		t.Fatal(err)
	}
	adam, err := ml.NewAdam(m1.Parameters(), 1e-3, []float64{0.9, 0.999}, 1e-8, 0.0)
	if err != nil {
		t.Fatal(err)
	}
	digits, err := ml.NewDigits(true)
	if err != nil {
		t.Fatal(err)
	}
	cs := []store.Component{envelopeOf(t, m1), envelopeOf(t, m2), envelopeOf(t, loss), envelopeOf(t, adam), envelopeOf(t, digits)}
	fx.model1, fx.model2, fx.loss, fx.adam, fx.digits = cs[0].Hash, cs[1].Hash, cs[2].Hash, cs[3].Hash, cs[4].Hash
	links := func(model string) []store.RunComponent {
		return []store.RunComponent{{Role: "model", Hash: model}, {Role: "criterion", Hash: fx.loss}, {Role: "optimizer", Hash: fx.adam}, {Role: "dataset", Hash: fx.digits}}
	}
	r1, err := s.StartRun(ctx, store.Run{ID: "run-one", Components: links(fx.model1), Records: cs, Params: map[string]any{"batch_size": 64, "steps": 100}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LogMetrics(ctx, r1.ID, store.Metric{Step: 1, Name: "loss", Value: 2.3}, store.Metric{Step: 100, Name: "loss", Value: 0.4}); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, r1.ID, store.StatusSucceeded, map[string]float64{"test_accuracy": 0.91}); err != nil {
		t.Fatal(err)
	}
	r2, err := s.StartRun(ctx, store.Run{ID: "run-two", Components: links(fx.model2), Params: map[string]any{"batch_size": 32, "steps": 100}})
	if err != nil {
		t.Fatal(err)
	}
	fx.run1, fx.run2 = r1.ID, r2.ID
	return fx
}

// file writes the envelope of the recorded component hash to a file named
// name and returns its path.
func (fx fixture) file(t *testing.T, name, hash string) string {
	t.Helper()
	s, err := store.Open(context.Background(), fx.db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.Component(context.Background(), hash)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(fx.dir, name)
	if err := os.WriteFile(p, c.Envelope, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRecordsCommands runs each command against a fixture store and checks
// the exit code and what it printed.
func TestRecordsCommands(t *testing.T) {
	fx := newFixture(t)
	db := "--db=" + fx.db
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings of stdout
		stderr []string // substrings of stderr
	}{
		{"LsComponents", []string{"ls", db}, 0, []string{"HASH", "Perceptron", "Adam", "Digits", fx.model1}, nil},
		{"LsByName", []string{"ls", db, "--name", "Perceptron"}, 0, []string{fx.model1, fx.model2}, nil},
		{"LsByKindJSON", []string{"ls", db, "--kind", "optimizer", "--json"}, 0, []string{`"name": "Adam"`}, nil},
		{"LsPaged", []string{"ls", db, "--limit", "2"}, 0, nil, []string{"more: mlregistry ls", "--after"}},
		{"LsRuns", []string{"ls", "runs", db}, 0, []string{"run-one", "run-two", "succeeded", "test_accuracy=0.91"}, nil},
		{"LsRunsOfComponent", []string{"ls", "runs", db, "--component", fx.model2[:8]}, 0, []string{"run-two"}, nil},
		{"LsRunsBadFlag", []string{"ls", "runs", db, "--kind", "model"}, 2, nil, []string{"--name and --kind filter components"}},
		{"LsWhat", []string{"ls", db, "everything"}, 2, nil, []string{"expected components or runs"}},
		{"ShowComponent", []string{"show", db, fx.model1[:6]}, 0, []string{"Perceptron", "signature", "hidden_size", "32", "run-one"}, nil},
		{"ShowComponentJSON", []string{"show", fx.adam, db, "--json"}, 0, []string{`"envelope"`, `"runs"`, "run-two"}, nil},
		{"ShowRun", []string{"show", db, "run-one"}, 0, []string{"succeeded", "optimizer", "Adam", "loss", "0.4"}, nil},
		{"ShowNotFound", []string{"show", db, "abcdef"}, 3, nil, []string{"no component hash and no run ID"}},
		{"ShowShortPrefix", []string{"show", db, "ab"}, 2, nil, []string{`"ab" is not a hash or hash prefix: expected 4 to 32 hex digits`}},
		{"ShowNoArg", []string{"show", db}, 2, nil, []string{"expected 1 argument"}},
		{"DiffRuns", []string{"diff", db, "run-one", "run-two"}, 0,
			[]string{"components.model.arguments.hidden_size", "32", "16", "params.batch_size", "components.model.arguments.p"}, nil},
		{"DiffSame", []string{"diff", db, "run-one", "run-one", "--exit-code"}, 0, []string{"no differences"}, nil},
		{"DiffExitCode", []string{"diff", db, "--exit-code", fx.model1, fx.model2}, 1, []string{"arguments.hidden_size"}, nil},
		{"DiffMixed", []string{"diff", db, "run-one", fx.model1}, 2, nil, []string{"compare two runs or two components"}},
		{"DiffFiles", []string{"diff", db, fx.file(t, "a.json", fx.model1), fx.file(t, "b.json", fx.model2)}, 0, []string{"arguments.hidden_size", "arguments.p"}, nil},
		{"LsAfter", []string{"ls", db, "--limit", "1", "--after", fx.adam}, 0, []string{"CrossEntropyLoss"}, nil},
		{"LsBadCursor", []string{"ls", db, "--after", "nope"}, 2, nil, []string{"cursor"}},
		{"DiffJSON", []string{"diff", db, "--json", "run-one", "run-two"}, 0, []string{`"same": false`, `"path": "params.batch_size"`}, nil},
		{"RebuildComponent", []string{"rebuild", db, fx.model1}, 0, []string{"Perceptron", "matches"}, nil},
		{"RebuildOptimizer", []string{"rebuild", db, fx.adam}, 0, []string{"Adam", "matches"}, []string{"note: optimizer given the parameters of Perceptron"}},
		{"RebuildRun", []string{"rebuild", db, "run-one", "--json"}, 0, []string{`"role": "model"`, `"role": "dataset"`, `"match": true`}, nil},
		{"RebuildNotFound", []string{"rebuild", db, "0000000"}, 3, nil, nil},
		{"Describe", []string{"describe", "Perceptron"}, 0, []string{"hidden_size", "required", "JSON Schema", `"title": "Perceptron"`}, nil},
		{"DescribeJSON", []string{"describe", "--json", "Adam"}, 0, []string{`"excluded": true`, `"schema"`}, nil},
		{"DescribeTypo", []string{"describe", "Perceptorn"}, 3, nil, []string{`did you mean "Perceptron"`}},
		{"DescribeAll", []string{"describe"}, 0, []string{"criterion", "CrossEntropyLoss"}, nil},
		{"Help", []string{"ls", "--help"}, 0, []string{"Usage: mlregistry ls", "-db", "Exit codes"}, nil},
		{"BadFlag", []string{"show", "--nope", "x"}, 2, nil, []string{"flag provided but not defined"}},
		{"BadDB", []string{"ls", "--db", "mysql://x"}, 2, nil, []string{"unknown store backend"}},
		{"NoStore", []string{"ls", "--db", filepath.Join(fx.dir, "none.db")}, 3, nil, []string{"no store at", "none.db"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("mlregistry %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("mlregistry %s: stdout lacks %q:\n%s", strings.Join(tt.args, " "), want, stdout)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("mlregistry %s: stderr lacks %q:\n%s", strings.Join(tt.args, " "), want, stderr)
				}
			}
		})
	}
}
