package jsonwire

import (
	"bytes"
	"math"
	"strconv"
)

// AppendString appends s (valid UTF-8) as a JSON string: quotes,
// backslashes and control characters escaped, everything else as it is.
func AppendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"', '\\':
			buf = append(buf, '\\', c)
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		default:
			buf = append(buf, '\\', 'u', '0', '0', HexDigits[c>>4], HexDigits[c&0xf])
		}
		start = i + 1
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// HexDigits are the lowercase hexadecimal digits, for \u escapes.
const HexDigits = "0123456789abcdef"

// AppendFloat appends a finite float in its shortest exact form, always
// with a point or an exponent, so that it reads back as a float even where
// a document keeps no type: 0.5, 784.0, -0.0, 1e-07, 1.5e+300. bits is 32
// for a float32's shortest form, else 64.
func AppendFloat(buf []byte, f float64, bits int) []byte {
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.AppendFloat(buf, f, 'e', -1, bits)
	}
	start := len(buf)
	buf = strconv.AppendFloat(buf, f, 'f', -1, bits)
	if !bytes.ContainsRune(buf[start:], '.') {
		buf = append(buf, ".0"...)
	}
	return buf
}
