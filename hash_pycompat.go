package mlregistry

import (
	"crypto/md5"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mlregistry/mlregistry/internal/jsonwire"
)

// pyHash is the PyCompat hash: md5 over the UTF-8 name followed by
// Python's json.dumps of the arguments as given — positional ones first,
// then named ones, each in parameter order — with json.dumps's defaults.
func pyHash(r *record) [16]byte {
	var stack [512]byte
	buf := append(stack[:0], r.c.name...)
	buf = appendPyArguments(buf, r)
	return md5.Sum(buf)
}

// pyGiven reports whether parameter i was given (not filled by a default).
func (r *record) pyGiven(i int) bool {
	return i < r.nPos || r.named(i)
}

// appendPyArguments appends the record's arguments as a JSON object.
func appendPyArguments(buf []byte, r *record) []byte {
	buf = append(buf, '{')
	first := true
	for i, p := range r.c.sig.params {
		if p.Excluded || !r.pyGiven(i) {
			continue
		}
		if !first {
			buf = append(buf, ", "...)
		}
		first = false
		buf = appendPyString(buf, p.Name)
		buf = append(buf, ": "...)
		buf = appendPyValue(buf, r.reflectValue(i), 0)
	}
	return append(buf, '}')
}

// pyHasArguments reports whether a nested record has any given argument.
func (r *record) pyHasArguments() bool {
	for i, p := range r.c.sig.params {
		if !p.Excluded && r.pyGiven(i) {
			return true
		}
	}
	return false
}

// appendPyValue appends v as Python's json.dumps writes it.
func appendPyValue(buf []byte, v reflect.Value, depth int) []byte {
	if !v.IsValid() {
		return append(buf, "null"...)
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(buf, v.Uint(), 10)
	case reflect.Float32:
		return appendPyFloat(buf, v.Float(), 32)
	case reflect.Float64:
		return appendPyFloat(buf, v.Float(), 64)
	case reflect.String:
		return appendPyString(buf, v.String())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(buf, "null"...)
		}
		buf = append(buf, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendPyValue(buf, v.Index(i), depth+1)
		}
		return append(buf, ']')
	case reflect.Map:
		if v.IsNil() {
			return append(buf, "null"...)
		}
		type entry struct {
			k string
			v reflect.Value
		}
		var entries []entry
		it := v.MapRange()
		for it.Next() {
			entries = append(entries, entry{pyKey(it.Key()), it.Value()})
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].k < entries[j].k })
		buf = append(buf, '{')
		for i, en := range entries {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendPyString(buf, en.k)
			buf = append(buf, ": "...)
			buf = appendPyValue(buf, en.v, depth+1)
		}
		return append(buf, '}')
	case reflect.Struct:
		buf = append(buf, '{')
		for i, f := range structFields(v.Type()).named {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendPyString(buf, f.name)
			buf = append(buf, ": "...)
			buf = appendPyValue(buf, v.Field(f.index), depth+1)
		}
		return append(buf, '}')
	case reflect.Pointer:
		if v.IsNil() {
			return append(buf, "null"...)
		}
		if rec := recordOfValue(v); rec != nil {
			if !rec.pyHasArguments() {
				return appendPyString(buf, rec.c.name)
			}
			buf = append(buf, `{"name": `...)
			buf = appendPyString(buf, rec.c.name)
			buf = append(buf, `, "arguments": `...)
			buf = appendPyArguments(buf, rec)
			return append(buf, '}')
		}
		return appendPyValue(buf, v.Elem(), depth+1)
	case reflect.Interface:
		if v.IsNil() {
			return append(buf, "null"...)
		}
		return appendPyValue(buf, v.Elem(), depth+1)
	}
	return append(buf, "null"...)
}

// pyKey is a map key as json.dumps turns it into a string.
func pyKey(k reflect.Value) string {
	switch k.Kind() {
	case reflect.String:
		return k.String()
	case reflect.Bool:
		if k.Bool() {
			return "true"
		}
		return "false"
	case reflect.Float32:
		return string(appendPyFloat(nil, k.Float(), 32))
	case reflect.Float64:
		return string(appendPyFloat(nil, k.Float(), 64))
	}
	return string(appendPyValue(nil, k, 0))
}

