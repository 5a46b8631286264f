package main

import "testing"

func TestSnakeCase(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"p", "p"},
		{"inputSize", "input_size"},
		{"hiddenSizes", "hidden_sizes"},
		{"weightDecay", "weight_decay"},
		{"HTTPPort", "http_port"},
		{"learningRateLR", "learning_rate_lr"},
		{"x2D", "x2_d"},
		{"already_snake", "already_snake"},
		{"größeMax", "größe_max"},
		{"ID", "id"},
	} {
		if got := snakeCase(c.in); got != c.want {
			t.Errorf("snakeCase(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestSymbolPrefix checks the import paths as the runtime spells them in
// function names.
func TestSymbolPrefix(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"github.com/mlregistry/mlregistry/ml", "github.com/mlregistry/mlregistry/ml"},
		{"example.com/v2.pkg", "example.com/v2%2epkg"},
		{"gopkg.in/yaml.v3", "gopkg.in/yaml%2ev3"},
		{"main", "main"},
	} {
		if got := symbolPrefix(c.in); got != c.want {
			t.Errorf("symbolPrefix(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
