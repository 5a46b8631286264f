package main

import (
	"fmt"
	"strings"
	"unicode"
)

// snakeCase turns a Go parameter name into the registry's parameter name:
// inputSize → input_size, hiddenSizes → hidden_sizes, learningRateLR →
// learning_rate_lr, HTTPPort → http_port. A name already in snake_case is
// kept.
func snakeCase(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]))
			nextLower := i > 0 && i+1 < len(rs) && unicode.IsUpper(rs[i-1]) && unicode.IsLower(rs[i+1])
			if (prevLower || nextLower) && rs[i-1] != '_' {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// symbolPrefix is how the Go linker spells an import path in symbol
// names, which runtime.FuncForPC reports: control characters, space, '%',
// '"' and non-ASCII bytes escaped everywhere, '.' after the last slash
// too (cmd/internal/objabi.PathToPrefix).
func symbolPrefix(path string) string {
	slash := strings.LastIndexByte(path, '/')
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c <= ' ' || (c == '.' && i > slash) || c == '%' || c == '"' || c >= 0x7F {
			fmt.Fprintf(&b, "%%%02x", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
