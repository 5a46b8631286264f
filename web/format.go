package web

import (
	"encoding/json"
	"html/template"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/service"
)

// funcs are the templates' functions.
var funcs = template.FuncMap{
	"when":     when,
	"duration": duration,
	"short":    short,
	"number":   number,
	"json":     toJSON,
	"join":     strings.Join,
	"has":      func(m map[string]float64, k string) bool { _, ok := m[k]; return ok },
}

// when formats a time in UTC, to the second; "—" for the zero time.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

// duration formats how long a run took, or has taken so far when end is
// zero; "—" when it has not started.
func duration(start, end time.Time) string {
	if start.IsZero() {
		return "—"
	}
	if end.IsZero() {
		end = time.Now()
	}
	d := end.Sub(start)
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Hour:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// short returns the first 8 characters of a hash.
func short(hash string) string {
	if len(hash) > 8 {
		return hash[:8]
	}
	return hash
}

// number formats a metric's value: 6 significant digits.
func number(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// toJSON is v as JSON, for <script type="application/json"> blocks
// (html/template escapes it for that context).
func toJSON(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	return template.JS(b), err
}

// component is a recorded component as the pages show it: its call, as
// the README prints it — Perceptron(784, 256, 10, p=0.5, bias=true) — and
// its signature.
type component struct {
	Role, Name, Kind, Hash string
	Call, Signature        string
}

// componentOf reads a recorded envelope; a document this version cannot
// read still shows its name and hash, with the call saying why.
func componentOf(role, name, kind, hash string, envelope []byte) component {
	c := component{Role: role, Name: name, Kind: kind, Hash: hash}
	var md mlregistry.Metadata
	if err := json.Unmarshal(envelope, &md); err != nil {
		c.Call = name + "(…)"
		c.Signature = "(the envelope is not one this version reads: " + err.Error() + ")"
		return c
	}
	c.Call, c.Signature = service.FormatCall(md), md.Signature.String()
	return c
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
