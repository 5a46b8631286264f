package mlregistry

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

type (
	namedInt8   int8
	namedUint16 uint16
	namedFloat  float32
	namedString string
	namedBool   bool
)

type scalarThing struct{ _ int }

// TestScalarHashPlanAgrees checks the precomputed CanonicalV1 message of
// scalar components against canonicalEncoder's, for every scalar kind,
// named types too, at their extremes and at random values.
func TestScalarHashPlanAgrees(t *testing.T) {
	r := New[any]()
	newAll := Register(r, func(b bool, i int, i8 int8, i16 int16, i32 int32, i64 int64, u uint, u8 uint8, u16 uint16,
		u32 uint32, u64 uint64, f32 float32, f64 float64, s string, ni namedInt8, nu namedUint16, nf namedFloat,
		ns namedString, nb namedBool) *scalarThing {
		return &scalarThing{}
	}, Name("All"), Params("b", "i", "i8", "i16", "i32", "i64", "u", "u8", "u16", "u32", "u64", "f32", "f64", "s",
		"ni", "nu", "nf", "ns", "nb"))
	c, _ := r.Get("All")
	if c.c.scalarHash == nil {
		t.Fatal("a component of scalars has no scalar hash plan")
	}
	check := func(x any) {
		t.Helper()
		rec := recordOf(x)
		fast := canonicalHash(rec)
		plan := rec.c.scalarHash
		rec.c.scalarHash = nil
		slow := canonicalHash(rec)
		rec.c.scalarHash = plan
		if fast != slow {
			md, _ := MetadataOf(x)
			t.Errorf("the scalar plan hashes %v to %x, canonicalEncoder to %x", md.Arguments, fast, slow)
		}
	}
	check(newAll(true, math.MinInt, math.MinInt8, math.MinInt16, math.MinInt32, math.MinInt64, 0, 0, 0, 0, 0,
		-math.MaxFloat32, math.Copysign(0, -1), "", math.MinInt8, 0, math.SmallestNonzeroFloat32, "", true))
	check(newAll(false, math.MaxInt, math.MaxInt8, math.MaxInt16, math.MaxInt32, math.MaxInt64, math.MaxUint,
		math.MaxUint8, math.MaxUint16, math.MaxUint32, math.MaxUint64, math.MaxFloat32, math.MaxFloat64,
		"Grüße, 世界", math.MaxInt8, math.MaxUint16, math.MaxFloat32, "long enough to be over sixteen bytes", false))
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		check(newAll(rnd.IntN(2) == 0, int(rnd.Int64()), int8(rnd.Int()), int16(rnd.Int()), int32(rnd.Int()), rnd.Int64(),
			uint(rnd.Uint64()), uint8(rnd.Uint()), uint16(rnd.Uint()), uint32(rnd.Uint()), rnd.Uint64(),
			float32(rnd.NormFloat64()), rnd.NormFloat64()*1e10, string(rune(rnd.IntN(0x10000))), namedInt8(rnd.Int()),
			namedUint16(rnd.Uint()), namedFloat(rnd.Float32()), namedString(rune(rnd.IntN(128))), namedBool(rnd.IntN(2) == 1)))
	}
	// Through Call: values converted and recorded by the reflection path.
	x, err := c.Call([]any{true, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1.5, 2.5, "s", 1, 2, 0.25, "n", false}, nil)
	if err != nil {
		t.Fatal(err)
	}
	check(x)
}

// TestScalarHashPlanOnlyForScalars checks that a component with a value
// of another kind, or under PyCompat, has no scalar plan.
func TestScalarHashPlanOnlyForScalars(t *testing.T) {
	r := New[any]()
	Register(r, func(n int, xs []int) *scalarThing { return &scalarThing{} }, Name("Slice"), Params("n", "xs"))
	Register(r, func(n int) *scalarThing { return &scalarThing{} }, Name("Py"), Params("n"), HashScheme(PyCompat))
	for _, name := range []string{"Slice", "Py"} {
		if c, _ := r.Get(name); c.c.scalarHash != nil {
			t.Errorf("%s has a scalar hash plan", name)
		}
	}
}

// TestScalarHashPlanResumes checks the plan against canonicalEncoder for
// constant leads shorter than a SHA-256 block, of exactly one, and of
// several (long names), with no parameter too: the plan resumes from its
// saved state where a lead has whole blocks, and hashes from the start
// where it has none.
func TestScalarHashPlanResumes(t *testing.T) {
	r := New[any]()
	resumed, fromStart := 0, 0
	for n := 1; n <= 200; n++ {
		name := strings.Repeat("n", n)
		var x any
		if n%7 == 0 {
			x = Register(r, func() *scalarThing { return &scalarThing{} }, Name(name))()
		} else {
			x = Register(r, func(a int, s string) *scalarThing { return &scalarThing{} }, Name(name), Params("a", "s"))(n, name)
		}
		rec := recordOf(x)
		plan := rec.c.scalarHash
		if plan.mid == nil {
			fromStart++
		} else {
			resumed++
		}
		fast := canonicalHash(rec)
		rec.c.scalarHash = nil
		slow := canonicalHash(rec)
		rec.c.scalarHash = plan
		if fast != slow {
			t.Errorf("name of %d bytes: the scalar plan hashes to %x, canonicalEncoder to %x", n, fast, slow)
		}
	}
	if resumed == 0 || fromStart == 0 {
		t.Errorf("%d plans resumed from a saved state and %d hashed from the start: both should occur", resumed, fromStart)
	}
}
