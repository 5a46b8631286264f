package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
)

func TestHashCommand(t *testing.T) {
	fx := newFixture(t)
	dir := t.TempDir()
	write := func(name, content string) string { return writeFile(t, dir, name, content) }
	m, err := ml.NewPerceptron(64, 32, 10, 0.5, true)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := mlregistry.MetadataOf(m)
	env, _ := json.Marshal(md)
	metadata := write("model.json", string(env))
	tampered := write("tampered.json", strings.NewReplacer(`"hidden_size":32`, `"hidden_size":33`, `[64,32,10`, `[64,33,10`).Replace(string(env)))
	spec := write("adam.json", `{"name":"Adam","kind":"optimizer","kwargs":{"lr":0.01}}`)
	pipeline := write("pipeline.json", `{"model":{"name":"Perceptron","args":[64,32,10]},"criterion":{"name":"CrossEntropyLoss"},
		"optimizer":{"name":"Adam"},"dataset":{"name":"Digits"},"training":{"batch_size":32,"steps":1}}`)
	p, err := ml.Default.Build(ml.Spec{
		Model:     ml.ComponentSpec{Name: "Perceptron", Args: []any{64, 32, 10}},
		Criterion: ml.ComponentSpec{Name: "CrossEntropyLoss"},
		Optimizer: ml.ComponentSpec{Name: "Adam"},
		Dataset:   ml.ComponentSpec{Name: "Digits"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ml.NewDocument(p)
	if err != nil {
		t.Fatal(err)
	}
	docJSON, err := doc.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	document := write("document.json", string(docJSON))

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"Metadata", []string{"hash", metadata}, 0, []string{md.Hash, "matches"}, nil},
		{"MetadataRecorded", []string{"hash", "--db", fx.db, metadata, "--json"}, 0, []string{`"recorded": true`, `"match": true`}, nil},
		{"Tampered", []string{"hash", tampered}, 1, nil, []string{"tampered.json", "hash"}},
		{"ComponentSpec", []string{"hash", spec}, 0, []string{"Adam", "optimizer", "no hash stated"}, nil},
		{"PipelineSpec", []string{"hash", pipeline}, 0, []string{"model", md.Hash, "dataset", "Digits"}, nil},
		{"PipelineDocument", []string{"hash", document}, 0, []string{"optimizer", "Adam", "matches"}, nil},
		{"NotJSON", []string{"hash", write("bad.json", "{")}, 2, nil, []string{"not a JSON object"}},
		{"Unknown", []string{"hash", write("unknown.json", `{"name":"Perceptrn","args":[1,2,3]}`)}, 3, nil, []string{`did you mean "Perceptron"`}},
		{"Missing", []string{"hash", filepath.Join(dir, "none.json")}, 2, nil, []string{"no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("mlregistry %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}
