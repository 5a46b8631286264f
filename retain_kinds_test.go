package mlregistry

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// kindThing is what the generated constructors build.
type kindThing struct {
	_ *int
	_ [24]byte
}

// kindBases are the types the generated parameter types are built over:
// one of every reflect.Kind a parameter can have, hashable or not.
var kindBases = []reflect.Type{
	reflect.TypeFor[bool](),
	reflect.TypeFor[int](), reflect.TypeFor[int8](), reflect.TypeFor[int16](), reflect.TypeFor[int32](), reflect.TypeFor[int64](),
	reflect.TypeFor[uint](), reflect.TypeFor[uint8](), reflect.TypeFor[uint16](), reflect.TypeFor[uint32](), reflect.TypeFor[uint64](),
	reflect.TypeFor[float32](), reflect.TypeFor[float64](),
	reflect.TypeFor[string](),
	reflect.TypeFor[[]int](), reflect.TypeFor[[]string](),
	reflect.TypeFor[map[string]int](), reflect.TypeFor[map[string]any](),
	reflect.TypeFor[*int](), reflect.TypeFor[*string](),
	reflect.TypeFor[any](),
	reflect.TypeFor[[0]int](), reflect.TypeFor[struct{}](),
	// Kinds with no canonical form: refused at construction, never a crash.
	reflect.TypeFor[uintptr](), reflect.TypeFor[complex64](), reflect.TypeFor[complex128](),
	reflect.TypeFor[chan int](), reflect.TypeFor[func()](), reflect.TypeFor[unsafe.Pointer](),
}

// refusedKinds are the kinds checkHashable refuses.
var refusedKinds = map[reflect.Kind]bool{
	reflect.Uintptr: true, reflect.Complex64: true, reflect.Complex128: true,
	reflect.Chan: true, reflect.Func: true, reflect.UnsafePointer: true,
}

// shapes wrap a type: as it is, in single-field structs and arrays (the
// pointer-shaped ones when the type is pointer-like), in a second field,
// and nested.
var shapes = []struct {
	name string
	wrap func(reflect.Type) reflect.Type
}{
	{"T", func(t reflect.Type) reflect.Type { return t }},
	{"struct{P T}", structOf},
	{"[1]T", func(t reflect.Type) reflect.Type { return reflect.ArrayOf(1, t) }},
	{"[2]T", func(t reflect.Type) reflect.Type { return reflect.ArrayOf(2, t) }},
	{"struct{A int8; P T}", func(t reflect.Type) reflect.Type {
		return reflect.StructOf([]reflect.StructField{
			{Name: "A", Type: reflect.TypeFor[int8](), Tag: `json:"a"`},
			{Name: "P", Type: t, Tag: `json:"p"`},
		})
	}},
	{"struct{P struct{P T}}", func(t reflect.Type) reflect.Type { return structOf(structOf(t)) }},
	{"[1]struct{P T}", func(t reflect.Type) reflect.Type { return reflect.ArrayOf(1, structOf(t)) }},
	{"struct{P [1]T}", func(t reflect.Type) reflect.Type { return structOf(reflect.ArrayOf(1, t)) }},
	{"[1][1]T", func(t reflect.Type) reflect.Type { return reflect.ArrayOf(1, reflect.ArrayOf(1, t)) }},
	{"[]struct{P T}", func(t reflect.Type) reflect.Type { return reflect.SliceOf(structOf(t)) }},
	{"map[string]struct{P T}", func(t reflect.Type) reflect.Type { return reflect.MapOf(reflect.TypeFor[string](), structOf(t)) }},
	{"*struct{P T}", func(t reflect.Type) reflect.Type { return reflect.PointerTo(structOf(t)) }},
}

func structOf(t reflect.Type) reflect.Type {
	return reflect.StructOf([]reflect.StructField{{Name: "P", Type: t, Tag: `json:"p"`}})
}

