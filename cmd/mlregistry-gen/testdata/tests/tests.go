// Package tests is a fixture of mlregistry-gen -tests: constructors
// declared in test files, of the package and of package tests_test.
package tests

import "github.com/mlregistry/mlregistry"

// Models is the fixture's registry.
var Models = mlregistry.New[any]()
