package positional

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// The README's hash of Perceptron(784, 256, 10, 0.5, true).
const perceptronHash = "a5b23870c829a0112ce11c562ae20f85"

func TestGenerated(t *testing.T) {
	p, err := NewPerceptron(784, 256, 10, 0.5, true)
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := mlregistry.HashOf(p); h != perceptronHash {
		t.Errorf("HashOf = %s, want %s", h, perceptronHash)
	}
	c, _ := Models.Get("Perceptron")
	if want := "newPerceptron builds a multi-layer perceptron with one hidden layer.\n\nIts output is logits."; c.Doc() != want {
		t.Errorf("Doc = %q, want %q", c.Doc(), want)
	}
	var docs []string
	for _, p := range c.Signature().Params() {
		docs = append(docs, p.Name+"="+p.Doc)
	}
	if got, want := strings.Join(docs, ";"), "input_size=features per example;hidden_size=units of the hidden layer;output_size=;p=dropout probability;bias="; got != want {
		t.Errorf("params = %s, want %s", got, want)
	}
	if _, err := NewPerceptron(784, 256, 10, 1.5, true); err == nil || err.Error() != "p must be in [0, 1)" {
		t.Errorf("the constructor's own error: got %v", err)
	}
}

// TestSameAsCall checks that each generated constructor records what
// building by name records: same metadata, same hash.
func TestSameAsCall(t *testing.T) {
	for _, c := range []struct {
		name  string
		built any
		args  []any
	}{
		{"Stack", NewStack("s", 1, 2, 3), []any{"s", []int{1, 2, 3}}},
		{"Labeled", NewLabeled(3, "three"), []any{Mode(3), Label("three")}},
		{"AsModel", NewAsModel("m"), []any{Label("m")}},
		{"Literal", NewLiteral(7), []any{7}},
		{"IntBox", NewIntBox(7), []any{7}},
		{"Anonymous", NewAnonymous(7), []any{7}},
	} {
		byName, err := Models.Call(c.name, c.args, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, ok1 := mlregistry.MetadataOf(c.built)
		want, ok2 := mlregistry.MetadataOf(byName)
		if !ok1 || !ok2 {
			t.Fatalf("%s: untracked (%v, %v)", c.name, ok1, ok2)
		}
		if got.Hash != want.Hash || !reflect.DeepEqual(got.Arguments, want.Arguments) || !reflect.DeepEqual(got.Args, want.Args) {
			t.Errorf("%s: generated %+v, by name %+v", c.name, got, want)
		}
	}
	if s, _ := Models.Signature("Stack"); s.String() != "{name: string, sizes: []int}" {
		t.Errorf("Stack's signature = %s", s)
	}
}

// TestParamsDisagree checks that Params contradicting the source is
// refused, naming both.
func TestParamsDisagree(t *testing.T) {
	if WrongParams == nil || !strings.Contains(WrongParams.Error(), "Params names the parameters [m l], but the source of fixture/positional.newLabeled names them [mode label]") {
		t.Errorf("err = %v", WrongParams)
	}
}

// TestNaNRefused checks that a value with no canonical form is refused
// before the constructor runs, with the error returned.
func TestNaNRefused(t *testing.T) {
	zero := 0.0
	if _, err := NewPerceptron(784, 256, 10, zero/zero, true); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN: got %v", err)
	}
}
