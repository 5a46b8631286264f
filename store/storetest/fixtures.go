package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/mlregistry/mlregistry/store"
)

// HashOf returns a made-up but well-formed component hash derived from s.
func HashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// Envelope returns a metadata envelope as the core's codec writes it.
func Envelope(kind, name, hash string, arguments map[string]any) json.RawMessage {
	env := map[string]any{
		"format":    "mlregistry/v1",
		"kind":      kind,
		"name":      name,
		"hash":      hash,
		"scheme":    "canonical/v1",
		"version":   1,
		"args":      []any{},
		"kwargs":    arguments,
		"arguments": arguments,
		"signature": []any{},
	}
	b, err := json.Marshal(env)
	if err != nil {
		panic(err)
	}
	return b
}

// NewComponent returns a component of the given kind and name whose hash and
// arguments derive from seed.
func NewComponent(kind, name, seed string) store.Component {
	h := HashOf(kind + "/" + name + "/" + seed)
	return store.Component{Hash: h, Envelope: Envelope(kind, name, h, map[string]any{"seed": seed})}
}

// pipeline returns the components of a run and their links.
func pipeline(seed string) ([]store.Component, []store.RunComponent) {
	cs := []store.Component{
		NewComponent("model", "Perceptron", seed),
		NewComponent("criterion", "CrossEntropyLoss", seed),
		NewComponent("optimizer", "Adam", seed),
	}
	links := []store.RunComponent{{Role: "model", Hash: cs[0].Hash}, {Role: "criterion", Hash: cs[1].Hash}, {Role: "optimizer", Hash: cs[2].Hash}}
	return cs, links
}

func seedf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
