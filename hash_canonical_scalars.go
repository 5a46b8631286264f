package mlregistry

import (
	"crypto/sha256"
	"encoding/binary"
	"reflect"
	"unsafe"
)

// The CanonicalV1 message of a component whose kept parameters are all
// bools, numbers and strings is mostly known at registration: the prefix,
// the name, the count, and each parameter's name and type description.
// scalarHashPlan keeps those bytes, so that hashing a record appends them
// and the values, read straight from the record's typed storage (scalars
// are kept in its words, see retain.go), with no reflection and no
// allocation: the same bytes as canonicalEncoder writes.

// scalarHashPlan is the precomputed part of a scalar component's message.
type scalarHashPlan struct {
	head  []byte           // canonicalPrefix, str(name), u64(count)
	steps []scalarHashStep // the kept parameters, in order of name
}

// scalarHashStep is one parameter of a scalarHashPlan.
type scalarHashStep struct {
	key  []byte // str(name) str(type description)
	i    int    // the parameter's index
	kind reflect.Kind
}

// newScalarHashPlan returns the plan of c, or nil when a kept parameter
// is not a bool, a number or a string. c.sorted and c.types are set.
func newScalarHashPlan(c *component) *scalarHashPlan {
	e := canonicalEncoder{}
	e.buf = append(e.buf, canonicalPrefix...)
	e.str(c.name)
	e.u64(uint64(len(c.sorted)))
	p := &scalarHashPlan{head: e.buf}
	for _, i := range c.sorted {
		k := c.sig.params[i].Type.Kind()
		if !wordKind(k) && k != reflect.String {
			return nil
		}
		e := canonicalEncoder{}
		e.str(c.sig.params[i].Name)
		e.str(c.types[i])
		p.steps = append(p.steps, scalarHashStep{key: e.buf, i: i, kind: k})
	}
	return p
}

// digest returns the CanonicalV1 digest of r, whose component's plan p is.
func (p *scalarHashPlan) digest(r *record) [sha256.Size]byte {
	var stack [512]byte
	b := append(stack[:0], p.head...)
	for _, s := range p.steps {
		b = append(b, s.key...)
		if s.kind != reflect.String {
			b = appendWord(b, s.kind, unsafe.Pointer(&r.words[s.i]))
			continue
		}
		str, ok := r.values[s.i].(string)
		if !ok { // a named string type
			str = reflect.ValueOf(r.values[s.i]).String()
		}
		b = append(b, tagString)
		b = binary.BigEndian.AppendUint64(b, uint64(len(str)))
		b = append(b, str...)
	}
	return sha256.Sum256(b)
}

// appendWord appends the canonical encoding — tag and value — of the
// bool or number of kind k kept in a record's word w.
func appendWord(b []byte, k reflect.Kind, w unsafe.Pointer) []byte {
	switch k {
	case reflect.Bool:
		if *(*bool)(w) {
			return append(b, tagBool, 1)
		}
		return append(b, tagBool, 0)
	case reflect.Int:
		return binary.BigEndian.AppendUint64(append(b, tagInt), uint64(int64(*(*int)(w))))
	case reflect.Int8:
		return binary.BigEndian.AppendUint64(append(b, tagInt), uint64(int64(*(*int8)(w))))
	case reflect.Int16:
		return binary.BigEndian.AppendUint64(append(b, tagInt), uint64(int64(*(*int16)(w))))
	case reflect.Int32:
		return binary.BigEndian.AppendUint64(append(b, tagInt), uint64(int64(*(*int32)(w))))
	case reflect.Int64:
		return binary.BigEndian.AppendUint64(append(b, tagInt), uint64(*(*int64)(w)))
	case reflect.Uint:
		return binary.BigEndian.AppendUint64(append(b, tagUint), uint64(*(*uint)(w)))
	case reflect.Uint8:
		return binary.BigEndian.AppendUint64(append(b, tagUint), uint64(*(*uint8)(w)))
	case reflect.Uint16:
		return binary.BigEndian.AppendUint64(append(b, tagUint), uint64(*(*uint16)(w)))
	case reflect.Uint32:
		return binary.BigEndian.AppendUint64(append(b, tagUint), uint64(*(*uint32)(w)))
	case reflect.Uint64:
		return binary.BigEndian.AppendUint64(append(b, tagUint), *(*uint64)(w))
	case reflect.Float32:
		return appendFloatDigits(append(b, tagFloat), float64(*(*float32)(w)), 32)
	case reflect.Float64:
		return appendFloatDigits(append(b, tagFloat), *(*float64)(w), 64)
	}
	panic("mlregistry: appendWord of a " + k.String()) // unreachable: see wordKind
}
