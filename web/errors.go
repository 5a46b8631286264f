package web

import (
	"fmt"

	"github.com/mlregistry/mlregistry/service"
)

// invalidQuery is an error in a page's query; it matches service.ErrInvalid.
type invalidQuery struct{ msg string }

func (e *invalidQuery) Error() string        { return e.msg }
func (e *invalidQuery) Is(target error) bool { return target == service.ErrInvalid }

// asInvalid returns an error of a page's query.
func asInvalid(format string, args ...any) error {
	return &invalidQuery{fmt.Sprintf(format, args...)}
}
