package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// constructor is a registered constructor as the source declares it.
type constructor struct {
	fn   *types.Func
	decl *ast.FuncDecl
	sig  *types.Signature
	doc  string
	// params are the constructor's own parameters; fields, when it takes
	// one struct, that struct's fields.
	params []param
	fields []param
	// structMode reports whether the generated constructor is the config
	// struct kind: the fields are the parameters.
	structMode bool
	returnsErr bool
	// registrations counts the Register calls; withParams those that
	// pass Params(...), which make a one-struct constructor positional.
	registrations, withParams int
	// skip, when not "", says why no tracking constructor is generated
	// (the reflection-based one keeps working).
	skip string
	// literalParams are the registrations' Params of literal names;
	// warnings what Register will refuse of them.
	literalParams []literalParams
	warnings      []string
}

// param is a parameter or a config struct's field.
type param struct {
	goName string     // the Go parameter or field name
	name   string     // the parameter name: snake_case, or the json name
	doc    string     // its comment
	typ    types.Type // its type
}

// newConstructor describes fn, declared by fd. A constructor that cannot
// be generated for has skip set, and keeps the reflection-based path.
func newConstructor(pkg *packages.Package, fn *types.Func, fd *ast.FuncDecl) *constructor {
	sig := fn.Type().(*types.Signature)
	c := &constructor{fn: fn, decl: fd, sig: sig}
	if fd.Doc != nil {
		c.doc = paragraphs(fd.Doc.Text())
	}
	pos := pkg.Fset.Position(fd.Pos())
	if sig.TypeParams().Len() > 0 {
		c.skip = "it is generic"
	}
	switch sig.Results().Len() {
	case 1:
	case 2:
		c.returnsErr = types.Identical(sig.Results().At(1).Type(), types.Universe.Lookup("error").Type())
		if !c.returnsErr {
			c.skip = "its second result is not an error"
		}
	default:
		c.skip = "it does not return one value, or a value and an error"
	}
	if sig.Results().Len() > 0 {
		switch sig.Results().At(0).Type().Underlying().(type) {
		case *types.Pointer, *types.Interface:
		default:
			c.skip = "its result is neither a pointer nor an interface"
		}
	}
	docs := paramDocs(pkg, fd)
	for i := 0; i < sig.Params().Len(); i++ {
		v := sig.Params().At(i)
		if v.Name() == "" || v.Name() == "_" {
			c.skip = fmt.Sprintf("its parameter %d has no name", i)
		}
		c.params = append(c.params, param{goName: v.Name(), name: snakeCase(v.Name()), doc: docs[i], typ: v.Type()})
	}
	if c.skip == "" && sig.Params().Len() == 1 && !sig.Variadic() {
		if st, ok := sig.Params().At(0).Type().Underlying().(*types.Struct); ok {
			fields, err := structFields(pkg, sig.Params().At(0).Type(), st)
			if err != nil {
				c.skip = err.Error()
			}
			c.fields = fields
		}
	}
	if c.skip != "" {
		c.skip = fmt.Sprintf("%s:%d: %s is registered, but gets no generated tracking constructor (Register's reflection-based one serves it): %s", filepath.Base(pos.Filename), pos.Line, fn.Name(), c.skip)
	}
	return c
}

// sawRegistration notes a Register call of c: whether it passes Params,
// and the names when Params is given literal strings.
func (c *constructor) sawRegistration(pkg *packages.Package, call *ast.CallExpr) {
	c.registrations++
	for _, a := range call.Args[2:] {
		if !isCoreCall(pkg, a, "Params") {
			continue
		}
		c.withParams++
		if given, ok := literalStrings(ast.Unparen(a).(*ast.CallExpr).Args); ok {
			c.literalParams = append(c.literalParams, literalParams{names: given, pos: pkg.Fset.Position(a.Pos())})
		}
	}
}

// literalParams is a Params call with literal names, and where it is.
type literalParams struct {
	names []string
	pos   token.Position
}

// decideMode chooses the config-struct kind for a one-struct constructor
// unless every registration names its parameter with Params; for the
// positional kind, it warns of literal Params that disagree with the
// source, which Register will refuse.
func (c *constructor) decideMode() {
	c.structMode = c.fields != nil && c.withParams < c.registrations
	if c.structMode {
		return
	}
	source := make([]string, len(c.params))
	for i, p := range c.params {
		source[i] = p.name
	}
	for _, lp := range c.literalParams {
		if !slices.Equal(lp.names, source) {
			c.warnings = append(c.warnings, fmt.Sprintf("%s:%d: Params names %v, but the source of %s names %v: Register will refuse it; make them agree (rename the Go parameters, or drop Params)",
				filepath.Base(lp.pos.Filename), lp.pos.Line, lp.names, c.fn.Name(), source))
		}
	}
}

