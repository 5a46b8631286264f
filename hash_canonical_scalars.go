package mlregistry

import (
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"hash"
	"reflect"
	"sync"
	"unsafe"
)

// The CanonicalV1 message of a component whose kept parameters are all
// bools, numbers and strings is mostly known at registration: the prefix,
// the name, the count, and each parameter's name and type description.
// scalarHashPlan keeps those bytes, and SHA-256's state after their
// leading whole blocks, so that hashing a record appends the rest of them
// and the values, read straight from the record's typed storage (scalars
// are kept in its words, see retain.go), with no reflection and no
// allocation: the same bytes as canonicalEncoder writes.

// scalarHashPlan is the precomputed part of a scalar component's message.
// The message starts with constant bytes — the head and the first
// parameter's key — of which the whole 64-byte blocks are hashed once, at
// registration: mid is SHA-256's state after them, and lead the constant
// bytes that follow.
type scalarHashPlan struct {
	mid   []byte           // the marshaled state after the first midLen bytes, or nil
	lead  []byte           // the constant bytes after them
	steps []scalarHashStep // the kept parameters, in order of name
}

// scalarHashStep is one parameter of a scalarHashPlan.
type scalarHashStep struct {
	key  []byte // str(name) str(type description); the first step's is in lead
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
	p := &scalarHashPlan{}
	for _, i := range c.sorted {
		k := c.sig.params[i].Type.Kind()
		if !wordKind(k) && k != reflect.String {
			return nil
		}
		key := canonicalEncoder{}
		key.str(c.sig.params[i].Name)
		key.str(c.types[i])
		p.steps = append(p.steps, scalarHashStep{key: key.buf, i: i, kind: k})
	}
	lead := e.buf
	if len(p.steps) > 0 {
		lead = append(lead, p.steps[0].key...)
		p.steps[0].key = nil
	}
	if n := len(lead) &^ (sha256.BlockSize - 1); n > 0 {
		h := sha256.New()
		h.Write(lead[:n])
		mid, err := h.(encoding.BinaryMarshaler).MarshalBinary()
		if err != nil {
			panic("mlregistry: crypto/sha256 cannot save its state: " + err.Error())
		}
		p.mid, lead = mid, lead[n:]
	}
	p.lead = lead
	return p
}

// sha256Scratch is a SHA-256 digest to resume from a plan's state, with
// room for the rest of a message; both outlive one hash, in a pool.
type sha256Scratch struct {
	h   hash.Hash
	buf [512]byte
	sum [sha256.Size]byte
}

var sha256Scratches = sync.Pool{New: func() any { return &sha256Scratch{h: sha256.New()} }}

// digest returns the CanonicalV1 digest of r, whose component's plan p is.
func (p *scalarHashPlan) digest(r *record) [sha256.Size]byte {
	s := sha256Scratches.Get().(*sha256Scratch)
	defer sha256Scratches.Put(s)
	b := append(s.buf[:0], p.lead...)
	for _, st := range p.steps {
		b = append(b, st.key...)
		if st.kind != reflect.String {
			b = appendWord(b, st.kind, unsafe.Pointer(&r.words[st.i]))
			continue
		}
		str, ok := r.values[st.i].(string)
		if !ok { // a named string type
			str = reflect.ValueOf(r.values[st.i]).String()
		}
		b = append(b, tagString)
		b = binary.BigEndian.AppendUint64(b, uint64(len(str)))
		b = append(b, str...)
	}
	if p.mid == nil {
		return sha256.Sum256(b)
	}
	if err := s.h.(encoding.BinaryUnmarshaler).UnmarshalBinary(p.mid); err != nil {
		panic("mlregistry: crypto/sha256 cannot resume its state: " + err.Error())
	}
	s.h.Write(b)
	return [sha256.Size]byte(s.h.Sum(s.sum[:0]))
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
