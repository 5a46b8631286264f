package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// ServerMetadata is GET /v2: the server's name, version and extensions.
type ServerMetadata struct {
	Name       string   `json:"name"`
	Version    string   `json:"version"`
	Extensions []string `json:"extensions"`
}

// Live is GET /v2/health/live.
type Live struct {
	Live bool `json:"live"`
}

// Ready is GET /v2/health/ready.
type Ready struct {
	Ready bool `json:"ready"`
}

// ModelReady is GET /v2/models/{name}/ready.
type ModelReady struct {
	Name  string `json:"name"`
	Ready bool   `json:"ready" doc:"whether the model is loaded and takes infer requests"`
}

// modelPath is a model's name (a succeeded run's ID) in the path.
type modelPath struct {
	Name string `path:"name" doc:"a succeeded run's ID" example:"run-20261127-054804-37d89564"`
}

// versionedPath is a model's name and version in the path.
type versionedPath struct {
	Name    string `path:"name" doc:"a succeeded run's ID"`
	Version string `path:"version" doc:"the model's version: 1 (a run trains one)"`
}

// inferInput is an infer request, its body decoded by decodeInfer: strictly,
// and its data straight into float32s.
type inferInput struct {
	Name    string `path:"name" doc:"a succeeded run's ID"`
	RawBody []byte `contentType:"application/json"`
}

type versionedInferInput struct {
	Name    string `path:"name" doc:"a succeeded run's ID"`
	Version string `path:"version" doc:"the model's version: 1"`
	RawBody []byte `contentType:"application/json"`
}

// decodeInfer decodes an infer request strictly: unknown members and
// trailing data are errors.
func decodeInfer(raw []byte) (*service.InferRequest, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var req service.InferRequest
	err := dec.Decode(&req)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON object")
	}
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "json: ")
		if strings.HasPrefix(msg, "data") {
			msg = "inputs[]." + msg
		}
		return nil, &Error{status: http.StatusBadRequest, Message: "infer request: " + msg +
			` (expected {"id"?, "parameters"?, "inputs": [{"name", "shape", "datatype", "data"}], "outputs"?})`}
	}
	return &req, nil
}

// documentInfer gives the infer operations' bodies the InferRequest schema
// that their RawBody hides from huma.
func documentInfer(api huma.API, paths ...string) {
	schema := api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[service.InferRequest](), true, "InferRequest")
	for _, p := range paths {
		api.OpenAPI().Paths[p].Post.RequestBody.Content = map[string]*huma.MediaType{"application/json": {Schema: schema}}
	}
}

// body is a response of one JSON body.
type body[T any] struct {
	Body T
}

// registerV2 registers the Open Inference Protocol's REST routes.
func (s *Server) registerV2() {
	api := s.api
	huma.Register(api, op(http.MethodGet, "/v2/health/live", "v2-live", "Server live", "inference"),
		func(context.Context, *struct{}) (*body[Live], error) { return &body[Live]{Live{true}}, nil })
	huma.Register(api, op(http.MethodGet, "/v2/health/ready", "v2-ready", "Server ready: the store answers", "inference"),
		func(ctx context.Context, _ *struct{}) (*body[Ready], error) {
			if _, err := s.cfg.Store.Runs(ctx, store.RunFilter{Limit: 1}); err != nil {
				return nil, &Error{status: http.StatusServiceUnavailable, Message: "not ready: the store does not answer: " + err.Error()}
			}
			return &body[Ready]{Ready{true}}, nil
		})
	huma.Register(api, op(http.MethodGet, "/v2", "v2-server", "Server metadata", "inference"),
		func(context.Context, *struct{}) (*body[ServerMetadata], error) {
			return &body[ServerMetadata]{ServerMetadata{Name: "mlregistry", Version: s.cfg.Version, Extensions: []string{}}}, nil
		})

	metadata := func(ctx context.Context, name, version string) (*body[service.ModelMetadata], error) {
		m, err := s.model(ctx, name, version)
		if err != nil {
			return nil, err
		}
		return &body[service.ModelMetadata]{m.Metadata()}, nil
	}
	huma.Register(api, op(http.MethodGet, "/v2/models/{name}", "v2-model", "Model metadata", "inference"),
		func(ctx context.Context, in *modelPath) (*body[service.ModelMetadata], error) {
			return metadata(ctx, in.Name, "")
		})
	huma.Register(api, op(http.MethodGet, "/v2/models/{name}/versions/{version}", "v2-model-version", "Model metadata, of a version", "inference"),
		func(ctx context.Context, in *versionedPath) (*body[service.ModelMetadata], error) {
			return metadata(ctx, in.Name, in.Version)
		})

	ready := func(ctx context.Context, name, version string) (*body[ModelReady], error) {
		if _, err := s.model(ctx, name, version); err != nil {
			return nil, err
		}
		return &body[ModelReady]{ModelReady{Name: name, Ready: true}}, nil
	}
	huma.Register(api, op(http.MethodGet, "/v2/models/{name}/ready", "v2-model-ready", "Model ready (loads it)", "inference"),
		func(ctx context.Context, in *modelPath) (*body[ModelReady], error) { return ready(ctx, in.Name, "") })
	huma.Register(api, op(http.MethodGet, "/v2/models/{name}/versions/{version}/ready", "v2-model-version-ready", "Model ready, of a version", "inference"),
		func(ctx context.Context, in *versionedPath) (*body[ModelReady], error) {
			return ready(ctx, in.Name, in.Version)
		})

	infer := func(ctx context.Context, name, version string, raw []byte) (*body[*service.InferResponse], error) {
		m, err := s.model(ctx, name, version)
		if err != nil {
			return nil, err
		}
		req, err := decodeInfer(raw)
		if err != nil {
			return nil, err
		}
		resp, err := m.Infer(req)
		if err != nil {
			return nil, fail(err)
		}
		return &body[*service.InferResponse]{resp}, nil
	}
	inferOp := op(http.MethodPost, "/v2/models/{name}/infer", "v2-infer", "Infer: class probabilities and labels of rows of features", "inference")
	inferOp.SkipValidateBody = true
	huma.Register(api, inferOp, func(ctx context.Context, in *inferInput) (*body[*service.InferResponse], error) {
		return infer(ctx, in.Name, "", in.RawBody)
	})
	versionedOp := op(http.MethodPost, "/v2/models/{name}/versions/{version}/infer", "v2-infer-version", "Infer, with a version", "inference")
	versionedOp.SkipValidateBody = true
	huma.Register(api, versionedOp, func(ctx context.Context, in *versionedInferInput) (*body[*service.InferResponse], error) {
		return infer(ctx, in.Name, in.Version, in.RawBody)
	})
	documentInfer(api, inferOp.Path, versionedOp.Path)
}

// model returns the loaded model name of version ("" for any).
func (s *Server) model(ctx context.Context, name, version string) (*service.Model, error) {
	if version != "" && version != service.ModelVersion {
		return nil, &Error{status: http.StatusNotFound, Message: fmt.Sprintf("model %q has no version %q: a run's model has version %s only", name, version, service.ModelVersion)}
	}
	m, err := s.models.Get(ctx, name)
	return m, fail(err)
}
