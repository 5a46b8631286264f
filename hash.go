package mlregistry

import (
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/mlregistry/mlregistry/internal/jsonwire"
)

// Scheme is a way of computing a component's hash. Schemes are versioned:
// a change that would move any hash is a new scheme, never an edit. See
// docs/hash.md.
type Scheme int

const (
	// CanonicalV1 is the default scheme: SHA-256 over a canonical encoding
	// of the name, the signature and the effective arguments (defaults
	// filled in, excluded parameters left out), independent of argument
	// order, spelling and platform.
	CanonicalV1 Scheme = iota
	// PyCompat reproduces the Python library's hash (mlregistry 1.2.x):
	// md5 over the name and json.dumps of the arguments as given.
	PyCompat
)

// schemeInfo is one row of the scheme table: how a scheme is named in
// documents, how it hashes a record (16 bytes, written as 32 hex
// characters), and what it refuses beyond what every scheme refuses.
type schemeInfo struct {
	name string
	hash func(*record) [16]byte
	// check reports a problem with the value of parameter i (at path) that
	// only this scheme has, or nil.
	check func(r *record, i int, path string) *Problem
}

// schemes is the scheme table: a new scheme is one row here and one file
// (hash_<name>.go) with its hash function.
// (Filled in by init: the hash functions reach computeHash, which reads
// the table, for nested components.)
var schemes []schemeInfo

func init() {
	schemes = []schemeInfo{
		CanonicalV1: {name: "canonical/v1", hash: canonicalHash},
		PyCompat:    {name: "pycompat", hash: pyHash, check: pyCheck},
	}
}

// known reports whether s is a row of the scheme table.
func (s Scheme) known() bool { return s >= 0 && int(s) < len(schemes) }

// String returns the scheme's name as written in metadata documents:
// "canonical/v1" or "pycompat".
func (s Scheme) String() string {
	if s.known() {
		return schemes[s].name
	}
	return fmt.Sprintf("Scheme(%d)", int(s))
}

// ParseScheme returns the scheme named name, as Scheme.String spells it;
// "" is CanonicalV1.
func ParseScheme(name string) (Scheme, error) {
	if name == "" {
		return CanonicalV1, nil
	}
	names := make([]string, len(schemes))
	for s, info := range schemes {
		if info.name == name {
			return Scheme(s), nil
		}
		names[s] = strconv.Quote(info.name)
	}
	return 0, fmt.Errorf("unknown hash scheme %q (known: %s)", name, strings.Join(names, ", "))
}

// computeHash computes the record's hash under its component's scheme.
func (r *record) computeHash() string {
	return hashTextOf(newHashText(schemes[r.c.scheme].hash(r)))
}

// hashText is a hash's hexadecimal text. It holds no pointer, so the
// cache of a record's hash is one small allocation the garbage collector
// never scans.
type hashText [32]byte

// newHashText returns sum's hexadecimal text, for the caller to keep.
func newHashText(sum [16]byte) *hashText {
	t := new(hashText)
	hex.Encode(t[:], sum[:])
	return t
}

// hashTextOf reads t, which is never changed once made, as a string.
func hashTextOf(t *hashText) string { return unsafe.String(&t[0], len(t)) }

// prepareHashing precomputes what hashing needs and refuses parameter types
// that no value of could be hashed.
func (c *component) prepareHashing() error {
	c.plain, c.scalarOnly, c.wordsOnly = true, true, true
	c.types = make([]string, len(c.sig.params))
	for i, p := range c.sig.params {
		if p.Excluded {
			continue
		}
		c.sorted = append(c.sorted, i)
		desc, err := typeDesc(p.Type, 0)
		if err != nil {
			return fmt.Errorf("parameter %q: %w; exclude it (ExcludeParams) if it is a runtime input", p.Name, err)
		}
		c.types[i] = desc
		c.wordsOnly = c.wordsOnly && wordKind(p.Type.Kind())
		switch p.Type.Kind() {
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		case reflect.Float32, reflect.Float64, reflect.String:
			c.plain = false
		default:
			c.plain, c.scalarOnly = false, false
		}
	}
	sort.Slice(c.sorted, func(a, b int) bool {
		return c.sig.params[c.sorted[a]].Name < c.sig.params[c.sorted[b]].Name
	})
	if c.scheme == CanonicalV1 {
		c.scalarHash = newScalarHashPlan(c)
	}
	return nil
}

