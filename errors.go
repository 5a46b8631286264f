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
