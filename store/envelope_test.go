package store

import (
	"encoding/json"
	"testing"
)

func TestReadHeader(t *testing.T) {
	tests := []string{
		`{"format":"mlregistry/v1","kind":"model","name":"Perceptron","hash":"abc"}`,
		` { "hash" : "h" , "name":"N\u00e9", "kind":"k\"q" } `,
		`{"args":[1,{"name":"inner","hash":"x"},"]"],"name":"outer","kwargs":{"a":{"b":"}"}},"n":-1.5e3,"t":true,"z":null}`,
		`{"name":1,"hash":["a"],"kind":{"kind":"no"}}`,
		`{}`,
		`{"name":"a","name":"b"}`,
	}
	for _, in := range tests {
		var want struct{ Kind, Name, Hash string }
		var loose map[string]any
		_ = json.Unmarshal([]byte(in), &loose)
		for k, dst := range map[string]*string{"kind": &want.Kind, "name": &want.Name, "hash": &want.Hash} {
			if s, ok := loose[k].(string); ok {
				*dst = s
			}
		}
		got, ok := readHeader([]byte(in))
		if !ok || got != envelopeHeader(want) {
			t.Errorf("readHeader(%s) = %+v, %v; want %+v", in, got, ok, want)
		}
	}
	for _, bad := range []string{``, `[]`, `"x"`, `{"name":"a"`, `{"name":"a"}x`, `{name:"a"}`} {
		if _, ok := readHeader([]byte(bad)); ok {
			t.Errorf("readHeader(%q) ok, want not", bad)
		}
	}
}

func FuzzReadHeader(f *testing.F) {
	f.Add(`{"kind":"model","name":"P","hash":"h","args":[1,"x"]}`)
	f.Add(`{"a":{"name":"x"},"name":"\u0041"}`)
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := readHeader([]byte(in))
		var m map[string]json.RawMessage
		err := json.Unmarshal([]byte(in), &m)
		if (err == nil && m != nil) != ok {
			if !(err == nil && m == nil) { // "null" unmarshals into a nil map
				t.Fatalf("readHeader(%q) ok=%v, json.Unmarshal error %v", in, ok, err)
			}
		}
		if !ok {
			return
		}
		var want struct {
			Kind, Name, Hash string
		}
		for k, dst := range map[string]*string{"kind": &want.Kind, "name": &want.Name, "hash": &want.Hash} {
			var s string
			if raw, found := m[k]; found && json.Unmarshal(raw, &s) == nil {
				*dst = s
			}
		}
		if got != envelopeHeader(want) {
			t.Fatalf("readHeader(%q) = %+v, want %+v", in, got, want)
		}
	})
}
