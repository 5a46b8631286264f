package serve

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/mlregistry/mlregistry/store"
)

type listRecordsInput struct {
	Name  string `query:"name" doc:"only components of this registered name, e.g. Adam"`
	Kind  string `query:"kind" enum:"model,criterion,optimizer,dataset," doc:"only components of this kind"`
	Limit int    `query:"limit" minimum:"0" maximum:"10000" doc:"page size: 1 to 10000; 0 or absent for 100"`
	After string `query:"after" doc:"the cursor of the previous page's next"`
}

// registerRecords registers GET /v1/records: the recorded components (the
// configurations of a name), the JSON twin of the UI's /components?name=.
func (s *Server) registerRecords() {
	huma.Register(s.api, op(http.MethodGet, "/v1/records", "list-records", "List recorded components (every configuration of a name), a page at a time", "catalogue"),
		func(ctx context.Context, in *listRecordsInput) (*body[store.ComponentPage], error) {
			p, err := s.records.List(ctx, store.ComponentFilter{Name: in.Name, Kind: in.Kind, Limit: in.Limit, After: in.After})
			if err != nil {
				return nil, fail(err)
			}
			return &body[store.ComponentPage]{p}, nil
		})
}
