package mlregistry_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// TestJSONSchemaKeptUntilRegistriesChange checks that JSONSchema's kept
// schema is the one it would make: the same bytes when nothing changed,
// the caller's own copy, and made again when a registration or a Link
// changes which components a parameter accepts.
func TestJSONSchemaKeptUntilRegistriesChange(t *testing.T) {
	models := mlregistry.New[Net](mlregistry.Kind("model"))
	mlregistry.Register(models, func(in, out int, act Net, bias bool) *Dense { return &Dense{in, out, act, bias} },
		mlregistry.Params("in", "out", "act", "bias"), mlregistry.Name("Dense"))
	first, err := models.JSONSchema("Dense")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := models.JSONSchema("Dense")
	if !bytes.Equal(first, again) {
		t.Fatalf("a second JSONSchema differs with nothing registered between:\n%s\n%s", first, again)
	}
	for i := range again {
		again[i] = 'x'
	}
	if third, _ := models.JSONSchema("Dense"); !bytes.Equal(first, third) {
		t.Fatal("changing the bytes JSONSchema returned changed the next schema: the kept one was shared")
	}
	if strings.Contains(string(first), "LeakyReLU") {
		t.Fatalf("the schema names LeakyReLU before it is registered:\n%s", first)
	}

	// A new model fits act: the schema must now accept it.
	mlregistry.Register(models, func(slope float64) *LeakyReLU { return &LeakyReLU{slope} },
		mlregistry.Params("slope"), mlregistry.Name("LeakyReLU"))
	after, _ := models.JSONSchema("Dense")
	if !strings.Contains(string(after), "LeakyReLU") {
		t.Fatalf("after LeakyReLU's registration the schema of Dense does not accept it (a stale kept schema):\n%s", after)
	}

	// A registration in another registry, linked afterwards, changes it too.
	more := mlregistry.New[Net](mlregistry.Kind("layer"))
	mlregistry.Register(more, func(slope float64) *LeakyReLU { return &LeakyReLU{slope} },
		mlregistry.Params("slope"), mlregistry.Name("OtherReLU"))
	if s, _ := models.JSONSchema("Dense"); strings.Contains(string(s), "OtherReLU") {
		t.Fatalf("the schema accepts a component of a registry not linked:\n%s", s)
	}
	if err := mlregistry.Link(models, more); err != nil {
		t.Fatal(err)
	}
	if s, _ := models.JSONSchema("Dense"); !strings.Contains(string(s), "OtherReLU") {
		t.Fatalf("after Link the schema of Dense does not accept the linked registry's OtherReLU (a stale kept schema):\n%s", s)
	}
}

// BenchmarkJSONSchema measures JSONSchema of a component with a nested
// one, kept (the registries unchanged since the last call) and made (a
// registration between calls).
func BenchmarkJSONSchema(b *testing.B) {
	models := mlregistry.New[Net](mlregistry.Kind("model"))
	mlregistry.Register(models, func(in, out int, act Net, bias bool) *Dense { return &Dense{in, out, act, bias} },
		mlregistry.Params("in", "out", "act", "bias"), mlregistry.Name("Dense"))
	mlregistry.Register(models, func(slope float64) *LeakyReLU { return &LeakyReLU{slope} },
		mlregistry.Params("slope"), mlregistry.Name("LeakyReLU"))
	b.Run("kept", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := models.JSONSchema("Dense"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("made", func(b *testing.B) {
		other := mlregistry.New[any]()
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			mlregistry.Register(other, func() *Stack { return &Stack{} }, mlregistry.Name("s"+strconv.Itoa(i)))
			b.StartTimer()
			if _, err := models.JSONSchema("Dense"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
