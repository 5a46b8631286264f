package service

import (
	"context"
	"errors"
	"net/http"
)

// HTTPStatus is the HTTP status of an error of this package, for the API
// and the web UI alike: 404, 400 or 409 for its classes, 503 when the
// request's context ended, 500 for what it did not classify (a store out
// of reach).
func HTTPStatus(err error) int {
	switch {
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, ErrConflict):
		return http.StatusConflict
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
