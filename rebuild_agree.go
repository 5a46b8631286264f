package mlregistry

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"slices"
)

// agree checks that a record's effective arguments are what its args,
// kwargs and the defaults give.
func (b *rebuilder) agree(n *node, bnd binding, given Kwargs) {
	at := join(n.path, "arguments")
	ps := n.c.sig.params
	unknown := false
	for k := range given {
		if i := n.c.sig.index(k); i < 0 || ps[i].Excluded {
			unknown = true
		}
	}
	if unknown {
		for _, k := range slices.Sorted(maps.Keys(given)) {
			if i := n.c.sig.index(k); i < 0 || ps[i].Excluded {
				b.problem(join(at, k), ErrInvalid, "%s has no (non-excluded) parameter %q%s", n.c.name, k, didYouMean(suggest(k, n.c.sig.names())))
			}
		}
	}
	var ve ValidationError
	for i, p := range ps {
		if p.Excluded {
			continue
		}
		v, ok := given[p.Name]
		if !ok {
			b.problem(join(at, p.Name), ErrInvalid, "missing: the effective arguments must list every parameter")
			continue
		}
		if gv, given := n.givenValue(i); given && sameScalar(v, gv) {
			continue
		}
		cv, ok := convert(typed(fill1(v, placeholder), p.Type, 0), p.Type, join(at, p.Name), &ve, 0)
		if !ok {
			continue
		}
		gv, _ := n.givenValue(i)
		if !sameCanonical(cv.Interface(), bnd.rec.value(i)) || !sameNodes(v, gv) {
			if diff := signatureDiff(n.md.Signature, n.c.sig); diff != "" {
				b.problem(join(at, p.Name), ErrIncompatible, "disagrees with what the document's args and kwargs give with the component's current defaults: its signature changed since the document was written (%s); declare a new Version with an UpgradeFrom to read old documents", diff)
				continue
			}
			b.problem(join(at, p.Name), ErrTampered, "disagrees with the args and kwargs (and defaults) of the same document, which was edited")
		}
	}
	b.ve.Problems = append(b.ve.Problems, ve.Problems...)
}

// givenValue is the value given for parameter i by args or kwargs, with
// nested components as nodes; false when a default applies.
func (n *node) givenValue(i int) (any, bool) {
	j := 0
	for k := 0; k < i; k++ {
		if !n.c.sig.params[k].Excluded {
			j++
		}
	}
	if j < len(n.args) {
		return n.args[j], true
	}
	v, ok := n.kwargs[n.c.sig.params[i].Name]
	return v, ok
}

// sameScalar reports whether a and b are the same scalar of the same
// type — the same text, for numbers read from a document.
func sameScalar(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int:
		y, ok := b.(int)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	}
	return false
}

// sameCanonical reports whether two values have the same canonical
// encoding (nested components compared apart, by sameNodes).
func sameCanonical(a, b any) bool {
	var ea, eb canonicalEncoder
	ea.value(a)
	eb.value(b)
	return bytes.Equal(ea.buf, eb.buf)
}

// sameNodes reports whether two values nest the same components, in the
// same places.
func sameNodes(a, b any) bool {
	return slicesEqual(collectNodes(a, nil, 0), collectNodes(b, nil, 0))
}

func slicesEqual(a, b []*node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
