package storetest

import (
	"context"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

func testReopen(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	url := newURL(t)
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	c := NewComponent("dataset", "MNIST", "reopen")
	if err := s.PutComponents(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := open(t, url)
	if _, err := s2.Component(ctx, c.Hash); err != nil {
		t.Errorf("after reopening: %v", err)
	}
}
