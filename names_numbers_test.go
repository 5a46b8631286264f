package mlregistry

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestParamNamesOneRule checks that Params and config-struct JSON names
// follow one rule, a Python identifier's, and that the message says so.
func TestParamNamesOneRule(t *testing.T) {
	type Unicode struct {
		Size int `json:"größe"`
	}
	type Dashed struct {
		Size int `json:"hidden-size"`
	}
	type Dotted struct {
		Size int `json:"a.b"`
	}
	tests := []struct {
		name string
		ctor any
		opts []Option
		ok   bool
	}{
		{"Params größe", func(int) *kindThing { return nil }, []Option{Params("größe")}, true},
		{"Params _x1", func(int) *kindThing { return nil }, []Option{Params("_x1")}, true},
		{"Params 名前", func(int) *kindThing { return nil }, []Option{Params("名前")}, true},
		{"Params hidden-size", func(int) *kindThing { return nil }, []Option{Params("hidden-size")}, false},
		{"Params a.b", func(int) *kindThing { return nil }, []Option{Params("a.b")}, false},
		{"Params 1x", func(int) *kindThing { return nil }, []Option{Params("1x")}, false},
		{"Params a b", func(int) *kindThing { return nil }, []Option{Params("a b")}, false},
		{"struct größe", func(Unicode) *kindThing { return nil }, nil, true},
		{"struct hidden-size", func(Dashed) *kindThing { return nil }, nil, false},
		{"struct a.b", func(Dotted) *kindThing { return nil }, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TryRegister(New[any](), tt.ctor, append(tt.opts, Name("C"))...)
			if tt.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tt.ok {
				if err == nil {
					t.Fatal("accepted")
				}
				if !strings.Contains(err.Error(), "Python identifier") {
					t.Fatalf("the message does not state the rule: %v", err)
				}
			}
		})
	}
}

// TestJSONNumberOutOfRangeRefused checks that a json.Number under an
// interface that no 64-bit number holds is refused with its path, as an
// out-of-range number for an int64 parameter is.
func TestJSONNumberOutOfRangeRefused(t *testing.T) {
	r := New[any]()
	Register(r, func(x any) *kindThing { return &kindThing{} }, Name("N"), Params("x"))
	tests := []struct {
		value any
		path  string // "" when accepted
	}{
		{json.Number("5"), ""},
		{json.Number("-9223372036854775808"), ""},
		{json.Number("18446744073709551615"), ""},
		{json.Number("2.5e300"), ""},
		{json.Number("18446744073709551616"), "x"},
		{json.Number("-9223372036854775809"), "x"},
		{json.Number("1e400"), "x"},
		{map[string]any{"a": json.Number("99999999999999999999")}, "x"},
		{[]any{1, json.Number("99999999999999999999")}, "x"},
	}
	for _, tt := range tests {
		_, err := r.Call("N", []any{tt.value}, nil)
		if tt.path == "" {
			if err != nil {
				t.Errorf("%v: refused: %v", tt.value, err)
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Path != tt.path || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("%v: got %v, want one out-of-range problem at %q", tt.value, err, tt.path)
		}
	}
}
