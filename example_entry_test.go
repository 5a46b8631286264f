package mlregistry_test

import (
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry"
)

// MLPConfig is the Go config-struct idiom: the constructor's only
// parameter is a struct, whose fields are the parameters.
type MLPConfig struct {
	InputSize int     `json:"input_size"`
	Hidden    []int   `json:"hidden"`
	Dropout   float64 `json:"dropout"`
}

// MLP is a model built from an MLPConfig; it embeds Tracked, the fast path.
type MLP struct {
	mlregistry.Tracked
	cfg MLPConfig
}

// NewMLP builds an MLP.
func NewMLP(cfg MLPConfig) (*MLP, error) {
	if cfg.InputSize <= 0 {
		return nil, errors.New("input_size must be positive")
	}
	return &MLP{cfg: cfg}, nil
}

// A constructor taking one config struct needs no Params: the struct's
// fields, named as encoding/json names them, are the parameters.
func ExampleRegister_configStruct() {
	models := mlregistry.New[any](mlregistry.Kind("model"))
	newMLP := mlregistry.Register(models, NewMLP, mlregistry.Defaults(mlregistry.Kwargs{"dropout": 0.1}))

	mlp, _ := newMLP(MLPConfig{InputSize: 784, Hidden: []int{256, 128}, Dropout: 0.1})
	md, _ := mlregistry.MetadataOf(mlp)
	fmt.Println(md.Name, md.Signature)
	fmt.Println(md.Kwargs)

	// By name, from JSON-like values; the default fills dropout in.
	same, _ := models.Call("MLP", nil, mlregistry.Kwargs{"input_size": 784.0, "hidden": []any{256.0, 128.0}})
	h1, _ := mlregistry.HashOf(mlp)
	h2, _ := mlregistry.HashOf(same)
	fmt.Println(h1 == h2)

	// The constructor's own error comes back wrapped.
	_, err := models.Call("MLP", nil, mlregistry.Kwargs{"input_size": 0, "hidden": nil})
	var ce *mlregistry.ConstructorError
	fmt.Println(errors.As(err, &ce), err)
	// Output:
	// MLP {input_size: int, hidden: []int, dropout: float64}
	// map[dropout:0.1 hidden:[256 128] input_size:784]
	// true
	// true constructor of MLP failed: input_size must be positive
}

// Every problem in the arguments is reported at once, each with its path.
func ExampleValidationError() {
	models := mlregistry.New[any]()
	mlregistry.Register(models, NewMLP)
	_, err := models.Call("MLP", nil, mlregistry.Kwargs{"input_size": 784.5, "hiden": []int{1}})
	var ve *mlregistry.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// hiden: MLP has no parameter "hiden" (did you mean "hidden"?); parameters are [input_size hidden dropout]
	// input_size: expected int, got float64 784.5 (not a whole number)
	// hidden: missing required parameter "hidden" ([]int)
	// dropout: missing required parameter "dropout" (float64)
}

// HashScheme(PyCompat) reproduces the Python library's hashes.
func ExampleHashScheme() {
	py := mlregistry.New[any](mlregistry.HashScheme(mlregistry.PyCompat))
	newLinear := mlregistry.Register(py, func(in, out int) *Perceptron { return &Perceptron{InputSize: in, OutputSize: out} },
		mlregistry.Name("Linear"), mlregistry.Params("in_features", "out_features"))
	h, _ := mlregistry.HashOf(newLinear(3, 4))
	fmt.Println(h) // md5("Linear" + `{"in_features": 3, "out_features": 4}`), as Python computes it
	// Output:
	// de64545902a31bad6ae268106beb6387
}
