package jsonwire

// Limits on the documents this module reads: hostile input is refused,
// never followed.
const (
	// MaxDocumentSize bounds a document, in bytes.
	MaxDocumentSize = 1 << 20
	// MaxDepth bounds how deep a document's arrays and objects nest.
	MaxDepth = 256
	// MaxNumberLen bounds a number's text: longer ones are refused before
	// any arbitrary-precision arithmetic sees them.
	MaxNumberLen = 128
)
