package serve_test

import (
	"encoding/json"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	vErrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/mlregistry/mlregistry/serve"
)

// TestOpenAPIValidates checks /openapi.json with a real validator
// (pb33f/libopenapi-validator), against the OpenAPI 3.1 schema.
func TestOpenAPIValidates(t *testing.T) {
	data, err := json.Marshal(serve.New(serve.Config{}).OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	// The control: a description without its required info is refused.
	var broken map[string]any
	_ = json.Unmarshal(data, &broken)
	delete(broken, "info")
	bad, _ := json.Marshal(broken)
	if ok, _ := validate(t, bad); ok {
		t.Fatal("the validator accepts a description without info: it checks nothing")
	}
	if ok, problems := validate(t, data); !ok {
		for _, p := range problems {
			t.Errorf("%s: %s", p.Message, p.Reason)
			for _, se := range p.SchemaValidationErrors {
				t.Errorf("  %s: %s", se.FieldPath, se.Reason)
			}
		}
	}
}

// validate validates an OpenAPI description.
func validate(t *testing.T, data []byte) (bool, []*vErrors.ValidationError) {
	t.Helper()
	doc, err := libopenapi.NewDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	return v.ValidateDocument()
}
