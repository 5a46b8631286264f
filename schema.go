package mlregistry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// JSONSchema returns a JSON Schema (draft 2020-12) of the arguments of the
// component registered under name: the "arguments" object of a spec
// document, which is what a request–response API receives and a form
// edits. Rebuild of {"format":"mlregistry/v1","name":name,"arguments":X}
// accepts X exactly when the schema does, but for what a schema cannot
// say (a constructor's own checks, integer map keys out of range).
//
// Each non-excluded parameter is a property, with its type — integers
// with the minimum and maximum of their Go type, float32 and float64 with
// their finite range, strings, booleans, arrays (fixed length for Go
// arrays), objects for maps (additionalProperties) and structs (their
// fields, no others), null where Go takes nil — and its default (a
// component default as the spec the schema accepts: format, kind, name,
// version and arguments, no hash); those
// without a default are required; excluded parameters are left out, as
// are unknown ones (additionalProperties: false). A parameter that takes a
// component (an interface, or a pointer that registered constructors
// return) accepts the envelopes of every component of this registry or
// a linked one that fits: {"format":"mlregistry/v1","kind":…,"name":…,
// "arguments":{…}}, whose arguments are described in $defs.
//
// The schema is made once and kept until a registration or a Link
// anywhere in the process (schema_cache.go); each call returns bytes of
// its own.
func (r *Registry[T]) JSONSchema(name string) ([]byte, error) {
	c, err := r.lookup(name)
	if err != nil {
		return nil, err
	}
	// Read the generation before making the schema: a registration while
	// it is made leaves it kept under an older generation, never a newer.
	generation := registryGeneration.Load()
	if kept := c.schema.Load(); kept != nil && kept.generation == generation {
		return bytes.Clone(kept.schema), nil
	}
	out, err := r.makeJSONSchema(c)
	if err == nil {
		c.schema.Store(&cachedSchema{generation: generation, schema: bytes.Clone(out)})
	}
	return out, err
}

// makeJSONSchema makes the schema JSONSchema returns.
func (r *Registry[T]) makeJSONSchema(c *Component[T]) ([]byte, error) {
	g := schemaGen{defs: map[string]any{}}
	s := g.arguments(r, c.c)
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["title"] = c.c.name
	kind := r.Kind()
	if kind == "" {
		kind = "component"
	}
	s["description"] = fmt.Sprintf("Arguments of the %s %s (version %d): %s", kind, c.c.name, c.c.version, c.c.sig)
	if c.c.doc != "" {
		s["description"] = c.c.doc + "\n\n" + s["description"].(string)
	}
	if len(g.defs) > 0 {
		s["$defs"] = g.defs
	}
	return json.MarshalIndent(s, "", "  ")
}

// schemaGen builds schemas, collecting component definitions.
type schemaGen struct {
	defs  map[string]any
	names map[string]string // def key by component identity
}

