package store

import (
	"maps"
	"slices"
	"strconv"
)

// Field is one value of a configuration at a path, as Diff names paths.
type Field struct {
	Path  string `json:"path"`
	Value []byte `json:"value"` // the JSON value
}

// Flatten returns every leaf value of a JSON document (a run's
// configuration, an envelope), by path in Diff's terms and order: object
// keys joined by ".", array indexes in brackets; a metadata envelope's
// fields that Diff does not compare (format, hash, signature, and the given
// args and kwargs when it has effective arguments) are left out. A compare
// view lists them beside Diff's changes.
func Flatten(doc []byte) ([]Field, error) {
	v, err := decode(doc)
	if err != nil {
		return nil, invalidf("flatten: %v", err)
	}
	var fs []Field
	flatten("", v, &fs)
	return fs, nil
}

func flatten(path string, v any, fs *[]Field) {
	switch x := v.(type) {
	case map[string]any:
		skip := map[string]bool{}
		if isEnvelope(x) {
			skip = envelopeSkip
			if _, ok := x["arguments"]; !ok {
				skip = map[string]bool{"format": true, "hash": true, "signature": true}
			}
		}
		if len(x) == 0 {
			*fs = append(*fs, Field{path, encode(x)})
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if !skip[k] {
				flatten(join(path, k), x[k], fs)
			}
		}
	case []any:
		if len(x) == 0 {
			*fs = append(*fs, Field{path, encode(x)})
		}
		for i, e := range x {
			flatten(path+"["+strconv.Itoa(i)+"]", e, fs)
		}
	default:
		*fs = append(*fs, Field{path, encode(x)})
	}
}
