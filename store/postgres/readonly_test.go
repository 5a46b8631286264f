package postgres

import (
	"testing"

	"github.com/mlregistry/mlregistry/store/storetest"
)

func TestReadOnly(t *testing.T) {
	storetest.ReadOnly(t, newSchema, &dialect)
}
