package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// snakeCase is a JSON member name as every --json output writes it.
var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// TestJSONIsSnakeCase runs every command that writes JSON and checks each
// member name of its output, at every depth, but inside JSON Schemas (whose
// keywords are the standard's: $defs, additionalProperties).
func TestJSONIsSnakeCase(t *testing.T) {
	fx := newFixture(t)
	db := "--db=" + fx.db
	model := fx.file(t, "model.json", fx.model1)
	for _, args := range [][]string{
		{"ls", db, "--json"},
		{"ls", "runs", db, "--json", "--component", fx.model1[:6]},
		{"show", db, "--json", fx.model1},
		{"show", db, "--json", "run-one"},
		{"diff", db, "--json", "run-one", "run-two"},
		{"rebuild", db, "--json", "run-one"},
		{"describe", "--json", "MLP"},
		{"describe", "--json"},
		{"hash", db, "--json", model},
		{"migrate", db, "--json"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 {
			t.Errorf("mlregistry %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(stdout), &v); err != nil {
			t.Errorf("mlregistry %s: not JSON: %v\n%s", strings.Join(args, " "), err, stdout)
			continue
		}
		for _, bad := range notSnakeCase(v, "") {
			t.Errorf("mlregistry %s: member %s is not snake_case", strings.Join(args, " "), bad)
		}
	}
}

// notSnakeCase returns the paths of the member names in v that are not
// snake_case, skipping "schema" members.
func notSnakeCase(v any, path string) []string {
	var bad []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if !snakeCase.MatchString(k) {
				bad = append(bad, path+"."+k)
			}
			if k != "schema" {
				bad = append(bad, notSnakeCase(e, path+"."+k)...)
			}
		}
	case []any:
		for _, e := range x {
			bad = append(bad, notSnakeCase(e, path+"[]")...)
		}
	}
	return bad
}
