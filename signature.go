package mlregistry

import (
	"reflect"
	"strings"
)

// Signature is a component's ordered parameter list. It is immutable: the
// methods that hand out parameters hand out copies.
type Signature struct {
	params []Param
}

// Param is one parameter of a component's constructor.
type Param struct {
	// Name is the parameter's name: from Params, or a struct field's
	// encoding/json name.
	Name string
	// Type is the Go type the constructor takes; nil in a signature decoded
	// from a JSON document, which has TypeName only.
	Type reflect.Type
	// TypeName is the type as Go spells it and metadata documents record
	// it: "int", "[]float64", "any".
	TypeName string
	// Default is the declared default, meaningful when HasDefault.
	Default any
	// HasDefault reports whether a default was declared.
	HasDefault bool
	// Excluded reports whether the parameter is a runtime input, left out
	// of metadata and hash.
	Excluded bool
	// Doc describes the parameter: its doc or line comment in the
	// constructor's source, from a file cmd/mlregistry-gen wrote; "" without.
	Doc string
}

// Required reports whether Call or Rebuild must be given the parameter.
func (p Param) Required() bool { return !p.HasDefault }

// Params returns a copy of the parameters, excluded ones included, in
// declaration order.
func (s Signature) Params() []Param {
	return append([]Param(nil), s.params...)
}

// Len returns the number of parameters, excluded ones included.
func (s Signature) Len() int { return len(s.params) }

// Lookup returns the parameter called name.
func (s Signature) Lookup(name string) (Param, bool) {
	for _, p := range s.params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// index returns the position of the parameter called name, or -1.
func (s Signature) index(name string) int {
	for i := range s.params {
		if s.params[i].Name == name {
			return i
		}
	}
	return -1
}

// names returns the names of the parameters, excluded ones included.
func (s Signature) names() []string {
	out := make([]string, len(s.params))
	for i, p := range s.params {
		out[i] = p.Name
	}
	return out
}

// String renders the non-excluded parameters the way the Python library
// prints a signature: {input_size: int, hidden_size: int, p: float64}.
func (s Signature) String() string {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for _, p := range s.params {
		if p.Excluded {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		b.WriteString(p.Name)
		b.WriteString(": ")
		b.WriteString(p.TypeName)
	}
	b.WriteByte('}')
	return b.String()
}

// typeName is a type's name as Go spells it, "any" for the empty interface.
func typeName(t reflect.Type) string {
	if t == nil {
		return "any"
	}
	if t.Kind() == reflect.Interface && t.NumMethod() == 0 && t.Name() == "" {
		return "any"
	}
	return t.String()
}
