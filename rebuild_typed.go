package mlregistry

import "reflect"

// typedArguments prepares decoded arguments for binding (see typed),
// copying only what it changes.
func typedArguments(c *component, args []any, kwargs Kwargs) ([]any, Kwargs) {
	ps := c.sig.params
	var outArgs []any
	for i, v := range args {
		if i < len(ps) && needsTyping(ps[i].Type, 0) {
			if outArgs == nil {
				outArgs = append([]any(nil), args...)
			}
			outArgs[i] = typed(v, ps[i].Type, 0)
		}
	}
	if outArgs != nil {
		args = outArgs
	}
	var outKw Kwargs
	for k, v := range kwargs {
		i := c.sig.index(k)
		if i < 0 || !needsTyping(ps[i].Type, 0) {
			continue
		}
		if outKw == nil {
			outKw = make(Kwargs, len(kwargs))
			for k2, v2 := range kwargs {
				outKw[k2] = v2
			}
		}
		outKw[k] = typed(v, ps[i].Type, 0)
	}
	if outKw != nil {
		kwargs = outKw
	}
	return args, kwargs
}

// needsTyping reports whether values of type t may hold an interface or a
// pointer, where typed has work to do.
func needsTyping(t reflect.Type, depth int) bool {
	if depth > 16 {
		return true
	}
	switch t.Kind() {
	case reflect.Interface, reflect.Pointer, reflect.Struct:
		return true
	case reflect.Slice, reflect.Array:
		return needsTyping(t.Elem(), depth+1)
	case reflect.Map:
		return needsTyping(t.Elem(), depth+1)
	}
	return false
}

// typed prepares a decoded value for convert. Where the document keeps no
// Go type — under an interface — numbers become int64, uint64 or float64,
// in lists and objects too, as the encoder wrote them: an integer's text
// has no point, a float's has one or an exponent. Elsewhere convert
// reads numbers exactly for their declared type.
func typed(v any, t reflect.Type, depth int) any {
	if v == nil || depth > maxDepth {
		return v
	}
	switch t.Kind() {
	case reflect.Interface:
		return natural(v, depth)
	case reflect.Slice, reflect.Array:
		if l, ok := v.([]any); ok && !isScalarKind(t.Elem().Kind()) {
			out := make([]any, len(l))
			for i, e := range l {
				out[i] = typed(e, t.Elem(), depth+1)
			}
			return out
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok && !isScalarKind(t.Elem().Kind()) {
			out := make(map[string]any, len(m))
			for k, e := range m {
				out[k] = typed(e, t.Elem(), depth+1)
			}
			return out
		}
	case reflect.Struct:
		if m, ok := v.(map[string]any); ok {
			out := make(map[string]any, len(m))
			for k, e := range m {
				out[k] = e
				if f, ok := structFields(t).field(k); ok {
					out[k] = typed(e, f.typ, depth+1)
				}
			}
			return out
		}
	case reflect.Pointer:
		return typed(v, t.Elem(), depth+1)
	}
	return v
}
