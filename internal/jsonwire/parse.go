package jsonwire

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Parse parses a whole JSON document into the values encoding/json
// decodes into an interface with UseNumber — map[string]any, []any,
// json.Number, string, bool and nil — in one pass, bounding nesting by
// maxDepth. It is stricter than encoding/json in one way: an object that
// names a member twice is refused, so that no two readers of a document
// can disagree about it. Invalid UTF-8 in strings becomes U+FFFD, as
// encoding/json does.
func Parse(data []byte, maxDepth int) (any, error) {
	// One copy of the document: strings and numbers without escapes are
	// slices of it, not allocations of their own.
	p := parser{data: string(data), maxDepth: maxDepth}
	p.space()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.data) {
		return nil, p.fail("data after the document")
	}
	return v, nil
}

// parser is the state of Parse.
type parser struct {
	data     string
	i        int
	depth    int
	maxDepth int
	// members collects the members of the objects being parsed, so that
	// each map is made once, at its final size.
	members []Member
	// slab holds the members of parsed Fields, allocated in slabs rather
	// than one by one.
	slab []Member
}

// SyntaxError reports malformed JSON, at a byte offset.
type SyntaxError struct {
	msg    string
	offset int
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("not valid JSON: %s at offset %d", e.msg, e.offset)
}

func (p *parser) fail(format string, args ...any) error {
	return &SyntaxError{msg: fmt.Sprintf(format, args...), offset: p.i}
}

func (p *parser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value() (any, error) {
	if p.i >= len(p.data) {
		return nil, p.fail("unexpected end")
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return s, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	default:
		return nil, p.fail("invalid character %q looking for a value", c)
	}
}

func (p *parser) literal(word string) error {
	if len(p.data)-p.i < len(word) || p.data[p.i:p.i+len(word)] != word {
		return p.fail("invalid literal, expected %s", word)
	}
	p.i += len(word)
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > p.maxDepth {
		return p.fail("document nests deeper than %d levels", p.maxDepth)
	}
	return nil
}

func (p *parser) object() (any, error) {
	start, err := p.objectMembers(func(string) (any, error) { return p.value() })
	if err != nil {
		return nil, err
	}
	defer p.release(start)
	ms := p.members[start:]
	m := make(map[string]any, len(ms))
	for _, e := range ms {
		m[e.Key] = e.Value
	}
	if len(m) < len(ms) {
		seen := make(map[string]bool, len(ms))
		for _, e := range ms {
			if seen[e.Key] {
				return nil, p.fail("Member %q given twice in the object ending", e.Key)
			}
			seen[e.Key] = true
		}
	}
	return m, nil
}

// objectMembers parses an object, appending its members to p.members from
// the returned start on, reading each Member's value with read. The caller
// takes the members, then calls release(start).
func (p *parser) objectMembers(read func(key string) (any, error)) (start int, err error) {
	if err := p.enter(); err != nil {
		return 0, err
	}
	p.i++ // {
	start = len(p.members)
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		p.depth--
		return start, nil
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return 0, p.fail("expected a Member name")
		}
		k, err := p.str()
		if err != nil {
			return 0, err
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return 0, p.fail("expected ':' after a Member name")
		}
		p.i++
		p.space()
		v, err := read(k)
		if err != nil {
			return 0, err
		}
		p.members = append(p.members, Member{k, v})
		p.space()
		if p.i >= len(p.data) {
			return 0, p.fail("unexpected end in an object")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			p.depth--
			return start, nil
		default:
			return 0, p.fail("expected ',' or '}' in an object")
		}
	}
}

// release drops the members from start on.
func (p *parser) release(start int) {
	clear(p.members[start:])
	p.members = p.members[:start]
}

func (p *parser) array() (any, error) {
	a := make([]any, 0, 4)
	err := p.elements(func() error {
		v, err := p.value()
		a = append(a, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// elements parses an array, calling read for each element, positioned at
// its first byte.
func (p *parser) elements(read func() error) error {
	if err := p.enter(); err != nil {
		return err
	}
	p.i++ // [
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		p.depth--
		return nil
	}
	for {
		p.space()
		if err := read(); err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.data) {
			return p.fail("unexpected end in an array")
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			p.depth--
			return nil
		default:
			return p.fail("expected ',' or ']' in an array")
		}
	}
}

// str parses a string; the fast path copies it as it is.
func (p *parser) str() (string, error) {
	p.i++ // "
	start := p.i
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			s := p.data[start:p.i]
			p.i++
			return s, nil
		case c == '\\' || c < 0x20:
			return p.slowString(start)
		case c < utf8.RuneSelf:
			p.i++
		default:
			r, size := utf8.DecodeRuneInString(p.data[p.i:])
			if r == utf8.RuneError && size == 1 {
				return p.slowString(start)
			}
			p.i += size
		}
	}
	return "", p.fail("unexpected end in a string")
}

// slowString parses a string with escapes or invalid UTF-8.
func (p *parser) slowString(start int) (string, error) {
	buf := make([]byte, 0, p.i-start+16)
	buf = append(buf, p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf), nil
		case c < 0x20:
			return "", p.fail("control character %#x in a string", c)
		case c == '\\':
			if p.i+1 >= len(p.data) {
				return "", p.fail("unexpected end in a string")
			}
			e := p.data[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.fail("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) {
					r2 := utf8.RuneError
					if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
						save := p.i
						p.i += 2
						if lo, ok := p.hex4(); ok {
							if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
								r2 = d
							} else {
								p.i = save
							}
						} else {
							return "", p.fail("invalid \\u escape")
						}
					}
					r = r2
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", p.fail("invalid escape \\%c", e)
			}
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			p.i++
		default:
			r, size := utf8.DecodeRuneInString(p.data[p.i:])
			p.i += size
			buf = utf8.AppendRune(buf, r) // RuneError for invalid bytes
		}
	}
	return "", p.fail("unexpected end in a string")
}

// hex4 reads four hexadecimal digits.
func (p *parser) hex4() (rune, bool) {
	if len(p.data)-p.i < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(p.data[p.i : p.i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	p.i += 4
	return r, true
}
