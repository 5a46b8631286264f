package tests

import (
	"reflect"
	"runtime"
	"testing"

	"github.com/mlregistry/mlregistry"
)

type inner struct {
	mlregistry.Tracked
	size int
}

func newInner(size int) *inner { return &inner{size: size} }

func TestInternal(t *testing.T) {
	f := mlregistry.Register(Models, newInner)
	if name := runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name(); name == "reflect.makeFuncStub" {
		t.Fatal("not the generated constructor")
	}
	if md, _ := mlregistry.MetadataOf(f(3)); md.Signature.String() != "{size: int}" {
		t.Errorf("signature = %s", md.Signature)
	}
}
