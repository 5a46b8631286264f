package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/mlregistry/mlregistry/service"
)

// eventWriteWindow is how long writing one event may take: a stream
// extends its write deadline by this much before each event, past the
// server's WriteTimeout.
const eventWriteWindow = 30 * time.Second

// events serves GET /v1/runs/{id}/events: the steps logged so far and the
// run's status, then each logged step and each change of status as they
// happen, as server-sent events, until the run finishes. A client resumes with the Last-Event-ID header (or
// ?after=STEP): the events after that step.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	after, err := resumeAfter(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	rc := http.NewResponseController(w)
	started := false
	send := func(e service.Event) error {
		if !started {
			h := w.Header()
			h.Set("Content-Type", "text/event-stream")
			h.Set("Cache-Control", "no-cache")
			h.Set("X-Accel-Buffering", "no")
			w.WriteHeader(http.StatusOK)
			started = true
		}
		_ = rc.SetWriteDeadline(time.Now().Add(eventWriteWindow))
		data, err := json.Marshal(e.Data)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "id: %s\nevent: %s\ndata: %s\n\n", e.ID, e.Type, data); err != nil {
			return err
		}
		return rc.Flush()
	}
	ctx, stop := context.WithCancel(r.Context())
	defer stop()
	defer context.AfterFunc(s.streams, stop)()
	err = s.runs.Follow(ctx, r.PathValue("id"), after, send)
	if err != nil && !started {
		var e *Error
		if errors.As(fail(err), &e) {
			writeError(w, e.status, e.Message)
		}
	}
}

// resumeAfter reads the step a stream resumes after: the Last-Event-ID
// header, else the after query parameter, else 0.
func resumeAfter(r *http.Request) (int64, error) {
	where, v := "Last-Event-ID", r.Header.Get("Last-Event-ID")
	if v == "" {
		where, v = "after", r.URL.Query().Get("after")
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q: expected the id of an event of this stream: a step, 0 or more", where, v)
	}
	return n, nil
}

// documentEvents adds the event stream, which huma does not serve, to the
// OpenAPI description.
func documentEvents(o *huma.OpenAPI) {
	o.AddOperation(&huma.Operation{
		OperationID: "run-events",
		Method:      http.MethodGet,
		Path:        "/v1/runs/{id}/events",
		Summary:     "Follow a run: server-sent events of its status and each logged step, until it finishes",
		Description: "Events: `metric` (data: {step, name, value}) for each logged step, those logged so far first; `status` (data: the run) after them and at every change; the stream ends after the final status. " +
			"An event's id is the last step sent: resume with the Last-Event-ID header (or ?after=STEP).",
		Tags: []string{"runs"},
		Parameters: []*huma.Param{
			{Name: "id", In: "path", Required: true, Schema: &huma.Schema{Type: "string"}, Description: "a run's ID or a unique prefix of it"},
			{Name: "Last-Event-ID", In: "header", Schema: &huma.Schema{Type: "string"}, Description: "resume after this step"},
			{Name: "after", In: "query", Schema: &huma.Schema{Type: "integer", Minimum: ptr(0.0)}, Description: "resume after this step"},
		},
		Responses: map[string]*huma.Response{
			"200": {Description: "the event stream", Content: map[string]*huma.MediaType{"text/event-stream": {Schema: &huma.Schema{Type: "string"}}}},
			"404": {Description: "no such run", Content: map[string]*huma.MediaType{"application/json": {Schema: &huma.Schema{Ref: "#/components/schemas/Error"}}}},
		},
	})
}

func ptr[T any](v T) *T { return &v }
