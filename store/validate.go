package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// HashLen is the length of a component hash: 32 lowercase hex digits.
const HashLen = 32

// ValidHash reports whether h is a full component hash: 32 lowercase hex digits.
func ValidHash(h string) bool {
	return len(h) == HashLen && isHex(h)
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// HashPrefix checks a hash or hash prefix typed by a person and returns it in
// lower case. It fails with ErrInvalid unless it has MinPrefix to HashLen hex
// digits.
func HashPrefix(p string) (string, error) {
	q := strings.ToLower(strings.TrimSpace(p))
	switch {
	case len(q) < MinPrefix:
		return "", invalidf("hash prefix %q is too short: give at least %d hex digits", p, MinPrefix)
	case len(q) > HashLen:
		return "", invalidf("hash %q is too long: a hash has %d hex digits", p, HashLen)
	case !isHex(q):
		return "", invalidf("hash %q is not hexadecimal: expected digits 0-9 and letters a-f", p)
	}
	return q, nil
}

// ComponentFromEnvelope returns the component a metadata envelope (the JSON of
// an mlregistry.Metadata) describes, with its hash, name and kind read from
// the envelope.
func ComponentFromEnvelope(envelope []byte) (Component, error) {
	c := Component{Envelope: json.RawMessage(envelope)}
	if err := CheckComponent(&c); err != nil {
		return Component{}, err
	}
	return c, nil
}

// CheckComponent validates c before it is recorded: the envelope must be a
// JSON object; Hash, Name and Kind, when empty, are taken from it, and when
// set must agree with it; the hash must be 32 lowercase hex digits. For
// backends, and for callers who want the error before they write.
func CheckComponent(c *Component) error {
	env := bytes.TrimSpace(c.Envelope)
	h, ok := readHeader(env)
	if !ok {
		return invalidf("component %s: envelope is not a JSON object: %.60q", orUnknown(c.Hash), env)
	}
	for _, f := range []struct {
		field      string
		have, from *string
		env        string
	}{
		{"Hash", &c.Hash, &h.Hash, "hash"},
		{"Name", &c.Name, &h.Name, "name"},
		{"Kind", &c.Kind, &h.Kind, "kind"},
	} {
		switch {
		case *f.have == "":
			*f.have = *f.from
		case *f.from != "" && *f.from != *f.have:
			return invalidf("component %s: %s is %q but the envelope's %q is %q",
				orUnknown(c.Hash), f.field, *f.have, f.env, *f.from)
		}
	}
	if !ValidHash(c.Hash) {
		return invalidf("component %q (%s): hash must be %d lowercase hex digits", c.Hash, orUnknown(c.Name), HashLen)
	}
	c.Envelope = json.RawMessage(env)
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(no hash)"
	}
	return s
}

// CheckRun validates a run before StartRun records it. For backends.
func CheckRun(r *Run) error {
	roles := map[string]bool{}
	for _, l := range r.Components {
		if l.Role == "" {
			return invalidf("run %s: a component link (hash %s) has no role", orUnknown(r.ID), l.Hash)
		}
		if roles[l.Role] {
			return invalidf("run %s: role %q appears twice; give each role one component", orUnknown(r.ID), l.Role)
		}
		roles[l.Role] = true
		if !ValidHash(l.Hash) {
			return invalidf("run %s: role %q: hash %q must be %d lowercase hex digits", orUnknown(r.ID), l.Role, l.Hash, HashLen)
		}
	}
	for i := range r.Records {
		if err := CheckComponent(&r.Records[i]); err != nil {
			return fmt.Errorf("run %s: %w", orUnknown(r.ID), err)
		}
	}
	if _, err := json.Marshal(r.Params); err != nil {
		return invalidf("run %s: params cannot be encoded as JSON: %v", orUnknown(r.ID), err)
	}
	return nil
}

// Now returns the current time as the store records it: UTC, microsecond
// precision (what both backends keep). For backends.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
