package serve

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// deleted is the empty answer of a deletion: 204 No Content.
type deleted struct{}

// registerDelete registers DELETE /v1/runs/{id}.
func (s *Server) registerDelete() {
	o := mutates(op(http.MethodDelete, "/v1/runs/{id}", "delete-run", "Delete a finished (or lost) run: its record and its run directory, in one step", "runs"))
	o.DefaultStatus = http.StatusNoContent
	o.Description = "The run's full ID is required (not a prefix). Its metrics and links are deleted with it; its components stay in the catalogue. " +
		"The run directory deleted is the one the store records, and only from the server's runs directory (serve --runs). " +
		"404 for an unknown run, 409 for a queued or running one (cancel it first) or one whose directory lies elsewhere."
	huma.Register(s.api, o, func(ctx context.Context, in *runInput) (*deleted, error) {
		if _, err := s.runs.Delete(ctx, in.ID); err != nil {
			return nil, fail(err)
		}
		return &deleted{}, nil
	})
}
