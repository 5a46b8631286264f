package serve

import (
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/mlregistry/mlregistry/service"
)

// Error is the body of every error response.
type Error struct {
	status   int
	Message  string            `json:"error" doc:"what was wrong, where, and the likely fix"`
	Problems []service.Problem `json:"problems,omitempty" doc:"every problem, with its JSON path, when there are several"`
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// GetStatus returns the HTTP status.
func (e *Error) GetStatus() int { return e.status }

func init() {
	huma.NewError = newHumaError
}

// newHumaError is huma's errors (validation, body too large, bad JSON) in
// this API's shape: one message naming each problem's location.
func newHumaError(status int, msg string, errs ...error) huma.StatusError {
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest // a request that does not fit the schema is a bad request, as the inference protocol has it
	}
	e := &Error{status: status}
	parts := []string{msg}
	for _, err := range errs {
		if err == nil {
			continue
		}
		var d *huma.ErrorDetail
		if errors.As(err, &d) {
			loc := strings.TrimPrefix(d.Location, "body.")
			p := service.Problem{Path: loc, Message: d.Message}
			e.Problems = append(e.Problems, p)
			if loc != "" {
				parts = append(parts, loc+": "+d.Message)
			} else {
				parts = append(parts, d.Message)
			}
			continue
		}
		e.Problems = append(e.Problems, service.Problem{Message: err.Error()})
		parts = append(parts, err.Error())
	}
	e.Message = strings.Join(parts, "; ")
	if len(parts) > 1 && msg != "" {
		e.Message = msg + ": " + strings.Join(parts[1:], "; ")
	}
	if status == http.StatusRequestEntityTooLarge {
		e.Message = "request body is too large: at most 1 MiB (1048576 bytes); send fewer rows per request"
	}
	return e
}

// fail turns a service error into an HTTP error: 404, 400, 409, or 500
// for what the service did not classify (a store out of reach).
func fail(err error) error {
	if err == nil {
		return nil
	}
	status := service.HTTPStatus(err)
	e := &Error{status: status, Message: err.Error()}
	var pe *service.ProblemsError
	if errors.As(err, &pe) {
		e.Problems = pe.Problems
	}
	return e
}
