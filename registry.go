package mlregistry

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
)

// Registry holds components that build values of type T: an interface
// such as Model, or any. Registries are values: create them with New, keep
// them in your own variables or in a repository struct. A Registry is safe
// for concurrent use.
type Registry[T any] struct {
	settings settings
	elem     reflect.Type

	mu     sync.Mutex                               // serialises registration
	byName atomic.Pointer[map[string]*Component[T]] // copy on write: lookups take no lock
	linked atomic.Pointer[linkSet]                  // registries of other kinds, set by Link (link.go)
}

// New returns an empty registry of components that build a T. Options given
// here apply to every component registered in it (exclusions and defaults
// only where a component has such a parameter).
func New[T any](opts ...Option) *Registry[T] {
	r := &Registry[T]{settings: collect(opts), elem: reflect.TypeFor[T]()}
	m := map[string]*Component[T]{}
	r.byName.Store(&m)
	return r
}

// Default is the package-level registry, for the Python library's
// Registry.register(Perceptron) style. Prefer registries of your own.
var Default = New[any]()

// Kind returns the registry's kind as set by the Kind option, or "".
func (r *Registry[T]) Kind() string { return r.settings.kind }

// describe names the registry in messages: its kind, else its element type.
func (r *Registry[T]) describe() string {
	if r.settings.kind != "" {
		return r.settings.kind
	}
	if r.elem.Kind() == reflect.Interface && r.elem.NumMethod() == 0 {
		return "component"
	}
	return typeName(r.elem) + " component"
}

// Get returns the component registered under name.
func (r *Registry[T]) Get(name string) (*Component[T], bool) {
	c, ok := (*r.byName.Load())[name]
	return c, ok
}

// Keys returns the registered names, sorted.
func (r *Registry[T]) Keys() []string {
	m := *r.byName.Load()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Signature returns the signature of the component registered under name.
func (r *Registry[T]) Signature(name string) (Signature, bool) {
	c, ok := r.Get(name)
	if !ok {
		return Signature{}, false
	}
	return c.Signature(), true
}

// lookup is Get with an error that helps: close names, and how many are
// registered.
func (r *Registry[T]) lookup(name string) (*Component[T], error) {
	if c, ok := r.Get(name); ok {
		return c, nil
	}
	keys := r.Keys()
	return nil, &NotFoundError{
		Name:        name,
		Registry:    r.describe(),
		Suggestions: suggest(name, keys),
		Registered:  len(keys),
	}
}

// Call builds the component registered under name from positional and
// named arguments, as Component.Call does. An unknown name is an error
// matching ErrNotFound.
func (r *Registry[T]) Call(name string, args []any, kwargs Kwargs) (T, error) {
	c, err := r.lookup(name)
	if err != nil {
		var zero T
		return zero, err
	}
	return c.Call(args, kwargs)
}

// Register registers ctor in r and returns a tracking constructor of the
// same type: every value it returns carries metadata. ctor is a func whose
// results are a T, or a T and an error; its T must be a pointer, so that
// the instance can carry identity.
//
// Register panics on misuse — ctor not a func, a result not assignable to
// T, a duplicate name, Params not matching the parameters — with a message
// naming the call site, as database/sql.Register does: these are
// programming errors found at init. TryRegister returns the error instead.
func Register[T any, F any](r *Registry[T], ctor F, opts ...Option) F {
	f, err := tryRegister(r, ctor, opts, 1)
	if err != nil {
		panic(err)
	}
	return f
}

// TryRegister is Register returning an error instead of panicking. The error
// is a *RegistrationError; a duplicate name matches ErrDuplicate.
func TryRegister[T any, F any](r *Registry[T], ctor F, opts ...Option) (F, error) {
	return tryRegister(r, ctor, opts, 1)
}

func tryRegister[T any, F any](r *Registry[T], ctor F, opts []Option, skip int) (F, error) {
	var zero F
	s := r.settings.merge(collect(opts))
	fn := reflect.ValueOf(ctor)
	// A generated tracking constructor, if cmd/mlregistry-gen wrote one
	// (generated.go).
	var gen F
	tracker := &Tracker{}
	g := lookupGenerated(fn, func() string { return callSite(skip + 3) })
	if g != nil {
		var err error
		if gen, err = generatedConstructor[F](g, fn, tracker); err == nil {
			s, g, err = applyGenerated(g, fn, s)
		}
		if err != nil {
			return zero, &RegistrationError{Site: callSite(skip + 1), Component: s.name, Err: err}
		}
	}
	c, err := newComponent(fn, r.elem, s)
	if err != nil {
		return zero, &RegistrationError{Site: callSite(skip + 1), Component: s.name, Err: err}
	}
	if g != nil {
		describeGenerated(c, g)
		tracker.bind(c)
	}
	comp := &Component[T]{c: c}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := *r.byName.Load()
	if _, dup := old[c.name]; dup {
		return zero, &RegistrationError{Site: callSite(skip + 1), Component: c.name,
			Err: fmt.Errorf("%s %q: %w (each name once per registry; use the Name option to register under another name)", r.describe(), c.name, ErrDuplicate)}
	}
	next := make(map[string]*Component[T], len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[c.name] = comp
	r.byName.Store(&next)
	registriesChanged()
	if g != nil {
		return gen, nil
	}
	return c.trackingConstructor().Interface().(F), nil
}
