package mlregistry

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/mlregistry/mlregistry/internal/jsonwire"
)

var (
	metadataPtrType = reflect.TypeFor[*Metadata]()
	metadataType    = reflect.TypeFor[Metadata]()
)

// MarshalJSON writes md as a versioned envelope:
//
//	{"format":"mlregistry/v1","kind":"model","name":"Perceptron","hash":"…",
//	 "scheme":"canonical/v1","version":1,"args":[784,256,10],"kwargs":{"p":0.5},
//	 "arguments":{…},"signature":[{"name":"input_size","type":"int"},…]}
//
// Nested components (arguments that are instances built through a
// registry, or *Metadata) are written as nested envelopes; a component
// that occurs more than once is written in full the first time and as a
// reference ({"format":…,"name":…,"hash":…,"ref":true}) afterwards, so a
// document grows with the number of distinct components, never more.
//
// Every value is written so that Rebuild gets back a value with the same
// hash: integers exactly (int64 and uint64 extremes included), floats in
// their shortest exact form and always with a point or exponent, strings
// as UTF-8. A value that could not come back the same is an error rather
// than a silent change of identity: NaN and infinities, invalid UTF-8,
// funcs and channels, maps with keys other than strings and integers, and
// — in a parameter declared as an interface (any), where the document
// keeps no Go type — unsigned integers below 2⁶³, float32 values, structs
// and integer-keyed maps.
func (md Metadata) MarshalJSON() ([]byte, error) {
	e := encoder{buf: make([]byte, 0, 512)}
	if err := e.envelope(&md, "", 0); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// MarshalError reports a metadata value that cannot be written losslessly.
type MarshalError struct {
	// Path locates the value in the document ("kwargs.lr").
	Path string
	// Message says what is wrong with it.
	Message string
}

func (e *MarshalError) Error() string {
	if e.Path == "" {
		return "mlregistry: cannot write metadata: " + e.Message
	}
	return "mlregistry: cannot write metadata: " + e.Path + ": " + e.Message
}

// encoder writes envelopes and values.
type encoder struct {
	buf []byte
	// full holds the components written in full so far.
	full []fullKey
	// spec writes components as specs — format, kind, name, version and
	// arguments, no hash, no references — as a schema default is.
	spec bool
}

// fullKey identifies a component written in full.
type fullKey struct{ kind, name, hash string }

// written reports whether a component was written in full already. The
// search is linear: documents hold a handful of components, and at most
// maxComponents.
func (e *encoder) written(k fullKey) bool {
	for _, f := range e.full {
		if f == k {
			return true
		}
	}
	return false
}

func (e *encoder) fail(path, format string, args ...any) error {
	return &MarshalError{Path: path, Message: fmt.Sprintf(format, args...)}
}

// envelope writes one component's envelope.
func (e *encoder) envelope(md *Metadata, path string, depth int) error {
	if depth > maxComponentDepth {
		return e.fail(path, "components nest deeper than %d levels", maxComponentDepth)
	}
	if e.spec {
		return e.specEnvelope(md, path, depth)
	}
	if md.Hash != "" {
		key := fullKey{md.Kind, md.Name, md.Hash}
		if e.written(key) {
			e.head(md)
			e.buf = append(e.buf, `,"hash":`...)
			e.buf = jsonwire.AppendString(e.buf, md.Hash)
			e.buf = append(e.buf, `,"ref":true}`...)
			return nil
		}
		e.full = append(e.full, key)
	}
	e.head(md)
	if md.Hash != "" {
		e.buf = append(e.buf, `,"hash":`...)
		e.buf = jsonwire.AppendString(e.buf, md.Hash)
		e.buf = append(e.buf, `,"scheme":`...)
		e.buf = jsonwire.AppendString(e.buf, md.Scheme.String())
	}
	if md.Version != 0 {
		e.buf = append(e.buf, `,"version":`...)
		e.buf = strconv.AppendInt(e.buf, int64(md.Version), 10)
	}
	ps := md.Signature.params
	// Args are the non-excluded parameters in order.
	e.buf = append(e.buf, `,"args":[`...)
	j := 0
	for i, a := range md.Args {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		var t reflect.Type
		for j < len(ps) && ps[j].Excluded {
			j++
		}
		if j < len(ps) {
			t = ps[j].Type
			j++
		}
		if err := e.argument(a, t, lazyPath{parent: join(path, "args"), idx: i}, depth); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, `],"kwargs":`...)
	if err := e.kwargs(md.Kwargs, md.Signature, join(path, "kwargs"), depth); err != nil {
		return err
	}
	e.buf = append(e.buf, `,"arguments":`...)
	if err := e.kwargs(md.Arguments, md.Signature, join(path, "arguments"), depth); err != nil {
		return err
	}
	e.buf = append(e.buf, `,"signature":`...)
	if err := e.signature(md.Signature, join(path, "signature"), depth); err != nil {
		return err
	}
	e.buf = append(e.buf, '}')
	return nil
}

// specEnvelope writes a component as a spec: what JSONSchema describes
// and Rebuild builds from, without the record's hash and signature.
func (e *encoder) specEnvelope(md *Metadata, path string, depth int) error {
	e.head(md)
	if md.Version != 0 {
		e.buf = append(e.buf, `,"version":`...)
		e.buf = strconv.AppendInt(e.buf, int64(md.Version), 10)
	}
	e.buf = append(e.buf, `,"arguments":`...)
	if err := e.kwargs(md.Arguments, md.Signature, join(path, "arguments"), depth); err != nil {
		return err
	}
	e.buf = append(e.buf, '}')
	return nil
}

// head opens an envelope: its format, kind (when set) and name.
func (e *encoder) head(md *Metadata) {
	e.buf = append(e.buf, `{"format":"`+Format+`"`...)
	if md.Kind != "" {
		e.buf = append(e.buf, `,"kind":`...)
		e.buf = jsonwire.AppendString(e.buf, md.Kind)
	}
	e.buf = append(e.buf, `,"name":`...)
	e.buf = jsonwire.AppendString(e.buf, md.Name)
}

// signature writes a signature as an array of parameters.
func (e *encoder) signature(sig Signature, path string, depth int) error {
	e.buf = append(e.buf, '[')
	for i, p := range sig.params {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, `{"name":`...)
		e.buf = jsonwire.AppendString(e.buf, p.Name)
		e.buf = append(e.buf, `,"type":`...)
		tn := p.TypeName
		if tn == "" {
			tn = typeName(p.Type)
		}
		e.buf = jsonwire.AppendString(e.buf, tn)
		if p.Excluded {
			e.buf = append(e.buf, `,"excluded":true`...)
		} else if p.HasDefault {
			e.buf = append(e.buf, `,"default":`...)
			if err := e.argument(p.Default, p.Type, lazyPath{parent: path, idx: i, sub: "default"}, depth); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, ']')
	return nil
}

// MarshalJSON writes the signature as metadata documents record it: an
// array of {"name","type","default"?,"excluded"?}, in declaration order;
// excluded parameters are flagged and their defaults left out.
func (s Signature) MarshalJSON() ([]byte, error) {
	var e encoder
	if err := e.signature(s, "", 0); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// kwargs writes arguments by name, sorted, each with its parameter's type.
func (e *encoder) kwargs(kw Kwargs, sig Signature, path string, depth int) error {
	e.buf = append(e.buf, '{')
	// Keys sorted in a buffer on the stack: small maps cost no allocation.
	var stack [16]string
	keys := stack[:0]
	for k := range kw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = jsonwire.AppendString(e.buf, k)
		e.buf = append(e.buf, ':')
		var t reflect.Type
		if j := sig.index(k); j >= 0 {
			t = sig.params[j].Type
		}
		if err := e.argument(kw[k], t, lazyPath{parent: path, key: k, isKey: true}, depth); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// argument writes one argument whose parameter has type t (nil: unknown,
// as in a decoded signature).
func (e *encoder) argument(a any, t reflect.Type, at lazyPath, depth int) error {
	untyped := t != nil && t.Kind() == reflect.Interface
	switch x := a.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
		return nil
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(x), 10)
		return nil
	case int64:
		e.buf = strconv.AppendInt(e.buf, x, 10)
		return nil
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
		return nil
	case string:
		if !utf8.ValidString(x) {
			return e.fail(at.String(), "string is not valid UTF-8")
		}
		e.buf = jsonwire.AppendString(e.buf, x)
		return nil
	case float64:
		return e.float(x, 64, at)
	}
	return e.value(reflect.ValueOf(a), untyped, at, depth, 0)
}

// value writes v. untyped reports that v sits where the document keeps no
// Go type (under an interface), so that only what decodes back to a value
// with the same hash may be written.
func (e *encoder) value(v reflect.Value, untyped bool, at lazyPath, cdepth, depth int) error {
	if depth > maxDepth {
		return e.fail(at.String(), "value nests deeper than %d levels", maxDepth)
	}
	if !v.IsValid() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	switch v.Type() {
	case metadataPtrType:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.envelope(v.Interface().(*Metadata), at.String(), cdepth+1)
	case metadataType:
		md := v.Interface().(Metadata)
		return e.envelope(&md, at.String(), cdepth+1)
	case jsonNumberType:
		s := v.String()
		if !jsonwire.ValidNumber(s) {
			return e.fail(at.String(), "json.Number %q is not a number", s)
		}
		e.buf = append(e.buf, s...)
		return nil
	}
	switch v.Kind() {
	case reflect.Bool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := v.Uint()
		if untyped && u <= math.MaxInt64 {
			return e.fail(at.String(), "%s %d under an interface would come back as a signed integer, with another hash; declare the parameter with a concrete type, or pass an int", v.Type(), u)
		}
		e.buf = strconv.AppendUint(e.buf, u, 10)
	case reflect.Float32:
		if untyped {
			return e.fail(at.String(), "float32 %v under an interface would come back as a float64, with another hash; declare the parameter with a concrete type, or pass a float64", v.Float())
		}
		return e.float(v.Float(), 32, at)
	case reflect.Float64:
		return e.float(v.Float(), 64, at)
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) {
			return e.fail(at.String(), "string is not valid UTF-8")
		}
		e.buf = jsonwire.AppendString(e.buf, s)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		e.buf = append(e.buf, '[')
		var path string
		if v.Len() > 0 {
			path = at.String()
		}
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.value(v.Index(i), untyped, lazyPath{parent: path, idx: i}, cdepth, depth+1); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	case reflect.Map:
		return e.mapValue(v, untyped, at, cdepth, depth)
	case reflect.Struct:
		return e.structValue(v, untyped, at, cdepth, depth)
	case reflect.Pointer:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		if rec := recordOfValue(v); rec != nil {
			md := rec.metadata()
			return e.envelope(&md, at.String(), cdepth+1)
		}
		if !isPlain(v.Type().Elem()) {
			return e.fail(at.String(), "%s was not built through a registry and has unexported fields: it cannot be written", v.Type())
		}
		return e.value(v.Elem(), untyped, at, cdepth, depth+1)
	case reflect.Interface:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.value(v.Elem(), true, at, cdepth, depth)
	default:
		return e.fail(at.String(), "a %s (%s) cannot be written", v.Kind(), v.Type())
	}
	return nil
}

