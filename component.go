package mlregistry

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
)

// Component is a registered constructor: it has a name and a signature,
// and builds T values from positional and named arguments.
type Component[T any] struct {
	c      *component
	schema atomic.Pointer[cachedSchema] // the last JSONSchema made (schema_cache.go)
}

// Name returns the component's registered name.
func (c *Component[T]) Name() string { return c.c.name }

// Signature returns the component's signature.
func (c *Component[T]) Signature() Signature { return c.c.sig }

// Version returns the component's version: 1 unless declared with Version.
func (c *Component[T]) Version() int { return c.c.version }

// Call builds the component, binding arguments the way Python's
// Signature.bind does: positional arguments first, in order, then named
// ones; an unknown name, a parameter given twice, a missing required
// parameter and too many positional arguments are errors. Values are
// converted to the parameter's type where the conversion is exact (JSON's
// float64 784 to int; []any to []int; map[string]any to a struct) and
// refused otherwise. Every problem is reported at once, in a
// *ValidationError. A failure of the constructor itself comes back as a
// *ConstructorError wrapping its error or panic.
func (c *Component[T]) Call(args []any, kwargs Kwargs) (T, error) {
	var zero T
	b, err := c.c.bind(args, kwargs, "")
	if err != nil {
		return zero, err
	}
	v, err := c.c.construct(b)
	if err != nil {
		return zero, err
	}
	return v.Interface().(T), nil
}

// component is the type-independent part of a registered constructor.
type component struct {
	name    string
	kind    string
	sig     Signature
	fn      reflect.Value
	fnType  reflect.Type
	result  reflect.Type
	scheme  Scheme
	version int
	upgr    []upgrade
	doc     string // the constructor's doc comment, from a generated file

	returnsErr bool
	variadic   bool
	// structArg is the config struct type when the constructor's only
	// parameter is a struct; fields[i] is then the field index of param i.
	structArg reflect.Type
	fields    []int

	// sorted lists the non-excluded parameters' indexes sorted by name,
	// and types their canonical type descriptions (hash scheme v1).
	sorted []int
	types  []string
	// scalarHash is the precomputed message of a CanonicalV1 component
	// whose kept parameters are all bools, numbers and strings, or nil.
	scalarHash *scalarHashPlan
	// plain reports whether every non-excluded parameter has a type whose
	// values need no check before hashing (ints, bools).
	plain bool
	// scalarOnly reports whether every non-excluded parameter's values
	// are immutable once boxed (numbers, bools, strings).
	scalarOnly bool
	// wordsOnly reports whether every non-excluded parameter's values are
	// kept in a record's words alone (bools and numbers; see wordKind).
	wordsOnly bool
}

var errorType = reflect.TypeFor[error]()

// newComponent checks ctor and builds its description.
func newComponent(fn reflect.Value, elem reflect.Type, s settings) (*component, error) {
	if len(s.errs) > 0 {
		return nil, errors.Join(s.errs...)
	}
	if !fn.IsValid() || fn.Kind() != reflect.Func {
		return nil, fmt.Errorf("the constructor must be a func, got %s", kindOf(fn))
	}
	if fn.IsNil() {
		return nil, errors.New("the constructor is a nil func")
	}
	ft := fn.Type()
	c := &component{fn: fn, fnType: ft, kind: s.kind, scheme: s.scheme, version: max(s.version, 1), upgr: s.upgrades, variadic: ft.IsVariadic()}
	switch {
	case ft.NumOut() == 1:
	case ft.NumOut() == 2 && ft.Out(1) == errorType:
		c.returnsErr = true
	default:
		return nil, fmt.Errorf("the constructor %s must return a %s, or a %s and an error", ft, typeName(elem), typeName(elem))
	}
	c.result = ft.Out(0)
	if !c.result.AssignableTo(elem) {
		return nil, fmt.Errorf("the constructor's result %s is not assignable to the registry's element type %s", c.result, typeName(elem))
	}
	switch c.result.Kind() {
	case reflect.Pointer:
		if c.result.Elem().Size() == 0 && !c.result.Implements(trackedHolderType) {
			return nil, fmt.Errorf("the constructor's result %s points to a zero-size type: all its instances share one address and cannot carry identity; give the type a field, or embed mlregistry.Tracked", c.result)
		}
	case reflect.Interface:
		// Checked for each instance: its dynamic type must be a pointer.
	default:
		return nil, fmt.Errorf("the constructor's result %s is a %s, which cannot carry identity: return a pointer (for example *%s)", c.result, c.result.Kind(), c.result)
	}
	c.name = s.name
	if c.name == "" {
		c.name = defaultName(c.result)
		if c.name == "" {
			return nil, fmt.Errorf("cannot name a component whose result type is %s: pass Name(...)", c.result)
		}
	}
	params, err := c.params(ft, s)
	if err != nil {
		return nil, err
	}
	if err := applyExclusions(params, s); err != nil {
		return nil, err
	}
	if err := applyDefaults(params, s); err != nil {
		return nil, err
	}
	c.sig = Signature{params: params}
	if err := c.prepareHashing(); err != nil {
		return nil, err
	}
	return c, nil
}

// kindOf describes a value for a message.
func kindOf(v reflect.Value) string {
	if !v.IsValid() {
		return "nil"
	}
	return v.Type().String()
}