// arguments is the schema of a component's arguments object.
func (g *schemaGen) arguments(reg Resolver, c *component) map[string]any {
	props := map[string]any{}
	required := []string{}
	for _, p := range c.sig.params {
		if p.Excluded {
			continue
		}
		s := g.typeSchema(p.Type, reg, 0)
		if p.HasDefault {
			e := encoder{spec: true}
			if e.argument(p.Default, p.Type, lazyPath{}, 0) == nil {
				s["default"] = json.RawMessage(e.buf)
			}
		} else {
			required = append(required, p.Name)
		}
		if p.Doc != "" {
			s["description"] = p.Doc
		}
		props[p.Name] = s
	}
	out := map[string]any{
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

var (
	float32Max = json.Number(strconv.FormatFloat(math.MaxFloat32, 'g', -1, 64))
	float64Max = json.Number(strconv.FormatFloat(math.MaxFloat64, 'g', -1, 64))
)

// typeSchema is the schema of a value of type t, in registry reg.
func (g *schemaGen) typeSchema(t reflect.Type, reg Resolver, depth int) map[string]any {
	if depth > 16 {
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		return map[string]any{"type": "integer",
			"minimum": json.Number(strconv.FormatInt(-1<<(bits-1), 10)),
			"maximum": json.Number(strconv.FormatInt(1<<(bits-1)-1, 10))}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return map[string]any{"type": "integer", "minimum": 0,
			"maximum": json.Number(strconv.FormatUint(math.MaxUint64>>(64-t.Bits()), 10))}
	case reflect.Float32:
		return map[string]any{"type": "number", "minimum": "-" + float32Max, "maximum": float32Max}
	case reflect.Float64:
		return map[string]any{"type": "number", "minimum": "-" + float64Max, "maximum": float64Max}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice:
		return map[string]any{"type": []string{"array", "null"}, "items": g.typeSchema(t.Elem(), reg, depth+1)}
	case reflect.Array:
		return map[string]any{"type": "array", "items": g.typeSchema(t.Elem(), reg, depth+1), "minItems": t.Len(), "maxItems": t.Len()}
	case reflect.Map:
		s := map[string]any{"type": []string{"object", "null"}, "additionalProperties": g.typeSchema(t.Elem(), reg, depth+1)}
		switch t.Key().Kind() {
		case reflect.String:
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			s["propertyNames"] = map[string]any{"pattern": "^-?[0-9]+$"}
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			s["propertyNames"] = map[string]any{"pattern": "^[0-9]+$"}
		default:
			return map[string]any{"type": "null", "description": "a map with " + t.Key().String() + " keys cannot be written in JSON"}
		}
		return s
	case reflect.Struct:
		return g.structSchema(t, reg, depth)
	case reflect.Pointer:
		alts := g.components(t, reg)
		if isPlain(t.Elem()) {
			// A plain value is given as the value it points to.
			alts = append(alts, g.typeSchema(t.Elem(), reg, depth+1))
		}
		alts = append(alts, map[string]any{"type": "null"})
		return map[string]any{"anyOf": alts}
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return map[string]any{}
		}
		alts := append(g.components(t, reg), map[string]any{"type": "null"})
		return map[string]any{"anyOf": alts}
	}
	return map[string]any{"not": map[string]any{}, "description": "a " + t.Kind().String() + " cannot be given in JSON"}
}

// structSchema describes a struct as an object of its fields.
func (g *schemaGen) structSchema(t reflect.Type, reg Resolver, depth int) map[string]any {
	props := map[string]any{}
	for _, f := range structFields(t).named {
		props[f.name] = g.typeSchema(f.typ, reg, depth+1)
	}
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}

// candidate is a registered component that fits a parameter.
type candidate struct {
	reg Resolver
	c   *component
}

// components returns references to the envelopes of every component of
// reg, or of a registry linked to it, whose result is assignable to t.
func (g *schemaGen) components(t reflect.Type, reg Resolver) []any {
	regs := []Resolver{reg}
	if ls := reg.links(); ls != nil {
		for _, k := range slices.Sorted(maps.Keys(ls.byKind)) {
			if o := ls.byKind[k]; o != reg {
				regs = append(regs, o)
			}
		}
	}
	var out []any
	for _, rr := range regs {
		for _, name := range rr.Keys() {
			c, err := rr.resolveComponent(name)
			if err != nil || !c.result.AssignableTo(t) {
				continue
			}
			out = append(out, map[string]any{"$ref": "#/$defs/" + g.envelopeDef(candidate{rr, c}, rr == reg)})
		}
	}
	return out
}

// envelopeDef defines, once, the envelope of a nested component, and
// returns its $defs key. sameRegistry reports whether the component is of
// the enclosing component's registry, where "kind" may be left out.
func (g *schemaGen) envelopeDef(cd candidate, sameRegistry bool) string {
	argsKey := g.defKey(cd)
	key := argsKey + ".envelope"
	if !sameRegistry {
		key += "+kind"
	}
	if _, done := g.defs[key]; done {
		return key
	}
	props := map[string]any{
		"format":    map[string]any{"const": Format},
		"name":      map[string]any{"const": cd.c.name},
		"version":   map[string]any{"const": cd.c.version},
		"arguments": map[string]any{"$ref": "#/$defs/" + argsKey},
	}
	required := []string{"format", "name"}
	if k := cd.reg.Kind(); k != "" {
		props["kind"] = map[string]any{"const": k}
		if !sameRegistry {
			required = append(required, "kind")
		}
	}
	hasRequired := false
	for _, p := range cd.c.sig.params {
		hasRequired = hasRequired || !p.Excluded && !p.HasDefault
	}
	if hasRequired {
		required = append(required, "arguments")
	}
	sort.Strings(required)
	g.defs[key] = map[string]any{
		"title":                cd.c.name,
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}
	if cd.c.doc != "" {
		g.defs[key].(map[string]any)["description"] = cd.c.doc
	}
	if _, done := g.defs[argsKey]; !done {
		g.defs[argsKey] = map[string]any{} // reserve, against recursion
		g.defs[argsKey] = g.arguments(cd.reg, cd.c)
	}
	return key
}

// defKey is the $defs key of a component's arguments: kind.name, with
// characters outside [A-Za-z0-9_.-] replaced, unique per component.
func (g *schemaGen) defKey(cd candidate) string {
	id := cd.reg.Kind() + "\x00" + cd.c.name
	if k, ok := g.names[id]; ok {
		return k
	}
	base := cd.c.name
	if k := cd.reg.Kind(); k != "" {
		base = k + "." + base
	}
	base = strings.Map(func(r rune) rune {
		if r == '_' || r == '.' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, base)
	key := base
	for i := 2; g.taken(key); i++ {
		key = base + "_" + strconv.Itoa(i)
	}
	if g.names == nil {
		g.names = map[string]string{}
	}
	g.names[id] = key
	return key
}

// taken reports whether a def key is used by another component.
func (g *schemaGen) taken(key string) bool {
	for _, k := range g.names {
		if k == key {
			return true
		}
	}
	return false
}
