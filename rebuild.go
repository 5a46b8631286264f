package mlregistry

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Rebuild builds the component that md describes, through this registry
// and the registries linked to it (see Link), and returns it with the same
// metadata and the same hash.
//
// Everything is validated before anything is built, and every problem is
// reported at once in a *ValidationError whose problems carry JSON paths
// ("kwargs.lr", "arguments.activation.arguments.negative_slope",
// "runtime.params"): an unknown component (with "did you mean"), an
// unknown kind, unknown, missing or doubly given parameters, values of the
// wrong type or out of range for their Go type, a newer version or a
// missing upgrade, an unknown hash scheme.
//
// runtime gives the excluded parameters — an optimizer's model
// parameters, a dataset's root folder — which documents never hold; any
// other name in runtime is a problem. Nested components get no runtime
// values: their excluded parameters take their defaults.
//
// A document with a hash is a record: it is rebuilt from its args and
// kwargs, as they were given (so a PyCompat hash survives too), its
// arguments must agree with them, and its stated hash is checked before
// the component is constructed — a mismatch is a *HashError matching
// ErrIncompatible when the component's signature or hash scheme changed
// since, ErrTampered otherwise. A document without a hash is a spec, such
// as a request: it is built from its args and kwargs if it has them, else
// from its arguments.
//
// Metadata of an older Version is upgraded: its effective arguments go
// through the component's UpgradeFrom functions, in order, and the result
// is built by name; it carries the component's current hash. The old
// document's stated hash is verified first against its own recorded
// signature when that signature has built-in types only (bool, numbers,
// strings, any, and slices, arrays, maps and pointers of them), and
// cannot be verified otherwise: the code that computed it is gone.
//
// A component that occurs several times in one document (the same kind,
// name and hash) is built once and shared. Nothing is constructed that
// is not registered.
func (r *Registry[T]) Rebuild(md Metadata, runtime Kwargs) (T, error) {
	var zero T
	b := rebuilder{ve: ValidationError{Component: md.Name}, runtime: runtime}
	root := &node{md: &md, reg: r, top: true}
	if md.Kind != "" && md.Kind != r.Kind() {
		b.ve.add("kind", "the document describes a %s component; this registry builds %s components%s", orComponent(md.Kind), r.describe(), linkedHint(r, md.Kind))
		b.ve.Problems[len(b.ve.Problems)-1].Err = ErrIncompatible
	}
	b.validate(root, runtime, 0)
	if len(b.ve.Problems) > 0 {
		return zero, b.err()
	}
	v, err := b.build(root)
	if err != nil {
		return zero, err
	}
	if !v.IsValid() {
		return zero, nil
	}
	out, _ := v.Interface().(T)
	return out, nil
}

// linkedHint tells which registry to use for a document of another kind.
func linkedHint(r Resolver, kind string) string {
	if ls := r.links(); ls != nil {
		if _, ok := ls.byKind[kind]; ok {
			return fmt.Sprintf(" (rebuild it through the %q registry)", kind)
		}
	}
	return ""
}

// Where a component's bound values come from, for problem paths.
const (
	fromGiven     = iota // args and kwargs, as given
	fromArguments        // the effective arguments (a spec)
	fromUpgrade          // arguments produced by upgrades
)

// node is one component of a document being rebuilt.
type node struct {
	md   *Metadata
	path string // of the envelope in the document; "" at the top
	reg  Resolver
	top  bool
	c    *component

	state int // 0 new, 1 validating, 2 valid, 3 invalid
	from  int
	check bool // compare the hash of the binding with md.Hash

	// args and kwargs are the values to bind, nested components replaced
	// by their *node; nested reports whether any is.
	args   []any
	kwargs Kwargs
	nPos   int // len(args) after runtime values were interleaved
	nested bool
	bnd    binding // kept from validation when nothing is nested

	built reflect.Value
	done  bool
}

// rebuilder validates and builds the components of one document.
type rebuilder struct {
	ve      ValidationError
	runtime Kwargs // for the top-level component
	byPtr   map[*Metadata]*node
	byKey   map[string]*node
	nodes   int
}

const (
	stateNew = iota
	stateValidating
	stateValid
	stateInvalid
)

// err returns the problems found, as an error of its own.
func (b *rebuilder) err() *ValidationError {
	ve := b.ve
	return &ve
}

// problem records a problem at path with a cause.
func (b *rebuilder) problem(path string, err error, format string, args ...any) {
	b.ve.Problems = append(b.ve.Problems, Problem{Path: path, Message: fmt.Sprintf(format, args...), Err: err})
}

