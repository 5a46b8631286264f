package mlregistry

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/mlregistry/mlregistry/internal/jsonwire"
)

// UnmarshalJSON reads a document written by MarshalJSON, strictly: an
// unknown format or member, a member of the wrong type, a malformed hash,
// an unknown hash scheme or a dangling reference is refused, every
// problem at once, in a *ValidationError whose problems carry JSON paths.
// Documents are bounded (1 MiB, 256 levels of nesting, 32 levels of
// nested components, 4096 envelopes, numbers of at most 128 characters).
//
// Numbers are kept exactly, as json.Number; nested envelopes become
// *Metadata; a component that occurs several times (a reference) becomes
// a *Metadata equal to the one defined in full. Decoded signatures have each Param's
// TypeName, not its Type. Decoding constructs nothing: Registry.Rebuild
// does that, for registered components only.
//
// A document without "hash" is a spec rather than a record — a request
// naming a component and its arguments — and Rebuild builds it without a
// hash to check.
func (md *Metadata) UnmarshalJSON(data []byte) error {
	var d decoder
	v, ok := d.document(data)
	if !ok {
		return d.err()
	}
	m, isObject := v.(jsonwire.Fields)
	if !isObject {
		d.ve.add("", "expected an object (a metadata envelope), got %s", jsonKind(v))
		return d.err()
	}
	out := d.envelope(m, "", 0)
	if out != nil && out.ref {
		d.ve.add("ref", "a document's top level cannot be a reference")
	}
	d.resolve()
	if len(d.ve.Problems) > 0 {
		if out != nil {
			d.ve.Component = out.Name
		}
		return d.err()
	}
	*md = out.Metadata
	return nil
}

// decodedMetadata is an envelope being decoded: a reference is filled in
// once the whole document has been read.
type decodedMetadata struct {
	Metadata
	ref  bool
	key  string
	path string
}

// decoder turns a JSON document into Metadata, collecting problems.
type decoder struct {
	ve      ValidationError
	defined map[string]*Metadata
	refs    []*decodedMetadata
	count   int
}

// err returns the problems found, as an error of its own.
func (d *decoder) err() *ValidationError {
	ve := d.ve
	return &ve
}

// document checks a document's size and parses it.
func (d *decoder) document(data []byte) (any, bool) {
	if len(data) > jsonwire.MaxDocumentSize {
		d.ve.add("", "document is %d bytes, more than the limit of %d", len(data), jsonwire.MaxDocumentSize)
		return nil, false
	}
	v, err := jsonwire.ParseFields(data, jsonwire.MaxDepth, "signature")
	if err != nil {
		d.ve.Problems = append(d.ve.Problems, Problem{Message: err.Error(), Err: err})
		return nil, false
	}
	return v, true
}

// jsonKind names a decoded JSON value's kind for a message.
func jsonKind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "number " + string(x)
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return "string " + strconv.Quote(x)
	case []any, jsonwire.FieldsList:
		return "an array"
	case map[string]any, jsonwire.Fields:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// envelope decodes one envelope; nil when it is too broken to describe.
