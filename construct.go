package mlregistry

import (
	"fmt"
	"reflect"
)

// binding is a call's arguments matched to the parameters.
type binding struct {
	in  []reflect.Value // what the constructor is called with
	rec *record         // the metadata the instance will carry
}

// bind matches args and kwargs to the parameters, converting each value to
// its parameter's type, and reports every problem at once. path prefixes
// the problems' paths ("" for a direct call).
func (c *component) bind(args []any, kwargs Kwargs, path string) (binding, error) {
	ve := &ValidationError{Component: c.name}
	ps := c.sig.params
	n := len(ps)
	vals := make([]reflect.Value, n)
	given := make([]bool, n)
	var named []bool
	nargs := len(args)
	if nargs > n {
		ve.add(join(path, "args"), "%s takes %d positional arguments, got %d", c.name, n, nargs)
		nargs = n
	}
	for i := 0; i < nargs; i++ {
		if cv, ok := convert(args[i], ps[i].Type, join(path, ps[i].Name), ve, 0); ok {
			vals[i] = cv
		}
		given[i] = true
	}
	for _, k := range sortedKeys(kwargs) {
		i := c.sig.index(k)
		if i < 0 {
			ve.Problems = append(ve.Problems, Problem{Path: join(path, k),
				Message: fmt.Sprintf("%s has no parameter %q%s; parameters are %v", c.name, k, didYouMean(suggest(k, c.sig.names())), c.sig.names())})
			continue
		}
		if given[i] {
			ve.add(join(path, k), "parameter %q given twice: by position (%d) and by name", k, i)
			continue
		}
		if cv, ok := convert(kwargs[k], ps[i].Type, join(path, k), ve, 0); ok {
			vals[i] = cv
		}
		given[i] = true
		if named == nil {
			named = make([]bool, n)
		}
		named[i] = true
	}
	for i, p := range ps {
		if given[i] {
			continue
		}
		if p.HasDefault {
			vals[i] = reflect.ValueOf(p.Default)
			if !vals[i].IsValid() {
				vals[i] = reflect.Zero(p.Type)
			}
			continue
		}
		ve.add(join(path, p.Name), "missing required parameter %q (%s)", p.Name, typeName(p.Type))
	}
	if len(ve.Problems) > 0 {
		return binding{}, ve
	}
	rec := newRecord(c, n)
	rec.nPos = nargs
	for i := range named {
		if named[i] {
			rec.setNamed(i)
		}
	}
	for i := range vals {
		if vals[i].Type() != ps[i].Type {
			vals[i] = vals[i].Convert(ps[i].Type)
		}
		if !ps[i].Excluded {
			rec.set(i, vals[i])
		}
	}
	if err := c.checkHashable(rec, path); err != nil {
		return binding{}, err
	}
	return binding{in: c.arguments(vals), rec: rec}, nil
}

// arguments turns per-parameter values into the constructor's arguments.
func (c *component) arguments(vals []reflect.Value) []reflect.Value {
	if c.structArg == nil {
		return vals
	}
	sv := reflect.New(c.structArg).Elem()
	for i, fi := range c.fields {
		sv.Field(fi).Set(vals[i])
	}
	return []reflect.Value{sv}
}

// construct calls the constructor with a binding, recovering a panic, and
// attaches metadata to the instance.
func (c *component) construct(b binding) (v reflect.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			perr, ok := p.(error)
			if !ok {
				perr = fmt.Errorf("%v", p)
			}
			err = &ConstructorError{Component: c.name, Err: perr, Panicked: true}
		}
	}()
	out := c.invoke(b.in)
	if c.returnsErr && !out[1].IsNil() {
		return reflect.Value{}, &ConstructorError{Component: c.name, Err: out[1].Interface().(error)}
	}
	if err := attach(out[0], b.rec); err != nil {
		return reflect.Value{}, &ConstructorError{Component: c.name, Err: err}
	}
	return out[0], nil
}

// invoke calls the constructor.
func (c *component) invoke(in []reflect.Value) []reflect.Value {
	if c.variadic {
		return c.fn.CallSlice(in)
	}
	return c.fn.Call(in)
}

// trackingConstructor returns a func of the constructor's own type that
// records metadata for every instance it returns.
func (c *component) trackingConstructor() reflect.Value {
	return reflect.MakeFunc(c.fnType, func(in []reflect.Value) []reflect.Value {
		rec := c.directRecord(in)
		if err := c.checkHashable(rec, ""); err != nil {
			return c.refuse(err)
		}
		out := c.invoke(in)
		if c.returnsErr && !out[1].IsNil() {
			return out
		}
		if err := attach(out[0], rec); err != nil {
			return c.refuse(fmt.Errorf("%s: %w", c.name, err))
		}
		return out
	})
}

// directRecord records the arguments of a direct call of the tracking
// constructor: every parameter given, by position (or, for a config
// struct, by name).
func (c *component) directRecord(in []reflect.Value) *record {
	ps := c.sig.params
	rec := newRecord(c, len(ps))
	if c.structArg != nil {
		for i, fi := range c.fields {
			if !ps[i].Excluded {
				rec.set(i, in[0].Field(fi))
			}
		}
		rec.nameAll()
		return rec
	}
	for i := range ps {
		if !ps[i].Excluded {
			rec.set(i, in[i])
		}
	}
	rec.nPos = len(ps)
	return rec
}

// refuse makes the tracking constructor fail: with an error where its type
// returns one, else with a panic (the arguments came from code, not from a
// user, and the type leaves no other way).
func (c *component) refuse(err error) []reflect.Value {
	if !c.returnsErr {
		panic(err)
	}
	return []reflect.Value{reflect.Zero(c.result), reflect.ValueOf(&err).Elem()}
}
