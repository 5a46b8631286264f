package mlregistry_test

// The typed tracking constructors of the constructors declared in this
// package's tests (mlregistry_gen_x_test.go), which the benchmarks and
// TestGenerated* use; go test -tags mlregistry_nogen runs without them.
//go:generate go run ./cmd/mlregistry-gen -tests
