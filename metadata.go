package mlregistry

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync/atomic"
)

// Kwargs holds arguments by parameter name.
type Kwargs map[string]any

// Metadata is what an instance built through a registry carries: the
// seed's name, args, kwargs, signature and hash, plus the effective
// arguments it was built from. What MetadataOf returns is a snapshot:
// changing it changes nothing inside.
type Metadata struct {
	// Name is the component's registered name.
	Name string
	// Kind is the kind of the registry that built it ("model", ...), or "".
	Kind string
	// Hash identifies the instance: 32 lowercase hex characters.
	Hash string
	// Scheme is the hash scheme that computed Hash.
	Scheme Scheme
	// Version is the component's version when the instance was built.
	Version int
	// Args are the non-excluded arguments given by position, in order.
	Args []any
	// Kwargs are the non-excluded arguments given by name.
	Kwargs Kwargs
	// Arguments are the effective arguments: every non-excluded parameter
	// by name, defaults filled in. Nested components appear as the
	// instances themselves in a live snapshot, and as *Metadata once
	// decoded from JSON.
	Arguments Kwargs
	// Signature is the component's signature.
	Signature Signature
}

// record is the immutable metadata of one instance.
type record struct {
	c      *component
	values []any // per parameter, effective; nil where excluded (see retain.go)
	// words is the storage of scalar values, one word per parameter,
	// followed by bit sets of the parameters (see record.bit): those
	// whose values are kept behind a pointer to storage of the record's
	// own (read them with value or reflectValue; a words-only record
	// has none), and those given by name.
	words []uint64
	// reads holds what reading the record makes once and keeps.
	reads atomic.Pointer[recordReads]
	nPos  int // leading parameters given by position
	hash  atomic.Pointer[hashText]
}

// recordReads is what reading a record makes once and keeps.
type recordReads struct {
	// boxes holds the interface values of the indirect values (see
	// record.value).
	boxes []any
	// shown is the snapshot MetadataOf copies, for components whose
	// values are all immutable (scalarOnly).
	shown atomic.Pointer[Metadata]
}

// errNotPointer is reported for an instance that cannot carry identity.
var errNotPointer = errors.New("the constructor returned a value that is not a pointer, which cannot carry identity")

// attach records rec for the instance v (a pointer, or an interface
// holding one). A nil instance gets nothing.
func attach(v reflect.Value, rec *record) error {
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Pointer {
		return fmt.Errorf("%w (it returned a %s)", errNotPointer, v.Type())
	}
	if v.IsNil() {
		return nil
	}
	if h, ok := v.Interface().(trackedHolder); ok {
		if t := h.mlregistryTracked(); t != nil {
			t.rec = rec
			return nil
		}
	}
	if v.Type().Elem().Size() == 0 {
		return fmt.Errorf("the instance's type %s has zero size and cannot carry identity; embed mlregistry.Tracked", v.Type())
	}
	side.put(v.UnsafePointer(), rec)
	return nil
}

// recordOf returns the record of a tracked instance, or nil.
func recordOf(x any) *record {
	if h, ok := x.(trackedHolder); ok {
		if t := h.mlregistryTracked(); t != nil && t.rec != nil {
			return t.rec
		}
		// Fall through: a type may embed Tracked and still have been
		// recorded in the side table through a nil embedded *Tracked.
	}
	if x == nil {
		return nil
	}
	v := reflect.ValueOf(x)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	return side.get(v.UnsafePointer())
}

// recordOfValue is recordOf for a reflect.Value.
func recordOfValue(v reflect.Value) *record {
	if !v.IsValid() || !v.CanInterface() {
		return nil
	}
	if v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	return recordOf(v.Interface())
}

// MetadataOf returns the metadata of an instance built through a registry,
// or false for anything else (nil, an untracked value, a non-pointer).
func MetadataOf(x any) (Metadata, bool) {
	rec := recordOf(x)
	if rec == nil {
		return Metadata{}, false
	}
	return rec.metadata(), true
}

// HashOf returns the hash of an instance built through a registry. It is
// computed once, on first use, and cached.
func HashOf(x any) (string, bool) {
	rec := recordOf(x)
	if rec == nil {
		return "", false
	}
	return rec.hashString(), true
}

// SignatureOf returns the signature of the component that built x.
func SignatureOf(x any) (Signature, bool) {
	rec := recordOf(x)
	if rec == nil {
		return Signature{}, false
	}
	return rec.c.sig, true
}

// hashString returns the cached hash, computing it on first use.
func (r *record) hashString() string {
	if h := r.hash.Load(); h != nil {
		return hashTextOf(h)
	}
	h := newHashText(schemes[r.c.scheme].hash(r))
	r.hash.Store(h)
	return hashTextOf(h)
}

// metadata returns a snapshot whose containers, and composite values, are
// the caller's own. When every value is immutable (numbers, bools,
// strings), the snapshot is made once and kept; each call gets its own
// copies of its slice and maps, which is all a caller could change.
func (r *record) metadata() Metadata {
	if !r.c.scalarOnly {
		return r.newMetadata()
	}
	reads := r.read()
	shown := reads.shown.Load()
	if shown == nil {
		md := r.newMetadata()
		// Two readers may both make it; either is right.
		reads.shown.Store(&md)
		shown = &md
	}
	md := *shown
	md.Args = slices.Clone(shown.Args)
	md.Kwargs = maps.Clone(shown.Kwargs)
	md.Arguments = maps.Clone(shown.Arguments)
	return md
}

// newMetadata builds a snapshot, copying the composite values.
func (r *record) newMetadata() Metadata {
	ps := r.c.sig.params
	md := Metadata{
		Name:      r.c.name,
		Kind:      r.c.kind,
		Hash:      r.hashString(),
		Scheme:    r.c.scheme,
		Version:   r.c.version,
		Signature: r.c.sig,
		Arguments: make(Kwargs, len(ps)),
	}
	if r.nPos > 0 {
		md.Args = make([]any, 0, r.nPos)
	}
	for i, p := range ps {
		if p.Excluded {
			continue
		}
		v := r.value(i)
		own := func() any {
			if r.indirect(i) || r.c.scalarOnly {
				return v
			}
			return snapshot(v)
		}
		md.Arguments[p.Name] = own()
		switch {
		case i < r.nPos:
			md.Args = append(md.Args, own())
		case r.named(i):
			if md.Kwargs == nil {
				md.Kwargs = Kwargs{}
			}
			md.Kwargs[p.Name] = own()
		}
	}
	return md
}

// snapshot copies what a caller could change in a recorded value.
func snapshot(v any) any {
	if v == nil {
		return nil
	}
	switch v.(type) {
	case int, int64, int32, float64, float32, string, bool, uint, uint64, uint32, int8, int16, uint8, uint16:
		return v
	}
	return deepCopy(reflect.ValueOf(v)).Interface()
}
