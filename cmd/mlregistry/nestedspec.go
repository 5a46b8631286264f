package main

import (
	"encoding/json"
	"reflect"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/ml"
)

// modelType is ml.Model's type: a parameter of this type takes a nested
// component.
var modelType = reflect.TypeFor[ml.Model]()

// asEnvelope turns a component spec as a person writes it — in a pipeline
// file, {"name": "MLP", "kwargs": {"activation": {"name": "GELU"}}} — into
// the metadata envelope Rebuild reads: the format is implied, at the top and
// in every nested component spec given for a Model-typed parameter, as
// pipeline files accept them. Anything it does not understand is left as it
// is, for Rebuild to report.
func asEnvelope(spec map[string]json.RawMessage) map[string]json.RawMessage {
	if _, ok := spec["format"]; !ok {
		spec["format"] = json.RawMessage(`"` + mlregistry.Format + `"`)
	}
	var name, kind string
	_ = json.Unmarshal(spec["name"], &name)
	_ = json.Unmarshal(spec["kind"], &kind)
	reg, err := findRegistry(name, kind)
	if err != nil {
		return spec
	}
	sig, _ := reg.signature(name)
	params := sig.Params()
	var args []json.RawMessage
	if json.Unmarshal(spec["args"], &args) == nil {
		// Positions count the parameters an envelope's args hold: the
		// excluded ones are never there.
		var kept []mlregistry.Param
		for _, p := range params {
			if !p.Excluded {
				kept = append(kept, p)
			}
		}
		for i := range args {
			if i < len(kept) && kept[i].Type == modelType {
				args[i] = nestedEnvelope(args[i])
			}
		}
		spec["args"], _ = json.Marshal(args)
	}
	var kwargs map[string]json.RawMessage
	if json.Unmarshal(spec["kwargs"], &kwargs) == nil {
		for _, p := range params {
			if v, ok := kwargs[p.Name]; ok && p.Type == modelType {
				kwargs[p.Name] = nestedEnvelope(v)
			}
		}
		spec["kwargs"], _ = json.Marshal(kwargs)
	}
	return spec
}

// nestedEnvelope returns v as an envelope of a model, if it is a component
// spec without a hash; anything else unchanged.
func nestedEnvelope(v json.RawMessage) json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal(v, &obj) != nil || obj == nil || obj["name"] == nil || obj["hash"] != nil {
		return v
	}
	if _, ok := obj["kind"]; !ok {
		obj["kind"] = json.RawMessage(`"model"`)
	}
	out, err := json.Marshal(asEnvelope(obj))
	if err != nil {
		return v
	}
	return out
}
