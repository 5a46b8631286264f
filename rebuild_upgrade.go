package mlregistry

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// upgrade turns an older document's effective arguments into those of the
// registered version by running the component's upgrades in order, after
// verifying the old document's hash where its recorded signature allows.
func (b *rebuilder) upgrade(n *node, from int) (Kwargs, bool) {
	md := n.md
	if md.Hash != "" {
		if err := verifyOldHash(md); err != nil {
			b.problem(join(n.path, "hash"), err, "%v", err)
			return nil, false
		}
	}
	args, err := oldArguments(md)
	if err != nil {
		b.problem(join(n.path, "arguments"), ErrIncompatible, "cannot upgrade from version %d: %v", from, err)
		return nil, false
	}
	for v := from; v < n.c.version; v++ {
		fn := n.c.upgradeFrom(v)
		if fn == nil {
			b.problem(join(n.path, "version"), ErrIncompatible, "written by version %d of %s, which is now version %d, and no upgrade from version %d is declared (UpgradeFrom(%d, …))", from, n.c.name, n.c.version, v, v)
			return nil, false
		}
		out, err := runUpgrade(fn, args)
		if err != nil {
			b.problem(join(n.path, "version"), err, "upgrade of %s from version %d to %d failed: %v", n.c.name, v, v+1, err)
			return nil, false
		}
		args = out
	}
	return args, true
}

// upgradeFrom returns the upgrade declared from version v (the last one
// declared, if several), or nil.
func (c *component) upgradeFrom(v int) Upgrade {
	var fn Upgrade
	for _, u := range c.upgr {
		if u.from == v {
			fn = u.fn
		}
	}
	return fn
}

// runUpgrade calls an upgrade with a copy of the arguments, turning a
// panic into an error.
func runUpgrade(fn Upgrade, args Kwargs) (out Kwargs, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	in := make(Kwargs, len(args))
	for k, v := range args {
		in[k] = v
	}
	out, err = fn(in)
	if err == nil && out == nil {
		out = Kwargs{}
	}
	return out, err
}

// oldArguments returns an older document's effective arguments by name,
// numbers as int64, uint64 or float64 rather than json.Number, so that
// upgrade functions see plain Go values. Nested components stay *Metadata.
func oldArguments(md *Metadata) (Kwargs, error) {
	out := Kwargs{}
	if md.Arguments != nil {
		for k, v := range md.Arguments {
			out[k] = natural(v, 0)
		}
		return out, nil
	}
	var names []string
	for _, p := range md.Signature.params {
		if !p.Excluded {
			names = append(names, p.Name)
		}
	}
	if len(md.Args) > len(names) {
		return nil, fmt.Errorf("%d positional args, but the recorded signature names %d parameters", len(md.Args), len(names))
	}
	for i, v := range md.Args {
		out[names[i]] = natural(v, 0)
	}
	for k, v := range md.Kwargs {
		out[k] = natural(v, 0)
	}
	return out, nil
}

// natural turns decoded numbers into int64, uint64 or float64, in lists
// and objects too (copied).
func natural(v any, depth int) any {
	if depth > maxDepth {
		return v
	}
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return u
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = natural(e, depth+1)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = natural(e, depth+1)
		}
		return out
	}
	return v
}

