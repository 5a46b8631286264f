package mlregistry

import "fmt"

// Option configures a registry (when given to New, for every component of
// it) or one component (when given to Register). Options given to Register
// override those given to New.
type Option func(*settings)

// settings is what the options set; the zero value is the default.
type settings struct {
	name             string
	kind             string
	params           []string
	paramsSet        bool
	excludePositions []int
	excludeParams    []string
	defaults         Kwargs
	// inherited holds what New set for every component: exclusions and
	// defaults there apply to the components that have such parameters
	// and are ignored by those that do not.
	inheritedPositions []int
	inheritedParams    []string
	inheritedDefaults  Kwargs
	scheme             Scheme
	schemeSet          bool
	version            int
	upgrades           []upgrade
	errs               []error
}

// Name sets a component's registered name. Without it the name is the
// constructor's result type name without package or pointer:
// *Perceptron → "Perceptron". Given to New it is an error: names are per
// component.
func Name(name string) Option {
	return func(s *settings) { s.name = name }
}

// Kind names what a registry holds — "model", "criterion", "optimizer",
// "dataset" — and is recorded in every metadata it produces, so that stored
// metadata can be routed back to the right registry. It is meant for New.
func Kind(kind string) Option {
	return func(s *settings) { s.kind = kind }
}

// Params names the parameters of a positional constructor, in order. A
// constructor whose only parameter is a struct takes its parameter names
// from the struct's fields and needs no Params.
func Params(names ...string) Option {
	return func(s *settings) {
		s.params = append([]string(nil), names...)
		s.paramsSet = true
	}
}

// ExcludePositions excludes the parameters at the given zero-based
// positions: runtime inputs such as an optimizer's model parameters. An
// excluded parameter is left out of Args, Kwargs, the effective arguments,
// Signature.String, the hash and the JSON document, however it was passed,
// and is supplied again at Rebuild.
func ExcludePositions(idx ...int) Option {
	return func(s *settings) { s.excludePositions = append(s.excludePositions, idx...) }
}

// ExcludeParams excludes parameters by name, with the same effect as
// ExcludePositions. Given to New, names that a component lacks are ignored
// for it; given to Register, they must exist.
func ExcludeParams(names ...string) Option {
	return func(s *settings) { s.excludeParams = append(s.excludeParams, names...) }
}

// Defaults declares default values of parameters, by name. A default is
// used when Call or Rebuild leaves the parameter out; it is converted to the
// parameter's type at registration.
func Defaults(kw Kwargs) Option {
	return func(s *settings) {
		if s.defaults == nil {
			s.defaults = Kwargs{}
		}
		for k, v := range kw {
			s.defaults[k] = v
		}
	}
}

// HashScheme chooses how a component's hash is computed: CanonicalV1 (the
// default) or PyCompat.
func HashScheme(scheme Scheme) Option {
	return func(s *settings) {
		if !scheme.known() {
			s.errs = append(s.errs, fmt.Errorf("unknown hash scheme %d", int(scheme)))
			return
		}
		s.scheme = scheme
		s.schemeSet = true
	}
}

// merge returns the registry's settings overridden by a component's.
func (s settings) merge(over settings) settings {
	out := s
	out.errs = append(append([]error(nil), s.errs...), over.errs...)
	if over.name != "" {
		out.name = over.name
	}
	if over.kind != "" {
		out.kind = over.kind
	}
	if over.paramsSet {
		out.params, out.paramsSet = over.params, true
	}
	out.excludePositions, out.inheritedPositions = over.excludePositions, s.excludePositions
	out.excludeParams, out.inheritedParams = over.excludeParams, s.excludeParams
	out.defaults, out.inheritedDefaults = over.defaults, s.defaults
	if over.schemeSet {
		out.scheme, out.schemeSet = over.scheme, true
	}
	if over.version != 0 {
		out.version = over.version
	}
	out.upgrades = append(append([]upgrade(nil), s.upgrades...), over.upgrades...)
	return out
}

func collect(opts []Option) settings {
	var s settings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}
