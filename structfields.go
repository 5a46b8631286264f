package mlregistry

import (
	"reflect"
	"slices"
	"strings"
	"sync"
)

// A struct's fields are named as encoding/json names them, in parameters
// (config structs), documents, schemas and both hashes alike.

// jsonName is the name encoding/json gives a struct field; "" for "-".
func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return ""
	}
	if i := strings.IndexByte(tag, ','); i >= 0 {
		tag = tag[:i]
	}
	if tag != "" {
		return tag
	}
	return f.Name
}

// structField is a struct field as parameters, documents and hashes see
// it.
type structField struct {
	index    int          // its index in the struct
	name     string       // its encoding/json name; "" when tagged json:"-"
	exported bool         // whether it is exported
	typ      reflect.Type // its type
}

// fieldList is what the package reads of a struct type's fields.
type fieldList struct {
	all    []structField  // in declaration order
	named  []structField  // the exported ones with a name, in declaration order
	sorted []structField  // the same, sorted by name (bytewise)
	byName map[string]int // index in named, by name
	opaque bool           // some field is unexported
}

// fieldLists caches fieldList by struct type.
var fieldLists sync.Map // reflect.Type → *fieldList

// structFields returns t's fields (t a struct type), computed once per type.
func structFields(t reflect.Type) *fieldList {
	if fl, ok := fieldLists.Load(t); ok {
		return fl.(*fieldList)
	}
	fl := &fieldList{byName: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		sf := structField{index: i, name: jsonName(f), exported: f.IsExported(), typ: f.Type}
		fl.all = append(fl.all, sf)
		if !sf.exported {
			fl.opaque = true
			continue
		}
		if sf.name != "" {
			fl.byName[sf.name] = len(fl.named)
			fl.named = append(fl.named, sf)
		}
	}
	fl.sorted = slices.SortedFunc(slices.Values(fl.named), func(a, b structField) int { return strings.Compare(a.name, b.name) })
	actual, _ := fieldLists.LoadOrStore(t, fl)
	return actual.(*fieldList)
}

// field returns the exported field called name, by its encoding/json name.
func (fl *fieldList) field(name string) (structField, bool) {
	i, ok := fl.byName[name]
	if !ok {
		return structField{}, false
	}
	return fl.named[i], true
}

// names returns the exported fields' names, in declaration order.
func (fl *fieldList) names() []string {
	out := make([]string, len(fl.named))
	for i, f := range fl.named {
		out[i] = f.name
	}
	return out
}