// appendPyString appends s as json.dumps with ensure_ascii=True does:
// only printable ASCII stays as it is; other characters become \uXXXX
// (lowercase hex, surrogate pairs beyond the BMP), with the short escapes
// for \" \\ \n \r \t \b \f. No HTML escaping.
func appendPyString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '"':
				buf = append(buf, '\\', '"')
			case '\\':
				buf = append(buf, '\\', '\\')
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			case '\b':
				buf = append(buf, '\\', 'b')
			case '\f':
				buf = append(buf, '\\', 'f')
			default:
				if c < 0x20 || c == 0x7f {
					buf = appendU4(buf, rune(c))
				} else {
					buf = append(buf, c)
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			buf = appendU4(appendU4(buf, r1), r2)
		} else {
			buf = appendU4(buf, r)
		}
	}
	return append(buf, '"')
}

func appendU4(buf []byte, r rune) []byte {
	return append(buf, '\\', 'u', jsonwire.HexDigits[r>>12&0xf], jsonwire.HexDigits[r>>8&0xf], jsonwire.HexDigits[r>>4&0xf], jsonwire.HexDigits[r&0xf])
}

// appendPyFloat appends f as Python's float repr: the shortest round-trip
// digits, in positional form with at least one decimal ("2.0", "0.001")
// when the decimal exponent is from -4 to 15, else in exponent form
// ("1e-05", "1.5e+16") with at least two exponent digits.
func appendPyFloat(buf []byte, f float64, bits int) []byte {
	var tmp [32]byte
	// 'e' with shortest precision gives d[.ddd]e±XX.
	s := strconv.AppendFloat(tmp[:0], f, 'e', -1, bits)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
		buf = append(buf, '-')
	}
	ep := 0
	for ep < len(s) && s[ep] != 'e' {
		ep++
	}
	mant, expPart := s[:ep], s[ep+1:]
	exp, _ := strconv.Atoi(string(expPart))
	digits := make([]byte, 0, 20)
	for _, c := range mant {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	if exp < -4 || exp >= 16 {
		buf = append(buf, digits[0])
		if len(digits) > 1 {
			buf = append(buf, '.')
			buf = append(buf, digits[1:]...)
		}
		buf = append(buf, 'e')
		if exp < 0 {
			buf = append(buf, '-')
			exp = -exp
		} else {
			buf = append(buf, '+')
		}
		if exp < 10 {
			buf = append(buf, '0')
		}
		return strconv.AppendInt(buf, int64(exp), 10)
	}
	if exp < 0 {
		buf = append(buf, '0', '.')
		for i := 0; i < -exp-1; i++ {
			buf = append(buf, '0')
		}
		return append(buf, digits...)
	}
	// exp >= 0: digits[0:exp+1] before the point.
	for len(digits) < exp+1 {
		digits = append(digits, '0')
	}
	buf = append(buf, digits[:exp+1]...)
	buf = append(buf, '.')
	if len(digits) > exp+1 {
		return append(buf, digits[exp+1:]...)
	}
	return append(buf, '0')
}

// pyCheck refuses what the original cannot hash and this scheme therefore
// cannot reproduce: a component inside a list, map or struct.
func pyCheck(r *record, i int, path string) *Problem {
	at, ok := nestedComponent(r.reflectValue(i), "", 0)
	if !ok {
		return nil
	}
	return &Problem{Path: path + at,
		Message: "a component inside a list, map or struct has no PyCompat hash (the original library's gethash raises TypeError on it); pass components directly as arguments, or use the canonical/v1 scheme",
		Err:     ErrInvalid}
}

// nestedComponent finds a tracked instance inside a container of v (not
// v itself), and returns its path below v, as "[0]" or ".blocks.head".
func nestedComponent(v reflect.Value, at string, depth int) (string, bool) {
	if !v.IsValid() || depth > maxDepth {
		return "", false
	}
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return "", false
		}
		return nestedComponent(v.Elem(), at, depth)
	case reflect.Pointer:
		if v.IsNil() {
			return "", false
		}
		if recordOfValue(v) != nil {
			return at, depth > 0
		}
		return nestedComponent(v.Elem(), at, depth)
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if p, ok := nestedComponent(v.Index(i), at+"["+strconv.Itoa(i)+"]", depth+1); ok {
				return p, true
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if p, ok := nestedComponent(v.MapIndex(k), at+"."+fmt.Sprint(k.Interface()), depth+1); ok {
				return p, true
			}
		}
	case reflect.Struct:
		for _, f := range structFields(v.Type()).named {
			if p, ok := nestedComponent(v.Field(f.index), at+"."+f.name, depth+1); ok {
				return p, true
			}
		}
	}
	return "", false
}
