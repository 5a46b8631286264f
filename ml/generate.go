package ml

// The typed tracking constructors of this package's components, with
// their parameter names and docs from the source (mlregistry_gen.go).
//go:generate go run github.com/mlregistry/mlregistry/cmd/mlregistry-gen