// typeDesc is a type's canonical description, the same on every platform.
func typeDesc(t reflect.Type, depth int) (string, error) {
	if depth > 16 {
		return "", fmt.Errorf("type %s nests too deeply", t)
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		return t.Kind().String(), nil
	case reflect.Slice:
		e, err := typeDesc(t.Elem(), depth+1)
		return "[]" + e, err
	case reflect.Array:
		e, err := typeDesc(t.Elem(), depth+1)
		return fmt.Sprintf("[%d]%s", t.Len(), e), err
	case reflect.Map:
		k, err := typeDesc(t.Key(), depth+1)
		if err != nil {
			return "", err
		}
		e, err := typeDesc(t.Elem(), depth+1)
		return "map[" + k + "]" + e, err
	case reflect.Pointer:
		if t.Elem().Kind() == reflect.Struct {
			// A pointer to a struct is a nested component or a pointer to
			// a plain struct: decided by the value.
			return "*struct", nil
		}
		e, err := typeDesc(t.Elem(), depth+1)
		return "*" + e, err
	case reflect.Struct:
		return "struct", nil
	case reflect.Interface:
		return "interface", nil
	}
	return "", fmt.Errorf("a %s (%s) has no canonical form to hash", t.Kind(), t)
}

// checkHashable refuses, before anything is built, values that have no
// canonical form: NaN and infinite floats, invalid UTF-8, funcs, channels,
// opaque structs and untracked pointers to them.
func (c *component) checkHashable(r *record, path string) error {
	if c.plain {
		return nil
	}
	var ve *ValidationError
	for _, i := range c.sorted {
		if r.inWords(i) {
			if f, isFloat := r.float(i); !isFloat || !math.IsNaN(f) && !math.IsInf(f, 0) {
				continue
			}
		} else {
			switch x := r.values[i].(type) {
			case *float64:
				if r.indirect(i) && !math.IsNaN(*x) && !math.IsInf(*x, 0) {
					continue
				}
			case string:
				if utf8.ValidString(x) {
					continue
				}
			case *int, *bool, *int64:
				if r.indirect(i) {
					continue
				}
			case nil:
				continue
			}
		}
		if check := schemes[c.scheme].check; check != nil {
			if p := check(r, i, join(path, c.sig.params[i].Name)); p != nil {
				if ve == nil {
					ve = &ValidationError{Component: c.name}
				}
				ve.Problems = append(ve.Problems, *p)
				continue
			}
		}
		if err := hashable(r.reflectValue(i), 0); err != nil {
			if ve == nil {
				ve = &ValidationError{Component: c.name}
			}
			ve.Problems = append(ve.Problems, Problem{Path: join(path, c.sig.params[i].Name), Message: err.Error(), Err: err})
		}
	}
	return ve.orNil()
}

// hashable reports why v cannot be hashed, or nil.
func hashable(v reflect.Value, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("value nests deeper than %d levels (a cycle?)", maxDepth)
	}
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return nil
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%v has no canonical form: NaN and infinities are refused", f)
		}
		return nil
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			return fmt.Errorf("string %q is not valid UTF-8", v.String())
		}
		if v.Type() == jsonNumberType {
			return numberFits(v.String())
		}
		return nil
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := hashable(v.Index(i), depth+1); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		return nil
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if err := hashable(it.Key(), depth+1); err != nil {
				return fmt.Errorf("key %v: %w", it.Key(), err)
			}
			if err := hashable(it.Value(), depth+1); err != nil {
				return fmt.Errorf("[%v]: %w", it.Key(), err)
			}
		}
		return nil
	case reflect.Struct:
		t := v.Type()
		fl := structFields(t)
		if fl.opaque {
			return fmt.Errorf("%s has unexported fields and no canonical form; register the type as a component, or pass a struct with exported fields only", t)
		}
		for _, f := range fl.named {
			if err := hashable(v.Field(f.index), depth+1); err != nil {
				return fmt.Errorf(".%s: %w", t.Field(f.index).Name, err)
			}
		}
		return nil
	case reflect.Pointer:
		if v.IsNil() || recordOfValue(v) != nil {
			return nil
		}
		if !isPlain(v.Type().Elem()) {
			return fmt.Errorf("%s is neither built through a registry (untracked) nor a plain value; register its constructor, or exclude the parameter", v.Type())
		}
		return hashable(v.Elem(), depth+1)
	case reflect.Interface:
		return hashable(v.Elem(), depth+1)
	}
	return fmt.Errorf("a %s (%s) has no canonical form to hash", v.Kind(), v.Type())
}

// numberFits reports why a json.Number under an interface has no 64-bit
// reading — an int64, a uint64 or a finite float64, as the codec reads
// numbers under an interface back — or nil.
func numberFits(s string) error {
	if !jsonwire.ValidNumber(s) {
		return fmt.Errorf("json.Number %q is not a number", s)
	}
	if !strings.ContainsAny(s, ".eE") {
		if _, err := strconv.ParseInt(s, 10, 64); err == nil {
			return nil
		}
		if _, err := strconv.ParseUint(s, 10, 64); err == nil {
			return nil
		}
		return fmt.Errorf("number %s is out of range: an integer under an interface must fit in int64 or uint64", s)
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return fmt.Errorf("number %s is out of range for float64", s)
	}
	return nil
}
