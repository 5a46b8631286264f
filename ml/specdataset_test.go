package ml

import (
	"reflect"
	"testing"
)

func TestFitDefaultModel(t *testing.T) {
	digits := DefaultSpec()
	digits.Dataset = ComponentSpec{Name: "Digits"}
	own := digits
	own.Model = ComponentSpec{Name: "MLP"}
	for _, c := range []struct {
		name      string
		in        Spec
		wantModel ComponentSpec
	}{
		{"default spec", DefaultSpec(), DefaultSpec().Model},
		{"default model, other dataset", digits, ComponentSpec{Name: "Perceptron", Kwargs: map[string]any{"hidden_size": 256, "p": 0.5, "bias": true}}},
		{"own model", own, ComponentSpec{Name: "MLP"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := FitDefaultModel(c.in).Model; !reflect.DeepEqual(got, c.wantModel) {
				t.Errorf("model %+v, want %+v", got, c.wantModel)
			}
		})
	}
	p, err := Default.Build(FitDefaultModel(digits), nil)
	if err != nil || p.Check() != nil {
		t.Fatalf("the fitted Digits spec does not build: %v", err)
	}
}