// defaultName is a result type's name without package or pointer.
func defaultName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 && strings.HasSuffix(name, "]") {
		// A generic instantiation: keep the type arguments' short names.
		args := strings.Split(name[i+1:len(name)-1], ",")
		for j, a := range args {
			if k := strings.LastIndexByte(a, '.'); k >= 0 {
				args[j] = a[k+1:]
			}
		}
		name = name[:i] + "[" + strings.Join(args, ",") + "]"
	}
	return name
}

// params derives the parameter list from Params or the config struct.
func (c *component) params(ft reflect.Type, s settings) ([]Param, error) {
	n := ft.NumIn()
	if !s.paramsSet && n == 1 && ft.In(0).Kind() == reflect.Struct && !c.variadic {
		st := ft.In(0)
		c.structArg = st
		var ps []Param
		for i := 0; i < st.NumField(); i++ {
			f := st.Field(i)
			if !f.IsExported() {
				return nil, fmt.Errorf("config struct %s has the unexported field %s: the constructor could not be called with it set, nor could it be rebuilt; export it, or take Params instead", st, f.Name)
			}
			name := jsonName(f)
			if name == "" {
				return nil, fmt.Errorf("config struct %s: field %s is tagged json:\"-\"; a config struct's fields are its parameters: drop the field or its tag", st, f.Name)
			}
			if !validParamName(name) {
				return nil, fmt.Errorf("config struct %s: field %s's parameter name %q %s", st, f.Name, name, paramNameRule)
			}
			ps = append(ps, Param{Name: name, Type: f.Type, TypeName: typeName(f.Type)})
			c.fields = append(c.fields, i)
		}
		if dup := firstDuplicate(ps); dup != "" {
			return nil, fmt.Errorf("config struct %s names two fields %q", st, dup)
		}
		return ps, nil
	}
	if len(s.params) != n {
		if !s.paramsSet && n > 0 {
			return nil, fmt.Errorf("the constructor %s takes %d parameters: name them with Params(...) (Go keeps no parameter names at run time), or take one config struct", ft, n)
		}
		return nil, fmt.Errorf("Params names %d parameters %v, but the constructor %s takes %d", len(s.params), s.params, ft, n)
	}
	ps := make([]Param, n)
	for i := range ps {
		if !validParamName(s.params[i]) {
			return nil, fmt.Errorf("Params: the parameter name %q %s", s.params[i], paramNameRule)
		}
		ps[i] = Param{Name: s.params[i], Type: ft.In(i), TypeName: typeName(ft.In(i))}
	}
	if dup := firstDuplicate(ps); dup != "" {
		return nil, fmt.Errorf("Params names %q twice", dup)
	}
	return ps, nil
}

// paramNameRule is how an invalid parameter name is explained.
const paramNameRule = "is not a valid parameter name: want what a Python identifier accepts — Unicode letters, digits and underscores, not starting with a digit (e.g. \"input_size\", \"größe\")"

// validParamName reports whether s is a parameter name: what a Python
// identifier accepts (a letter or underscore, then letters, digits,
// combining marks and underscores), so that every name can be passed by
// keyword to the original library and read in a JSON path unquoted.
func validParamName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && (unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Pc)):
		default:
			return false
		}
	}
	return true
}

func firstDuplicate(ps []Param) string {
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.Name] {
			return p.Name
		}
		seen[p.Name] = true
	}
	return ""
}

func applyExclusions(ps []Param, s settings) error {
	names := Signature{params: ps}.names()
	for _, i := range s.excludePositions {
		if i < 0 || i >= len(ps) {
			return fmt.Errorf("ExcludePositions(%d): the constructor has %d parameters (positions 0 to %d)", i, len(ps), len(ps)-1)
		}
		ps[i].Excluded = true
	}
	for _, i := range s.inheritedPositions {
		if i >= 0 && i < len(ps) {
			ps[i].Excluded = true
		}
	}
	for _, n := range s.excludeParams {
		i := (Signature{params: ps}).index(n)
		if i < 0 {
			return fmt.Errorf("ExcludeParams(%q): no such parameter%s; parameters are %v", n, didYouMean(suggest(n, names)), names)
		}
		ps[i].Excluded = true
	}
	for _, n := range s.inheritedParams {
		if i := (Signature{params: ps}).index(n); i >= 0 {
			ps[i].Excluded = true
		}
	}
	return nil
}

func applyDefaults(ps []Param, s settings) error {
	sig := Signature{params: ps}
	set := func(name string, v any, strict bool) error {
		i := sig.index(name)
		if i < 0 {
			if strict {
				return fmt.Errorf("Defaults: no parameter %q%s; parameters are %v", name, didYouMean(suggest(name, sig.names())), sig.names())
			}
			return nil
		}
		var ve ValidationError
		cv, ok := convert(v, ps[i].Type, name, &ve, 0)
		if !ok {
			return fmt.Errorf("Defaults: %w", ve.orNil())
		}
		ps[i].Default, ps[i].HasDefault = cv.Interface(), true
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(s.inheritedDefaults)) {
		if err := set(name, s.inheritedDefaults[name], false); err != nil {
			return err
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.defaults)) {
		if err := set(name, s.defaults[name], true); err != nil {
			return err
		}
	}
	return nil
}

// callSite is the file:line of the caller skip frames up.
func callSite(skip int) string {
	_, file, line, ok := runtime.Caller(skip + 1)
	if !ok {
		return "unknown call site"
	}
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		if j := strings.LastIndexByte(file[:i], '/'); j >= 0 {
			file = file[j+1:]
		}
	}
	return fmt.Sprintf("%s:%d", file, line)
}