// sampleValue returns a value of type t: the zero value for seed < 0, else
// a value with every pointer, map and slice non-nil and scalars large
// enough that boxing them allocates.
func sampleValue(t reflect.Type, seed int) reflect.Value {
	v := reflect.New(t).Elem()
	if seed < 0 {
		return v
	}
	switch t.Kind() {
	case reflect.Bool:
		v.SetBool(seed%2 == 1)
	case reflect.Int8:
		v.SetInt(int64(100 + seed%20))
	case reflect.Int, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(1000 + seed))
	case reflect.Uint8:
		v.SetUint(uint64(200 + seed%50))
	case reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(uint64(2000 + seed))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.25 + float64(seed))
	case reflect.Complex64, reflect.Complex128:
		v.SetComplex(complex(1, float64(seed)))
	case reflect.String:
		v.SetString(strings.Repeat("s", 1+seed%20) + "é")
	case reflect.Slice:
		v.Set(reflect.MakeSlice(t, 2, 2))
		for i := 0; i < 2; i++ {
			v.Index(i).Set(sampleValue(t.Elem(), seed+i))
		}
	case reflect.Array:
		for i := 0; i < t.Len(); i++ {
			v.Index(i).Set(sampleValue(t.Elem(), seed+i))
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(t))
		for i, k := range []string{"a", "b"} {
			v.SetMapIndex(reflect.ValueOf(k), sampleValue(t.Elem(), seed+i))
		}
	case reflect.Pointer:
		v.Set(reflect.New(t.Elem()))
		v.Elem().Set(sampleValue(t.Elem(), seed))
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			v.Field(i).Set(sampleValue(t.Field(i).Type, seed+i))
		}
	case reflect.Interface:
		v.Set(reflect.ValueOf(1000 + seed))
	case reflect.Chan:
		v.Set(reflect.MakeChan(t, 0))
	case reflect.Func:
		v.Set(reflect.MakeFunc(t, func([]reflect.Value) []reflect.Value { return nil }))
	case reflect.UnsafePointer:
		v.SetPointer(unsafe.Pointer(new(int)))
	}
	return v
}

