package serve_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/serve"
	"github.com/mlregistry/mlregistry/store"
)

// TestOpenAPI checks the description: version 3.1, every route there,
// every $ref resolving, every error response the {"error"} shape.
func TestOpenAPI(t *testing.T) {
	s := serve.New(serve.Config{Store: store.Store(nil)})
	data, err := json.Marshal(s.OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Errorf("openapi %v, want 3.1.0", doc["openapi"])
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range []string{"/v2/health/live", "/v2/health/ready", "/v2", "/v2/models/{name}", "/v2/models/{name}/ready",
		"/v2/models/{name}/infer", "/v2/models/{name}/versions/{version}", "/v2/models/{name}/versions/{version}/ready",
		"/v2/models/{name}/versions/{version}/infer", "/v1/components", "/v1/components/{kind}/{name}", "/v1/validate", "/v1/hash",
		"/v1/records/{hash}", "/v1/runs", "/v1/runs/{id}", "/v1/runs/{id}/metrics", "/v1/runs/{id}/events", "/v1/runs/{id}/cancel", "/v1/diff"} {
		if _, ok := paths[p]; !ok {
			t.Errorf("path %s is not described", p)
		}
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				name, ok := strings.CutPrefix(ref, "#/components/schemas/")
				if _, found := schemas[name]; !ok || !found {
					t.Errorf("%s: $ref %s does not resolve", at, ref)
				}
			}
			for k, e := range v {
				walk(e, at+"/"+k)
			}
		case []any:
			for _, e := range v {
				walk(e, at)
			}
		}
	}
	walk(doc, "#")
	errSchema, _ := schemas["Error"].(map[string]any)
	props, _ := errSchema["properties"].(map[string]any)
	if _, ok := props["error"]; !ok {
		t.Errorf("the Error schema %v has no \"error\" member", errSchema)
	}
	infer := paths["/v2/models/{name}/infer"].(map[string]any)["post"].(map[string]any)
	body, _ := json.Marshal(infer["requestBody"])
	if !strings.Contains(string(body), "InferRequest") {
		t.Errorf("infer's request body %s is not described as an InferRequest", body)
	}
}
