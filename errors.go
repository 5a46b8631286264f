package mlregistry

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFound is reported (wrapped) when a name is not registered.
var ErrNotFound = errors.New("not registered")

// ErrDuplicate is reported (wrapped) when a name is registered twice.
var ErrDuplicate = errors.New("already registered")

// ErrInvalid is reported (wrapped, through *ValidationError) when arguments
// or a metadata document do not fit a component's signature.
var ErrInvalid = errors.New("invalid arguments")

// NotFoundError reports a name that a registry does not hold. It matches
// ErrNotFound with errors.Is.
type NotFoundError struct {
	// Name is the name that was asked for.
	Name string
	// Registry describes the registry: its kind, or its element type.
	Registry string
	// Suggestions holds up to three registered names close to Name.
	Suggestions []string
	// Registered is how many components the registry holds.
	Registered int
}

func (e *NotFoundError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %q is not registered%s", e.Registry, e.Name, didYouMean(e.Suggestions))
	switch e.Registered {
	case 0:
		b.WriteString("; the registry is empty (forgotten Register call?)")
	case 1:
		b.WriteString("; 1 component is registered")
	default:
		fmt.Fprintf(&b, "; %d components are registered", e.Registered)
	}
	return b.String()
}

// Is reports whether target is ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// Problem is one thing wrong with arguments or a document.
type Problem struct {
	// Path locates the problem: "optimizer.kwargs.lr", "args[2]".
	Path string
	// Message says what was wrong and what was expected.
	Message string
	// Err is the underlying cause, if any (an *NotFoundError, say).
	Err error
}

func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ValidationError lists every problem found in arguments or a metadata
// document, all at once. It matches ErrInvalid with errors.Is, and
// errors.As reaches each problem's cause.
type ValidationError struct {
	// Component is the component the arguments were for, if known.
	Component string
	// Problems lists what was wrong, in document order.
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Component != "" {
		fmt.Fprintf(&b, "%s: ", e.Component)
	}
	if len(e.Problems) == 1 {
		b.WriteString(e.Problems[0].String())
		return b.String()
	}
	fmt.Fprintf(&b, "%d problems:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns the problems' causes.
func (e *ValidationError) Unwrap() []error {
	var out []error
	for _, p := range e.Problems {
		if p.Err != nil {
			out = append(out, p.Err)
		}
	}
	return out
}

// add records a problem.
func (e *ValidationError) add(path, format string, args ...any) {
	e.Problems = append(e.Problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// orNil returns e if it holds problems, else nil.
func (e *ValidationError) orNil() error {
	if e == nil || len(e.Problems) == 0 {
		return nil
	}
	return e
}

// ConstructorError reports that a component's own constructor failed:
// returned an error or panicked. The framework accepted the arguments.
type ConstructorError struct {
	// Component is the component's registered name.
	Component string
	// Err is the constructor's error, or the panic converted to an error.
	Err error
	// Panicked reports whether the constructor panicked.
	Panicked bool
}

func (e *ConstructorError) Error() string {
	if e.Panicked {
		return fmt.Sprintf("constructor of %s panicked: %v", e.Component, e.Err)
	}
	return fmt.Sprintf("constructor of %s failed: %v", e.Component, e.Err)
}

// Unwrap returns the constructor's error.
func (e *ConstructorError) Unwrap() error { return e.Err }

// RegistrationError reports misuse of Register: what was wrong, and where
// Register was called.
type RegistrationError struct {
	// Site is the caller of Register, as file:line.
	Site string
	// Component is the name being registered, when known.
	Component string
	// Err says what was wrong; it may wrap ErrDuplicate.
	Err error
}

func (e *RegistrationError) Error() string {
	name := ""
	if e.Component != "" {
		name = " " + e.Component
	}
	return fmt.Sprintf("mlregistry: Register%s at %s: %v", name, e.Site, e.Err)
}

// Unwrap returns the cause.
func (e *RegistrationError) Unwrap() error { return e.Err }

// ErrTampered is reported (wrapped, by *HashError) when a document's
// arguments do not hash to the hash it states, and nothing else explains
// it: the document was edited after it was written.
var ErrTampered = errors.New("metadata does not hash to its stated hash")

// ErrIncompatible is reported (wrapped) when a document was written by a
// version of a component that this program cannot reproduce: another hash
// scheme, a newer version, a changed signature without a new Version, or a
// missing upgrade.
var ErrIncompatible = errors.New("metadata written by an incompatible version of the component")

// HashError reports a rebuilt component whose hash is not the one its
// document states. It matches ErrTampered or ErrIncompatible (errors.Is),
// whichever explains it.
type HashError struct {
	// Path locates the component's envelope in the document ("" at the top).
	Path string
	// Component is the component's name.
	Component string
	// Stated is the hash the document states; Computed what its arguments
	// hash to.
	Stated, Computed string
	// Reason says why they differ, as far as can be told.
	Reason string
	// Err is ErrTampered or ErrIncompatible.
	Err error
}

func (e *HashError) Error() string {
	at := ""
	if e.Path != "" {
		at = " at " + e.Path
	}
	if e.Stated == e.Computed {
		return fmt.Sprintf("%s%s: the document's arguments hash to its stated hash %s, %s", e.Component, at, e.Stated, e.Reason)
	}
	return fmt.Sprintf("%s%s: the document states hash %s but its arguments hash to %s: %s", e.Component, at, e.Stated, e.Computed, e.Reason)
}

// Unwrap returns ErrTampered or ErrIncompatible.
func (e *HashError) Unwrap() error { return e.Err }

// WithPathPrefix returns err with prefix put before the path of every
// problem it reports — of a *ValidationError, or the *HashError — for
// documents that hold envelopes under names of their own: rebuilding a
// pipeline's "optimizer" envelope, "kwargs.lr" becomes
// "optimizer.kwargs.lr". Other errors are wrapped with the prefix.
func WithPathPrefix(prefix string, err error) error {
	var ve *ValidationError
	var he *HashError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		out := &ValidationError{Component: ve.Component, Problems: make([]Problem, len(ve.Problems))}
		for i, p := range ve.Problems {
			p.Path = join(prefix, p.Path)
			out.Problems[i] = p
		}
		return out
	case errors.As(err, &he):
		out := *he
		out.Path = join(prefix, he.Path)
		return &out
	}
	return fmt.Errorf("%s: %w", prefix, err)
}