// refusedType reports whether a value of type t holds a kind that has no
// canonical form.
func refusedType(t reflect.Type) bool {
	if refusedKinds[t.Kind()] {
		return true
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer:
		return refusedType(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if refusedType(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// hasInterface reports whether t holds an interface type, whose decoded
// values are JSON's (numbers as json.Number) rather than the originals.
func hasInterface(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Pointer:
		return hasInterface(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if hasInterface(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// kindCase is one generated parameter type, registered under a scheme.
type kindCase struct {
	name   string // the subtest's
	comp   string // the component's
	typ    reflect.Type
	scheme Scheme
	reg    *Registry[any]
	ctor   reflect.Value // the tracking constructor
}

func kindCases(t testing.TB) []kindCase {
	var cases []kindCase
	thing := reflect.TypeFor[*kindThing]()
	n := 0
	for _, base := range kindBases {
		for _, sh := range shapes {
			typ := sh.wrap(base)
			for _, scheme := range []Scheme{CanonicalV1, PyCompat} {
				n++
				reg := New[any]()
				fn := reflect.MakeFunc(reflect.FuncOf([]reflect.Type{typ}, []reflect.Type{thing}, false),
					func([]reflect.Value) []reflect.Value { return []reflect.Value{reflect.ValueOf(&kindThing{})} })
				ctor, err := TryRegister(reg, fn.Interface(), Name(fmt.Sprintf("K%d", n)), Params("v"), HashScheme(scheme))
				if err != nil {
					if refusedType(typ) {
						continue // refused at registration: clean
					}
					t.Fatalf("register %v: %v", typ, err)
				}
				cases = append(cases, kindCase{
					name:   fmt.Sprintf("%s/%s", strings.ReplaceAll(sh.name, "T", base.String()), scheme),
					comp:   fmt.Sprintf("K%d", n),
					typ:    typ,
					scheme: scheme,
					reg:    reg,
					ctor:   reflect.ValueOf(ctor),
				})
			}
		}
	}
	return cases
}

// build builds an instance of c from v, by the tracking constructor when
// direct is true and by Call otherwise.
func (c kindCase) build(v reflect.Value, direct bool) (any, error) {
	if direct {
		var x any
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("%v", p)
				}
			}()
			x = c.ctor.Call([]reflect.Value{v})[0].Interface()
			return nil
		}()
		return x, err
	}
	return c.reg.Call(c.comp, []any{v.Interface()}, nil)
}

// TestEveryKindAndShape checks, for parameter types built over every kind
// and over single-field structs and arrays of every kind, nested too: the
// same hash for the same value across repeated calls and both construction
// paths, metadata equal to the value, a lossless save → rebuild, snapshot
// isolation, and a clean refusal of what has no canonical form.
func TestEveryKindAndShape(t *testing.T) {
	for _, c := range kindCases(t) {
		t.Run(c.name, func(t *testing.T) {
			for _, seed := range []int{-1, 3} {
				v := sampleValue(c.typ, seed)
				x, err := c.build(v, false)
				if refusedType(c.typ) || (c.scheme == PyCompat && err != nil) {
					// No canonical form (or none PyCompat can write):
					// refused by both paths, never built, never a crash.
					_, derr := c.build(v, true)
					if seed >= 0 && refusedType(c.typ) && (err == nil || derr == nil) {
						t.Fatalf("seed %d: built a value with no canonical form (Call: %v, constructor: %v)", seed, err, derr)
					}
					if err != nil || derr != nil {
						continue
					}
				}
				if err != nil {
					t.Fatalf("seed %d: Call: %v", seed, err)
				}
				h1, _ := HashOf(x)
				y, err := c.build(sampleValue(c.typ, seed), true)
				if err != nil {
					t.Fatalf("seed %d: tracking constructor: %v", seed, err)
				}
				for i := 0; i < 3; i++ {
					if h, _ := HashOf(y); h != h1 {
						t.Fatalf("seed %d: hash %s by the tracking constructor (call %d), %s by Call", seed, h, i, h1)
					}
				}
				md, _ := MetadataOf(x)
				if got := md.Arguments["v"]; !reflect.DeepEqual(got, v.Interface()) {
					t.Fatalf("seed %d: metadata holds %#v, the value was %#v", seed, got, v.Interface())
				}
				// Snapshot isolation: changing what MetadataOf returned
				// changes nothing recorded.
				mutate(reflect.ValueOf(md.Arguments).MapIndex(reflect.ValueOf("v")))
				md.Arguments["v"] = nil
				if md2, _ := MetadataOf(x); !reflect.DeepEqual(md2.Arguments["v"], v.Interface()) {
					t.Fatalf("seed %d: a change to a snapshot reached the record: %#v", seed, md2.Arguments["v"])
				}
				if h, _ := HashOf(x); h != h1 {
					t.Fatalf("seed %d: hash moved after a snapshot was changed", seed)
				}
				// Save → rebuild.
				md, _ = MetadataOf(x)
				data, err := json.Marshal(md)
				if err != nil {
					t.Fatalf("seed %d: marshal: %v", seed, err)
				}
				var back Metadata
				if err := json.Unmarshal(data, &back); err != nil {
					t.Fatalf("seed %d: unmarshal %s: %v", seed, data, err)
				}
				z, err := c.reg.Rebuild(back, nil)
				if err != nil {
					t.Fatalf("seed %d: rebuild %s: %v", seed, data, err)
				}
				if h, _ := HashOf(z); h != h1 {
					t.Fatalf("seed %d: rebuilt hash %s, built %s (%s)", seed, h, h1, data)
				}
				if !hasInterface(c.typ) {
					if mz, _ := MetadataOf(z); !reflect.DeepEqual(mz.Arguments["v"], v.Interface()) {
						t.Fatalf("seed %d: rebuilt %#v, built %#v", seed, mz.Arguments["v"], v.Interface())
					}
				}
			}
		})
	}
}

// mutate changes what v refers to, where it refers to anything.
func mutate(v reflect.Value) {
	if !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if !v.IsNil() {
			e := v.Elem()
			if e.CanSet() {
				e.Set(reflect.Zero(e.Type()))
				return
			}
			mutate(e)
		}
	case reflect.Map:
		if !v.IsNil() {
			v.Clear()
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if e := v.Index(i); e.CanSet() {
				e.Set(reflect.Zero(e.Type()))
			}
		}
	}
}

// kindHashes is the hash of every generated case's sample value, a line each.
func kindHashes(t testing.TB) string {
	var b strings.Builder
	for _, c := range kindCases(t) {
		if refusedType(c.typ) {
			continue
		}
		x, err := c.build(sampleValue(c.typ, 5), false)
		if err != nil {
			fmt.Fprintf(&b, "%s error\n", c.name)
			continue
		}
		h, _ := HashOf(x)
		fmt.Fprintf(&b, "%s %s\n", c.name, h)
	}
	return b.String()
}

// TestEveryKindSameHashInTwoProcesses checks that the generated cases hash
// the same in another process (no address or allocation leaks into a hash).
func TestEveryKindSameHashInTwoProcesses(t *testing.T) {
	if os.Getenv("MLREGISTRY_KIND_HASHES") == "1" {
		fmt.Print(kindHashes(t))
		return
	}
	want := kindHashes(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestEveryKindSameHashInTwoProcesses$")
	cmd.Env = append(os.Environ(), "MLREGISTRY_KIND_HASHES=1")
	out, err := cmd.Output()
	if errors.Is(err, syscall.ENOEXEC) {
		// Under an emulator (CI's qemu runs) the test binary is not this
		// machine's: the native run of the suite checks the two processes.
		t.Skipf("cannot start a second process of this test binary here: %v", err)
	}
	if err != nil {
		t.Fatalf("child process: %v", err)
	}
	got := strings.TrimSuffix(string(out), "PASS\n")
	if got != want {
		t.Fatalf("hashes differ between two processes:\n%s", lineDiff(want, got))
	}
}

func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
		if len(out) > 20 {
			break
		}
	}
	return strings.Join(out, "\n")
}

// TestPointerShapedStructPyCompat is the report's case: a struct whose one
// field is a map hashes as its value, nil or not, under both schemes.
func TestPointerShapedStructPyCompat(t *testing.T) {
	type C struct {
		P map[string]any `json:"p"`
	}
	for _, scheme := range []Scheme{PyCompat, CanonicalV1} {
		ra, rb := New[any](), New[any](HashScheme(scheme))
		newA := Register(ra, func(c C) *kindThing { return &kindThing{} }, Name("M"), Params("c"), HashScheme(scheme))
		newB := Register(rb, func(c map[string]any) *kindThing { return &kindThing{} }, Name("M"), Params("c"), HashScheme(scheme))
		for _, p := range []map[string]any{nil, {"a": 1}} {
			a := newA(C{P: p})
			md, _ := MetadataOf(a)
			if got := md.Arguments["c"].(C).P; !reflect.DeepEqual(got, p) {
				t.Fatalf("%v: recorded %#v, given %#v", scheme, got, p)
			}
			if scheme != PyCompat {
				continue
			}
			ha, _ := HashOf(a)
			hb, _ := HashOf(newB(map[string]any{"p": p}))
			if ha != hb {
				t.Errorf("PyCompat: M(c=C{P: %v}) hashes %s, M(c={\"p\": %v}) %s", p, ha, p, hb)
			}
		}
	}
}
