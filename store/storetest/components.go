package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlregistry/mlregistry/store"
)

func testPutAndGet(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	c := NewComponent("model", "Perceptron", "a")
	before := time.Now().Add(-time.Second)
	if err := s.PutComponents(ctx, c); err != nil {
		t.Fatalf("PutComponents: %v", err)
	}
	got, err := s.Component(ctx, c.Hash)
	if err != nil {
		t.Fatalf("Component(%s): %v", c.Hash, err)
	}
	if got.Hash != c.Hash || got.Name != "Perceptron" || got.Kind != "model" {
		t.Errorf("Component = %s %q %q, want %s Perceptron model", got.Hash, got.Name, got.Kind, c.Hash)
	}
	if !bytes.Equal(got.Envelope, c.Envelope) {
		t.Errorf("envelope changed:\n got %s\nwant %s", got.Envelope, c.Envelope)
	}
	if got.FirstSeen.Before(before) || got.LastSeen.Before(got.FirstSeen) {
		t.Errorf("FirstSeen %v, LastSeen %v: want both after %v, in order", got.FirstSeen, got.LastSeen, before)
	}

	// Recording again moves LastSeen, keeps FirstSeen and the envelope.
	time.Sleep(5 * time.Millisecond)
	again := c
	again.Envelope = append(slices.Clone(c.Envelope[:len(c.Envelope)-1]), []byte(`,"extra":1}`)...)
	if err := s.PutComponents(ctx, again, again); err != nil {
		t.Fatalf("PutComponents again (twice in one batch): %v", err)
	}
	got2, err := s.Component(ctx, c.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if !got2.FirstSeen.Equal(got.FirstSeen) || !got2.LastSeen.After(got.LastSeen) {
		t.Errorf("after re-recording: FirstSeen %v→%v (want same), LastSeen %v→%v (want later)",
			got.FirstSeen, got2.FirstSeen, got.LastSeen, got2.LastSeen)
	}
	if !bytes.Equal(got2.Envelope, c.Envelope) {
		t.Errorf("re-recording replaced the envelope: got %s", got2.Envelope)
	}

	// Missing.
	_, err = s.Component(ctx, HashOf("missing"))
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Component(missing) error = %v, want ErrNotFound", err)
	}
}

func testPutValidates(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	good := NewComponent("model", "Perceptron", "good")
	tests := []struct {
		name string
		c    store.Component
		want string
	}{
		{"EnvelopeNotJSON", store.Component{Hash: HashOf("x"), Envelope: []byte(`{"name":`)}, "not a JSON object"},
		{"EnvelopeArray", store.Component{Hash: HashOf("x"), Envelope: []byte(`[1]`)}, "not a JSON object"},
		{"NoHash", store.Component{Envelope: []byte(`{"name":"X"}`)}, "hash must be 32 lowercase hex"},
		{"UppercaseHash", store.Component{Hash: strings.ToUpper(HashOf("x")), Envelope: []byte(`{"name":"X"}`)}, "32 lowercase hex"},
		{"HashDisagrees", store.Component{Hash: HashOf("other"), Envelope: good.Envelope}, "envelope's \"hash\""},
		{"NameDisagrees", store.Component{Name: "MLP", Envelope: good.Envelope}, "envelope's \"name\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A bad component fails the whole batch: the good one is not recorded either.
			err := s.PutComponents(ctx, good, tt.c)
			if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("PutComponents error = %v, want ErrInvalid saying %q", err, tt.want)
			}
			if _, err := s.Component(ctx, good.Hash); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("after a failed batch, Component(good) error = %v, want ErrNotFound", err)
			}
		})
	}
}

