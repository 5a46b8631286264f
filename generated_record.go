package mlregistry

import (
	"fmt"
	"math"
	"reflect"
	"unicode/utf8"
	"unsafe"
)

// Tracker records the instances of one registered component for its
// generated tracking constructor. Register makes it; generated code calls
// Begin, the Record functions, Check and Attach, in that order, for each
// instance. It records exactly what the tracking constructor that
// Register makes without generated code records: same metadata, same
// hash.
type Tracker struct {
	c *component
	// floats and strings list the parameters Check looks at when every
	// non-excluded parameter is a bool, an integer, a float64 or a plain
	// string (quick is set): the only values that can be refused are
	// those floats (NaN, ±Inf) and strings (invalid UTF-8). Otherwise, or
	// when one is refused, Check is checkHashable, which says why.
	quick   bool
	floats  []int
	strings []int
}

// bind makes t record for c.
func (t *Tracker) bind(c *component) {
	t.c = c
	t.quick = true
	for _, i := range c.sorted {
		switch c.sig.params[i].Type.Kind() {
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		case reflect.Float64:
			t.floats = append(t.floats, i)
		case reflect.String:
			if c.sig.params[i].Type != stringType {
				t.quick = false // a named string type: checkHashable checks it
			}
			t.strings = append(t.strings, i)
		default:
			t.quick = false
		}
	}
}

// Recording is the metadata of one instance being built by a generated
// tracking constructor: Tracker.Begin starts it, the Record functions
// fill it, Attach gives it to the instance. It is for generated code.
type Recording struct {
	r *record
}

// Begin starts the record of an instance built by a direct call: every
// parameter given by position, or, for a config struct, by name.
func (t *Tracker) Begin() Recording {
	c := t.c
	rec := newRecord(c, len(c.sig.params))
	if c.structArg != nil {
		rec.nameAll()
	} else {
		rec.nPos = len(c.sig.params)
	}
	return Recording{r: rec}
}

// Check refuses, before the constructor runs, recorded values that have
// no canonical form (NaN, invalid UTF-8, ...), as a *ValidationError:
// the error Register's reflection-based constructor reports.
func (t *Tracker) Check(r Recording) error {
	if t.quick {
		ok := true
		for _, i := range t.floats {
			f := *(*float64)(unsafe.Pointer(&r.r.words[i]))
			ok = ok && !math.IsNaN(f) && !math.IsInf(f, 0)
		}
		for _, i := range t.strings {
			s, isString := r.r.values[i].(string)
			ok = ok && isString && utf8.ValidString(s)
		}
		if ok {
			return nil
		}
	}
	return t.c.checkHashable(r.r, "")
}

// Scalar is the constraint of RecordScalar: booleans and numbers that
// fit in 8 bytes, of any named type.
type Scalar interface {
	~bool | ~int | ~int8 | ~int16 | ~int32 | ~int64 |
		~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr |
		~float32 | ~float64
}

// kept reports whether parameter i is recorded (not excluded).
func (r Recording) kept(i int) bool { return !r.r.c.sig.params[i].Excluded }

// RecordScalar records v as parameter i without reflection, in storage
// the record owns, never shared with the instance (so that the record
// cannot keep the instance alive): the record's word i, read back as
// parameter i's type. (An excluded parameter's word is never read.)
func RecordScalar[V Scalar](r Recording, i int, v V) {
	*(*V)(unsafe.Pointer(&r.r.words[i])) = v
}

// RecordString records v as parameter i, in storage of its own.
func RecordString[V ~string](r Recording, i int, v V) {
	if !r.kept(i) {
		return
	}
	r.r.values[i] = V(ownString(string(v)))
}

// RecordValue records v as parameter i, deep-copied as Register's
// tracking constructor copies it: for slices, maps, structs, pointers and
// interfaces, which need reflection to copy.
func RecordValue[V any](r Recording, i int, v V) {
	if !r.kept(i) {
		return
	}
	r.r.set(i, reflect.ValueOf(&v).Elem())
}

// Attach gives the instance p the recorded metadata: in its embedded
// Tracked, else in the side table. A nil p gets nothing.
func Attach[E any](r Recording, p *E) error {
	if p == nil {
		return nil
	}
	if h, ok := any(p).(trackedHolder); ok {
		if t := h.mlregistryTracked(); t != nil {
			t.rec = r.r
			return nil
		}
	}
	var zero E
	if unsafe.Sizeof(zero) == 0 {
		return fmt.Errorf("%s: the instance's type %s has zero size and cannot carry identity; embed mlregistry.Tracked", r.r.c.name, reflect.TypeFor[*E]())
	}
	side.put(unsafe.Pointer(p), r.r)
	return nil
}

// AttachAny is Attach for a constructor whose result is an interface: x
// must hold a pointer, or nil.
func AttachAny(r Recording, x any) error {
	if x == nil {
		return nil
	}
	if err := attach(reflect.ValueOf(x), r.r); err != nil {
		return fmt.Errorf("%s: %w", r.r.c.name, err)
	}
	return nil
}