// child returns the node of a nested envelope met at path inside parent,
// sharing one node per component (kind, name and hash) or per *Metadata.
func (b *rebuilder) child(md *Metadata, path string, parent *node) *node {
	if n, ok := b.byPtr[md]; ok {
		return n
	}
	key := ""
	if md.Hash != "" {
		key = componentKey(md.Kind, md.Name, md.Hash)
		if n, ok := b.byKey[key]; ok {
			return n
		}
	}
	n := &node{md: md, path: path}
	b.nodes++
	if b.byPtr == nil {
		b.byPtr, b.byKey = map[*Metadata]*node{}, map[string]*node{}
	}
	b.byPtr[md] = n
	if key != "" {
		b.byKey[key] = n
	}
	reg, err := registryOfKind(parent.reg, md.Kind)
	if err != nil {
		b.problem(join(path, "kind"), err, "%v", err)
		n.state = stateInvalid
		return n
	}
	n.reg = reg
	return n
}

// validate checks a component and, first, the components nested in it.
func (b *rebuilder) validate(n *node, runtime Kwargs, depth int) bool {
	switch n.state {
	case stateValidating:
		b.problem(n.path, ErrInvalid, "%s %q refers to itself", orComponent(n.md.Kind), n.md.Name)
		return false
	case stateValid:
		return true
	case stateInvalid:
		return false
	}
	if depth > maxComponentDepth {
		b.problem(n.path, ErrInvalid, "components nest deeper than %d levels", maxComponentDepth)
		n.state = stateInvalid
		return false
	}
	if b.nodes > maxComponents {
		b.problem(n.path, ErrInvalid, "the document holds more than %d components", maxComponents)
		n.state = stateInvalid
		return false
	}
	n.state = stateValidating
	ok := b.check(n, runtime, depth)
	if ok {
		n.state = stateValid
	} else {
		n.state = stateInvalid
	}
	return ok
}

// check is validate's body.
func (b *rebuilder) check(n *node, runtime Kwargs, depth int) bool {
	before := len(b.ve.Problems)
	md := n.md
	c, err := n.reg.resolveComponent(md.Name)
	if err != nil {
		b.problem(join(n.path, "name"), err, "%v", err)
		return false
	}
	n.c = c
	version := md.Version
	if version == 0 {
		version = c.version
	}
	switch {
	case version > c.version:
		b.problem(join(n.path, "version"), ErrIncompatible, "written by version %d of %s, but the registered component is version %d", version, c.name, c.version)
		return false
	case version < c.version:
		args, ok := b.upgrade(n, version)
		if !ok {
			return false
		}
		n.from, n.kwargs = fromUpgrade, args
	default:
		if md.Hash != "" && md.Scheme != c.scheme {
			b.problem(join(n.path, "scheme"), ErrIncompatible, "hashed with scheme %s, but %s now uses %s: its hash cannot be reproduced (drop the hash to rebuild it as a spec, with a new hash)", md.Scheme, c.name, c.scheme)
		}
		n.check = md.Hash != ""
		if n.check || md.Args != nil || md.Kwargs != nil {
			n.from, n.args, n.kwargs = fromGiven, md.Args, md.Kwargs
		} else {
			n.from, n.kwargs = fromArguments, md.Arguments
		}
	}
	// Nested components: validated first, replaced by their nodes.
	var nested bool
	n.args, nested = b.extractList(n, n.args, n.path, depth)
	n.nested = nested
	n.kwargs, nested = b.extractKwargs(n, n.kwargs, join(n.path, n.container()), depth)
	n.nested = n.nested || nested
	var given Kwargs
	if n.from == fromGiven && md.Arguments != nil {
		given, nested = b.extractKwargs(n, md.Arguments, join(n.path, "arguments"), depth)
		n.nested = n.nested || nested
	}
	// The parameters are checked even when a nested component is broken:
	// it then stands as a nil, which fits wherever a component does.
	n.kwargs = b.excludedInDocument(n, n.kwargs)
	args, kwargs, skip := b.withRuntime(n, runtime)
	kwargs = b.givenTwice(n, kwargs)
	if n.nested {
		args = fill(args, placeholder)
		kwargs = fillKwargs(kwargs, placeholder)
	}
	args, kwargs = typedArguments(c, args, kwargs)
	bnd, err := c.bind(args, kwargs, "")
	if err != nil {
		b.remap(n, err, skip)
		return false
	}
	if given != nil {
		b.agree(n, bnd, given)
	}
	if !n.nested {
		n.bnd = bnd
	}
	return len(b.ve.Problems) == before
}