func testPrefix(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	mk := func(hash, name string) store.Component {
		return store.Component{Hash: hash, Envelope: Envelope("model", name, hash, nil)}
	}
	a := mk("abcd0000000000000000000000000001", "A")
	b := mk("abcd0000000000000000000000000002", "B")
	c := mk("abce0000000000000000000000000003", "C")
	f := mk("ffff0000000000000000000000000004", "F")
	if err := s.PutComponents(ctx, a, b, c, f); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		prefix string
		want   string // hash, or "" for an error
		err    error
	}{
		{"abce", c.Hash, nil},
		{"ABCE", c.Hash, nil},
		{"  abce ", c.Hash, nil},
		{"ffff", f.Hash, nil},
		{"abcd00000000000000000000000000", "", store.ErrAmbiguous},
		{"abcd", "", store.ErrAmbiguous},
		{"abcd0000000000000000000000000002", b.Hash, nil},
		{"abcf", "", store.ErrNotFound},
		{"0000", "", store.ErrNotFound},
		{"abc", "", store.ErrInvalid},
		{"abcz", "", store.ErrInvalid},
		{"abcd00000000000000000000000000021", "", store.ErrInvalid},
	}
	for _, tt := range tests {
		got, err := s.Component(ctx, tt.prefix)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Component(%q) error = %v, want %v", tt.prefix, err, tt.err)
			}
			continue
		}
		if err != nil || got.Hash != tt.want {
			t.Errorf("Component(%q) = %s, %v; want %s", tt.prefix, got.Hash, err, tt.want)
		}
	}
	_, err := s.Component(ctx, "abcd")
	var amb *store.AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("Component(abcd) error = %v, want *AmbiguousError", err)
	}
	if len(amb.Candidates) != 2 || !strings.HasPrefix(amb.Candidates[0], a.Hash) || !strings.HasPrefix(amb.Candidates[1], b.Hash) {
		t.Errorf("candidates = %q, want %s and %s", amb.Candidates, a.Hash, b.Hash)
	}
	if !strings.Contains(err.Error(), a.Hash) {
		t.Errorf("error %q does not list the candidates", err)
	}
}

func testListPaginated(t *testing.T, newURL NewURL) {
	ctx := context.Background()
	s := open(t, newURL(t))
	var all []store.Component
	for i := range 120 {
		kind, name := "model", "Perceptron"
		switch i % 3 {
		case 1:
			kind, name = "optimizer", "Adam"
		case 2:
			kind, name = "optimizer", "SGD"
		}
		all = append(all, NewComponent(kind, name, seedf("%d", i)))
	}
	if err := s.PutComponents(ctx, all...); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		filter store.ComponentFilter
		want   int
	}{
		{store.ComponentFilter{}, 120},
		{store.ComponentFilter{Name: "Perceptron"}, 40},
		{store.ComponentFilter{Kind: "optimizer"}, 80},
		{store.ComponentFilter{Kind: "optimizer", Name: "SGD"}, 40},
		{store.ComponentFilter{Kind: "model", Name: "SGD"}, 0},
		{store.ComponentFilter{Name: "Nope"}, 0},
	}
	for _, tt := range tests {
		for _, limit := range []int{0, 1, 7, 40, 1000} {
			f := tt.filter
			f.Limit = limit
			var got []store.Component
			pages := 0
			for {
				page, err := s.Components(ctx, f)
				if err != nil {
					t.Fatalf("Components(%+v): %v", f, err)
				}
				pages++
				if limit > 0 && len(page.Components) > limit {
					t.Fatalf("Components(%+v): page of %d", f, len(page.Components))
				}
				got = append(got, page.Components...)
				if page.Next == "" {
					break
				}
				if pages > 200 {
					t.Fatalf("Components(%+v): does not end", f)
				}
				f.After = page.Next
			}
			if len(got) != tt.want {
				t.Errorf("Components(%+v) listed %d, want %d", tt.filter, len(got), tt.want)
			}
			sorted := slices.IsSortedFunc(got, func(a, b store.Component) int { return strings.Compare(a.Name, b.Name) })
			if !sorted {
				t.Errorf("Components(%+v, limit %d): not ordered by name", tt.filter, limit)
			}
			seen := map[string]bool{}
			for _, c := range got {
				if seen[c.Hash] {
					t.Errorf("Components(%+v, limit %d): %s listed twice", tt.filter, limit, c.Hash)
				}
				seen[c.Hash] = true
			}
			for _, c := range got {
				if tt.filter.Name != "" && c.Name != tt.filter.Name || tt.filter.Kind != "" && c.Kind != tt.filter.Kind {
					t.Errorf("Components(%+v) listed %s %s", tt.filter, c.Kind, c.Name)
				}
			}
		}
	}
	for _, bad := range []store.ComponentFilter{{Limit: -1}, {Limit: store.MaxLimit + 1}, {After: "nope"}} {
		if _, err := s.Components(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Components(%+v) error = %v, want ErrInvalid", bad, err)
		}
	}
}
