//go:build !unix

package mlregistry_test

// processCPU cannot be read here: the benchmarks report no cpu-ns/op.
func processCPU() int64 { return 0 }
