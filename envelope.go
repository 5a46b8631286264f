package mlregistry

import "strings"

// The envelope: the JSON form of one component's metadata, which
// encode.go writes and decode.go reads. docs/codec.md specifies it.

// Format is the value of the "format" member of every metadata document
// this version writes and reads. A later, incompatible layout will get a
// new format string; documents of an unknown format are refused.
const Format = "mlregistry/v1"

// Limits on documents read by Metadata.UnmarshalJSON and rebuilt by
// Registry.Rebuild; hostile input is refused, never followed.
const (
	// maxComponentDepth bounds how deep components nest in components.
	maxComponentDepth = 32
	// maxComponents bounds how many envelopes one document holds.
	maxComponents = 4096
)

// componentKey identifies a component occurrence within a document.
func componentKey(kind, name, hash string) string {
	return kind + "\x00" + name + "\x00" + hash
}

// envelopeKeys are the members an envelope may have.
var envelopeKeys = []string{"format", "kind", "name", "hash", "scheme", "version", "args", "kwargs", "arguments", "signature", "ref"}

// isEnvelope reports whether a JSON object is a component envelope: its
// "format" member is a string starting with "mlregistry/".
func isEnvelope(m map[string]any) bool {
	f, ok := m["format"].(string)
	return ok && strings.HasPrefix(f, "mlregistry/")
}

func isEnvelopeKey(k string) bool {
	for _, e := range envelopeKeys {
		if e == k {
			return true
		}
	}
	return false
}
