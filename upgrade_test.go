package mlregistry_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// Momentum is an optimizer whose version 2 renamed learning_rate to lr and
// added nesterov.
type Momentum struct {
	LR, Beta float64
	Nesterov bool
}

func (m *Momentum) Rate() float64 { return m.LR }

// momentumV1 is the program that wrote old documents.
func momentumV1(t *testing.T) (*mlregistry.Registry[Opt], func(params []float64, lr, beta float64) *Momentum) {
	reg := mlregistry.New[Opt](mlregistry.Kind("optimizer"), mlregistry.ExcludePositions(0))
	f := mlregistry.Register(reg, func(params []float64, lr, beta float64) *Momentum { return &Momentum{LR: lr, Beta: beta} },
		mlregistry.Name("Momentum"), mlregistry.Params("params", "learning_rate", "beta"), mlregistry.Defaults(mlregistry.Kwargs{"beta": 0.9}))
	return reg, f
}

// momentumV2 is today's program.
func momentumV2(t *testing.T, opts ...mlregistry.Option) *mlregistry.Registry[Opt] {
	reg := mlregistry.New[Opt](mlregistry.Kind("optimizer"), mlregistry.ExcludePositions(0))
	opts = append([]mlregistry.Option{
		mlregistry.Name("Momentum"), mlregistry.Params("params", "lr", "beta", "nesterov"),
		mlregistry.Defaults(mlregistry.Kwargs{"beta": 0.9, "nesterov": false}),
		mlregistry.Version(2),
		mlregistry.UpgradeFrom(1, func(old mlregistry.Kwargs) (mlregistry.Kwargs, error) {
			lr, ok := old["learning_rate"].(float64)
			if !ok {
				return nil, fmt.Errorf("learning_rate is %T, want float64", old["learning_rate"])
			}
			delete(old, "learning_rate")
			old["lr"] = lr
			return old, nil
		}),
	}, opts...)
	mlregistry.Register(reg, func(params []float64, lr, beta float64, nesterov bool) *Momentum {
		return &Momentum{lr, beta, nesterov}
	}, opts...)
	return reg
}

func TestRebuildUpgrades(t *testing.T) {
	_, v1 := momentumV1(t)
	old := mustJSON(t, v1(nil, 0.05, 0.8))
	reg := momentumV2(t)
	got, err := reg.Rebuild(mustDecode(t, old), mlregistry.Kwargs{"params": []float64{1}})
	if err != nil {
		t.Fatal(err)
	}
	if m := got.(*Momentum); m.LR != 0.05 || m.Beta != 0.8 || m.Nesterov {
		t.Errorf("upgraded to %+v", m)
	}
	md, _ := mlregistry.MetadataOf(got)
	if md.Version != 2 {
		t.Errorf("version %d", md.Version)
	}
	// Its hash is the current one: what today's program gives for the
	// upgraded arguments.
	want, err := reg.Call("Momentum", []any{[]float64{1}}, mlregistry.Kwargs{"lr": 0.05, "beta": 0.8, "nesterov": false})
	if err != nil {
		t.Fatal(err)
	}
	if hashOf(t, got) != hashOf(t, want) {
		t.Errorf("upgraded hash %s, want %s", hashOf(t, got), hashOf(t, want))
	}
	// The upgraded component's document rebuilds as any other.
	again, err := reg.Rebuild(mustDecode(t, mustJSON(t, got)), mlregistry.Kwargs{"params": []float64{}})
	if err != nil || hashOf(t, again) != hashOf(t, got) {
		t.Errorf("rebuild of the upgraded: %v", err)
	}
}

func TestRebuildUpgradeProblems(t *testing.T) {
	_, v1 := momentumV1(t)
	old := string(mustJSON(t, v1(nil, 0.05, 0.8)))
	rt := mlregistry.Kwargs{"params": []float64{}}
	cases := []struct {
		name string
		reg  *mlregistry.Registry[Opt]
		doc  string
		path string
		is   error
		want string
	}{
		{"old hash verified", momentumV2(t),
			strings.Replace(strings.Replace(old, `"args":[0.05`, `"args":[0.5`, 1), `"learning_rate":0.05`, `"learning_rate":0.5`, 1),
			"hash", mlregistry.ErrTampered, "edited"},
		{"missing upgrade", momentumV2(t, mlregistry.Version(3)), old, "version", mlregistry.ErrIncompatible, "no upgrade from version 2"},
		{"failing upgrade", momentumV2(t, mlregistry.UpgradeFrom(1, func(mlregistry.Kwargs) (mlregistry.Kwargs, error) {
			return nil, errors.New("cannot")
		})), old, "version", nil, "cannot"},
		{"panicking upgrade", momentumV2(t, mlregistry.UpgradeFrom(1, func(mlregistry.Kwargs) (mlregistry.Kwargs, error) {
			panic("boom")
		})), old, "version", nil, "boom"},
		{"upgrade leaves an unknown parameter", momentumV2(t, mlregistry.UpgradeFrom(1, func(kw mlregistry.Kwargs) (mlregistry.Kwargs, error) {
			return kw, nil
		})), old, "arguments.learning_rate", mlregistry.ErrInvalid, `has no parameter "learning_rate"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.reg.Rebuild(mustDecode(t, []byte(c.doc)), rt)
			var ve *mlregistry.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v", err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("does not match %v: %v", c.is, err)
			}
			found := false
			for _, p := range ve.Problems {
				found = found || p.Path == c.path && strings.Contains(p.Message, c.want)
			}
			if !found {
				t.Errorf("no problem at %q saying %q: %v", c.path, c.want, err)
			}
		})
	}
}

// An old document whose signature has types of its program cannot have
// its hash recomputed; it is upgraded all the same.
func TestRebuildUpgradeUnverifiable(t *testing.T) {
	type rate float64
	reg1 := mlregistry.New[Opt]()
	f := mlregistry.Register(reg1, func(r rate) *Momentum { return &Momentum{LR: float64(r)} }, mlregistry.Name("M"), mlregistry.Params("r"))
	doc := strings.Replace(string(mustJSON(t, f(0.5))), "0.5", "0.25", -1) // edited: cannot be told
	reg2 := mlregistry.New[Opt]()
	mlregistry.Register(reg2, func(r rate) *Momentum { return &Momentum{LR: float64(r)} }, mlregistry.Name("M"), mlregistry.Params("r"),
		mlregistry.Version(2), mlregistry.UpgradeFrom(1, func(kw mlregistry.Kwargs) (mlregistry.Kwargs, error) { return kw, nil }))
	got, err := reg2.Rebuild(mustDecode(t, []byte(doc)), nil)
	if err != nil || got.(*Momentum).LR != 0.25 {
		t.Errorf("got %v, %v", got, err)
	}
}
