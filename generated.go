package mlregistry

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Generated tracking constructors. cmd/mlregistry-gen reads a package's
// Register and TryRegister calls and writes a file that describes each
// registered constructor — its parameter names, the doc of each, its own
// doc comment — and gives it a typed tracking constructor, a plain Go
// func that records the arguments through Recording without reflection.
// The file announces each one with Generate, before the package's own
// variables call Register; Register then finds it by the constructor's
// function and returns it in place of the reflect.MakeFunc wrapper. The
// user's code does not change, and without the file (or built with
// -tags mlregistry_nogen) everything works as before.

// GeneratedConstructor is what cmd/mlregistry-gen writes for one
// constructor. It is meant for generated code; write it by hand only to
// test the generator.
type GeneratedConstructor struct {
	// Func is the constructor's qualified name as the runtime spells it:
	// "github.com/mlregistry/mlregistry/ml.newPerceptron".
	Func string
	// Type is the constructor's type as it was generated for, for
	// messages: "func(int, int, int, float64, bool) (*Perceptron, error)".
	Type string
	// File is the generated file's name, for messages.
	File string
	// Doc is the constructor's doc comment.
	Doc string
	// Params are the parameters from the source, in order: the
	// constructor's own, or the config struct's fields.
	Params []GeneratedParam
	// Struct reports whether the constructor takes one config struct.
	Struct bool
	// New returns the typed tracking constructor of ctor, recording
	// through t, or nil when ctor's type is not the one generated for
	// (the generated file is stale).
	New func(ctor any, t *Tracker) any
}

// GeneratedParam is one parameter of a GeneratedConstructor.
type GeneratedParam struct {
	// Name is the parameter's name: the Go parameter's, converted to
	// snake_case, or the config struct field's encoding/json name.
	Name string
	// Doc is the parameter's doc: its doc comment or line comment.
	Doc string
}

// generated holds the announced constructors by Func, and the Funcs that
// Register looked up before they were announced.
var generated struct {
	mu     sync.Mutex
	byFunc map[string]*GeneratedConstructor
	missed map[string]string // Func → the Register call site that missed it
}

// Generate announces a generated tracking constructor; generated files
// call it in a package-level variable's initializer, so that it runs
// before the package's Register calls (Go initializes variables in file
// order, and cmd/mlregistry-gen checks that its file sorts before those
// whose package-level variables call Register). It panics
// when a Register call of the same constructor already ran without it,
// or when the constructor is announced twice: both are mistakes of the
// build, found at init. It returns true.
func Generate(g GeneratedConstructor) bool {
	generated.mu.Lock()
	defer generated.mu.Unlock()
	if generated.byFunc == nil {
		generated.byFunc = map[string]*GeneratedConstructor{}
	}
	if site, ok := generated.missed[g.Func]; ok {
		panic(fmt.Sprintf("mlregistry: %s announces the generated constructor of %s after Register at %s registered it without: Go initializes a package's variables in file order, so the generated file must sort before every file that calls Register at package level: name it to sort first (mlregistry-gen -o 0_mlregistry_gen.go), or move the Register call to a file that sorts after it", g.File, g.Func, site))
	}
	if _, dup := generated.byFunc[g.Func]; dup {
		panic(fmt.Sprintf("mlregistry: %s announces the generated constructor of %s twice: regenerate it with go generate", g.File, g.Func))
	}
	gc := g
	gc.Params = append([]GeneratedParam(nil), g.Params...)
	generated.byFunc[g.Func] = &gc
	return true
}

// funcName is the runtime's name of the func fn, "" for a nil or
// non-func value.
func funcName(fn reflect.Value) string {
	if !fn.IsValid() || fn.Kind() != reflect.Func || fn.IsNil() {
		return ""
	}
	f := runtime.FuncForPC(fn.Pointer())
	if f == nil {
		return ""
	}
	return f.Name()
}

// lookupGenerated returns the generated constructor of fn, or nil; a miss
// is remembered, so that a generated file initialized too late is caught.
func lookupGenerated(fn reflect.Value, site func() string) *GeneratedConstructor {
	name := funcName(fn)
	if name == "" {
		return nil
	}
	generated.mu.Lock()
	defer generated.mu.Unlock()
	if g := generated.byFunc[name]; g != nil {
		return g
	}
	if generated.missed == nil {
		generated.missed = map[string]string{}
	}
	if _, ok := generated.missed[name]; !ok {
		generated.missed[name] = site()
	}
	return nil
}

