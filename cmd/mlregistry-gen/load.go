package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// corePath is the import path of the mlregistry package.
const corePath = "github.com/mlregistry/mlregistry"

// The generated files' default names. Go initializes a package's variables
// in file-name order, and the generated variables must come before the
// package's own Register calls: the names sort before most files'.
const (
	defaultOutput      = "mlregistry_gen.go"
	defaultTestOutput  = "mlregistry_gen_test.go"
	defaultXTestOutput = "mlregistry_gen_x_test.go"
)

// unitKind is which files of a package a generated file serves.
type unitKind int

const (
	plainUnit unitKind = iota // the package's own files
	testUnit                  // its _test.go files of the same package
	xtestUnit                 // its _test.go files of package p_test
)

// unit is one generated file's worth: a package and the constructors
// registered in it.
type unit struct {
	kind  unitKind
	dir   string
	pkg   *packages.Package
	ctors []*constructor
	// early lists the package-level Register calls, by file, that Go runs
	// while initializing variables: their files must sort after the
	// generated one.
	early map[string]token.Position
	// notes say, for each registered constructor that gets no
	// generated one, why; and what Register will refuse.
	notes []string
}

// load loads the package in dir and finds its registered constructors:
// those of its own files, or with tests those of its test files.
func load(dir string, tests bool) ([]*unit, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("directory %s: %w", dir, err)
	}
	cfg := &packages.Config{
		Mode:  packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Dir:   abs,
		Tests: tests,
		// Generated files are read for their package clause only, so that
		// a stale or broken one never stops its own regeneration.
		ParseFile: func(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
			mode := parser.AllErrors | parser.ParseComments
			if bytes.HasPrefix(src, []byte(header)) {
				mode = parser.PackageClauseOnly
			}
			return parser.ParseFile(fset, filename, src, mode)
		},
	}
	pkgs, err := packages.Load(cfg, ".")
	if err != nil {
		return nil, fmt.Errorf("loading the package in %s: %w", abs, err)
	}
	var problems []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		generated := generatedFiles(p)
	errors:
		for _, e := range p.Errors {
			// The go command compiles the package with its generated files,
			// which are read here for their package clause only: what they
			// break is for this run to fix.
			for _, g := range generated {
				if e.Kind == packages.ListError && strings.Contains(e.Msg, g) {
					continue errors
				}
			}
			problems = append(problems, e.Error())
		}
	})
	if len(problems) > 0 {
		return nil, fmt.Errorf("the package in %s does not build, fix it first:\n\t%s", abs, strings.Join(problems, "\n\t"))
	}
	var units []*unit
	for _, p := range pkgs {
		kind, ok := unitKindOf(p, tests)
		if !ok {
			continue
		}
		u := &unit{kind: kind, dir: abs, pkg: p, early: map[string]token.Position{}}
		u.find()
		units = append(units, u)
	}
	if len(units) == 0 {
		return nil, fmt.Errorf("no Go package in %s", abs)
	}
	sort.Slice(units, func(i, j int) bool { return units[i].kind < units[j].kind })
	return units, nil
}

// generatedFiles returns the base names of p's files that mlregistry-gen
// wrote.
func generatedFiles(p *packages.Package) []string {
	var out []string
	for _, f := range p.GoFiles {
		if src, err := os.ReadFile(f); err == nil && bytes.HasPrefix(src, []byte(header)) {
			out = append(out, filepath.Base(f))
		}
	}
	return out
}

// unitKindOf tells which unit a loaded package is, and whether it is one
// to generate for.
func unitKindOf(p *packages.Package, tests bool) (unitKind, bool) {
	switch {
	case strings.HasSuffix(p.ID, ".test"):
		return 0, false // the test main
	case !tests:
		return plainUnit, !strings.Contains(p.ID, " [")
	case strings.HasSuffix(p.PkgPath, "_test"):
		return xtestUnit, true
	case strings.Contains(p.ID, " ["):
		return testUnit, true
	}
	return 0, false
}

