package mlregistry

import (
	"reflect"
	"strconv"
)

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
		if !mayHoldComponents(v) {
			continue
		}
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
	nv, changed := b.extractMap(n, kw, path, depth, 0)
	if !changed {
		return kw, false
	}
	return Kwargs(nv), true
}

// mayHoldComponents reports whether v is, or may hold, a nested
// component's metadata.
func mayHoldComponents(v any) bool {
	switch v.(type) {
	case *Metadata, Metadata, []any, map[string]any, Kwargs:
		return true
	}
	return false
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
			if !mayHoldComponents(e) {
				continue
			}
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
		nv, changed := b.extractMap(n, x, path, cdepth, depth)
		if !changed {
			return v, false
		}
		return nv, true
	case Kwargs:
		return b.extract(n, map[string]any(x), path, cdepth, depth)
	}
	return v, false
}

// extractMap is extract for an object, in key order.
func (b *rebuilder) extractMap(n *node, m map[string]any, path string, cdepth, depth int) (map[string]any, bool) {
	found := false
	for _, v := range m {
		found = found || mayHoldComponents(v)
	}
	if !found {
		return m, false
	}
	var out map[string]any
	for _, k := range sortedKeys(m) {
		if !mayHoldComponents(m[k]) {
			continue
		}
		ne, changed := b.extract(n, m[k], join(path, k), cdepth, depth+1)
		if changed {
			if out == nil {
				out = make(map[string]any, len(m))
				for k2, v2 := range m {
					out[k2] = v2
				}
			}
			out[k] = ne
		}
	}
	if out == nil {
		return m, false
	}
	return out, true
}

// placeholder stands for a validated nested component while its parent's
// types are checked: a nil of the component's result type (an untyped
// nil for a component that is not registered or not valid).
func placeholder(n *node) any {
	if n.c == nil || n.state == stateInvalid {
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
