package ml_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
)

// TestSchemaDefaultsValidate checks every registered component's schema:
// each parameter's default validates against the parameter's own schema
// with a real JSON Schema validator, and a default that is a component
// (MLP's activation) is a spec that Rebuild builds.
func TestSchemaDefaultsValidate(t *testing.T) {
	checkDefaults(t, ml.Default.Models)
	checkDefaults(t, ml.Default.Criterions)
	checkDefaults(t, ml.Default.Optimizers)
	checkDefaults(t, ml.Default.Datasets)
}

func checkDefaults[T any](t *testing.T, reg *mlregistry.Registry[T]) {
	t.Helper()
	for _, name := range reg.Keys() {
		schema, err := reg.JSONSchema(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var s struct {
			Properties map[string]struct {
				Default json.RawMessage `json:"default"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(schema, &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		if err := c.AddResource("urn:mlregistry:"+name, doc); err != nil {
			t.Fatal(err)
		}
		for param, p := range s.Properties {
			if p.Default == nil {
				continue
			}
			sub, err := c.Compile("urn:mlregistry:" + name + "#/properties/" + param)
			if err != nil {
				t.Fatalf("%s.%s: schema does not compile: %v", name, param, err)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(p.Default))
			if err != nil {
				t.Fatal(err)
			}
			if err := sub.Validate(v); err != nil {
				t.Errorf("%s.%s: the default %s does not validate against its own schema: %v", name, param, p.Default, err)
			}
			var md mlregistry.Metadata
			if bytes.HasPrefix(p.Default, []byte(`{"format"`)) {
				if err := json.Unmarshal(p.Default, &md); err != nil {
					t.Fatalf("%s.%s: the default %s does not decode: %v", name, param, p.Default, err)
				}
				if _, err := ml.Default.Models.Rebuild(md, nil); err != nil {
					t.Errorf("%s.%s: the default %s does not rebuild: %v", name, param, p.Default, err)
				}
			}
		}
	}
}
