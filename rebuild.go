package mlregistry

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

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
	return fmt.Sprintf("%s%s: the document states hash %s but its arguments hash to %s: %s", e.Component, at, e.Stated, e.Computed, e.Reason)
}

// Unwrap returns ErrTampered or ErrIncompatible.
func (e *HashError) Unwrap() error { return e.Err }

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
	b := rebuilder{ve: &ValidationError{Component: md.Name}, runtime: runtime}
	root := &node{md: &md, reg: r, top: true}
	if md.Kind != "" && md.Kind != r.Kind() {
		b.ve.add("kind", "the document describes a %s component; this registry builds %s components%s", orComponent(md.Kind), r.describe(), linkedHint(r, md.Kind))
		b.ve.Problems[len(b.ve.Problems)-1].Err = ErrIncompatible
	}
	b.validate(root, runtime, 0)
	if len(b.ve.Problems) > 0 {
		return zero, b.ve
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
	ve      *ValidationError
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
	if len(b.ve.Problems) > before {
		// Types cannot be checked against broken nested components.
		return false
	}
	args, kwargs, skip := b.withRuntime(n, runtime)
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
	if n.top {
		for _, k := range sortedKeys(runtime) {
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
	args := make([]any, 0, len(n.args)+1)
	j := 0
	placed := map[string]bool{}
	for i := 0; i < len(ps) && j < len(n.args); i++ {
		p := ps[i]
		if !p.Excluded {
			args = append(args, n.args[j])
			j++
			continue
		}
		placed[p.Name] = true
		if v, ok := runtime[p.Name]; ok && n.top {
			args = append(args, v)
		} else if p.HasDefault {
			args = append(args, p.Default)
		} else {
			missing(p)
			args = append(args, nil)
		}
	}
	args = append(args, n.args[j:]...)
	n.nPos = len(args)
	kwargs := make(Kwargs, len(n.kwargs)+len(runtime))
	for k, v := range n.kwargs {
		kwargs[k] = v
	}
	for _, p := range ps {
		if !p.Excluded || placed[p.Name] {
			continue
		}
		if v, ok := runtime[p.Name]; ok && n.top {
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

// agree checks that a record's effective arguments are what its args,
// kwargs and the defaults give.
func (b *rebuilder) agree(n *node, bnd binding, given Kwargs) {
	at := join(n.path, "arguments")
	ps := n.c.sig.params
	for _, k := range sortedKeys(given) {
		if i := n.c.sig.index(k); i < 0 || ps[i].Excluded {
			b.problem(join(at, k), ErrInvalid, "%s has no (non-excluded) parameter %q%s", n.c.name, k, didYouMean(suggest(k, n.c.sig.names())))
		}
	}
	var ve ValidationError
	for i, p := range ps {
		if p.Excluded {
			continue
		}
		v, ok := given[p.Name]
		if !ok {
			b.problem(join(at, p.Name), ErrInvalid, "missing: the effective arguments must list every parameter")
			continue
		}
		cv, ok := convert(typed(fill1(v, placeholder), p.Type, 0), p.Type, join(at, p.Name), &ve, 0)
		if !ok {
			continue
		}
		if !sameCanonical(cv.Interface(), bnd.rec.values[i]) || !sameNodes(v, n.givenValue(i)) {
			b.problem(join(at, p.Name), ErrTampered, "disagrees with the args and kwargs (and defaults) of the same document")
		}
	}
	b.ve.Problems = append(b.ve.Problems, ve.Problems...)
}

// givenValue is the value given for parameter i by args or kwargs, with
// nested components as nodes; nil when a default applies.
func (n *node) givenValue(i int) any {
	j := 0
	for k := 0; k < i; k++ {
		if !n.c.sig.params[k].Excluded {
			j++
		}
	}
	if j < len(n.args) {
		return n.args[j]
	}
	return n.kwargs[n.c.sig.params[i].Name]
}

// sameCanonical reports whether two values have the same canonical
// encoding (nested components compared apart, by sameNodes).
func sameCanonical(a, b any) bool {
	var ea, eb canonicalEncoder
	ea.value(a)
	eb.value(b)
	return bytes.Equal(ea.buf, eb.buf)
}

// sameNodes reports whether two values nest the same components, in the
// same places.
func sameNodes(a, b any) bool {
	return slicesEqual(collectNodes(a, nil, 0), collectNodes(b, nil, 0))
}

func slicesEqual(a, b []*node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// collectNodes lists the nodes in v, in a fixed order.
func collectNodes(v any, out []*node, depth int) []*node {
	if depth > maxDepth {
		return out
	}
	switch x := v.(type) {
	case *node:
		return append(out, x)
	case []any:
		for _, e := range x {
			out = collectNodes(e, out, depth+1)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			out = collectNodes(x[k], out, depth+1)
		}
	case Kwargs:
		return collectNodes(map[string]any(x), out, depth)
	}
	return out
}

// extractList replaces the nested components in a list by their
// validated nodes, copying only what changes.
func (b *rebuilder) extractList(n *node, list []any, path string, depth int) ([]any, bool) {
	var out []any
	for i, v := range list {
		nv, changed := b.extract(n, v, join(path, "args")+"["+strconv.Itoa(i)+"]", depth, 0)
		if changed {
			if out == nil {
				out = append([]any(nil), list...)
			}
			out[i] = nv
		}
	}
	if out == nil {
		return list, false
	}
	return out, true
}

// extractKwargs is extractList for arguments by name.
func (b *rebuilder) extractKwargs(n *node, kw Kwargs, path string, depth int) (Kwargs, bool) {
	var out Kwargs
	for _, k := range sortedKeys(kw) {
		nv, changed := b.extract(n, kw[k], join(path, k), depth, 0)
		if changed {
			if out == nil {
				out = make(Kwargs, len(kw))
				for k2, v2 := range kw {
					out[k2] = v2
				}
			}
			out[k] = nv
		}
	}
	if out == nil {
		return kw, false
	}
	return out, true
}

// extract replaces the nested components in v by their nodes, validating
// them; it reports whether v changed.
func (b *rebuilder) extract(n *node, v any, path string, cdepth, depth int) (any, bool) {
	if depth > maxDepth {
		return v, false
	}
	switch x := v.(type) {
	case *Metadata:
		if x == nil {
			return v, false
		}
		c := b.child(x, path, n)
		b.validate(c, nil, cdepth+1)
		return c, true
	case Metadata:
		return b.extract(n, &x, path, cdepth, depth)
	case []any:
		var out []any
		for i, e := range x {
			ne, changed := b.extract(n, e, path+"["+strconv.Itoa(i)+"]", cdepth, depth+1)
			if changed {
				if out == nil {
					out = append([]any(nil), x...)
				}
				out[i] = ne
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	case map[string]any:
		var out map[string]any
		for _, k := range sortedKeys(x) {
			ne, changed := b.extract(n, x[k], join(path, k), cdepth, depth+1)
			if changed {
				if out == nil {
					out = make(map[string]any, len(x))
					for k2, v2 := range x {
						out[k2] = v2
					}
				}
				out[k] = ne
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	case Kwargs:
		return b.extract(n, map[string]any(x), path, cdepth, depth)
	}
	return v, false
}

// placeholder stands for a validated nested component while its parent's
// types are checked: a nil of the component's result type.
func placeholder(n *node) any {
	if n.c == nil {
		return nil
	}
	return reflect.Zero(n.c.result).Interface()
}

// instance is a built nested component.
func instance(n *node) any {
	if !n.built.IsValid() {
		return nil
	}
	return n.built.Interface()
}

// fill replaces the nodes in a list.
func fill(list []any, f func(*node) any) []any {
	out := make([]any, len(list))
	for i, v := range list {
		out[i] = fill1(v, f)
	}
	return out
}

// fillKwargs replaces the nodes in arguments by name.
func fillKwargs(kw Kwargs, f func(*node) any) Kwargs {
	if kw == nil {
		return nil
	}
	out := make(Kwargs, len(kw))
	for k, v := range kw {
		out[k] = fill1(v, f)
	}
	return out
}

// fill1 replaces the nodes in one value, copying the lists and maps that
// hold them.
func fill1(v any, f func(*node) any) any {
	switch x := v.(type) {
	case *node:
		return f(x)
	case []any:
		return fill(x, f)
	case map[string]any:
		return map[string]any(fillKwargs(Kwargs(x), f))
	}
	return v
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
			return reflect.Value{}, b.ve
		}
	}
	if n.check {
		if h := bnd.rec.hashString(); h != n.md.Hash {
			return reflect.Value{}, b.mismatch(n, h)
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

// mismatch explains a hash mismatch: an incompatible component, or a
// tampered document.
func (b *rebuilder) mismatch(n *node, computed string) error {
	e := &HashError{Path: n.path, Component: n.c.name, Stated: n.md.Hash, Computed: computed, Err: ErrTampered}
	switch diff := signatureDiff(n.md.Signature, n.c.sig); {
	case diff != "":
		e.Err = ErrIncompatible
		e.Reason = "the component's signature changed since the document was written (" + diff + "); declare a new Version with an UpgradeFrom to read old documents"
	case n.md.Signature.Len() == 0 && n.c.sig.Len() > 0:
		e.Reason = "the document records no signature, so it cannot tell an edited document from a changed component; it is treated as edited"
	default:
		e.Reason = "the component is unchanged, so the document was edited after it was written"
	}
	return e
}

// signatureDiff describes how a recorded signature differs from the
// current one, or returns "".
func signatureDiff(old, cur Signature) string {
	if old.Len() == 0 {
		return ""
	}
	if old.Len() != cur.Len() {
		return fmt.Sprintf("%d parameters then, %d now", old.Len(), cur.Len())
	}
	for i := range old.params {
		o, c := old.params[i], cur.params[i]
		ct := c.TypeName
		if ct == "" {
			ct = typeName(c.Type)
		}
		switch {
		case o.Name != c.Name:
			return fmt.Sprintf("parameter %d was %q, is %q", i, o.Name, c.Name)
		case o.TypeName != ct:
			return fmt.Sprintf("parameter %q was %s, is %s", o.Name, o.TypeName, ct)
		case o.Excluded != c.Excluded:
			return fmt.Sprintf("parameter %q was excluded: %v, is %v", o.Name, o.Excluded, c.Excluded)
		case o.Excluded:
		case o.HasDefault != c.HasDefault:
			return fmt.Sprintf("parameter %q had a default: %v, has %v", o.Name, o.HasDefault, c.HasDefault)
		case o.HasDefault && !sameDefault(o, c):
			return fmt.Sprintf("the default of %q changed", o.Name)
		}
	}
	return ""
}

// sameDefault compares two parameters' defaults as documents write them.
func sameDefault(o, c Param) bool {
	var eo, ec encoder
	if eo.argument(o.Default, o.Type, "", 0) != nil || ec.argument(c.Default, c.Type, "", 0) != nil {
		return false
	}
	return bytes.Equal(eo.buf, ec.buf)
}

// typedArguments prepares decoded arguments for binding (see typed),
// copying only what it changes.
func typedArguments(c *component, args []any, kwargs Kwargs) ([]any, Kwargs) {
	ps := c.sig.params
	var outArgs []any
	for i, v := range args {
		if i < len(ps) && needsTyping(ps[i].Type, 0) {
			if outArgs == nil {
				outArgs = append([]any(nil), args...)
			}
			outArgs[i] = typed(v, ps[i].Type, 0)
		}
	}
	if outArgs != nil {
		args = outArgs
	}
	var outKw Kwargs
	for k, v := range kwargs {
		i := c.sig.index(k)
		if i < 0 || !needsTyping(ps[i].Type, 0) {
			continue
		}
		if outKw == nil {
			outKw = make(Kwargs, len(kwargs))
			for k2, v2 := range kwargs {
				outKw[k2] = v2
			}
		}
		outKw[k] = typed(v, ps[i].Type, 0)
	}
	if outKw != nil {
		kwargs = outKw
	}
	return args, kwargs
}

// needsTyping reports whether values of type t may hold an interface or a
// pointer, where typed has work to do.
func needsTyping(t reflect.Type, depth int) bool {
	if depth > 16 {
		return true
	}
	switch t.Kind() {
	case reflect.Interface, reflect.Pointer, reflect.Struct:
		return true
	case reflect.Slice, reflect.Array:
		return needsTyping(t.Elem(), depth+1)
	case reflect.Map:
		return needsTyping(t.Elem(), depth+1)
	}
	return false
}

// typed prepares a decoded value for convert. Where the document keeps no
// Go type — under an interface — numbers become int64, uint64 or float64,
// in lists and objects too, as the encoder wrote them: an integer's text
// has no point, a float's has one or an exponent. Elsewhere convert
// reads numbers exactly for their declared type.
func typed(v any, t reflect.Type, depth int) any {
	if v == nil || depth > maxDepth {
		return v
	}
	switch t.Kind() {
	case reflect.Interface:
		return natural(v, depth)
	case reflect.Slice, reflect.Array:
		if l, ok := v.([]any); ok && !isScalarKind(t.Elem().Kind()) {
			out := make([]any, len(l))
			for i, e := range l {
				out[i] = typed(e, t.Elem(), depth+1)
			}
			return out
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok && !isScalarKind(t.Elem().Kind()) {
			out := make(map[string]any, len(m))
			for k, e := range m {
				out[k] = typed(e, t.Elem(), depth+1)
			}
			return out
		}
	case reflect.Struct:
		if m, ok := v.(map[string]any); ok {
			out := make(map[string]any, len(m))
			for k, e := range m {
				out[k] = e
				if f, ok := fieldByJSONName(t, k); ok {
					out[k] = typed(e, f.Type, depth+1)
				}
			}
			return out
		}
	case reflect.Pointer:
		return typed(v, t.Elem(), depth+1)
	}
	return v
}

// fieldByJSONName finds an exported struct field by its encoding/json name.
func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() && jsonName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
