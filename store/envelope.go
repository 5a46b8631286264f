package store

import (
	"encoding/json"
	"strings"
)

// envelopeHeader is the part of a metadata envelope the store reads.
type envelopeHeader struct {
	Kind, Name, Hash string
}

// readHeader reads the top-level "kind", "name" and "hash" strings of an
// envelope. It is what json.Unmarshal into envelopeHeader would do, several
// times faster, which matters when recording tens of thousands of components
// a second. ok is false unless env is a valid JSON object.
func readHeader(env []byte) (h envelopeHeader, ok bool) {
	if !json.Valid(env) {
		return h, false
	}
	i := skipSpace(env, 0)
	if i >= len(env) || env[i] != '{' {
		return h, false
	}
	i++
	for {
		i = skipSpace(env, i)
		if env[i] == '}' {
			return h, true
		}
		if env[i] == ',' {
			i = skipSpace(env, i+1)
		}
		kEnd := stringEnd(env, i)
		key := string(env[i+1 : kEnd-1])
		if strings.IndexByte(key, '\\') >= 0 {
			k, err := unquote(env[i:kEnd])
			if err != nil {
				return h, false
			}
			key = k
		}
		i = skipSpace(env, kEnd)
		i = skipSpace(env, i+1) // the colon
		vEnd := valueEnd(env, i)
		var dst *string
		switch key {
		case "kind":
			dst = &h.Kind
		case "name":
			dst = &h.Name
		case "hash":
			dst = &h.Hash
		}
		// The last member of a name wins, as in encoding/json; one that is
		// not a string leaves it empty.
		if dst != nil {
			*dst = ""
			if env[i] == '"' {
				s, err := unquote(env[i:vEnd])
				if err != nil {
					return h, false
				}
				*dst = s
			}
		}
		i = vEnd
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string starting at b[i] == '"'.
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// valueEnd returns the index after the (valid) JSON value starting at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// unquote decodes a JSON string literal.
func unquote(lit []byte) (string, error) {
	plain := true
	for _, c := range lit[1 : len(lit)-1] {
		if c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		return string(lit[1 : len(lit)-1]), nil
	}
	var s string
	err := json.Unmarshal(lit, &s)
	return s, err
}