// declares reports whether the file at filename holds declarations the
// unit generates for.
func (u *unit) declares(filename string) bool {
	if u.kind == testUnit {
		return strings.HasSuffix(filename, "_test.go")
	}
	return true
}

// find collects the constructors of the unit's Register calls.
func (u *unit) find() {
	decls := map[*types.Func]*ast.FuncDecl{}
	for _, f := range u.pkg.Syntax {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				if fn, ok := u.pkg.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					decls[fn] = fd
				}
			}
		}
	}
	byFunc := map[*types.Func]*constructor{}
	for _, f := range u.pkg.Syntax {
		filename := u.pkg.Fset.File(f.Pos()).Name()
		if !u.declares(filename) {
			continue
		}
		u.inspect(f, func(call *ast.CallExpr, early bool) {
			fn, fd := u.constructorOf(call, decls)
			if fn == nil {
				return
			}
			if early {
				if _, seen := u.early[filename]; !seen {
					u.early[filename] = u.pkg.Fset.Position(call.Pos())
				}
			}
			c := byFunc[fn]
			if c == nil {
				c = newConstructor(u.pkg, fn, fd)
				byFunc[fn] = c
				if c.skip != "" {
					u.notes = append(u.notes, c.skip)
				} else {
					u.ctors = append(u.ctors, c)
				}
			}
			c.sawRegistration(u.pkg, call)
		})
	}
	for _, c := range u.ctors {
		c.decideMode()
		u.notes = append(u.notes, c.warnings...)
	}
	sort.Slice(u.ctors, func(i, j int) bool { return u.ctors[i].fn.Name() < u.ctors[j].fn.Name() })
	sort.Strings(u.notes)
}

// inspect calls visit for every call of Register or TryRegister in f,
// telling whether it runs while package variables are initialized (in a
// package-level variable's initializer, outside any function literal).
func (u *unit) inspect(f *ast.File, visit func(call *ast.CallExpr, early bool)) {
	for _, d := range f.Decls {
		early := false
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
			early = true
		}
		depth := 0
		var stack []ast.Node
		ast.Inspect(d, func(n ast.Node) bool {
			if n == nil {
				if _, ok := stack[len(stack)-1].(*ast.FuncLit); ok {
					depth--
				}
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			switch n := n.(type) {
			case *ast.FuncLit:
				depth++
			case *ast.CallExpr:
				if u.isRegister(n.Fun) {
					visit(n, early && depth == 0)
				}
			}
			return true
		})
	}
}

// isRegister reports whether fun names mlregistry.Register or
// TryRegister.
func (u *unit) isRegister(fun ast.Expr) bool {
	n := coreFunc(u.pkg.TypesInfo, fun)
	return n == "Register" || n == "TryRegister"
}

// coreFunc returns the name of the mlregistry function that fun names
// (explicitly instantiated or not), or "".
func coreFunc(info *types.Info, fun ast.Expr) string {
	switch e := fun.(type) {
	case *ast.IndexExpr:
		fun = e.X
	case *ast.IndexListExpr:
		fun = e.X
	}
	var id *ast.Ident
	switch e := ast.Unparen(fun).(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
	default:
		return ""
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != corePath {
		return ""
	}
	return fn.Name()
}

// constructorOf returns the constructor a Register call registers, when
// it is a function declared in the unit's files, or nil: a func literal,
// a variable or a method value keeps the reflection-based path.
func (u *unit) constructorOf(call *ast.CallExpr, decls map[*types.Func]*ast.FuncDecl) (*types.Func, *ast.FuncDecl) {
	if len(call.Args) < 2 {
		return nil, nil
	}
	id, ok := ast.Unparen(call.Args[1]).(*ast.Ident)
	if !ok {
		return nil, nil
	}
	fn, ok := u.pkg.TypesInfo.Uses[id].(*types.Func)
	if !ok || fn.Pkg() != u.pkg.Types {
		return nil, nil
	}
	fd := decls[fn]
	if fd == nil || !u.declares(u.pkg.Fset.File(fd.Pos()).Name()) {
		return nil, nil
	}
	return fn, fd
}
