package mlregistry

import "reflect"

// Tracked, embedded in a component's struct, holds the metadata of that
// instance in the instance itself: the fast path, with no side table, weak
// pointer or cleanup to pay for. Embed it by value:
//
//	type Perceptron struct {
//		mlregistry.Tracked
//		// ...
//	}
//
// A value that embeds Tracked but was not built through a registry has no
// metadata. Copying a tracked struct copies its metadata with it.
type Tracked struct {
	rec *record
}

// mlregistryTracked gives access to the embedded Tracked; the method is
// promoted to every type that embeds Tracked, which is how MetadataOf
// finds it without reflection.
func (t *Tracked) mlregistryTracked() *Tracked { return t }

// trackedHolder is implemented by pointers to types that embed Tracked.
type trackedHolder interface {
	mlregistryTracked() *Tracked
}

var trackedHolderType = reflect.TypeFor[trackedHolder]()
