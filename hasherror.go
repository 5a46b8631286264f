package mlregistry

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrTampered is reported (wrapped, by *HashError) when a document's
// arguments do not hash to the hash it states, and nothing else explains
// it: the document was edited after it was written.
var ErrTampered = errors.New("metadata does not hash to its stated hash")

// ErrIncompatible is reported (wrapped) when a document was written by a
// version of a component that this program cannot reproduce: another hash
// scheme, a newer version, a changed signature without a new Version, or a
// missing upgrade.
var ErrIncompatible = errors.New("metadata written by an incompatible version of the component")

// HashError reports a rebuilt component whose hash is not the one its
// document states. It matches ErrTampered or ErrIncompatible (errors.Is),
// whichever explains it.
type HashError struct {
	// Path locates the component's envelope in the document ("" at the top).
	Path string
	// Component is the component's name.
	Component string
	// Stated is the hash the document states; Computed what its arguments
	// hash to.
	Stated, Computed string
	// Reason says why they differ, as far as can be told.
	Reason string
	// Err is ErrTampered or ErrIncompatible.
	Err error
}

func (e *HashError) Error() string {
	at := ""
	if e.Path != "" {
		at = " at " + e.Path
	}
	if e.Stated == e.Computed {
		return fmt.Sprintf("%s%s: the document's arguments hash to its stated hash %s, %s", e.Component, at, e.Stated, e.Reason)
	}
	return fmt.Sprintf("%s%s: the document states hash %s but its arguments hash to %s: %s", e.Component, at, e.Stated, e.Computed, e.Reason)
}

// Unwrap returns ErrTampered or ErrIncompatible.
func (e *HashError) Unwrap() error { return e.Err }

// WithPathPrefix returns err with prefix put before the path of every
// problem it reports — of a *ValidationError, or the *HashError — for
// documents that hold envelopes under names of their own: rebuilding a
// pipeline's "optimizer" envelope, "kwargs.lr" becomes
// "optimizer.kwargs.lr". Other errors are wrapped with the prefix.
func WithPathPrefix(prefix string, err error) error {
	var ve *ValidationError
	var he *HashError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		out := &ValidationError{Component: ve.Component, Problems: make([]Problem, len(ve.Problems))}
		for i, p := range ve.Problems {
			p.Path = joinPath(prefix, p.Path)
			out.Problems[i] = p
		}
		return out
	case errors.As(err, &he):
		out := *he
		out.Path = joinPath(prefix, he.Path)
		return &out
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

// joinPath joins paths, the second possibly starting with an index.
func joinPath(prefix, path string) string {
	if prefix == "" || path == "" || path[0] == '[' {
		return prefix + path
	}
	return prefix + "." + path
}

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
