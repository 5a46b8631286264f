// Package jsonwire reads and writes JSON at the level of its text: a
// strict one-pass parser with limits (duplicate members refused, members
// kept in document order where a reader asks for it), the number grammar,
// string quoting and the shortest float form that reads back as a float.
// The envelope format, and what a value means, belong to the mlregistry
// package; this one knows only JSON, as encoding/json/jsontext and
// protobuf-go's internal/encoding/json do.
package jsonwire
