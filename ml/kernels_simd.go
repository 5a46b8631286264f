//go:build amd64 && goexperiment.simd

package ml

import "simd/archsimd"

// simdAVX512 reports whether the backend's AVX-512 kernels are compiled in
// and the CPU runs them (the test the backend itself makes).
func simdAVX512() bool { return archsimd.X86.AVX512() }

// simdAVX2 reports whether the backend's AVX2 kernels are compiled in and
// the CPU runs them.
func simdAVX2() bool { return archsimd.X86.AVX2() }
