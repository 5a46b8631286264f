package mlregistry

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
)

// maxDepth bounds how deep values nest, against cycles and hostile input.
const maxDepth = 64

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
	return !structFields(t).opaque
}

var jsonNumberType = reflect.TypeFor[json.Number]()

// sortedKeys returns m's keys, sorted, in one allocation: what
// slices.Sorted(maps.Keys(m)) gives, without growing its slice as it goes
// (four allocations for five keys) on the paths every call and rebuild
// takes.
func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := slices.AppendSeq(make([]string, 0, len(m)), maps.Keys(m))
	slices.Sort(keys)
	return keys
}
