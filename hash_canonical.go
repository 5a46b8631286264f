package mlregistry

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"sync"
	"unsafe"
)

// canonicalPrefix starts every message hashed under CanonicalV1.
const canonicalPrefix = "mlregistry/hash/v1\x00"

// Value tags of the canonical encoding; docs/hash.md defines them.
const (
	tagNil       = 'n'
	tagBool      = 'b'
	tagInt       = 'i'
	tagUint      = 'u'
	tagFloat     = 'f'
	tagString    = 's'
	tagList      = 'l'
	tagMap       = 'm'
	tagStruct    = 'r'
	tagComponent = 'c'
)

// canonicalHash is the CanonicalV1 hash of a record: the first 16 bytes
// of its message's SHA-256 digest.
func canonicalHash(r *record) [16]byte {
	if p := r.c.scalarHash; p != nil {
		sum := p.digest(r)
		return [16]byte(sum[:16])
	}
	e := encoderPool.Get().(*canonicalEncoder)
	defer func() {
		if cap(e.buf) <= 64<<10 {
			encoderPool.Put(e)
		}
	}()
	e.buf = append(e.buf[:0], canonicalPrefix...)
	e.str(r.c.name)
	e.u64(uint64(len(r.c.sorted)))
	for _, i := range r.c.sorted {
		e.str(r.c.sig.params[i].Name)
		e.str(r.c.types[i])
		e.recordValue(r, i)
	}
	sum := sha256.Sum256(e.buf)
	return [16]byte(sum[:16])
}

// encoderPool recycles encoders' buffers across hashes.
var encoderPool = sync.Pool{New: func() any { return &canonicalEncoder{buf: make([]byte, 0, 512)} }}

// canonicalEncoder appends the canonical encoding of values to buf.
type canonicalEncoder struct {
	buf []byte
}

func (e *canonicalEncoder) u64(x uint64) {
	e.buf = binary.BigEndian.AppendUint64(e.buf, x)
}

func (e *canonicalEncoder) str(s string) {
	e.u64(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// float writes tag, length and shortest digits.
func (e *canonicalEncoder) float(f float64, bits int) {
	e.buf = appendFloatDigits(append(e.buf, tagFloat), f, bits)
}

// appendFloatDigits appends what follows a float's tag: the length and
// the shortest digits, formatted in place and the length patched in
// afterwards.
func appendFloatDigits(b []byte, f float64, bits int) []byte {
	b = append(b, 0, 0, 0, 0, 0, 0, 0, 0)
	at := len(b)
	b = strconv.AppendFloat(b, f, 'e', -1, bits)
	binary.BigEndian.PutUint64(b[at-8:at], uint64(len(b)-at))
	return b
}

// recordValue encodes the record's value i, reading values kept behind a
// pointer where they are.
func (e *canonicalEncoder) recordValue(r *record, i int) {
	if r.inWords(i) {
		e.buf = appendWord(e.buf, r.c.sig.params[i].Type.Kind(), unsafe.Pointer(&r.words[i]))
		return
	}
	if !r.indirect(i) {
		e.value(r.values[i])
		return
	}
	switch p := r.values[i].(type) {
	case *int:
		e.buf = append(e.buf, tagInt)
		e.u64(uint64(int64(*p)))
	case *float64:
		e.float(*p, 64)
	case *bool:
		e.value(*p)
	default:
		e.reflectValue(r.reflectValue(i), 0)
	}
}

// value encodes one value; checkHashable has already refused what has no
// canonical form.
func (e *canonicalEncoder) value(v any) {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, tagNil)
	case bool:
		e.buf = append(e.buf, tagBool)
		if x {
			e.buf = append(e.buf, 1)
		} else {
			e.buf = append(e.buf, 0)
		}
	case int:
		e.buf = append(e.buf, tagInt)
		e.u64(uint64(int64(x)))
	case int64:
		e.buf = append(e.buf, tagInt)
		e.u64(uint64(x))
	case float64:
		e.float(x, 64)
	case string:
		e.buf = append(e.buf, tagString)
		e.str(x)
	default:
		e.reflectValue(reflect.ValueOf(v), 0)
	}
}

func (e *canonicalEncoder) reflectValue(v reflect.Value, depth int) {
	if !v.IsValid() {
		e.buf = append(e.buf, tagNil)
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		e.value(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = append(e.buf, tagInt)
		e.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.buf = append(e.buf, tagUint)
		e.u64(v.Uint())
	case reflect.Float32:
		e.float(v.Float(), 32)
	case reflect.Float64:
		e.float(v.Float(), 64)
	case reflect.String:
		e.buf = append(e.buf, tagString)
		e.str(v.String())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			e.buf = append(e.buf, tagNil)
			return
		}
		e.buf = append(e.buf, tagList)
		n := v.Len()
		e.u64(uint64(n))
		if fs, ok := v.Interface().([]float64); ok {
			e.buf = slices.Grow(e.buf, len(fs)*(1+8+24))
			for _, f := range fs {
				e.float(f, 64)
			}
			return
		}
		for i := 0; i < n; i++ {
			e.reflectValue(v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.IsNil() {
			e.buf = append(e.buf, tagNil)
			return
		}
		type entry struct{ k, v []byte }
		entries := make([]entry, 0, v.Len())
		it := v.MapRange()
		for it.Next() {
			ke := canonicalEncoder{}
			ke.reflectValue(it.Key(), depth+1)
			ve := canonicalEncoder{}
			ve.reflectValue(it.Value(), depth+1)
			entries = append(entries, entry{ke.buf, ve.buf})
		}
		sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i].k, entries[j].k) < 0 })
		e.buf = append(e.buf, tagMap)
		e.u64(uint64(len(entries)))
		for _, en := range entries {
			e.buf = append(e.buf, en.k...)
			e.buf = append(e.buf, en.v...)
		}
	case reflect.Struct:
		t := v.Type()
		fields := structFields(t).sorted
		e.buf = append(e.buf, tagStruct)
		e.u64(uint64(len(fields)))
		for _, f := range fields {
			e.str(f.name)
			e.reflectValue(v.Field(f.index), depth+1)
		}
	case reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, tagNil)
			return
		}
		if rec := recordOfValue(v); rec != nil {
			e.buf = append(e.buf, tagComponent)
			e.str(rec.hashString())
			return
		}
		e.reflectValue(v.Elem(), depth+1)
	case reflect.Interface:
		if v.IsNil() {
			e.buf = append(e.buf, tagNil)
			return
		}
		e.reflectValue(v.Elem(), depth+1)
	default:
		// Unreachable after checkHashable; encode the kind so that a
		// mistake cannot collide silently with a real value.
		e.buf = append(e.buf, '?')
		e.str(v.Kind().String())
	}
}
