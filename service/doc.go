// Package service is what the HTTP API (package serve) does, as a library:
// the catalogue of registered components, validation and hashing of specs,
// submitting, following and cancelling runs, and predictions from trained
// runs. Handlers only translate between HTTP and these calls; every error
// matches one of ErrNotFound, ErrInvalid or ErrConflict (errors.Is), which
// they turn into 404, 400 and 409.
package service

import "errors"

// Error classes: every error of this package matches one of them.
var (
	ErrNotFound = errors.New("not found")     // no such component, run or model
	ErrInvalid  = errors.New("invalid input") // the request is wrong: its message says where and how
	ErrConflict = errors.New("conflict")      // the request is right but the state forbids it (a finished run)
)

// classified is an error of a class.
type classified struct {
	class, err error
}

func (c *classified) Error() string   { return c.err.Error() }
func (c *classified) Unwrap() []error { return []error{c.class, c.err} }

// as returns err marked with class (nil for nil).
func as(class, err error) error {
	if err == nil {
		return nil
	}
	return &classified{class, err}
}
