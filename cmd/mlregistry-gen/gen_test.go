package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the generator's output")

// fixture copies testdata/name into a fresh module that requires this
// repository's mlregistry, and returns the package's directory.
func fixture(t *testing.T, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a fixture module with the go command; skipped with -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	dir := filepath.Join(mod, name)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatal(err)
	}
	gomod := "module fixture\n\ngo 1.26.5\n\nrequire github.com/mlregistry/mlregistry v0.0.0\n\nreplace github.com/mlregistry/mlregistry => " + root + "\n"
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for file, data := range map[string][]byte{"go.mod": []byte(gomod), "go.sum": sum} {
		if err := os.WriteFile(filepath.Join(mod, file), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOWORK", "off")
	return dir
}

// generate runs the command on dir, failing the test on an error.
func generate(t *testing.T, dir string, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	if err := run(append([]string{"-dir", dir}, args...), &out, &errs); err != nil {
		t.Fatalf("mlregistry-gen %s: %v\n%s", strings.Join(args, " "), err, errs.String())
	}
	return out.String(), errs.String()
}

// goTest runs the fixture's tests, with extra environment.
func goTest(t *testing.T, dir string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("go", "test", "-count=1", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// golden compares got with testdata/name.golden.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("generated file differs from %s (go test -update rewrites it):\n%s", path, got)
	}
}

// TestPositional generates for positional constructors — variadic, named
// scalar types, an interface result, one returning an error, doc and
// line comments — and runs the fixture's tests against the result.
func TestPositional(t *testing.T) {
	dir := fixture(t, "positional")
	stdout, stderr := generate(t, dir)
	if !strings.Contains(stdout, "(4 constructors)") {
		t.Errorf("stdout = %q, want it to say 4 constructors were written", stdout)
	}
	for _, want := range []string{
		"models.go:80: newAnonymous is registered, but gets no generated tracking constructor (Register's reflection-based one serves it): its parameter 0 has no name",
		"models.go:100: Params names [m l], but the source of newLabeled names [mode label]: Register will refuse it",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr = %q, want it to say %q", stderr, want)
		}
	}
	src, err := os.ReadFile(filepath.Join(dir, defaultOutput))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "positional", src)
	for _, banned := range []string{"reflect.", "MakeFunc"} {
		if bytes.Contains(src, []byte(banned)) {
			t.Errorf("the generated file mentions %s", banned)
		}
	}
	// Generating again changes nothing.
	if stdout, _ := generate(t, dir); stdout != "" {
		t.Errorf("second run: %q, want no file written", stdout)
	}
	if out, err := goTest(t, dir); err != nil {
		t.Fatalf("the fixture's tests, generated: %v\n%s", err, out)
	}
}

// TestConfigStruct generates for a config-struct constructor with field
// comments and a json tag, and runs the fixture's tests.
func TestConfigStruct(t *testing.T) {
	dir := fixture(t, "configstruct")
	generate(t, dir)
	src, err := os.ReadFile(filepath.Join(dir, defaultOutput))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "configstruct", src)
	if out, err := goTest(t, dir); err != nil {
		t.Fatalf("the fixture's tests, generated: %v\n%s", err, out)
	}
}

// TestStale changes a constructor's signature after generating: Register
// must report the stale file and say to run go generate.
func TestStale(t *testing.T) {
	dir := fixture(t, "stale")
	generate(t, dir)
	if out, err := goTest(t, dir); err != nil {
		t.Fatalf("fresh: %v\n%s", err, out)
	}
	path := filepath.Join(dir, "stale.go")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src = bytes.Replace(src, []byte("func newLinear(in, out int) *Linear { return &Linear{In: in, Out: out} }"),
		[]byte("func newLinear(in, out int, bias bool) *Linear { return &Linear{In: in, Out: out} }"), 1)
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	want := "mlregistry: Register at stale/stale.go:19: fixture/stale.newLinear is func(int, int, bool) *stale.Linear, but mlregistry_gen.go was generated for func(in int, out int) *Linear; the generated file is out of date: run go generate in the constructor's package (or build with -tags mlregistry_nogen)"
	if out, err := goTest(t, dir, "WANT_ERR="+want); err != nil {
		t.Fatalf("stale: %v\n%s", err, out)
	}
	// Regenerated, it works again — even from a generated file that no
	// longer compiles.
	gen := filepath.Join(dir, defaultOutput)
	broken, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gen, append(broken, "var _ = removedType{}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	generate(t, dir)
	if out, err := goTest(t, dir); err != nil {
		t.Fatalf("regenerated: %v\n%s", err, out)
	}
}

// TestOrder refuses to write a file that Go would initialize after a
// package-level Register call.
func TestOrder(t *testing.T) {
	dir := fixture(t, "order")
	var out, errs bytes.Buffer
	err := run([]string{"-dir", dir}, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "a_models.go:13") || !strings.Contains(err.Error(), "-o 0_mlregistry_gen.go") {
		t.Fatalf("err = %v, want the early call's file:line and the fix", err)
	}
	generate(t, dir, "-o", "0_mlregistry_gen.go")
	path := filepath.Join(dir, "0_mlregistry_gen.go")
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	// With no registered constructor left, the generated file goes.
	src := filepath.Join(dir, "a_models.go")
	if err := os.WriteFile(src, []byte("package order\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr := generate(t, dir, "-o", "0_mlregistry_gen.go"); !strings.Contains(stderr, "removed") {
		t.Errorf("stderr = %q, want it to say the file was removed", stderr)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s still exists (%v)", path, err)
	}
}

// TestTests generates with -tests for the constructors of a package's
// test files: one file for package p's, one for package p_test's.
func TestTests(t *testing.T) {
	dir := fixture(t, "tests")
	stdout, _ := generate(t, dir, "-tests")
	for _, want := range []string{defaultTestOutput + " (1 constructor)", defaultXTestOutput + " (1 constructor)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout = %q, want it to say %q", stdout, want)
		}
	}
	for file, pkg := range map[string]string{defaultTestOutput: "package tests\n", defaultXTestOutput: "package tests_test\n"} {
		src, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(src, []byte(pkg)) {
			t.Errorf("%s lacks %q", file, pkg)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, defaultOutput)); err == nil {
		t.Errorf("-tests wrote %s", defaultOutput)
	}
	if out, err := goTest(t, dir); err != nil {
		t.Fatalf("the fixture's tests, generated: %v\n%s", err, out)
	}
}

// TestUsage checks that misuse is reported, never panics.
func TestUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-dir", filepath.Join(t.TempDir(), "missing")}, "loading the package"},
	} {
		var out, errs bytes.Buffer
		err := run(c.args, &out, &errs)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
}