func (d *decoder) envelope(m jsonwire.Fields, path string, depth int) *decodedMetadata {
	if depth > maxComponentDepth {
		d.ve.add(path, "components nest deeper than %d levels", maxComponentDepth)
		return nil
	}
	d.count++
	if d.count > maxComponents {
		if d.count == maxComponents+1 {
			d.ve.add(path, "document holds more than %d components", maxComponents)
		}
		return nil
	}
	out := &decodedMetadata{path: path}
	at := func(k string) string { return join(path, k) }
	str := func(k string, required bool) string {
		v, present := m.Get(k)
		if !present {
			if required {
				d.ve.add(at(k), "missing")
			}
			return ""
		}
		s, ok := v.(string)
		if !ok {
			d.ve.add(at(k), "expected a string, got %s", jsonKind(v))
		}
		return s
	}
	unknown := false
	for _, f := range m {
		unknown = unknown || !isEnvelopeKey(f.Key)
	}
	if unknown {
		for _, k := range slices.Sorted(m.Keys()) {
			if !isEnvelopeKey(k) {
				d.ve.add(at(k), "unknown member %q of a metadata envelope%s", k, didYouMean(suggest(k, envelopeKeys)))
			}
		}
	}
	if f := str("format", true); f != "" && f != Format {
		d.ve.add(at("format"), "unsupported format %q: this version reads %q", f, Format)
	}
	out.Kind = str("kind", false)
	out.Name = str("name", true)
	if _, present := m.Get("name"); present && out.Name == "" {
		d.ve.add(at("name"), "empty component name")
	}
	out.Hash = str("hash", false)
	if _, present := m.Get("hash"); present && !validHash(out.Hash) {
		d.ve.add(at("hash"), "expected 32 lowercase hexadecimal characters, got %q", out.Hash)
	}
	if s, present := m.Get("scheme"); present {
		name, _ := s.(string)
		scheme, err := ParseScheme(name)
		switch {
		case name == "" && s != nil:
			d.ve.add(at("scheme"), "expected a string, got %s", jsonKind(s))
		case err != nil:
			d.ve.Problems = append(d.ve.Problems, Problem{Path: at("scheme"), Message: err.Error(), Err: err})
		}
		out.Scheme = scheme
	}
	if v, present := m.Get("version"); present {
		n, ok := v.(json.Number)
		ver, err := strconv.Atoi(string(n))
		if !ok || err != nil || ver < 1 || ver > 1<<20 {
			d.ve.add(at("version"), "expected a version number from 1, got %s", jsonKind(v))
		}
		out.Version = ver
	}
	if r, present := m.Get("ref"); present {
		if r != true {
			d.ve.add(at("ref"), "expected true, got %s", jsonKind(r))
		}
		out.ref = true
		for _, k := range []string{"args", "kwargs", "arguments", "signature", "version", "scheme"} {
			if _, present := m.Get(k); present {
				d.ve.add(at(k), "a reference carries no %s: the component is defined in full elsewhere in the document", k)
			}
		}
		if out.Hash == "" {
			d.ve.add(at("hash"), "a reference needs the hash of the component it refers to")
		}
		out.key = componentKey(out.Kind, out.Name, out.Hash)
		d.refs = append(d.refs, out)
		return out
	}
	if v, present := m.Get("args"); present {
		a, ok := v.([]any)
		if !ok {
			d.ve.add(at("args"), "expected an array, got %s", jsonKind(v))
		} else {
			for i := range a {
				a[i] = d.value(a[i], lazyPath{parent: at("args"), idx: i}, depth, 0)
			}
			out.Args = a
		}
	}
	out.Kwargs = d.object(m, "kwargs", path, depth)
	out.Arguments = d.object(m, "arguments", path, depth)
	if v, present := m.Get("signature"); present {
		out.Signature = d.signature(v, at("signature"), depth)
	}
	if out.Hash != "" && depth > 0 {
		// Only nested envelopes can be referred to: a reference to the
		// top level would be a cycle.
		out.key = componentKey(out.Kind, out.Name, out.Hash)
		if d.defined == nil {
			d.defined = make(map[string]*Metadata, 4)
		}
		if _, dup := d.defined[out.key]; dup {
			d.ve.add(path, "%s %q with hash %s is defined in full twice; a repeated component must be a reference ({\"ref\":true})", orComponent(out.Kind), out.Name, out.Hash)
		} else {
			d.defined[out.key] = &out.Metadata
		}
	}
	return out
}

