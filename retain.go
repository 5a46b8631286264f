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
// tiny allocator off, hides.
//
// So a record keeps each such value in storage of its own: bools and
// numbers in the record's words (inline in the record, or an allocation
// of at least two words: never tiny), read back as their parameter's type
// says, so that a component of bools and numbers has no interface values
// to keep at all; a scalar under an interface parameter behind a pointer
// into its word; other small pointer-free values in padded storage. It
// turns them back into interface values only when they are read, in
// allocations that are never tiny either. Everything else — values
// holding pointers, values of 16 bytes or more, pointer-shaped values —
// is boxed by the language as usual, which never uses the tiny allocator
// for them. Nothing here depends on how the runtime lays out interfaces:
// the only unsafe conversions are unsafe.Pointer's documented ones (a
// *uint64 word seen as a smaller scalar, reflect.NewAt of a word as its
// parameter's type, and unsafe.String).

// tinySize is the size from which the runtime never uses the tiny allocator.
const tinySize = 16

// set stores v as the record's value i, in storage the record owns.
func (r *record) set(i int, v reflect.Value) {
	switch v.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		p := unsafe.Pointer(&r.words[i])
		storeScalar(p, v)
		if !r.inWords(i) { // an interface parameter holding a scalar
			r.values[i] = reflect.NewAt(v.Type(), p).Interface()
			r.setIndirect(i)
		}
	case reflect.Interface:
		if v.IsNil() {
			r.values[i] = nil
			return
		}
		r.set(i, v.Elem())
	default:
		d := deepCopy(v)
		if mayBeTiny(d.Type()) {
			p := newPadded(d.Type())
			p.Set(d)
			r.values[i] = p.Addr().Interface()
			r.setIndirect(i)
			return
		}
		r.values[i] = boxed(d)
	}
}

// value returns the record's value i as an interface value of its own
// type. Values kept behind a pointer are boxed once, on first read, in
// storage that is never tiny (see ownBox), and the boxes kept: later reads
// allocate nothing.
func (r *record) value(i int) any {
	if !r.indirect(i) {
		return r.stored(i)
	}
	return r.read().boxes[i]
}

// read returns what reading the record keeps, making it on first use
// with the boxes of the record's values. Two readers may both make it;
// the first one stored is kept.
func (r *record) read() *recordReads {
	if reads := r.reads.Load(); reads != nil {
		return reads
	}
	b := make([]any, len(r.c.sig.params))
	for i := range b {
		if r.indirect(i) {
			b[i] = ownBox(r.stored(i))
		}
	}
	reads := &recordReads{boxes: b}
	if !r.reads.CompareAndSwap(nil, reads) {
		return r.reads.Load()
	}
	return reads
}

// ownBox boxes the value p points to in an allocation of at least
// tinySize bytes: the interface refers to element 0 of a boxed two-element
// array, whose Index does not copy.
func ownBox(p any) any {
	switch p := p.(type) {
	case *int:
		return reflect.ValueOf([2]int{*p}).Index(0).Interface()
	case *float64:
		return reflect.ValueOf([2]float64{*p}).Index(0).Interface()
	case *int64:
		return reflect.ValueOf([2]int64{*p}).Index(0).Interface()
	case *bool:
		return *p // one-byte values are never allocated
	}
	return boxed(reflect.ValueOf(p).Elem())
}

// reflectValue returns the record's value i, without copying it; the
// caller must not change it.
func (r *record) reflectValue(i int) reflect.Value {
	if r.inWords(i) {
		return reflect.NewAt(r.c.sig.params[i].Type, unsafe.Pointer(&r.words[i])).Elem()
	}
	if r.indirect(i) {
		return reflect.ValueOf(r.values[i]).Elem()
	}
	return reflect.ValueOf(r.stored(i))
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

// mayBeTiny reports whether boxing a value of type t may use the tiny
// allocator: t holds no pointers and is smaller than tinySize (and not
// empty, which needs no storage at all).
func mayBeTiny(t reflect.Type) bool {
	return t.Size() > 0 && t.Size() < tinySize && !hasPointers(t)
}

// hasPointers reports whether values of type t hold pointers.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer,
		reflect.Slice, reflect.String, reflect.Interface:
		return true
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// boxed returns v as an interface value whose storage shares no tiny
// block with anything else: values that may be tiny are copied into the
// first element of a padded array first, and the interface refers to
// that element.
func boxed(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if v.Kind() == reflect.String {
		s := ownString(v.String())
		if v.Type() == stringType {
			return s
		}
		return reflect.ValueOf(s).Convert(v.Type()).Interface()
	}
	if !mayBeTiny(v.Type()) {
		return v.Interface()
	}
	// Interface of an element of a non-addressable array refers to the
	// element where it is, without copying it: the array is one
	// allocation of at least tinySize bytes, the box's own.
	arr := reflect.New(reflect.ArrayOf(tinySize/int(v.Type().Size())+1, v.Type())).Elem()
	arr.Index(0).Set(v)
	return reflect.ValueOf(arr.Interface()).Index(0).Interface()
}

// stringType is the type of plain strings.
var stringType = reflect.TypeFor[string]()

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

// deepCopy copies v's slices, maps, arrays, exported struct fields and
// pointers to plain values, so that a recorded argument cannot change
// after construction. Tracked instances are kept as they are: their
// metadata is immutable.
func deepCopy(v reflect.Value) reflect.Value {
	return deepCopyAt(v, 0)
}

func deepCopyAt(v reflect.Value, depth int) reflect.Value {
	if depth > maxDepth || !v.IsValid() {
		return v
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), paddedCap(v.Type().Elem(), v.Len())).Slice(0, v.Len())
		if isScalarKind(v.Type().Elem().Kind()) && v.Type().Elem().Kind() != reflect.String {
			reflect.Copy(out, v)
			return out
		}
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(deepCopyAt(v.Index(i), depth+1))
		}
		return out
	case reflect.Array:
		out := newPadded(v.Type())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(deepCopyAt(v.Index(i), depth+1))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			out.SetMapIndex(it.Key(), deepCopyAt(it.Value(), depth+1))
		}
		return out
	case reflect.Struct:
		out := newPadded(v.Type())
		out.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if out.Field(i).CanSet() {
				out.Field(i).Set(deepCopyAt(v.Field(i), depth+1))
			}
		}
		return out
	case reflect.Pointer:
		if v.IsNil() || recordOfValue(v) != nil || !isPlain(v.Type().Elem()) {
			return v
		}
		out := newPadded(v.Type().Elem())
		out.Set(deepCopyAt(v.Elem(), depth+1))
		return out.Addr()
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		d := deepCopyAt(v.Elem(), depth+1)
		out := reflect.New(v.Type()).Elem()
		if v.Type().NumMethod() == 0 {
			// Set from a Value of interface type keeps our box as it is.
			box := boxed(d)
			out.Set(reflect.ValueOf(&box).Elem())
			return out
		}
		out.Set(d)
		return out
	case reflect.String:
		out := reflect.New(v.Type()).Elem()
		out.SetString(ownString(v.String()))
		return out
	}
	return v
}
