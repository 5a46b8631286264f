package tests_test

import (
	"testing"

	"fixture/tests"

	"github.com/mlregistry/mlregistry"
)

type outer struct {
	mlregistry.Tracked
	layers int
}

func newOuter(numLayers int) *outer { return &outer{layers: numLayers} }

func TestExternal(t *testing.T) {
	f := mlregistry.Register(tests.Models, newOuter)
	if md, _ := mlregistry.MetadataOf(f(2)); md.Signature.String() != "{num_layers: int}" {
		t.Errorf("signature = %s", md.Signature)
	}
}
