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

// editedSignature reports a document whose arguments hash to its stated
// hash while its recorded signature names or types a parameter otherwise
// than the component does. CanonicalV1 hashes the parameters' names and
// types, so the component is the one that wrote the hash, and the recorded
// signature was edited after.
func editedSignature(n *node) error {
	if n.c.scheme != CanonicalV1 || n.md.Signature.Len() == 0 {
		return nil
	}
	diff := hashedParamsDiff(n.md.Signature, n.c.sig)
	if diff == "" {
		return nil
	}
	return &HashError{Path: n.path, Component: n.c.name, Stated: n.md.Hash, Computed: n.md.Hash, Err: ErrTampered,
		Reason: "but its recorded signature is not the component's (" + diff + "), and the hash covers the parameters' names and types, so the signature was edited after the document was written"}
}

// hashedParamsDiff describes how the names and types of the parameters
// that are not excluded differ between a recorded and the current
// signature, or returns "".
func hashedParamsDiff(old, cur Signature) string {
	kept := func(s Signature) []Param {
		var ps []Param
		for _, p := range s.params {
			if !p.Excluded {
				ps = append(ps, p)
			}
		}
		return ps
	}
	o, c := kept(old), kept(cur)
	if len(o) != len(c) {
		return fmt.Sprintf("%d parameters recorded, %d registered", len(o), len(c))
	}
	for i := range o {
		ct := c[i].TypeName
		if ct == "" {
			ct = typeName(c[i].Type)
		}
		switch {
		case o[i].Name != c[i].Name:
			return fmt.Sprintf("parameter %d recorded as %q, registered as %q", i, o[i].Name, c[i].Name)
		case o[i].TypeName != ct:
			return fmt.Sprintf("parameter %q recorded as %s, registered as %s", o[i].Name, o[i].TypeName, ct)
		}
	}
	return ""
}
