package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// launchPage is the data of the launch form.
type launchPage struct {
	Roles    []launchRole
	Training []field
}

// launchRole is one role of the pipeline: the component chosen for it and
// the fields of its arguments, generated from its JSON Schema.
type launchRole struct {
	Role, Kind string
	Choice     string
	Choices    []string
	Doc        string
	Fields     []field
}

// field is one input of the form: a parameter from a JSON Schema.
type field struct {
	Path        string // the JSON path the server's validation names: model.kwargs.hidden_size
	Name        string
	Type        string // integer, number, boolean, string or json (arrays, objects, components)
	Default     string // the default, as the input shows it
	Description string
	Required    bool // the schema has no default for it
	Enum        []string
}

// roles are the pipeline's roles and their registries' kinds, in order.
var roles = []struct{ role, kind, fallback string }{
	{"model", "model", "Perceptron"},
	{"criterion", "criterion", "CrossEntropyLoss"},
	{"optimizer", "optimizer", "Adam"},
	{"dataset", "dataset", "Digits"},
}

// launch serves /launch: a form, generated from the chosen components'
// JSON Schemas, that submits a run (POST /v1/runs, from launch.js).
func (u *UI) launch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var p launchPage
	for _, ro := range roles {
		cs, err := u.cfg.Catalogue.Components(ro.kind)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		lr := launchRole{Role: ro.role, Kind: ro.kind, Choice: q.Get(ro.role)}
		for _, c := range cs {
			lr.Choices = append(lr.Choices, c.Name)
		}
		if lr.Choice == "" {
			lr.Choice = ro.fallback
			if !slices.Contains(lr.Choices, lr.Choice) && len(lr.Choices) > 0 {
				lr.Choice = lr.Choices[0]
			}
		}
		d, err := u.cfg.Catalogue.Describe(ro.kind, lr.Choice)
		if err != nil {
			u.fail(w, r, fmt.Errorf("%s=%s: %w", ro.role, lr.Choice, err))
			return
		}
		lr.Doc = d.Doc
		order := make([]string, 0, len(d.Params))
		for _, prm := range d.Params {
			order = append(order, prm.Name)
		}
		if lr.Fields, err = fieldsOf(ro.role+".kwargs", d.Schema, order); err != nil {
			u.fail(w, r, fmt.Errorf("the JSON Schema of %s: %w", d.Name, err))
			return
		}
		p.Roles = append(p.Roles, lr)
	}
	p.Training = []field{
		{Path: "training.batch_size", Name: "batch_size", Type: "integer", Description: "examples per step"},
		{Path: "training.steps", Name: "steps", Type: "integer", Description: "steps to train (instead of epochs)"},
		{Path: "training.epochs", Name: "epochs", Type: "integer", Description: "passes over the dataset"},
		{Path: "training.seed", Name: "seed", Type: "integer", Description: "the random seed"},
	}
	u.render(w, "launch", http.StatusOK, page{Title: "Launch a run", Nav: "launch", API: "/v1/components", Data: p})
}

// schema is the part of a JSON Schema the form reads.
type schema struct {
	Type        any               `json:"type"`
	Description string            `json:"description"`
	Default     json.RawMessage   `json:"default"`
	Enum        []json.RawMessage `json:"enum"`
	Properties  map[string]schema `json:"properties"`
	Required    []string          `json:"required"`
}

// fieldsOf returns the form's fields for an object schema's properties,
// in the order of the names in order (the signature's), then by name;
// their paths start with prefix.
func fieldsOf(prefix string, data []byte, order []string) ([]field, error) {
	var s schema
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	names := slices.DeleteFunc(slices.Clone(order), func(n string) bool { _, ok := s.Properties[n]; return !ok })
	for _, n := range slices.Sorted(maps.Keys(s.Properties)) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	var fs []field
	for _, name := range names {
		ps := s.Properties[name]
		f := field{Path: prefix + "." + name, Name: name, Description: ps.Description, Type: "json"}
		if t, ok := ps.Type.(string); ok {
			switch t {
			case "integer", "number", "boolean", "string":
				f.Type = t
			}
		}
		if ps.Default != nil {
			f.Default = strings.Trim(string(ps.Default), `"`)
			if f.Type == "json" {
				f.Default = compact(ps.Default)
			}
		} else {
			f.Required = true
		}
		for _, e := range ps.Enum {
			f.Enum = append(f.Enum, strings.Trim(string(e), `"`))
		}
		fs = append(fs, f)
	}
	return fs, nil
}
