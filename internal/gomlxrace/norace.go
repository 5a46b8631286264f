//go:build !race

package gomlxrace

// enabled reports whether the race detector is on.
const enabled = false
