package mlregistry

import "sync/atomic"

// A component's JSON Schema depends on the component and on what its
// registry and the registries linked to it hold (a parameter that takes a
// component accepts every one that fits). Registrations only add and Link
// replaces links, so a schema made at one registryGeneration stays true
// until the next: JSONSchema keeps the one it made last in the
// registration (Component.schema), and makes it again only after a
// registration or a Link anywhere in the process.

// registryGeneration counts the registrations and Link calls of the
// process.
var registryGeneration atomic.Uint64

// registriesChanged marks that what some registry holds or resolves has
// changed. Call it after the change is visible to readers.
func registriesChanged() { registryGeneration.Add(1) }

// cachedSchema is a schema and the generation it was made at.
type cachedSchema struct {
	generation uint64
	schema     []byte
}
