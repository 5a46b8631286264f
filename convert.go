package mlregistry

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
)

// convert converts v to type t where the conversion is exact, recording a
// problem at path otherwise.
func convert(v any, t reflect.Type, path string, ve *ValidationError, depth int) (reflect.Value, bool) {
	if depth > maxDepth {
		ve.add(path, "value nests deeper than %d levels", maxDepth)
		return reflect.Value{}, false
	}
	if v == nil {
		switch t.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
			return reflect.Zero(t), true
		}
		ve.add(path, "expected %s, got null", typeName(t))
		return reflect.Value{}, false
	}
	rv := reflect.ValueOf(v)
	if rv.Type() == t {
		return rv, true
	}
	if rv.Type().AssignableTo(t) && t.Kind() == reflect.Interface {
		out := reflect.New(t).Elem()
		out.Set(rv)
		return out, true
	}
	if n, ok := v.(json.Number); ok && t.Kind() != reflect.Pointer {
		return convertNumber(string(n), t, path, ve)
	}
	bad := func(why string) (reflect.Value, bool) {
		ve.add(path, "expected %s, got %s%s", typeName(t), describeValue(rv), why)
		return reflect.Value{}, false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			i = rv.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			u := rv.Uint()
			if u > math.MaxInt64 {
				return bad(" (out of range)")
			}
			i = int64(u)
		case reflect.Float32, reflect.Float64:
			f := rv.Float()
			if f != math.Trunc(f) || math.IsInf(f, 0) {
				return bad(" (not a whole number)")
			}
			if f < -9223372036854775808.0 || f >= 9223372036854775808.0 {
				return bad(" (out of range)")
			}
			i = int64(f)
		default:
			return bad("")
		}
		out := reflect.New(t).Elem()
		if out.OverflowInt(i) {
			return bad(fmt.Sprintf(" (out of range for %s)", t))
		}
		out.SetInt(i)
		return out, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		var u uint64
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if rv.Int() < 0 {
				return bad(" (negative)")
			}
			u = uint64(rv.Int())
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			u = rv.Uint()
		case reflect.Float32, reflect.Float64:
			f := rv.Float()
			if f != math.Trunc(f) || math.IsInf(f, 0) {
				return bad(" (not a whole number)")
			}
			if f < 0 || f >= 18446744073709551616.0 {
				return bad(" (out of range)")
			}
			u = uint64(f)
		default:
			return bad("")
		}
		out := reflect.New(t).Elem()
		if out.OverflowUint(u) {
			return bad(fmt.Sprintf(" (out of range for %s)", t))
		}
		out.SetUint(u)
		return out, true
	case reflect.Float32, reflect.Float64:
		var f float64
		switch rv.Kind() {
		case reflect.Float32, reflect.Float64:
			f = rv.Float()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f = float64(rv.Int())
			if int64(f) != rv.Int() || f >= 9223372036854775808.0 {
				return bad(" (not exactly representable)")
			}
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			f = float64(rv.Uint())
			if f >= 18446744073709551616.0 || uint64(f) != rv.Uint() {
				return bad(" (not exactly representable)")
			}
		default:
			return bad("")
		}
		out := reflect.New(t).Elem()
		if t.Kind() == reflect.Float32 && !math.IsInf(f, 0) && !math.IsNaN(f) && math.Abs(f) > math.MaxFloat32 {
			return bad(" (out of range for float32)")
		}
		out.SetFloat(f)
		return out, true
	case reflect.String:
		if rv.Kind() == reflect.String {
			return rv.Convert(t), true
		}
		return bad("")
	case reflect.Bool:
		if rv.Kind() == reflect.Bool {
			return rv.Convert(t), true
		}
		return bad("")
	case reflect.Slice, reflect.Array:
		if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
			return bad("")
		}
		n := rv.Len()
		var out reflect.Value
		if t.Kind() == reflect.Array {
			if n != t.Len() {
				return bad(fmt.Sprintf(" (%d elements, want %d)", n, t.Len()))
			}
			out = reflect.New(t).Elem()
		} else {
			out = reflect.MakeSlice(t, n, n)
		}
		ok := true
		for i := 0; i < n; i++ {
			ev, eok := convert(rv.Index(i).Interface(), t.Elem(), fmt.Sprintf("%s[%d]", path, i), ve, depth+1)
			if eok {
				out.Index(i).Set(ev)
			}
			ok = ok && eok
		}
		return out, ok
	case reflect.Map:
		if rv.Kind() != reflect.Map {
			return bad("")
		}
		out := reflect.MakeMapWithSize(t, rv.Len())
		ok := true
		it := rv.MapRange()
		for it.Next() {
			kpath := fmt.Sprintf("%s[%v]", path, it.Key().Interface())
			kv, kok := convertKey(it.Key(), t.Key(), kpath, ve)
			ev, eok := convert(it.Value().Interface(), t.Elem(), kpath, ve, depth+1)
			if kok && eok {
				out.SetMapIndex(kv, ev)
			}
			ok = ok && kok && eok
		}
		return out, ok
	case reflect.Struct:
		m, isMap := v.(map[string]any)
		if !isMap {
			if rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String {
				m = map[string]any{}
				it := rv.MapRange()
				for it.Next() {
					m[it.Key().String()] = it.Value().Interface()
				}
			} else {
				return bad("")
			}
		}
		return convertStruct(m, t, path, ve, depth)
	case reflect.Pointer:
		if rv.Kind() == reflect.Pointer && rv.Type().Elem() == t.Elem() {
			return rv, true
		}
		ev, ok := convert(v, t.Elem(), path, ve, depth+1)
		if !ok {
			return reflect.Value{}, false
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(ev)
		return p, true
	case reflect.Interface:
		return bad(fmt.Sprintf(" (which does not implement %s)", typeName(t)))
	}
	return bad("")
}

