package mlregistry

import (
	"reflect"
	"unsafe"
)

// How a record lays out what it keeps (see record in metadata.go): its
// interface values, if any, and its words — a word per parameter for
// bools and numbers, then the bit sets of the parameters whose values are
// kept behind a pointer and of those given by name — in one allocation
// sized for the component when it has at most inlineParams parameters.

// inlineParams is how many parameters a record stores in one allocation.
const inlineParams = 8

// inlineRecord is a record with room for its values, allocated at once:
// V is [n]any and W is [n+2]uint64 (a scalar word per parameter and the
// two bit sets of up to 64 parameters), or, in a words-only record, V is
// struct{} and W [n+1]uint64 (the named bits only).
type inlineRecord[V, W any] struct {
	record
	valueStore V
	wordStore  W
}

// newInlineRecord allocates a record whose storage is inline; vals and
// words slice the arrays.
func newInlineRecord[V, W any](c *component, vals func(*V) []any, words func(*W) []uint64) *record {
	ir := new(inlineRecord[V, W])
	ir.c = c
	ir.values = vals(&ir.valueStore)
	ir.words = words(&ir.wordStore)
	return &ir.record
}

// noValues is the values of a words-only inline record: none.
func noValues(*struct{}) []any { return nil }

// sized returns the maker of inline records of one size: vals and words
// slice the arrays of a record with interface values, wordsOnly the words
// of one without.
func sized[V, W, WO any](vals func(*V) []any, words func(*W) []uint64, wordsOnly func(*WO) []uint64) func(*component) *record {
	return func(c *component) *record {
		if c.wordsOnly {
			return newInlineRecord(c, noValues, wordsOnly)
		}
		return newInlineRecord(c, vals, words)
	}
}

// inlineRecords makes the records of components of 1 to inlineParams
// parameters: [n]any and [n+2]uint64, or [n+1]uint64 for words only.
var inlineRecords = [inlineParams + 1]func(*component) *record{
	1: sized(func(v *[1]any) []any { return v[:] }, func(w *[3]uint64) []uint64 { return w[:] }, func(w *[2]uint64) []uint64 { return w[:] }),
	2: sized(func(v *[2]any) []any { return v[:] }, func(w *[4]uint64) []uint64 { return w[:] }, func(w *[3]uint64) []uint64 { return w[:] }),
	3: sized(func(v *[3]any) []any { return v[:] }, func(w *[5]uint64) []uint64 { return w[:] }, func(w *[4]uint64) []uint64 { return w[:] }),
	4: sized(func(v *[4]any) []any { return v[:] }, func(w *[6]uint64) []uint64 { return w[:] }, func(w *[5]uint64) []uint64 { return w[:] }),
	5: sized(func(v *[5]any) []any { return v[:] }, func(w *[7]uint64) []uint64 { return w[:] }, func(w *[6]uint64) []uint64 { return w[:] }),
	6: sized(func(v *[6]any) []any { return v[:] }, func(w *[8]uint64) []uint64 { return w[:] }, func(w *[7]uint64) []uint64 { return w[:] }),
	7: sized(func(v *[7]any) []any { return v[:] }, func(w *[9]uint64) []uint64 { return w[:] }, func(w *[8]uint64) []uint64 { return w[:] }),
	8: sized(func(v *[8]any) []any { return v[:] }, func(w *[10]uint64) []uint64 { return w[:] }, func(w *[9]uint64) []uint64 { return w[:] }),
}

// newRecord allocates a record for a component with n parameters, in one
// allocation sized for n when n is at most inlineParams. A component whose
// kept values are all bools and numbers keeps them in words alone, with
// no interface values and no indirect bits.
func newRecord(c *component, n int) *record {
	if n >= 1 && n <= inlineParams {
		return inlineRecords[n](c)
	}
	if c.wordsOnly {
		return &record{c: c, words: make([]uint64, max(n+bitWords(n), 2))}
	}
	// Two words at least, so that the words, which values point into, are
	// never tiny.
	return &record{c: c, values: make([]any, n), words: make([]uint64, max(n+2*bitWords(n), 2))}
}

// wordKind reports whether values of kind k are kept in a record's words
// alone, read back as their parameter's type says.
func wordKind(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// inWords reports whether value i is kept in the record's word i alone.
func (r *record) inWords(i int) bool { return wordKind(r.c.sig.params[i].Type.Kind()) }

// stored returns what the record keeps for value i: for a value kept in
// its words alone, a pointer to its word, of its parameter's type.
func (r *record) stored(i int) any {
	if r.inWords(i) {
		return reflect.NewAt(r.c.sig.params[i].Type, unsafe.Pointer(&r.words[i])).Interface()
	}
	if r.values == nil {
		return nil // an excluded parameter of a words-only record
	}
	return r.values[i]
}

// bitWords is how many words a bit set of n parameters takes.
func bitWords(n int) int { return (n + 63) / 64 }

// The bit sets of a record follow its scalar words: first the indirect
// values, then the parameters given by name.
const (
	indirectBits = iota
	namedBits
)

// bit returns the word of the record's bit set that holds parameter i's
// bit, and the bit. A words-only record has no indirect bits: its
// values are indirect by their parameters' types.
func (r *record) bit(set, i int) (*uint64, uint64) {
	n := len(r.c.sig.params)
	if r.c.wordsOnly {
		set-- // only namedBits
	}
	return &r.words[n+set*bitWords(n)+i/64], 1 << (i % 64)
}

// indirect reports whether value i is kept behind a pointer to storage of
// the record's own: a value kept in its words, or one marked.
func (r *record) indirect(i int) bool {
	if r.inWords(i) {
		return true
	}
	if r.c.wordsOnly {
		return false // an excluded parameter
	}
	w, b := r.bit(indirectBits, i)
	return *w&b != 0
}

// setIndirect marks value i as kept behind a pointer.
func (r *record) setIndirect(i int) {
	w, b := r.bit(indirectBits, i)
	*w |= b
}

// named reports whether parameter i was given by name.
func (r *record) named(i int) bool {
	w, b := r.bit(namedBits, i)
	return *w&b != 0
}

// setNamed marks parameter i as given by name.
func (r *record) setNamed(i int) {
	w, b := r.bit(namedBits, i)
	*w |= b
}

// nameAll marks every parameter as given by name (config structs).
func (r *record) nameAll() {
	for i := range r.c.sig.params {
		r.setNamed(i)
	}
}

// float returns value i, kept in the record's words, as a float64 when it
// is a float.
func (r *record) float(i int) (float64, bool) {
	switch r.c.sig.params[i].Type.Kind() {
	case reflect.Float32:
		return float64(*(*float32)(unsafe.Pointer(&r.words[i]))), true
	case reflect.Float64:
		return *(*float64)(unsafe.Pointer(&r.words[i])), true
	}
	return 0, false
}
