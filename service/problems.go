package service

import (
	"errors"
	"reflect"

	"github.com/mlregistry/mlregistry"
)

// Problem is one thing wrong with a request, at its JSON path.
type Problem struct {
	Path    string `json:"path,omitempty" doc:"where, as a JSON path into the request: optimizer.kwargs.lr"`
	Message string `json:"message" doc:"what was wrong and what was expected"`
}

// ProblemsOf lists every problem err reports: each problem of a
// *mlregistry.ValidationError (with its path), each error joined in err,
// and err itself otherwise.
func ProblemsOf(err error) []Problem {
	if err == nil {
		return nil
	}
	if ve, ok := err.(*mlregistry.ValidationError); ok {
		out := make([]Problem, len(ve.Problems))
		for i, p := range ve.Problems {
			out[i] = Problem{Path: p.Path, Message: p.Message}
		}
		return out
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok && reflect.TypeOf(err) == joinType {
		var out []Problem
		for _, e := range joined.Unwrap() {
			out = append(out, ProblemsOf(e)...)
		}
		return out
	}
	var ve *mlregistry.ValidationError
	if errors.As(err, &ve) && ve.Error() == err.Error() {
		return ProblemsOf(ve)
	}
	var he *mlregistry.HashError
	if errors.As(err, &he) {
		return []Problem{{Path: he.Path, Message: err.Error()}}
	}
	return []Problem{{Message: err.Error()}}
}

// joinType is the type of errors.Join's errors.
var joinType = reflect.TypeOf(errors.Join(errors.New("a")))
