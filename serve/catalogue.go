package serve

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/mlregistry/mlregistry/service"
)

// ComponentList is GET /v1/components.
type ComponentList struct {
	Kinds      []string                   `json:"kinds" doc:"the registries' kinds"`
	Components []service.ComponentSummary `json:"components"`
}

type listComponentsInput struct {
	Kind string `query:"kind" doc:"only this kind: model, criterion, optimizer or dataset"`
}

type componentInput struct {
	Kind string `path:"kind" doc:"model, criterion, optimizer or dataset"`
	Name string `path:"name" doc:"the registered name" example:"Perceptron"`
}

// rawJSON is a request whose body is read as it is: a pipeline spec, a
// component spec or an envelope (decoded strictly by the service).
type rawJSON struct {
	RawBody []byte `contentType:"application/json"`
}

type recordInput struct {
	Hash string `path:"hash" doc:"a component's hash or a unique prefix of it (4 to 32 hex digits), or a run's ID or a unique prefix of it"`
}

// specBody describes the body of /v1/validate and /v1/hash.
const specBody = `a pipeline spec ({"model": {"name": "Perceptron", "kwargs": {…}}, "optimizer": …, "dataset": …, "training": {…}}), ` +
	`a component spec ({"kind"?: "model", "name": "MLP", "args"?: […], "kwargs"?: {…}}) or a metadata envelope ({"format": "mlregistry/v1", …, "hash"?: …})`

// registerCatalogue registers /v1's catalogue routes.
func (s *Server) registerCatalogue() {
	api := s.api
	huma.Register(api, op(http.MethodGet, "/v1/components", "list-components", "List registered components", "catalogue"),
		func(_ context.Context, in *listComponentsInput) (*body[ComponentList], error) {
			cs, err := s.catalogue.Components(in.Kind)
			if err != nil {
				return nil, fail(err)
			}
			return &body[ComponentList]{ComponentList{Kinds: s.catalogue.Kinds(), Components: cs}}, nil
		})
	huma.Register(api, op(http.MethodGet, "/v1/components/{kind}/{name}", "describe-component", "A component's signature, defaults and JSON Schema", "catalogue"),
		func(_ context.Context, in *componentInput) (*body[service.Description], error) {
			d, err := s.catalogue.Describe(in.Kind, in.Name)
			if err != nil {
				return nil, fail(err)
			}
			return &body[service.Description]{d}, nil
		})
	validate := op(http.MethodPost, "/v1/validate", "validate", "Validate a pipeline spec, a component spec or an envelope: every problem at once", "catalogue")
	validate.Description = "200 with valid false and the problems (JSON paths) when the spec is wrong; 400 only when the body is not a JSON object."
	registerRaw(api, validate, specBody, func(_ context.Context, in *rawJSON) (*body[service.Validation], error) {
		v, err := s.validator.Validate(in.RawBody)
		if err != nil {
			return nil, fail(err)
		}
		return &body[service.Validation]{v}, nil
	})
	hash := op(http.MethodPost, "/v1/hash", "hash", "Hash a pipeline spec, a component spec, an envelope or a pipeline document (stated hashes checked): mlregistry hash", "catalogue")
	hash.Description = "Each component is built (or rebuilt) through the registries and hashed; recorded says whether the store records it. 400 lists every problem, a hash that does not match the one stated included."
	registerRaw(api, hash, specBody+", or a pipeline document (a run directory's pipeline.json)",
		func(ctx context.Context, in *rawJSON) (*body[service.Rebuilds], error) {
			r, err := s.records.Hash(ctx, in.RawBody)
			if err != nil {
				return nil, fail(err)
			}
			return &body[service.Rebuilds]{r}, nil
		})
	huma.Register(api, op(http.MethodGet, "/v1/records/{hash}", "show", "A recorded component and the runs that used it, or a run with its components and metrics: mlregistry show", "catalogue"),
		func(ctx context.Context, in *recordInput) (*body[service.Shown], error) {
			r, err := s.records.Show(ctx, in.Hash)
			if err != nil {
				return nil, fail(err)
			}
			return &body[service.Shown]{r}, nil
		})
	huma.Register(api, op(http.MethodGet, "/v1/records/{hash}/rebuild", "rebuild", "Rebuild a recorded component, or a run's components, through the registries and check the hashes: mlregistry rebuild", "catalogue"),
		func(ctx context.Context, in *recordInput) (*body[service.Rebuilds], error) {
			r, err := s.records.Rebuild(ctx, in.Hash)
			if err != nil {
				return nil, fail(err)
			}
			return &body[service.Rebuilds]{r}, nil
		})
}
