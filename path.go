// Paths name where in a call or a document a problem is: "kwargs.lr",
// "arguments.layers[0].arguments.in_features" — the JSON path of a value.

package mlregistry

import "strconv"

// join appends a path element: "kwargs" + "lr" is "kwargs.lr", and an
// element that is an index or a path starting with one attaches without a
// dot: "layers" + "[0]" is "layers[0]". An empty side leaves the other.
func join(path, elem string) string {
	switch {
	case path == "":
		return elem
	case elem == "":
		return path
	case elem[0] == '[':
		return path + elem
	}
	return path + "." + elem
}

// lazyPath is a value's path, built only when a problem needs it: its
// parent's path and its key in an object, or else its index in an array.
type lazyPath struct {
	parent string
	key    string
	idx    int
	isKey  bool
	// sub, if set, follows the index: parent[idx].sub.
	sub string
}

func (l lazyPath) String() string {
	if l.isKey {
		return join(l.parent, l.key)
	}
	p := l.parent + "[" + strconv.Itoa(l.idx) + "]"
	if l.sub != "" {
		p += "." + l.sub
	}
	return p
}