// errStale is wrapped by the errors that report a stale generated file.
var errStale = errors.New("the generated file is out of date: run go generate in the constructor's package")

// applyGenerated takes the parameter names from g where Params was not
// given, and checks them where it was. It returns the settings to build
// the component with, and g — or nil when g is of the other kind than the
// registration (a one-struct constructor registered with Params is
// positional): Register's reflection-based constructor serves it then.
func applyGenerated(g *GeneratedConstructor, fn reflect.Value, s settings) (settings, *GeneratedConstructor, error) {
	ft := fn.Type()
	structArg := !s.paramsSet && ft.NumIn() == 1 && ft.In(0).Kind() == reflect.Struct && !ft.IsVariadic()
	if g.Struct != structArg {
		return s, nil, nil
	}
	if g.Struct {
		st := ft.In(0)
		var names []string
		for i := 0; i < st.NumField(); i++ {
			names = append(names, jsonName(st.Field(i)))
		}
		if !slices.Equal(names, g.names()) {
			return s, nil, fmt.Errorf("%s: config struct %s has the fields %v, but %s was generated for %v; %w", g.Func, st, names, g.File, g.names(), errStale)
		}
		return s, g, nil
	}
	if !s.paramsSet {
		s.params, s.paramsSet = g.names(), true
		return s, g, nil
	}
	if !slices.Equal(s.params, g.names()) {
		return s, nil, fmt.Errorf("Params names the parameters %v, but the source of %s names them %v (in %s): make Params agree with the source, or drop it — the generated file gives the names", s.params, g.Func, g.names(), g.File)
	}
	return s, g, nil
}

// stale reports that the generated constructor no longer fits.
func (g *GeneratedConstructor) stale(now reflect.Type) error {
	return fmt.Errorf("%s is %s, but %s was generated for %s; %w (or build with -tags mlregistry_nogen)", g.Func, now, g.File, g.Type, errStale)
}

// names returns the generated parameter names.
func (g *GeneratedConstructor) names() []string {
	out := make([]string, len(g.Params))
	for i, p := range g.Params {
		out[i] = p.Name
	}
	return out
}

// describeGenerated gives c's parameters and c itself the docs from g.
func describeGenerated(c *component, g *GeneratedConstructor) {
	c.doc = strings.TrimSpace(g.Doc)
	for i := range c.sig.params {
		if i < len(g.Params) {
			c.sig.params[i].Doc = strings.TrimSpace(g.Params[i].Doc)
		}
	}
}

// generatedConstructor returns g's typed tracking constructor of fn, of
// type F, recording through t (whose component is set once built); an
// error when fn's type is not the one g was generated for.
func generatedConstructor[F any](g *GeneratedConstructor, fn reflect.Value, t *Tracker) (F, error) {
	var zero F
	ctor := fn
	if ft := fn.Type(); ft.Name() != "" {
		// A named func type: the generated code asserts the literal one.
		ins := make([]reflect.Type, ft.NumIn())
		for i := range ins {
			ins[i] = ft.In(i)
		}
		outs := make([]reflect.Type, ft.NumOut())
		for i := range outs {
			outs[i] = ft.Out(i)
		}
		ctor = fn.Convert(reflect.FuncOf(ins, outs, ft.IsVariadic()))
	}
	made := g.New(ctor.Interface(), t)
	if made == nil {
		return zero, g.stale(fn.Type())
	}
	if f, ok := made.(F); ok {
		return f, nil
	}
	// F is a named func type of the same signature: the same func, as F.
	ft := reflect.TypeFor[F]()
	if mv := reflect.ValueOf(made); mv.Type().ConvertibleTo(ft) {
		return mv.Convert(ft).Interface().(F), nil
	}
	return zero, g.stale(fn.Type())
}

// Doc returns the component's doc comment, taken from its constructor's
// source by cmd/mlregistry-gen; "" without a generated file.
func (c *Component[T]) Doc() string { return c.c.doc }
