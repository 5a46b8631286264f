package ml

import "testing"

// TestKernels checks that Kernels names the fastest kernels this build and
// CPU have, and none that the environment turned off.
func TestKernels(t *testing.T) {
	fastest := "portable"
	switch {
	case simdAVX512():
		fastest = "avx512"
	case simdAVX2():
		fastest = "avx2"
	}
	avx2 := "portable"
	if simdAVX2() {
		avx2 = "avx2"
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"default", nil, fastest},
		{"AVX-512 off", map[string]string{"GOMLX_SIMD_AVX512": "false"}, avx2},
		{"both off", map[string]string{"GOMLX_SIMD_AVX512": "false", "GOMLX_SIMD_AVX2": "0"}, "portable"},
		{"matmul off", map[string]string{"GOMLX_DOT_MATMUL": "false"}, "portable"},
		{"explicitly on", map[string]string{"GOMLX_SIMD_AVX512": "true", "GOMLX_SIMD_AVX2": "true"}, fastest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"GOMLX_DOT_MATMUL", "GOMLX_SIMD_AVX512", "GOMLX_SIMD_AVX2"} {
				t.Setenv(k, tt.env[k]) // "" is unset, for the backend
			}
			if got := Kernels(); got != tt.want {
				t.Errorf("Kernels() = %q, want %q", got, tt.want)
			}
		})
	}
}
