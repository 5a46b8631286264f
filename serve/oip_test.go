package serve_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestOpenInferenceProtocolShapes validates the /v2 responses against the
// protocol's JSON objects as its specification writes them
// (testdata/oip-rest.schema.json), with a real validator.
func TestOpenInferenceProtocolShapes(t *testing.T) {
	raw, err := os.ReadFile("testdata/oip-rest.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "urn:oip:rest"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	schema := func(name string) *jsonschema.Schema {
		s, err := c.Compile(url + "#/$defs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	f := newFixture(t, "")
	run := f.trained()
	for _, c := range []struct {
		name, method, path, body, schema string
		status                           int
	}{
		{"server metadata", "GET", "/v2", "", "metadata_server_response", 200},
		{"live", "GET", "/v2/health/live", "", "live_server_response", 200},
		{"ready", "GET", "/v2/health/ready", "", "ready_server_response", 200},
		{"model ready", "GET", "/v2/models/" + run.ID + "/ready", "", "ready_model_response", 200},
		{"model ready, version", "GET", "/v2/models/" + run.ID + "/versions/1/ready", "", "ready_model_response", 200},
		{"model metadata", "GET", "/v2/models/" + run.ID, "", "metadata_model_response", 200},
		{"model metadata, version", "GET", "/v2/models/" + run.ID + "/versions/1", "", "metadata_model_response", 200},
		{"infer", "POST", "/v2/models/" + run.ID + "/infer", infer("[2, 64]", "FP32", "["+row64+","+row64+"]"), "inference_response", 200},
		{"infer without id", "POST", "/v2/models/" + run.ID + "/versions/1/infer",
			`{"inputs": [{"name": "input", "shape": [1, 64], "datatype": "FP32", "data": [` + row64 + `]}], "outputs": [{"name": "label"}]}`, "inference_response", 200},
		{"infer error", "POST", "/v2/models/" + run.ID + "/infer", infer("[1, 64]", "FP64", "["+row64+"]"), "inference_error_response", 400},
		{"unknown model", "GET", "/v2/models/nope", "", "inference_error_response", 404},
		{"infer on an unknown model", "POST", "/v2/models/nope/infer", infer("[1, 64]", "FP32", "["+row64+"]"), "inference_error_response", 404},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, data := f.do(c.method, c.path, c.body)
			if status != c.status {
				t.Fatalf("%d %s, want %d", status, data, c.status)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema(c.schema).Validate(v); err != nil {
				t.Errorf("%s does not match %s: %v", data, c.schema, err)
			}
		})
	}
	// The control: the schema refuses what the protocol refuses.
	bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"model_name": "m", "outputs": [{"name": "x", "shape": [1], "datatype": "FLOAT", "data": [1]}]}`)))
	if schema("inference_response").Validate(bad) == nil {
		t.Error("the schema accepts an output of datatype FLOAT")
	}
}
