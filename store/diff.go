package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Change is one difference between two configurations.
type Change struct {
	// Path locates the value: object keys joined by ".", array indexes in
	// brackets, e.g. "components.model.arguments.hidden_size" or "args[1]".
	Path string `json:"path"`
	// Old and New are the JSON values on each side; nil where the value is
	// absent on that side.
	Old json.RawMessage `json:"old,omitempty"`
	New json.RawMessage `json:"new,omitempty"`
}

// Kind says what happened at Path: "added", "removed" or "changed".
func (c Change) Kind() string {
	switch {
	case c.Old == nil:
		return "added"
	case c.New == nil:
		return "removed"
	}
	return "changed"
}

// String formats the change for people: "path: old → new".
func (c Change) String() string {
	show := func(v json.RawMessage) string {
		if v == nil {
			return "(absent)"
		}
		return string(v)
	}
	return c.Path + ": " + show(c.Old) + " → " + show(c.New)
}

// Diff compares two JSON documents — two metadata envelopes, or two runs'
// configurations as RunConfig builds them — and returns their differences,
// ordered by path.
//
// Metadata envelopes, wherever they appear (nested ones included, as when a
// component's argument is itself a component), are compared as components
// rather than as text: two envelopes with the same hash and name are the same
// component; otherwise their name, kind, version, scheme and effective
// arguments ("arguments") are compared, argument by argument. The signature,
// the given "args"/"kwargs" (already reflected in "arguments") and the format
// tag are not. If nothing else differs but the hashes do, the hash is the
// change reported.
func Diff(a, b []byte) ([]Change, error) {
	va, err := decode(a)
	if err != nil {
		return nil, fmt.Errorf("%w: diff: first document: %v", ErrInvalid, err)
	}
	vb, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("%w: diff: second document: %v", ErrInvalid, err)
	}
	var d differ
	d.value("", va, vb)
	return d.changes, nil
}

func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

type differ struct{ changes []Change }

// absent marks a missing value, distinct from JSON null.
type absent struct{}

func encode(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, _ := json.Marshal(v) // decoded JSON always encodes
	return b
}

func (d *differ) value(path string, a, b any) {
	oa, aObj := a.(map[string]any)
	ob, bObj := b.(map[string]any)
	switch {
	case aObj && bObj && isEnvelope(oa) && isEnvelope(ob):
		d.envelope(path, oa, ob)
	case aObj && bObj:
		d.object(path, oa, ob, nil)
	default:
		la, aArr := a.([]any)
		lb, bArr := b.([]any)
		if aArr && bArr {
			d.array(path, la, lb)
		} else if !equal(a, b) {
			d.change(path, a, b)
		}
	}
}

// change records a change, turning absent into nil (and JSON null into null).
func (d *differ) change(path string, a, b any) {
	c := Change{Path: path}
	if _, ok := a.(absent); !ok {
		c.Old = encode(a)
	}
	if _, ok := b.(absent); !ok {
		c.New = encode(b)
	}
	d.changes = append(d.changes, c)
}

func (d *differ) object(path string, a, b map[string]any, skip map[string]bool) {
	keys := slices.Sorted(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if skip[k] {
			continue
		}
		va, inA := a[k]
		vb, inB := b[k]
		if !inA {
			va = absent{}
		}
		if !inB {
			vb = absent{}
		}
		d.value(join(path, k), va, vb)
	}
}

func (d *differ) array(path string, a, b []any) {
	for i := range max(len(a), len(b)) {
		var va, vb any = absent{}, absent{}
		if i < len(a) {
			va = a[i]
		}
		if i < len(b) {
			vb = b[i]
		}
		d.value(path+"["+strconv.Itoa(i)+"]", va, vb)
	}
}

// envelopeSkip are the envelope fields Diff does not compare.
var envelopeSkip = map[string]bool{"format": true, "hash": true, "signature": true, "args": true, "kwargs": true}

func (d *differ) envelope(path string, a, b map[string]any) {
	if a["hash"] == b["hash"] && a["name"] == b["name"] {
		return // the same component
	}
	before := len(d.changes)
	skip := envelopeSkip
	_, argsA := a["arguments"]
	_, argsB := b["arguments"]
	if !argsA || !argsB {
		// No effective arguments on one side: compare what was given.
		skip = map[string]bool{"format": true, "hash": true, "signature": true}
	}
	d.object(path, a, b, skip)
	if len(d.changes) == before {
		d.value(join(path, "hash"), a["hash"], b["hash"])
	}
}

// isEnvelope reports whether an object is a metadata envelope.
func isEnvelope(o map[string]any) bool {
	_, hash := o["hash"].(string)
	_, name := o["name"].(string)
	if !hash || !name {
		return false
	}
	if f, ok := o["format"].(string); ok && strings.HasPrefix(f, "mlregistry/") {
		return true
	}
	_, args := o["arguments"]
	return args
}

// equal compares decoded JSON values; numbers compare by value (1 and 1.0
// are equal).
func equal(a, b any) bool {
	na, aNum := a.(json.Number)
	nb, bNum := b.(json.Number)
	if aNum && bNum {
		if na == nb {
			return true
		}
		if ia, err := na.Int64(); err == nil {
			if ib, err := nb.Int64(); err == nil {
				return ia == ib
			}
		}
		fa, errA := na.Float64()
		fb, errB := nb.Float64()
		return errA == nil && errB == nil && fa == fb
	}
	switch a.(type) {
	case map[string]any, []any:
		return false // only reached for an object against a non-object
	}
	return a == b
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
