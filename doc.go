// Package mlregistry registers machine-learning components — models,
// criterions, optimizers, datasets — in typed registries, and records for
// every instance built through a registry its name, the arguments it was
// built from, its signature and a deterministic hash.
//
// Register wraps a constructor and returns a tracking constructor of the very
// same type; every value it returns carries metadata, read back with
// MetadataOf, HashOf and SignatureOf. A registry builds components by name
// (Registry.Call), describes them (Registry.Signature, Registry.JSONSchema),
// and rebuilds them from saved metadata with the same hash (Registry.Rebuild).
//
// cmd/mlregistry-gen, run by go generate, writes for a package's registered
// constructors typed tracking constructors that Register returns instead of
// its reflection-based ones, with the parameter names and docs from the
// source (Generate and Tracker are the API that generated code calls).
//
// Nothing is ever constructed that was not registered: decoding metadata
// names components, it never names code.
//
// The package imports the standard library only.
package mlregistry
