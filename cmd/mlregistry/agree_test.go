package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/serve"
	"github.com/mlregistry/mlregistry/store"
)

// TestCLIAndAPIAgree runs show, diff, rebuild and hash through the CLI and
// asks the API the same question: the CLI's --json is the API's body, and
// the CLI's error message is the API's "error", for good input and bad.
func TestCLIAndAPIAgree(t *testing.T) {
	fx := newFixture(t)
	s, err := store.OpenReadOnly(context.Background(), fx.db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(serve.New(serve.Config{Store: s}))
	defer srv.Close()
	db := "--db=" + fx.db
	model := fx.file(t, "model.json", fx.model1)
	dir := t.TempDir()
	badSpec := writeFile(t, dir, "bad.json", `{"name": "Adam", "kwargs": {"lr": "x", "betas": [0.9]}}`)
	unknown := writeFile(t, dir, "unknown.json", `{"name": "Perceptrn", "args": [1, 2, 3]}`)
	pipeline := writeFile(t, dir, "pipeline.json", `{"model": {"name": "MLP", "kwargs": {"hidden_sizes": [8]}}, "dataset": {"name": "Digits"}}`)
	notObject := writeFile(t, dir, "list.json", `[1, 2]`)

	tests := []struct {
		name   string
		cli    []string
		method string
		path   string
		file   string // the body of a POST
		status int
	}{
		{"ShowComponent", []string{"show", fx.model1[:8]}, "GET", "/v1/records/" + fx.model1[:8], "", 200},
		{"ShowRun", []string{"show", "run-one"}, "GET", "/v1/records/run-one", "", 200},
		{"ShowRunPrefix", []string{"show", "run-t"}, "GET", "/v1/records/run-t", "", 200},
		{"ShowBadPrefix", []string{"show", "abc"}, "GET", "/v1/records/abc", "", 400},
		{"ShowUnknown", []string{"show", "0000aaaa"}, "GET", "/v1/records/0000aaaa", "", 404},
		{"ShowUnknownRun", []string{"show", "run-nope"}, "GET", "/v1/records/run-nope", "", 404},
		{"DiffRuns", []string{"diff", "run-one", "run-two"}, "GET", "/v1/diff?a=run-one&b=run-two", "", 200},
		{"DiffComponents", []string{"diff", fx.model1, fx.model2[:6]}, "GET", "/v1/diff?a=" + fx.model1 + "&b=" + fx.model2[:6], "", 200},
		{"DiffMixed", []string{"diff", "run-one", fx.model1}, "GET", "/v1/diff?a=run-one&b=" + fx.model1, "", 400},
		{"DiffUnknown", []string{"diff", "run-one", "run-nope"}, "GET", "/v1/diff?a=run-one&b=run-nope", "", 404},
		{"RebuildComponent", []string{"rebuild", fx.model1}, "GET", "/v1/records/" + fx.model1 + "/rebuild", "", 200},
		{"RebuildOptimizer", []string{"rebuild", fx.adam}, "GET", "/v1/records/" + fx.adam + "/rebuild", "", 200},
		{"RebuildRun", []string{"rebuild", "run-one"}, "GET", "/v1/records/run-one/rebuild", "", 200},
		{"RebuildUnknown", []string{"rebuild", "run-nope"}, "GET", "/v1/records/run-nope/rebuild", "", 404},
		{"HashEnvelope", []string{"hash", model}, "POST", "/v1/hash", model, 200},
		{"HashPipeline", []string{"hash", pipeline}, "POST", "/v1/hash", pipeline, 200},
		{"HashInvalid", []string{"hash", badSpec}, "POST", "/v1/hash", badSpec, 400},
		{"HashUnknownName", []string{"hash", unknown}, "POST", "/v1/hash", unknown, 400},
		{"HashNotObject", []string{"hash", notObject}, "POST", "/v1/hash", notObject, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{}, tt.cli...), db, "--json")
			code, stdout, stderr := runCLI(t, args...)
			status, body := request(t, srv.URL, tt.method, tt.path, tt.file)
			if status != tt.status {
				t.Fatalf("%s %s: %d, want %d: %s", tt.method, tt.path, status, tt.status, body)
			}
			if status == http.StatusOK {
				if code != 0 {
					t.Fatalf("mlregistry %s: exit %d: %s", strings.Join(args, " "), code, stderr)
				}
				if cli, api := decodeAny(t, stdout), decodeAny(t, string(body)); !reflect.DeepEqual(cli, api) {
					t.Errorf("mlregistry %s --json and %s %s differ:\nCLI: %s\nAPI: %s", strings.Join(tt.cli, " "), tt.method, tt.path, stdout, body)
				}
				return
			}
			if code == 0 {
				t.Fatalf("mlregistry %s: exit 0 where the API says %d", strings.Join(args, " "), status)
			}
			var e struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
				t.Fatalf("%s %s: %d %s: not an error body", tt.method, tt.path, status, body)
			}
			prefix := "mlregistry " + tt.cli[0] + ": "
			if tt.file != "" {
				prefix += tt.file + ": " // the CLI names the file
			}
			if stderr != prefix+e.Error+"\n" {
				t.Errorf("the CLI and the API give different errors:\nCLI: %q\nAPI: %q", stderr, e.Error)
			}
		})
	}
}

// request sends one request, with the file's content as the body when
// file is not "", and returns the status and body.
func request(t *testing.T, base, method, path, file string) (int, []byte) {
	t.Helper()
	var body io.Reader
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	u, err := url.Parse(base + path)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, u.String(), body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, data
}

// decodeAny decodes a JSON document, failing the test when it is not one.
func decodeAny(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}
