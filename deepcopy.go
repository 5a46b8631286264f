package mlregistry

import "reflect"

// maxDepth bounds how deep values nest, against cycles and hostile input.
const maxDepth = 64

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

// isScalarKind reports kinds copied by value with no references inside.
func isScalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String:
		return true
	}
	return false
}

// isPlain reports whether a pointer to t may be hashed as the value it
// points to: t is not a struct with unexported fields.
func isPlain(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return true
	}
	for i := 0; i < t.NumField(); i++ {
		if !t.Field(i).IsExported() {
			return false
		}
	}
	return true
}
