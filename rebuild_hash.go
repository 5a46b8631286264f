package mlregistry

import (
	"bytes"
	"fmt"
)

// mismatch explains a hash mismatch: an incompatible component, or a
// tampered document.
func (b *rebuilder) mismatch(n *node, computed string) error {
	e := &HashError{Path: n.path, Component: n.c.name, Stated: n.md.Hash, Computed: computed, Err: ErrTampered}
	switch diff := signatureDiff(n.md.Signature, n.c.sig); {
	case diff != "":
		e.Err = ErrIncompatible
		e.Reason = "the component's signature changed since the document was written (" + diff + "); declare a new Version with an UpgradeFrom to read old documents"
	case n.md.Signature.Len() == 0 && n.c.sig.Len() > 0:
		e.Reason = "the document records no signature, so it cannot tell an edited document from a changed component; it is treated as edited"
	default:
		e.Reason = "the component is unchanged, so the document was edited after it was written"
	}
	return e
}

// signatureDiff describes how a recorded signature differs from the
// current one, or returns "".
func signatureDiff(old, cur Signature) string {
	if old.Len() == 0 {
		return ""
	}
	if old.Len() != cur.Len() {
		return fmt.Sprintf("%d parameters then, %d now", old.Len(), cur.Len())
	}
	for i := range old.params {
		o, c := old.params[i], cur.params[i]
		ct := c.TypeName
		if ct == "" {
			ct = typeName(c.Type)
		}
		switch {
		case o.Name != c.Name:
			return fmt.Sprintf("parameter %d was %q, is %q", i, o.Name, c.Name)
		case o.TypeName != ct:
			return fmt.Sprintf("parameter %q was %s, is %s", o.Name, o.TypeName, ct)
		case o.Excluded != c.Excluded:
			return fmt.Sprintf("parameter %q was excluded: %v, is %v", o.Name, o.Excluded, c.Excluded)
		case o.Excluded:
		case o.HasDefault != c.HasDefault:
			return fmt.Sprintf("parameter %q had a default: %v, has %v", o.Name, o.HasDefault, c.HasDefault)
		case o.HasDefault && !sameDefault(o, c):
			return fmt.Sprintf("the default of %q changed", o.Name)
		}
	}
	return ""
}

// sameDefault compares two parameters' defaults as documents write them.
func sameDefault(o, c Param) bool {
	var eo, ec encoder
	if eo.argument(o.Default, o.Type, lazyPath{}, 0) != nil || ec.argument(c.Default, c.Type, lazyPath{}, 0) != nil {
		return false
	}
	return bytes.Equal(eo.buf, ec.buf)
}
