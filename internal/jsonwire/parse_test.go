package jsonwire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// decodeStd decodes as encoding/json does with UseNumber.
func decodeStd(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) > 0 {
		return nil, &SyntaxError{msg: "data after the document"}
	}
	return v, nil
}

var parseSeeds = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `-0.0e+10`, `1E5`, `18446744073709551616`,
	`"a\u00e9\ud834\udd1e\n\t\"\\\/\b\f"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800"`, "\"\xff\xfe\"",
	`{"a":[1,{"b":null}],"c":"d"}`, ` [ 1 , 2 ] `, `[1,]`, `{"a":1,}`, `{"a" 1}`, `01`, `1.`, `.5`, `1e`, `-`,
	`"\x"`, `"abc`, `[1 2]`, `{"a":1}{}`, `tru`, `nul`, "\"\x01\"", `{"a":1,"a":2}`, `"\u12"`,
}

func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range parseSeeds {
		checkParse(t, []byte(s))
	}
	if _, err := Parse([]byte(strings.Repeat("[", 300)+strings.Repeat("]", 300)), 256); err == nil {
		t.Errorf("depth not bounded")
	}
	if _, err := Parse([]byte(`{"a":1,"a":2}`), 256); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate member: %v", err)
	}
}

// checkParse compares Parse with encoding/json: the same value, or
// both an error (Parse also refusing duplicate members).
func checkParse(t *testing.T, data []byte) {
	t.Helper()
	got, err := Parse(data, 10000)
	want, werr := decodeStd(data)
	if err != nil {
		if werr == nil && !strings.Contains(err.Error(), "given twice") {
			t.Errorf("%q: Parse refuses (%v), encoding/json accepts %#v", data, err, want)
		}
		return
	}
	if werr != nil {
		t.Errorf("%q: Parse accepts %#v, encoding/json refuses: %v", data, got, werr)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%q: Parse %#v, encoding/json %#v", data, got, want)
	}
}

// FuzzParseJSON: Parse reads what encoding/json reads, the same way.
//
//	go test -run '^$' -fuzz '^FuzzParseJSON$' -fuzztime 15s .
func FuzzParseJSON(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data) })
}
