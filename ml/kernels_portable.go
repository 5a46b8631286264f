//go:build !(amd64 && goexperiment.simd)

package ml

// simdAVX512 reports false: without GOEXPERIMENT=simd on amd64 the
// backend has only its portable kernels.
func simdAVX512() bool { return false }

// simdAVX2 reports false, as simdAVX512 does.
func simdAVX2() bool { return false }