// excludedInDocument reports, and drops, named values of excluded
// parameters in a document: runtime inputs are never part of one.
func (b *rebuilder) excludedInDocument(n *node, kwargs Kwargs) Kwargs {
	return dropNamed(n, kwargs, func(i int) bool { return n.c.sig.params[i].Excluded }, func(k string) {
		b.problem(join(join(n.path, n.container()), k), ErrInvalid, "parameter %q of %s is excluded: a runtime input, never part of a document; pass it in Rebuild's runtime argument", k, n.c.name)
	})
}

// givenTwice reports named values of parameters also given by position,
// at their place among the named ones, and drops them.
func (b *rebuilder) givenTwice(n *node, kwargs Kwargs) Kwargs {
	return dropNamed(n, kwargs, func(i int) bool { return i < n.nPos && !n.c.sig.params[i].Excluded }, func(k string) {
		b.problem(n.docPath(k, "", k), ErrInvalid, "parameter %q given twice: by position (%s) and by name", k, n.docPath(k, k, ""))
	})
}

// dropNamed returns kwargs without the values of the parameters that bad
// (given a parameter's index) picks, reporting each, in name order. kwargs
// itself is never changed; it is returned as it is when nothing is dropped.
func dropNamed(n *node, kwargs Kwargs, bad func(i int) bool, report func(k string)) Kwargs {
	found := false
	for k := range kwargs {
		if i := n.c.sig.index(k); i >= 0 && bad(i) {
			found = true
			break
		}
	}
	if !found {
		return kwargs // the common case: no sorting, no copy
	}
	var out Kwargs
	for _, k := range sortedKeys(kwargs) {
		i := n.c.sig.index(k)
		if i < 0 || !bad(i) {
			continue
		}
		report(k)
		if out == nil {
			out = maps.Clone(kwargs)
		}
		delete(out, k)
	}
	if out == nil {
		return kwargs
	}
	return out
}

// container is where a node's named values sit in its envelope.
func (n *node) container() string {
	if n.from == fromGiven {
		return "kwargs"
	}
	return "arguments"
}

// withRuntime adds the runtime values of excluded parameters to a node's
// arguments: interleaved where the excluded parameter sits among the
// positional ones, by name otherwise. It reports problems with runtime,
// and returns the paths already reported.
func (b *rebuilder) withRuntime(n *node, runtime Kwargs) ([]any, Kwargs, map[string]bool) {
	ps := n.c.sig.params
	var skip map[string]bool
	missing := func(p Param) {
		path := "runtime." + p.Name
		if !n.top {
			path = join(n.path, p.Name)
			b.problem(path, ErrInvalid, "excluded parameter %q (%s) of a nested component has no default, and Rebuild gives runtime values to the top-level component only", p.Name, typeName(p.Type))
		} else {
			b.problem(path, ErrInvalid, "missing runtime value: %s's parameter %q (%s) is excluded from documents; pass it in Rebuild's runtime argument", n.c.name, p.Name, typeName(p.Type))
		}
		if skip == nil {
			skip = map[string]bool{}
		}
		skip[p.Name] = true
	}
	if n.top && len(runtime) > 0 {
		for _, k := range slices.Sorted(maps.Keys(runtime)) {
			p, ok := n.c.sig.Lookup(k)
			switch {
			case !ok:
				b.problem("runtime."+k, ErrInvalid, "%s has no parameter %q%s; its excluded parameters are %v", n.c.name, k, didYouMean(suggest(k, excludedNames(ps))), excludedNames(ps))
			case !p.Excluded:
				b.problem("runtime."+k, ErrInvalid, "parameter %q of %s is not excluded: it comes from the document, not from runtime", k, n.c.name)
			}
		}
	}
	hasExcluded := false
	for _, p := range ps {
		hasExcluded = hasExcluded || p.Excluded
	}
	if !hasExcluded {
		n.nPos = len(n.args)
		return n.args, n.kwargs, nil
	}
	args := n.args
	j := 0
	placed := 0 // the parameters before it were placed by position
	if len(n.args) > 0 {
		args = make([]any, 0, len(n.args)+1)
		i := 0
		for ; i < len(ps) && j < len(n.args); i++ {
			p := ps[i]
			if !p.Excluded {
				args = append(args, n.args[j])
				j++
				continue
			}
			if v, ok := runtime[p.Name]; ok && n.top {
				args = append(args, v)
			} else if p.HasDefault {
				args = append(args, p.Default)
			} else {
				missing(p)
				args = append(args, nil)
			}
		}
		placed = i
		args = append(args, n.args[j:]...)
	}
	n.nPos = len(args)
	kwargs := n.kwargs
	copied := false
	for i := placed; i < len(ps); i++ {
		p := ps[i]
		if !p.Excluded {
			continue
		}
		if v, ok := runtime[p.Name]; ok && n.top {
			if !copied {
				kwargs = make(Kwargs, len(n.kwargs)+len(runtime))
				for k, v := range n.kwargs {
					kwargs[k] = v
				}
				copied = true
			}
			kwargs[p.Name] = v
		} else if !p.HasDefault {
			missing(p)
		}
	}
	return args, kwargs, skip
}

