package serve

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/mlregistry/mlregistry/artifacts"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/jobs"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
)

// Config configures a Server. Store is required.
type Config struct {
	// Store is where runs are read (and, with Queue, recorded).
	Store store.Store
	// Queue trains submitted runs; nil refuses POST /v1/runs and cancel
	// with 409.
	Queue *jobs.Queue
	// Repository holds the registries; nil means ml.Default.
	Repository *ml.Repository
	// Dataset holds runtime values for the datasets' excluded parameters.
	Dataset mlregistry.Kwargs
	// Token, when not "", is the bearer token every mutating request
	// (submitting or cancelling a run) must carry.
	Token string
	// Version is the server's version, in GET /v2 and the OpenAPI info.
	Version string
	// ModelCapacity is how many models stay loaded; 0 means
	// service.DefaultModelCapacity.
	ModelCapacity int
	// RunsDir is where run directories live (serve --runs): DELETE
	// /v1/runs/{id} removes a run's directory only from there.
	RunsDir string
	// Artifacts is the bucket runs upload to (serve --artifacts): DELETE
	// /v1/runs/{id} removes a run's objects only from there.
	Artifacts *artifacts.Bucket
	// UI, when not nil, serves every path outside the API (/, /runs/…,
	// /compare, /components…, /launch, /static/…): the web UI. Unknown
	// /v1 and /v2 paths keep their JSON 404.
	UI http.Handler
}

// MaxBodyBytes is the largest request body the API reads: 1 MiB.
const MaxBodyBytes = 1 << 20

// Server is the HTTP API. It is an http.Handler.
type Server struct {
	cfg       Config
	api       huma.API
	handler   http.Handler
	catalogue *service.Catalogue
	validator *service.Validator
	runs      *service.Runs
	records   *service.Records
	models    *service.Models

	streams      context.Context // ended by CloseStreams
	closeStreams context.CancelFunc
}

// mutating is the operation metadata key of operations that need the token.
const mutating = "mutating"

// New returns the API's handler for cfg.
func New(cfg Config) *Server {
	if cfg.Repository == nil {
		cfg.Repository = ml.Default
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	s := &Server{
		cfg:       cfg,
		catalogue: service.NewCatalogue(cfg.Repository),
		validator: &service.Validator{Repo: cfg.Repository, Dataset: cfg.Dataset},
		runs:      &service.Runs{Store: cfg.Store, Queue: cfg.Queue, RunsDir: cfg.RunsDir, Artifacts: cfg.Artifacts},
		records:   &service.Records{Store: cfg.Store, Repo: cfg.Repository, Runtime: cfg.Dataset},
		models:    &service.Models{Store: cfg.Store, Repo: cfg.Repository, Dataset: cfg.Dataset, Capacity: cfg.ModelCapacity},
	}
	s.streams, s.closeStreams = context.WithCancel(context.Background())
	mux := http.NewServeMux()
	hc := huma.DefaultConfig("mlregistry", cfg.Version)
	hc.Info.Description = "Registered ML components, their training runs, and predictions from trained runs (Open Inference Protocol, REST)."
	hc.DocsPath = ""     // huma's page loads its script from a CDN: GET /docs is ours, vendored (docs.go)
	hc.SchemasPath = ""  // schemas are in /openapi.json
	hc.CreateHooks = nil // no "$schema" member added to responses: the inference protocol's shapes are exact
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "the token of serve --token-file or $MLREGISTRY_TOKEN"},
	}
	s.api = humago.New(mux, hc)
	s.api.UseMiddleware(s.authorize)
	s.registerV2()
	s.registerCatalogue()
	s.registerRuns()
	s.registerDelete()
	s.registerRecords()
	mux.HandleFunc("GET /v1/runs/{id}/events", s.events)
	registerDocs(mux)
	documentEvents(s.api.OpenAPI())
	mux.HandleFunc("/", notFound)
	if cfg.UI != nil {
		mux.Handle("GET /{$}", cfg.UI)
		for _, p := range []string{"/runs/", "/compare", "/components", "/components/", "/launch", "/static/"} {
			mux.Handle(p, cfg.UI)
		}
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "cross-origin "+r.Method+" refused: this API takes writes from its own origin, or from clients that send no Origin (curl, programs)")
	}))
	s.handler = cop.Handler(http.MaxBytesHandler(mux, MaxBodyBytes+1))
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// CloseStreams ends the event streams being served, which never end by
// themselves while their run trains: call it when the server shuts down
// (http.Server.RegisterOnShutdown), so that Shutdown need not wait for them.
func (s *Server) CloseStreams() { s.closeStreams() }

// OpenAPI returns the API's OpenAPI 3.1 description.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// authorize refuses a mutating operation without the token (401).
func (s *Server) authorize(ctx huma.Context, next func(huma.Context)) {
	if s.cfg.Token == "" || ctx.Operation().Metadata[mutating] != true {
		next(ctx)
		return
	}
	if msg := checkToken(ctx.Header("Authorization"), s.cfg.Token); msg != "" {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="mlregistry"`)
		_ = huma.WriteErr(s.api, ctx, http.StatusUnauthorized, msg)
		return
	}
	next(ctx)
}

// checkToken returns why the Authorization header does not carry token,
// or "" when it does. The comparison takes the same time wherever the
// tokens differ.
func checkToken(header, token string) string {
	got, ok := strings.CutPrefix(header, "Bearer ")
	switch {
	case header == "":
		return "unauthorized: this request changes the server's state and needs the header Authorization: Bearer TOKEN (the token of serve --token-file or $MLREGISTRY_TOKEN)"
	case !ok:
		return "unauthorized: the Authorization header must be \"Bearer TOKEN\""
	case subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1:
		return "unauthorized: wrong token in the Authorization header"
	}
	return ""
}

// notFound answers a request no route matches.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "no route "+r.Method+" "+r.URL.Path+": the API's routes are in /openapi.json")
}

// writeError writes an error response outside huma.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(Error{Message: msg})
}

// op is a huma operation with the API's conventions.
func op(method, path, id, summary string, tags ...string) huma.Operation {
	return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Tags: tags, MaxBodyBytes: MaxBodyBytes}
}

// mutates marks o as needing the token.
func mutates(o huma.Operation) huma.Operation {
	o.Metadata = map[string]any{mutating: true}
	o.Security = []map[string][]string{{"bearer": {}}}
	return o
}

// registerRaw registers an operation whose body the service decodes itself
// (strictly), documenting the body as a JSON object described by what.
func registerRaw[O any](api huma.API, o huma.Operation, what string, handler func(context.Context, *rawJSON) (*O, error)) {
	o.SkipValidateBody = true
	huma.Register(api, o, handler)
	op := api.OpenAPI().Paths[o.Path].Post
	op.RequestBody.Content = map[string]*huma.MediaType{
		"application/json": {Schema: &huma.Schema{Type: "object", Description: what}},
	}
}