// mapValue writes a map as an object with sorted keys.
func (e *encoder) mapValue(v reflect.Value, untyped bool, at lazyPath, cdepth, depth int) error {
	if v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return nil
	}
	kt := v.Type().Key()
	switch kt.Kind() {
	case reflect.String:
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if untyped {
			return e.fail(at.String(), "a map with %s keys under an interface would come back with string keys, with another hash; declare the parameter with a concrete type", kt)
		}
	default:
		return e.fail(at.String(), "a map with %s keys cannot be written: JSON object keys are strings (use string or integer keys)", kt)
	}
	type entry struct {
		k string
		v reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	it := v.MapRange()
	for it.Next() {
		k := it.Key()
		var ks string
		switch k.Kind() {
		case reflect.String:
			ks = k.String()
			if !utf8.ValidString(ks) {
				return e.fail(at.String(), "map key is not valid UTF-8")
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			ks = strconv.FormatInt(k.Int(), 10)
		default:
			ks = strconv.FormatUint(k.Uint(), 10)
		}
		entries = append(entries, entry{ks, it.Value()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].k < entries[j].k })
	if kt.Kind() == reflect.String {
		for _, en := range entries {
			if en.k == "format" && looksLikeFormat(en.v) {
				return e.fail(at.String(), "a map whose \"format\" entry starts with \"mlregistry/\" would read back as a component envelope")
			}
		}
	}
	e.buf = append(e.buf, '{')
	path := at.String()
	for i, en := range entries {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = jsonwire.AppendString(e.buf, en.k)
		e.buf = append(e.buf, ':')
		if err := e.value(en.v, untyped, lazyPath{parent: path, key: en.k, isKey: true}, cdepth, depth+1); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// structValue writes a struct as an object of its fields, named as
// encoding/json names them, every field written (no omitempty), sorted by
// name as maps are, so that a decoded document writes the same bytes.
func (e *encoder) structValue(v reflect.Value, untyped bool, at lazyPath, cdepth, depth int) error {
	t := v.Type()
	if untyped {
		return e.fail(at.String(), "a struct (%s) under an interface would come back as a map, with another hash; declare the parameter with the struct type", t)
	}
	fl := structFields(t)
	if fl.opaque {
		return e.fail(at.String(), "%s has unexported fields and cannot be written", t)
	}
	if f, ok := fl.field("format"); ok && looksLikeFormat(v.Field(f.index)) {
		return e.fail(at.String(), "a struct whose \"format\" field starts with \"mlregistry/\" would read back as a component envelope")
	}
	e.buf = append(e.buf, '{')
	path := at.String()
	for k, f := range fl.sorted {
		if k > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = jsonwire.AppendString(e.buf, f.name)
		e.buf = append(e.buf, ':')
		if err := e.value(v.Field(f.index), false, lazyPath{parent: path, key: f.name, isKey: true}, cdepth, depth+1); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// looksLikeFormat reports whether v is a string naming an envelope format.
func looksLikeFormat(v reflect.Value) bool {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	return v.Kind() == reflect.String && len(v.String()) >= len("mlregistry/") && v.String()[:len("mlregistry/")] == "mlregistry/"
}

// float writes a finite float in its shortest exact form, always with a
// point or an exponent (jsonwire.AppendFloat); NaN and infinities are
// errors.
func (e *encoder) float(f float64, bits int, at lazyPath) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return e.fail(at.String(), "%v cannot be written: JSON has no NaN or infinity (and the hash refuses them)", f)
	}
	e.buf = jsonwire.AppendFloat(e.buf, f, bits)
	return nil
}
