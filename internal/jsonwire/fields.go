package jsonwire

import (
	"iter"
	"maps"
	"slices"
)

// fieldsFrom copies members into the parser's slab.
func (p *parser) fieldsFrom(ms []Member) Fields {
	if len(ms) > cap(p.slab)-len(p.slab) {
		p.slab = make([]Member, 0, max(32, len(ms)))
	}
	n := len(p.slab)
	p.slab = append(p.slab, ms...)
	return Fields(p.slab[n : n+len(ms) : n+len(ms)])
}

// Member is one member of an object: its key and its value.
type Member struct {
	Key   string
	Value any
}

// Fields are an object's members in document order, for objects a reader
// reads member by member — an envelope and its signature's entries —
// rather than as a map.
type Fields []Member

// Get returns the value of the member called k.
func (f Fields) Get(k string) (any, bool) {
	for i := range f {
		if f[i].Key == k {
			return f[i].Value, true
		}
	}
	return nil, false
}

// Keys yields the members' names, in document order.
func (f Fields) Keys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := range f {
			if !yield(f[i].Key) {
				return
			}
		}
	}
}

// FieldsOf returns a map's members, sorted by name.
func FieldsOf(m map[string]any) Fields {
	f := make(Fields, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		f = append(f, Member{Key: k, Value: m[k]})
	}
	return f
}

// FieldsList is the object entries of an array that ParseFields reads as
// Fields (its listKey member).
type FieldsList []Fields

// ParseFields parses a document whose top level should be an object: its
// members are read as Fields, and so are the entries of the array that is
// its member listKey (a FieldsList), rather than as maps. Any other
// document is parsed as Parse does.
func ParseFields(data []byte, maxDepth int, listKey string) (any, error) {
	p := parser{data: string(data), maxDepth: maxDepth, members: make([]Member, 0, 32)}
	p.space()
	var v any
	var err error
	if p.i < len(p.data) && p.data[p.i] == '{' {
		v, err = p.fieldsObject(listKey)
	} else {
		v, err = p.value()
	}
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.data) {
		return nil, p.fail("data after the document")
	}
	return v, nil
}

// fieldsObject parses an object into Fields; its member listKey (unless
// "") is parsed into a FieldsList when it is an array.
func (p *parser) fieldsObject(listKey string) (Fields, error) {
	start, err := p.objectMembers(func(k string) (any, error) {
		if listKey != "" && k == listKey && p.i < len(p.data) && p.data[p.i] == '[' {
			return p.fieldsArray()
		}
		return p.value()
	})
	if err != nil {
		return nil, err
	}
	f := p.fieldsFrom(p.members[start:])
	p.release(start)
	if dup := f.duplicate(); dup != "" {
		return nil, p.fail("Member %q given twice in the object ending", dup)
	}
	return f, nil
}

// duplicate returns a name given twice, or "".
func (f Fields) duplicate() string {
	if len(f) <= 16 {
		for i := range f {
			for j := i + 1; j < len(f); j++ {
				if f[i].Key == f[j].Key {
					return f[i].Key
				}
			}
		}
		return ""
	}
	seen := make(map[string]bool, len(f))
	for _, m := range f {
		if seen[m.Key] {
			return m.Key
		}
		seen[m.Key] = true
	}
	return ""
}

// fieldsArray parses an array whose object entries are read as Fields.
// Anything else in it is kept as parsed, for the reader to refuse.
func (p *parser) fieldsArray() (any, error) {
	list := make(FieldsList, 0, 8)
	var others map[int]any // entries that are not objects
	err := p.elements(func() error {
		if p.i < len(p.data) && p.data[p.i] == '{' {
			f, err := p.fieldsObject("")
			list = append(list, f)
			return err
		}
		v, err := p.value()
		if others == nil {
			others = map[int]any{}
		}
		others[len(list)] = v
		list = append(list, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	if others == nil {
		return list, nil
	}
	// Not all objects: hand it on generically.
	out := make([]any, len(list))
	for i := range list {
		if v, bad := others[i]; bad {
			out[i] = v
		} else {
			out[i] = list[i]
		}
	}
	return out, nil
}
