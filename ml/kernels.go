package ml

import "github.com/gomlx/compute/support/envutil"

// Kernels names the matrix-product kernels the pure-Go backend uses in this
// process: "avx512" or "avx2" when the binary was built with
// GOEXPERIMENT=simd on amd64 and the CPU has those instructions, "portable"
// otherwise (any other build, CPU or architecture — the same results, about
// twice as slow to train). The backend chooses them once, at start-up; the
// environment variables GOMLX_SIMD_AVX512=false and GOMLX_SIMD_AVX2=false
// (or GOMLX_DOT_MATMUL=false, for every optimized kernel) turn them off.
func Kernels() string {
	switch {
	case !enabled("GOMLX_DOT_MATMUL"):
		return "portable"
	case simdAVX512() && enabled(envutil.SIMD_AVX512_Env):
		return "avx512"
	case simdAVX2() && enabled(envutil.SIMD_AVX2_Env):
		return "avx2"
	}
	return "portable"
}

// enabled reads a boolean environment variable of the backend, true when
// unset. (The backend refuses to start on a value that is not a boolean.)
func enabled(name string) bool {
	on, err := envutil.ReadBool(name, true)
	return on || err != nil
}
