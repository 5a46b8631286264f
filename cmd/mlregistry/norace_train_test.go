//go:build !race

package main

// trainRaceEnabled reports whether the tests run under the race detector.
const trainRaceEnabled = false
