//go:build mlregistry_nogen

package mlregistry_test

// withGenerated reports whether mlregistry_gen_x_test.go is built in.
const withGenerated = false