// verifyOldHash checks an older document's stated hash against its own
// recorded signature, when that signature has built-in types only; it
// returns nil when the hash matches or cannot be checked.
func verifyOldHash(md *Metadata) error {
	ps := make([]Param, 0, md.Signature.Len())
	for _, p := range md.Signature.params {
		if p.Excluded {
			ps = append(ps, Param{Name: p.Name, Type: anyType, TypeName: p.TypeName, HasDefault: true, Excluded: true})
			continue
		}
		t, ok := builtinType(p.TypeName, 0)
		if !ok {
			return nil // a type of its program: cannot be reconstructed
		}
		q := Param{Name: p.Name, Type: t, TypeName: p.TypeName}
		if p.HasDefault {
			var ve ValidationError
			cv, ok := convert(p.Default, t, p.Name, &ve, 0)
			if !ok {
				return nil
			}
			q.Default, q.HasDefault = cv.Interface(), true
		}
		ps = append(ps, q)
	}
	if len(ps) == 0 || holdsMetadata(md.Args, 0) || holdsMetadata(md.Kwargs, 0) {
		return nil
	}
	c := &component{name: md.Name, sig: Signature{params: ps}, scheme: md.Scheme, version: md.Version}
	if c.prepareHashing() != nil {
		return nil
	}
	var args []any
	j := 0
	for i := 0; i < len(ps) && j < len(md.Args); i++ {
		if ps[i].Excluded {
			args = append(args, nil)
			continue
		}
		args = append(args, md.Args[j])
		j++
	}
	args = append(args, md.Args[j:]...)
	bnd, err := c.bind(args, md.Kwargs, "")
	if err != nil {
		return fmt.Errorf("its args and kwargs do not fit its own recorded signature (%v): %w", err, ErrTampered)
	}
	if h := bnd.rec.computeHash(); h != md.Hash {
		return fmt.Errorf("version %d document: under its own recorded signature its arguments hash to %s, not to the stated %s, so it was edited after it was written: %w", md.Version, h, md.Hash, ErrTampered)
	}
	return nil
}

var anyType = reflect.TypeFor[any]()

// holdsMetadata reports whether v holds a nested component document.
func holdsMetadata(v any, depth int) bool {
	if depth > maxDepth {
		return true
	}
	switch x := v.(type) {
	case *Metadata, Metadata:
		return true
	case []any:
		for _, e := range x {
			if holdsMetadata(e, depth+1) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if holdsMetadata(e, depth+1) {
				return true
			}
		}
	case Kwargs:
		return holdsMetadata(map[string]any(x), depth)
	}
	return false
}

// builtinTypes are the named types a recorded signature may use for its
// hash to be verified without the program that wrote it.
var builtinTypes = map[string]reflect.Type{
	"bool": reflect.TypeFor[bool](), "string": reflect.TypeFor[string](),
	"int": reflect.TypeFor[int](), "int8": reflect.TypeFor[int8](), "int16": reflect.TypeFor[int16](),
	"int32": reflect.TypeFor[int32](), "int64": reflect.TypeFor[int64](),
	"uint": reflect.TypeFor[uint](), "uint8": reflect.TypeFor[uint8](), "uint16": reflect.TypeFor[uint16](),
	"uint32": reflect.TypeFor[uint32](), "uint64": reflect.TypeFor[uint64](),
	"float32": reflect.TypeFor[float32](), "float64": reflect.TypeFor[float64](),
	"any": anyType, "interface {}": anyType,
}

// builtinType parses a type name made of built-in types only: int,
// []float64, [3]int, map[string]any, *int.
func builtinType(s string, depth int) (reflect.Type, bool) {
	if depth > 16 {
		return nil, false
	}
	if t, ok := builtinTypes[s]; ok {
		return t, true
	}
	switch {
	case strings.HasPrefix(s, "[]"):
		e, ok := builtinType(s[2:], depth+1)
		if !ok {
			return nil, false
		}
		return reflect.SliceOf(e), true
	case strings.HasPrefix(s, "["):
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return nil, false
		}
		n, err := strconv.Atoi(s[1:end])
		if err != nil || n < 0 || n > 1<<16 {
			return nil, false
		}
		e, ok := builtinType(s[end+1:], depth+1)
		if !ok {
			return nil, false
		}
		return reflect.ArrayOf(n, e), true
	case strings.HasPrefix(s, "map["):
		level := 0
		for i := 3; i < len(s); i++ {
			switch s[i] {
			case '[':
				level++
			case ']':
				level--
				if level == 0 {
					k, ok := builtinType(s[4:i], depth+1)
					if !ok || !k.Comparable() || k.Kind() == reflect.Interface {
						return nil, false
					}
					e, ok := builtinType(s[i+1:], depth+1)
					if !ok {
						return nil, false
					}
					return reflect.MapOf(k, e), true
				}
			}
		}
	case strings.HasPrefix(s, "*"):
		e, ok := builtinType(s[1:], depth+1)
		if !ok {
			return nil, false
		}
		return reflect.PointerTo(e), true
	}
	return nil, false
}