// excludedNames lists the excluded parameters' names.
func excludedNames(ps []Param) []string {
	var out []string
	for _, p := range ps {
		if p.Excluded {
			out = append(out, p.Name)
		}
	}
	return out
}

// remap moves bind's problems, whose paths start with a parameter name,
// to where the values sit in the document.
func (b *rebuilder) remap(n *node, err error, skip map[string]bool) {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		b.problem(n.path, err, "%v", err)
		return
	}
	for _, p := range ve.Problems {
		name, rest := splitParam(n.c.sig, p.Path)
		if name != "" && skip[name] {
			continue
		}
		p.Path = n.docPath(p.Path, name, rest)
		b.ve.Problems = append(b.ve.Problems, p)
	}
}

// splitParam splits a path from bind into the parameter it starts with
// and the rest; name is "" when it starts with no parameter's name.
func splitParam(sig Signature, path string) (name, rest string) {
	for _, p := range sig.params {
		if len(p.Name) <= len(name) || !strings.HasPrefix(path, p.Name) {
			continue
		}
		if len(path) == len(p.Name) || strings.ContainsRune(".[ ", rune(path[len(p.Name)])) {
			name = p.Name
		}
	}
	return name, path[len(name):]
}

// docPath is where the value of parameter name sits in the document.
func (n *node) docPath(path, name, rest string) string {
	if name == "" {
		if path == "args" {
			return join(n.path, "args")
		}
		return join(join(n.path, n.container()), path)
	}
	i := n.c.sig.index(name)
	p := n.c.sig.params[i]
	switch {
	case p.Excluded && n.top:
		return "runtime." + name + rest
	case p.Excluded:
		return join(n.path, name) + rest
	case n.from == fromGiven && i < n.nPos:
		j := 0
		for k := 0; k < i; k++ {
			if !n.c.sig.params[k].Excluded {
				j++
			}
		}
		return join(n.path, "args") + "[" + strconv.Itoa(j) + "]" + rest
	}
	return join(join(n.path, n.container()), name) + rest
}

// build constructs a validated component, nested ones first, checking its
// hash before its constructor runs.
func (b *rebuilder) build(n *node) (reflect.Value, error) {
	if n.done {
		return n.built, nil
	}
	bnd := n.bnd
	if n.nested {
		for _, c := range collectNodes(n.args, nil, 0) {
			if _, err := b.build(c); err != nil {
				return reflect.Value{}, err
			}
		}
		for _, c := range collectNodes(n.kwargs, nil, 0) {
			if _, err := b.build(c); err != nil {
				return reflect.Value{}, err
			}
		}
		args, kwargs, _ := b.withRuntimeBuilt(n)
		args, kwargs = typedArguments(n.c, args, kwargs)
		var err error
		bnd, err = n.c.bind(args, kwargs, "")
		if err != nil {
			b.remap(n, err, nil)
			return reflect.Value{}, b.err()
		}
	}
	if n.check {
		if h := bnd.rec.hashString(); h != n.md.Hash {
			return reflect.Value{}, b.mismatch(n, h)
		}
		if err := editedSignature(n); err != nil {
			return reflect.Value{}, err
		}
	}
	v, err := n.c.construct(bnd)
	if err != nil {
		var ce *ConstructorError
		if n.path != "" && errors.As(err, &ce) {
			return reflect.Value{}, fmt.Errorf("%s: %w", n.path, err)
		}
		return reflect.Value{}, err
	}
	n.built, n.done = v, true
	return v, nil
}

// withRuntimeBuilt is the arguments of a node with nested components built:
// validation already placed the runtime values, so only nested
// components are filled in here. Runtime values of the top node were
// interleaved during validation into a copy that was not kept, so it is
// recomputed.
func (b *rebuilder) withRuntimeBuilt(n *node) ([]any, Kwargs, map[string]bool) {
	args := fill(n.args, instance)
	kwargs := fillKwargs(n.kwargs, instance)
	saved := *n
	saved.args, saved.kwargs = args, kwargs
	return b.withRuntime(&saved, b.runtimeOf(n))
}

// runtimeOf is the runtime given to the top node; nested nodes have none.
func (b *rebuilder) runtimeOf(n *node) Kwargs {
	if n.top {
		return b.runtime
	}
	return nil
}
