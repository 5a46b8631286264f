//go:build !race

package ml

// raceEnabled reports whether the tests run under the race detector.
const raceEnabled = false
