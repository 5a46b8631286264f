package jsonwire

import "encoding/json"

// number parses a number, keeping its text.
func (p *parser) number() (any, error) {
	end, problem := scanNumber(p.data, p.i)
	if problem != "" {
		p.i = end
		return nil, p.fail("%s", problem)
	}
	start := p.i
	p.i = end
	return json.Number(p.data[start:end]), nil
}

// scanNumber reads the JSON number that starts at s[i], by RFC 8259's
// grammar -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? — and returns
// where it ends, or where it went wrong and why.
func scanNumber(s string, i int) (end int, problem string) {
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return i, "invalid number"
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return i, "invalid number: no digits after the point"
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return i, "invalid number: no digits in the exponent"
		}
	}
	return i, ""
}

// ValidNumber reports whether s is exactly one JSON number.
func ValidNumber(s string) bool {
	end, problem := scanNumber(s, 0)
	return problem == "" && end == len(s)
}
