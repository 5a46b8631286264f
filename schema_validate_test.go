package mlregistry_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mlregistry/mlregistry"
)

// compileSchema compiles a generated schema with a real JSON Schema
// validator, which also checks it against the draft 2020-12 metaschema.
func compileSchema(t *testing.T, schema []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("urn:mlregistry:test", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("urn:mlregistry:test")
	if err != nil {
		t.Fatalf("schema does not compile: %v\n%s", err, schema)
	}
	return s
}

// rebuildSpec rebuilds {"format":…,"name":name,"arguments":args} and
// reports whether validation accepted it.
func rebuildSpec[T any](t *testing.T, reg *mlregistry.Registry[T], name, args string, runtime mlregistry.Kwargs) (bool, error) {
	t.Helper()
	var md mlregistry.Metadata
	doc := `{"format":"mlregistry/v1","name":"` + name + `","arguments":` + args + `}`
	if err := json.Unmarshal([]byte(doc), &md); err != nil {
		return false, err
	}
	_, err := reg.Rebuild(md, runtime)
	var ce *mlregistry.ConstructorError
	return err == nil || errors.As(err, &ce), err
}

type schemaCase struct {
	doc  string
	good bool
}

// checkAgreement validates each document with the validator and with
// Rebuild, and wants both to give the expected verdict.
func checkAgreement[T any](t *testing.T, reg *mlregistry.Registry[T], name string, runtime mlregistry.Kwargs, cases []schemaCase) {
	t.Helper()
	schema, err := reg.JSONSchema(name)
	if err != nil {
		t.Fatal(err)
	}
	s := compileSchema(t, schema)
	for _, c := range cases {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(c.doc))
		if err != nil {
			t.Fatalf("%s: %v", c.doc, err)
		}
		verr := s.Validate(inst)
		rebuilt, rerr := rebuildSpec(t, reg, name, c.doc, runtime)
		if (verr == nil) != c.good {
			t.Errorf("%s %s: validator says %v, want good=%v", name, c.doc, verr, c.good)
		}
		if rebuilt != c.good {
			t.Errorf("%s %s: Rebuild says %v, want good=%v", name, c.doc, rerr, c.good)
		}
	}
}

func TestJSONSchemaAgreesWithRebuild(t *testing.T) {
	r := newTestRepo(t)
	leaky := `{"format":"mlregistry/v1","name":"LeakyReLU","arguments":{"negative_slope":0.1}}`
	checkAgreement(t, r.models, "Dense", nil, []schemaCase{
		{`{"in_features":784,"out_features":10,"activation":` + leaky + `}`, true},
		{`{"in_features":784.0,"out_features":10,"bias":false,"activation":{"format":"mlregistry/v1","kind":"model","name":"LeakyReLU","version":1}}`, true},
		{`{"in_features":1,"out_features":1,"activation":null}`, true},
		{`{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","name":"Stack","arguments":{"layers":[` + leaky + `,null]}}}`, true},
		{`{"in_features":784,"activation":null}`, false},
		{`{"in_features":"784","out_features":10,"activation":null}`, false},
		{`{"in_features":1.5,"out_features":10,"activation":null}`, false},
		{`{"in_features":1e30,"out_features":10,"activation":null}`, false},
		{`{"in_features":1,"out_features":1,"activation":null,"dropout":0.5}`, false},
		{`{"in_features":1,"out_features":1,"activation":null,"bias":"true"}`, false},
		{`{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","name":"Nope"}}`, false},
		{`{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","kind":"criterion","name":"MSELoss","arguments":{"reduction":"mean","weight":1}}}`, false},
		{`{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","kind":"criterion","name":"LeakyReLU"}}`, false},
		{`{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","name":"LeakyReLU","arguments":{"negative_slope":"x"}}}`, false},
		{`{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","name":"LeakyReLU","version":2}}`, false},
		{`{"in_features":1,"out_features":1,"activation":{"name":"LeakyReLU"}}`, false},
		{`{"in_features":1,"out_features":1,"activation":{"format":"mlregistry/v1","name":"Stack","arguments":{}}}`, false},
	})
	checkAgreement(t, r.criterions, "Distill", nil, []schemaCase{
		{`{"teacher":{"format":"mlregistry/v1","kind":"model","name":"LeakyReLU"}}`, true},
		{`{"teacher":null,"temperature":1e308}`, true},
		{`{"teacher":{"format":"mlregistry/v1","name":"LeakyReLU"}}`, false}, // another registry: kind required
		{`{"teacher":null,"temperature":1e309}`, false},
		{`{"temperature":1}`, false},
	})
	checkAgreement(t, r.optimizers, "SGD", mlregistry.Kwargs{"params": []float64{}}, []schemaCase{
		{`{"lr":0.1}`, true},
		{`{"lr":0.1,"momentum":0.9}`, true},
		{`{"lr":0.1,"params":[1]}`, false}, // excluded: never in a document
		{`{}`, false},
	})
}