// validHash reports whether s is 32 lowercase hexadecimal characters.
func validHash(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// object decodes the member k of m as arguments by name.
func (d *decoder) object(m jsonwire.Fields, k, path string, depth int) Kwargs {
	v, present := m.Get(k)
	if !present {
		return nil
	}
	o, ok := v.(map[string]any)
	if !ok {
		d.ve.add(join(path, k), "expected an object, got %s", jsonKind(v))
		return nil
	}
	at := join(path, k)
	for name, x := range o {
		o[name] = d.value(x, lazyPath{parent: at, key: name, isKey: true}, depth, 0)
	}
	return Kwargs(o)
}

// signature decodes a recorded signature.
func (d *decoder) signature(v any, path string, depth int) Signature {
	var list []any
	entries, isList := v.(jsonwire.FieldsList)
	if !isList {
		list, isList = v.([]any)
		if !isList {
			d.ve.add(path, "expected an array, got %s", jsonKind(v))
			return Signature{}
		}
	}
	n := len(entries) + len(list)
	ps := make([]Param, 0, n)
	var seen map[string]bool // for long lists only
	for i := 0; i < n; i++ {
		var o jsonwire.Fields
		var ok bool
		var x any
		if entries != nil {
			o, ok = entries[i], true
		} else {
			x = list[i]
			o, ok = x.(jsonwire.Fields)
			if m, isMap := x.(map[string]any); isMap {
				o, ok = jsonwire.FieldsOf(m), true
			}
		}
		at := lazyPath{parent: path, idx: i}
		sub := func(k string) string { return join(at.String(), k) }
		if !ok {
			d.ve.add(at.String(), "expected an object, got %s", jsonKind(x))
			continue
		}
		var p Param
		known := 0
		for _, k := range [...]string{"name", "type", "default", "excluded"} {
			val, present := o.Get(k)
			if !present {
				continue
			}
			known++
			switch k {
			case "name", "type":
				s, ok := val.(string)
				if !ok || s == "" {
					d.ve.add(sub(k), "expected a non-empty string, got %s", jsonKind(val))
				}
				if k == "name" {
					p.Name = s
				} else {
					p.TypeName = s
				}
			case "default":
				p.Default, p.HasDefault = d.value(val, lazyPath{parent: path, idx: i, sub: k}, depth, 0), true
			case "excluded":
				b, ok := val.(bool)
				if !ok {
					d.ve.add(sub(k), "expected a boolean, got %s", jsonKind(val))
				}
				p.Excluded = b
			}
		}
		if known < len(o) {
			for _, k := range slices.Sorted(o.Keys()) {
				switch k {
				case "name", "type", "default", "excluded":
				default:
					d.ve.add(sub(k), "unknown member %q of a parameter%s", k, didYouMean(suggest(k, []string{"name", "type", "default", "excluded"})))
				}
			}
		}
		if p.Name == "" || p.TypeName == "" {
			if _, ok := o.Get("name"); !ok {
				d.ve.add(sub("name"), "missing")
			}
			if _, ok := o.Get("type"); !ok {
				d.ve.add(sub("type"), "missing")
			}
		}
		if p.Name != "" {
			dup := false
			if len(ps) < 32 {
				for _, q := range ps {
					dup = dup || q.Name == p.Name
				}
			} else {
				if seen == nil {
					seen = make(map[string]bool, len(list))
					for _, q := range ps {
						seen[q.Name] = true
					}
				}
				dup = seen[p.Name]
				seen[p.Name] = true
			}
			if dup {
				d.ve.add(sub("name"), "parameter %q listed twice", p.Name)
			}
		}
		ps = append(ps, p)
	}
	return Signature{params: ps}
}

// value checks a decoded argument value and turns nested envelopes into
// *Metadata. Arrays and objects are updated in place.
func (d *decoder) value(v any, at lazyPath, cdepth, depth int) any {
	if depth > maxDepth {
		d.ve.add(at.String(), "value nests deeper than %d levels", maxDepth)
		return nil
	}
	switch x := v.(type) {
	case json.Number:
		if len(x) > jsonwire.MaxNumberLen {
			d.ve.add(at.String(), "number of %d characters is longer than the limit of %d", len(x), jsonwire.MaxNumberLen)
		}
	case []any:
		path := at.String()
		for i := range x {
			x[i] = d.value(x[i], lazyPath{parent: path, idx: i}, cdepth, depth+1)
		}
	case map[string]any:
		path := at.String()
		if isEnvelope(x) {
			n := d.envelope(jsonwire.FieldsOf(x), path, cdepth+1)
			if n == nil {
				return nil
			}
			return &n.Metadata
		}
		for k, e := range x {
			x[k] = d.value(e, lazyPath{parent: path, key: k, isKey: true}, cdepth, depth+1)
		}
	}
	return v
}

// resolve fills in every reference from the envelope it refers to.
func (d *decoder) resolve() {
	for _, r := range d.refs {
		full, ok := d.defined[r.key]
		if !ok {
			if r.Hash != "" {
				d.ve.add(r.path, "reference to %s %q with hash %s, which the document does not define", orComponent(r.Kind), r.Name, r.Hash)
			}
			continue
		}
		r.Metadata = *full
	}
}

// orComponent is kind, or "component" when empty.
func orComponent(kind string) string {
	if kind == "" {
		return "component"
	}
	return kind
}

// UnmarshalJSON reads a signature written by MarshalJSON. Its parameters
// have a TypeName but no Type, and defaults as a document holds them
// (numbers as json.Number).
func (s *Signature) UnmarshalJSON(data []byte) error {
	var d decoder
	if len(data) > jsonwire.MaxDocumentSize {
		d.ve.add("", "document is %d bytes, more than the limit of %d", len(data), jsonwire.MaxDocumentSize)
		return d.err()
	}
	v, err := jsonwire.Parse(data, jsonwire.MaxDepth)
	if err != nil {
		d.ve.Problems = append(d.ve.Problems, Problem{Message: err.Error(), Err: err})
		return d.err()
	}
	sig := d.signature(v, "", 0)
	d.resolve()
	if len(d.ve.Problems) > 0 {
		return d.err()
	}
	*s = sig
	return nil
}