// convertStruct fills a struct from a JSON-like object, by encoding/json
// field names; unknown fields are problems, missing ones stay zero.
func convertStruct(m map[string]any, t reflect.Type, path string, ve *ValidationError, depth int) (reflect.Value, bool) {
	out := reflect.New(t).Elem()
	fl := structFields(t)
	ok := true
	for _, k := range sortedKeys(m) {
		f, found := fl.field(k)
		if !found {
			ve.add(join(path, k), "%s has no field %q%s", typeName(t), k, didYouMean(suggest(k, fl.names())))
			ok = false
			continue
		}
		fv, fok := convert(m[k], f.typ, join(path, k), ve, depth+1)
		if fok {
			out.Field(f.index).Set(fv)
		}
		ok = ok && fok
	}
	return out, ok
}

// convertKey converts a map key; JSON object keys are strings, so numeric
// strings convert to integer keys.
func convertKey(k reflect.Value, t reflect.Type, path string, ve *ValidationError) (reflect.Value, bool) {
	if k.Kind() == reflect.String && t.Kind() != reflect.String {
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return convertNumber(k.String(), t, path+" (key)", ve)
		}
	}
	return convert(k.Interface(), t, path+" (key)", ve, 0)
}

// convertNumber converts a decimal number's text exactly.
func convertNumber(s string, t reflect.Type, path string, ve *ValidationError) (reflect.Value, bool) {
	bad := func(why string) (reflect.Value, bool) {
		ve.add(path, "expected %s, got number %s%s", typeName(t), s, why)
		return reflect.Value{}, false
	}
	out := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			if f, ok := new(big.Float).SetString(s); ok && f.IsInt() {
				if bi, _ := f.Int(nil); bi.IsInt64() {
					i, err = bi.Int64(), nil
				}
			}
		}
		if err != nil {
			if _, ferr := strconv.ParseFloat(s, 64); ferr == nil && !isWholeDecimal(s) {
				return bad(" (not a whole number)")
			}
			return bad(" (out of range)")
		}
		if out.OverflowInt(i) {
			return bad(fmt.Sprintf(" (out of range for %s)", t))
		}
		out.SetInt(i)
		return out, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			if f, ok := new(big.Float).SetString(s); ok && f.IsInt() {
				if bi, _ := f.Int(nil); bi.IsUint64() {
					u, err = bi.Uint64(), nil
				}
			}
		}
		if err != nil {
			if len(s) > 0 && s[0] == '-' {
				return bad(" (negative)")
			}
			if !isWholeDecimal(s) {
				return bad(" (not a whole number)")
			}
			return bad(" (out of range)")
		}
		if out.OverflowUint(u) {
			return bad(fmt.Sprintf(" (out of range for %s)", t))
		}
		out.SetUint(u)
		return out, true
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, t.Bits())
		if err != nil {
			return bad(" (out of range)")
		}
		out.SetFloat(f)
		return out, true
	case reflect.Interface:
		if t.NumMethod() == 0 {
			// An untyped parameter: keep integers exact, else float64.
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return reflect.ValueOf(i), true
			}
			if u, err := strconv.ParseUint(s, 10, 64); err == nil {
				return reflect.ValueOf(u), true
			}
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return reflect.ValueOf(f), true
			}
		}
	}
	return bad("")
}

// isWholeDecimal reports whether a number's text has no fractional part.
func isWholeDecimal(s string) bool {
	f, ok := new(big.Float).SetString(s)
	return ok && f.IsInt()
}

// describeValue names a value's type, with the value when short.
func describeValue(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Bool:
		return fmt.Sprintf("%s %v", v.Type(), v.Interface())
	case reflect.String:
		s := v.String()
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return fmt.Sprintf("%s %q", v.Type(), s)
	}
	return v.Type().String()
}
