//go:build race

package ml

// raceEnabled reports whether the tests run under the race detector, which
// makes GoMLX's pure-Go kernels about ten times slower: long training runs
// are shortened then.
const raceEnabled = true
