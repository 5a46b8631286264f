package mlregistry

import (
	"reflect"
	"unsafe"
)

// What a record keeps must never share a tiny-allocator block with an
// instance. The runtime packs pointer-free objects smaller than 16 bytes
// — an int boxed in an interface, a short string's bytes, a small struct —
// several to a block, and frees the block only when all of them are dead.
// Were a record (reachable from the side table) to keep a boxed argument
// that shares a block with its instance, the instance would never die and
// neither would the entry: a leak that the race detector, which turns the
// tiny allocator off, hides. So records store scalars inline in their own
// (pointer-holding, hence never tiny) allocation, copy short strings into
// buffers of at least 16 bytes, and pad small copies.

// tinySize is the size from which the runtime never uses the tiny allocator.
const tinySize = 16

// inlineParams is how many parameters a record stores in one allocation.
const inlineParams = 8

// inlineRecord is a record with room for its values, allocated at once.
type inlineRecord struct {
	record
	vals  [inlineParams]any
	words [inlineParams]uint64
}

// newRecord allocates a record for a component with n parameters.
func newRecord(c *component, n int) *record {
	if n <= inlineParams {
		ir := &inlineRecord{}
		ir.record.c = c
		ir.record.values = ir.vals[:n:n]
		ir.record.words = ir.words[:n:n]
		return &ir.record
	}
	return &record{c: c, values: make([]any, n), words: make([]uint64, n, max(n, 2))}
}

// eface is the runtime's layout of an empty interface.
type eface struct {
	typ, word unsafe.Pointer
}

// typePointer is the runtime type pointer behind a reflect.Type.
func typePointer(t reflect.Type) unsafe.Pointer {
	return (*eface)(unsafe.Pointer(&t)).word
}

// makeEface returns an interface of type t whose value is stored at p;
// t must not be pointer-shaped.
func makeEface(t reflect.Type, p unsafe.Pointer) any {
	var out any
	e := (*eface)(unsafe.Pointer(&out))
	e.typ = typePointer(t)
	e.word = p
	return out
}

// set stores v as the record's value i, in storage the record owns.
func (r *record) set(i int, v reflect.Value) {
	t := v.Type()
	switch v.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		p := unsafe.Pointer(&r.words[i])
		storeScalar(p, v)
		r.values[i] = makeEface(t, p)
	case reflect.String:
		// A string header holds a pointer, so its cell is never tiny.
		p := new(string)
		*p = ownString(v.String())
		r.values[i] = makeEface(t, unsafe.Pointer(p))
	case reflect.Interface:
		if v.IsNil() {
			r.values[i] = nil
			return
		}
		r.set(i, v.Elem())
	default:
		r.values[i] = retained(v)
	}
}

// storeScalar writes the scalar v at p in the layout of its own type (so
// that an int8 reads back right on big-endian machines too).
func storeScalar(p unsafe.Pointer, v reflect.Value) {
	switch v.Kind() {
	case reflect.Bool:
		*(*bool)(p) = v.Bool()
	case reflect.Int:
		*(*int)(p) = int(v.Int())
	case reflect.Int8:
		*(*int8)(p) = int8(v.Int())
	case reflect.Int16:
		*(*int16)(p) = int16(v.Int())
	case reflect.Int32:
		*(*int32)(p) = int32(v.Int())
	case reflect.Int64:
		*(*int64)(p) = v.Int()
	case reflect.Uint:
		*(*uint)(p) = uint(v.Uint())
	case reflect.Uint8:
		*(*uint8)(p) = uint8(v.Uint())
	case reflect.Uint16:
		*(*uint16)(p) = uint16(v.Uint())
	case reflect.Uint32:
		*(*uint32)(p) = uint32(v.Uint())
	case reflect.Uint64:
		*(*uint64)(p) = v.Uint()
	case reflect.Uintptr:
		*(*uintptr)(p) = uintptr(v.Uint())
	case reflect.Float32:
		*(*float32)(p) = float32(v.Float())
	case reflect.Float64:
		*(*float64)(p) = v.Float()
	}
}

// ownString returns s in a buffer that is not tiny-allocated.
func ownString(s string) string {
	if len(s) == 0 || len(s) >= tinySize {
		return s
	}
	buf := make([]byte, len(s), tinySize)
	copy(buf, s)
	return unsafe.String(&buf[0], len(s))
}

// retained deep-copies a composite value into storage that shares no
// tiny block, and boxes it.
func retained(v reflect.Value) any {
	return boxed(deepCopy(v))
}

// boxed boxes v in an interface without tiny allocations: values that are
// not pointer-shaped are copied into padded storage first.
func boxed(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer, reflect.Slice, reflect.Interface:
		return v.Interface()
	case reflect.String:
		p := reflect.New(v.Type())
		p.Elem().SetString(ownString(v.String()))
		return makeEface(v.Type(), p.UnsafePointer())
	}
	if !v.IsValid() {
		return nil
	}
	p := newPadded(v.Type())
	p.Set(v)
	return makeEface(v.Type(), p.Addr().UnsafePointer())
}

// newPadded returns an addressable zero value of type t in storage of at
// least tinySize bytes.
func newPadded(t reflect.Type) reflect.Value {
	if t.Size() >= tinySize || t.Size() == 0 {
		return reflect.New(t).Elem()
	}
	n := tinySize/int(t.Size()) + 1
	return reflect.New(reflect.ArrayOf(n, t)).Elem().Index(0)
}

// paddedCap is a slice capacity whose backing array is at least tinySize
// bytes.
func paddedCap(elem reflect.Type, n int) int {
	if s := int(elem.Size()); s > 0 && n*s < tinySize {
		return tinySize/s + 1
	}
	return n
}
