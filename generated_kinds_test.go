package mlregistry_test

import (
	"reflect"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// level is a named scalar type; label a named string type.
type (
	level int8
	label string
)

// allKinds has a parameter of every kind a generated constructor records
// its own way: each scalar kind, named scalars and strings, and composite
// values. Its 19 parameters take the record's storage beyond the inline
// slots.
type allKinds struct {
	mlregistry.Tracked
	n int
}

func newAllKinds(b bool, i int, i8 int8, i16 int16, i32 int32, i64 int64, u uint, u8 uint8, u16 uint16, u32 uint32,
	u64 uint64, f32 float32, f64 float64, s string, lv level, lb label, ints []int, m map[string]int, v any) *allKinds {
	return &allKinds{n: i}
}

// TestGeneratedEveryKind checks, for every kind, that the generated
// tracking constructor (when built in) records what binding by name
// records: same arguments, same hash — on 32-bit and big-endian machines
// too, where CI runs the core's tests under qemu.
func TestGeneratedEveryKind(t *testing.T) {
	r := mlregistry.New[any]()
	newK := mlregistry.Register(r, newAllKinds, mlregistry.Params("b", "i", "i8", "i16", "i32", "i64", "u", "u8", "u16", "u32",
		"u64", "f32", "f64", "s", "lv", "lb", "ints", "m", "v"))
	if isGenerated(newK) != withGenerated {
		t.Fatalf("generated: %v, want %v", isGenerated(newK), withGenerated)
	}
	args := []any{true, -1 << 30, int8(-8), int16(-16), int32(-32), int64(-1 << 62), uint(1 << 31), uint8(200), uint16(60000), uint32(1 << 31),
		uint64(1<<64 - 1), float32(0.1), negZero(), "short", level(-3), label("a label longer than sixteen bytes"), []int{1, 2}, map[string]int{"a": 1}, 2.5}
	direct := newK(true, -1<<30, -8, -16, -32, -1<<62, 1<<31, 200, 60000, 1<<31,
		1<<64-1, 0.1, negZero(), "short", -3, "a label longer than sixteen bytes", []int{1, 2}, map[string]int{"a": 1}, 2.5)
	byName, err := r.Call("allKinds", args, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := mlregistry.MetadataOf(direct)
	want, _ := mlregistry.MetadataOf(byName)
	if got.Hash != want.Hash || !reflect.DeepEqual(got.Arguments, want.Arguments) || !reflect.DeepEqual(got.Args, want.Args) {
		t.Errorf("direct %+v\nby name %+v", got, want)
	}
	for name, v := range got.Arguments {
		if w := want.Arguments[name]; reflect.TypeOf(v) != reflect.TypeOf(w) {
			t.Errorf("%s: direct %T, by name %T", name, v, w)
		}
	}
}

// negZero is −0, which a constant cannot spell.
func negZero() float64 {
	z := 0.0
	return -z
}
