//go:build !race

package mlregistry

const raceEnabled = false