// literalStrings returns the values of args when all are string literals.
func literalStrings(args []ast.Expr) ([]string, bool) {
	out := make([]string, len(args))
	for i, a := range args {
		lit, ok := ast.Unparen(a).(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return nil, false
		}
		v, err := strconv.Unquote(lit.Value)
		if err != nil {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// isCoreCall reports whether e calls mlregistry's function name.
func isCoreCall(pkg *packages.Package, e ast.Expr, name string) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	return ok && coreFunc(pkg.TypesInfo, call.Fun) == name
}

// structFields describes a config struct's fields, named as encoding/json
// names them, with their comments when the struct is declared in pkg.
func structFields(pkg *packages.Package, t types.Type, st *types.Struct) ([]param, error) {
	docs := fieldDocs(pkg, t)
	var out []param
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if !f.Exported() {
			return nil, fmt.Errorf("config struct %s has the unexported field %s", t, f.Name())
		}
		name := f.Name()
		tag := reflect.StructTag(st.Tag(i)).Get("json")
		if tag == "-" {
			return nil, fmt.Errorf("config struct %s: field %s is tagged json:\"-\"", t, f.Name())
		}
		if j := strings.IndexByte(tag, ','); j >= 0 {
			tag = tag[:j]
		}
		if tag != "" {
			name = tag
		}
		out = append(out, param{goName: f.Name(), name: name, doc: docs[f.Name()], typ: f.Type()})
	}
	return out, nil
}

// fieldDocs returns the comments of the fields of the struct type t, by
// field name, when t is declared in pkg.
func fieldDocs(pkg *packages.Package, t types.Type) map[string]string {
	out := map[string]string{}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() != pkg.Types {
		return out
	}
	for _, f := range pkg.Syntax {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if pkg.TypesInfo.Defs[ts.Name] != named.Obj() {
					continue
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, fl := range st.Fields.List {
					doc := commentText(fl.Doc, fl.Comment)
					for _, n := range fl.Names {
						out[n.Name] = doc
					}
					if len(fl.Names) == 0 {
						out[embeddedName(fl.Type)] = doc
					}
				}
			}
		}
	}
	return out
}

// embeddedName is the field name of an embedded field's type expression.
func embeddedName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return embeddedName(t.X)
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return embeddedName(t.X)
	case *ast.IndexListExpr:
		return embeddedName(t.X)
	}
	return ""
}

// paramDocs returns the comment of each parameter of fd, by position:
// the comment on the lines just above it within the parameter list, else
// the one at the end of its line.
func paramDocs(pkg *packages.Package, fd *ast.FuncDecl) []string {
	list := fd.Type.Params
	var out []string
	var file *ast.File
	for _, f := range pkg.Syntax {
		if f.Pos() <= fd.Pos() && fd.End() <= f.End() {
			file = f
		}
	}
	line := func(p token.Pos) int { return pkg.Fset.Position(p).Line }
	for k, fl := range list.List {
		var above, after *ast.CommentGroup
		lo := list.Opening
		if k > 0 {
			lo = list.List[k-1].End()
		}
		hi := list.Closing
		if k+1 < len(list.List) {
			hi = list.List[k+1].Pos()
		}
		if file != nil {
			for _, cg := range file.Comments {
				switch {
				case cg.Pos() > lo && cg.End() < fl.Pos() && line(cg.End()) == line(fl.Pos())-1 && line(cg.Pos()) > line(lo):
					above = cg
				case cg.Pos() > fl.End() && cg.Pos() < hi && line(cg.Pos()) == line(fl.End()):
					after = cg
				}
			}
		}
		doc := commentText(above, after)
		n := max(len(fl.Names), 1)
		for range n {
			out = append(out, doc)
		}
	}
	return out
}

// commentText is a parameter's doc from its comment above, else at the
// end of its line, as one line.
func commentText(above, after *ast.CommentGroup) string {
	cg := above
	if cg == nil {
		cg = after
	}
	if cg == nil {
		return ""
	}
	return strings.Join(strings.Fields(cg.Text()), " ")
}

// paragraphs is a doc comment's text with each paragraph on one line,
// paragraphs separated by a blank line.
func paragraphs(text string) string {
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}
