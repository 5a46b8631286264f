//go:build !mlregistry_nogen

package main

import (
	"strings"
	"testing"
)

// TestDescribeDocs checks that describe shows the descriptions the
// generated file (ml/mlregistry_gen.go) takes from the source.
func TestDescribeDocs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"describe", "Perceptron"}, []string{"DESCRIPTION", "features per example", "newPerceptron builds a multi-layer perceptron", `"description": "dropout probability after the hidden layer, in [0, 1)"`}},
		{[]string{"describe", "--json", "Adam"}, []string{`"doc": "newAdam builds an Adam optimizer`, `"doc": "learning rate"`}},
	} {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != 0 {
			t.Fatalf("mlregistry %s: exit %d\n%s", strings.Join(c.args, " "), code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("mlregistry %s: stdout lacks %q:\n%s", strings.Join(c.args, " "), w, stdout)
			}
		}
	}
}