func TestJSONSchemaTypes(t *testing.T) {
	reg := mlregistry.New[any]()
	mlregistry.Register(reg, func(a int8, b uint64, c [2]int, d map[string]float32, e *int, f plainConfig, g []string, h map[int]bool, i any) *holder[int] {
		return &holder[int]{}
	}, mlregistry.Name("Types"), mlregistry.Params("a", "b", "c", "d", "e", "f", "g", "h", "i"),
		mlregistry.Defaults(mlregistry.Kwargs{"g": nil, "h": nil, "i": nil, "e": nil}))
	const f = `"f":{"a":1,"d":7,"E":[true,false]}`
	checkAgreement(t, reg, "Types", nil, []schemaCase{
		{`{"a":-128,"b":18446744073709551615,"c":[1,2],"d":{"x":0.5},` + f + `}`, true},
		{`{"a":127,"b":0,"c":[1,2],"d":null,"e":3,` + f + `,"g":["x"],"h":{"-1":true},"i":{"any":[1,"thing"]}}`, true},
		{`{"a":-129,"b":0,"c":[1,2],"d":{},` + f + `}`, false},
		{`{"a":0,"b":-1,"c":[1,2],"d":{},` + f + `}`, false},
		{`{"a":0,"b":18446744073709551616,"c":[1,2],"d":{},` + f + `}`, false},
		{`{"a":0,"b":0,"c":[1],"d":{},` + f + `}`, false},
		{`{"a":0,"b":0,"c":[1,2],"d":{"x":"s"},` + f + `}`, false},
		{`{"a":0,"b":0,"c":[1,2],"d":{},"f":{"zz":1}}`, false},
		{`{"a":0,"b":0,"c":[1,2],"d":{},"f":{"d":256}}`, false},
		{`{"a":0,"b":0,"c":[1,2],"d":{},"e":"x",` + f + `}`, false},
		{`{"a":0,"b":0,"c":[1,2],"d":{},"h":{"x":true},` + f + `}`, false},
		{`{"a":0,"b":0,"c":[1,2],"d":{"x":1e39},` + f + `}`, false},
	})

	schema, err := reg.JSONSchema("Types")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Schema     string                     `json:"$schema"`
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
		Additional bool                       `json:"additionalProperties"`
	}
	if err := json.Unmarshal(schema, &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "https://json-schema.org/draft/2020-12/schema" || s.Additional || strings.Join(s.Required, ",") != "a,b,c,d,f" {
		t.Errorf("schema header: %+v", s)
	}
	if got := string(s.Properties["b"]); !strings.Contains(got, "18446744073709551615") {
		t.Errorf("uint64 maximum: %s", got)
	}
	if _, err := reg.JSONSchema("Typse"); !errors.Is(err, mlregistry.ErrNotFound) {
		t.Errorf("unknown name: %v", err)
	}
}

func ExampleRegistry_JSONSchema() {
	optimizers := mlregistry.New[Opt](mlregistry.Kind("optimizer"), mlregistry.ExcludePositions(0))
	mlregistry.Register(optimizers, func(params []float64, lr, momentum float64) *SGD { return &SGD{params, lr, momentum} },
		mlregistry.Params("params", "lr", "momentum"), mlregistry.Defaults(mlregistry.Kwargs{"momentum": 0.0}))
	schema, _ := optimizers.JSONSchema("SGD")
	fmt.Println(string(schema))
	// Output:
	// {
	//   "$schema": "https://json-schema.org/draft/2020-12/schema",
	//   "additionalProperties": false,
	//   "description": "Arguments of the optimizer SGD (version 1): {lr: float64, momentum: float64}",
	//   "properties": {
	//     "lr": {
	//       "maximum": 1.7976931348623157e+308,
	//       "minimum": -1.7976931348623157e+308,
	//       "type": "number"
	//     },
	//     "momentum": {
	//       "default": 0.0,
	//       "maximum": 1.7976931348623157e+308,
	//       "minimum": -1.7976931348623157e+308,
	//       "type": "number"
	//     }
	//   },
	//   "required": [
	//     "lr"
	//   ],
	//   "title": "SGD",
	//   "type": "object"
	// }
}
