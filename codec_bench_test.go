package mlregistry_test

import (
	"encoding/json"
	"testing"

	"github.com/mlregistry/mlregistry"
)

// Targets (issue 4): Marshal + Unmarshal + Rebuild of a 5-parameter
// component ≤ 10 µs; of a 4-component pipeline document ≤ 50 µs.
//
//	go test -run '^$' -bench 'Codec|Rebuild' -benchmem -count 5 .

// mlp5 is a component with five parameters, the seed's Perceptron shape.
// Like the components of package ml, the benchmarks' components embed
// Tracked.
type mlp5 struct {
	mlregistry.Tracked
	in, hidden, out int
	p               float64
	bias            bool
}

func (m *mlp5) Forward(x float64) float64 { return x }

func benchModels(b *testing.B) (*mlregistry.Registry[Net], func(in, hidden, out int, p float64, bias bool) *mlp5) {
	models := mlregistry.New[Net](mlregistry.Kind("model"))
	f := mlregistry.Register(models, func(in, hidden, out int, p float64, bias bool) *mlp5 {
		return &mlp5{in: in, hidden: hidden, out: out, p: p, bias: bias}
	},
		mlregistry.Name("Perceptron"), mlregistry.Params("input_size", "hidden_size", "output_size", "p", "bias"),
		mlregistry.Defaults(mlregistry.Kwargs{"p": 0.5, "bias": true}))
	return models, f
}

func BenchmarkCodecRoundTrip5(b *testing.B) {
	models, newPerceptron := benchModels(b)
	x, err := models.Call("Perceptron", []any{784, 256, 10}, mlregistry.Kwargs{"p": 0.5, "bias": true})
	if err != nil {
		b.Fatal(err)
	}
	_ = newPerceptron
	md, _ := mlregistry.MetadataOf(x)
	b.ReportAllocs()
	for b.Loop() {
		data, err := json.Marshal(md)
		if err != nil {
			b.Fatal(err)
		}
		var back mlregistry.Metadata
		if err := json.Unmarshal(data, &back); err != nil {
			b.Fatal(err)
		}
		if _, err := models.Rebuild(back, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCodecMarshal5(b *testing.B) {
	_, newPerceptron := benchModels(b)
	md, _ := mlregistry.MetadataOf(newPerceptron(784, 256, 10, 0.5, true))
	for b.Loop() {
		if _, err := json.Marshal(md); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCodecUnmarshal5(b *testing.B) {
	_, newPerceptron := benchModels(b)
	md, _ := mlregistry.MetadataOf(newPerceptron(784, 256, 10, 0.5, true))
	data, _ := json.Marshal(md)
	for b.Loop() {
		var back mlregistry.Metadata
		if err := back.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRebuild5(b *testing.B) {
	models, newPerceptron := benchModels(b)
	md, _ := mlregistry.MetadataOf(newPerceptron(784, 256, 10, 0.5, true))
	data, _ := json.Marshal(md)
	var back mlregistry.Metadata
	if err := json.Unmarshal(data, &back); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := models.Rebuild(back, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// pipelineDoc is a training pipeline saved as one JSON object of four
// envelopes, by role.
type pipelineDoc struct {
	Model     mlregistry.Metadata `json:"model"`
	Criterion mlregistry.Metadata `json:"criterion"`
	Optimizer mlregistry.Metadata `json:"optimizer"`
	Dataset   mlregistry.Metadata `json:"dataset"`
}

// benchSGD and benchDigits are an optimizer and a dataset with runtime
// inputs, embedding Tracked.
type (
	benchSGD struct {
		mlregistry.Tracked
		params       []float64
		lr, momentum float64
	}
	benchDigits struct {
		mlregistry.Tracked
		root  string
		train bool
	}
)

func (s *benchSGD) Rate() float64 { return s.lr }
func (d *benchDigits) Size() int  { return 1797 }

func BenchmarkCodecPipeline4(b *testing.B) {
	models, newPerceptron := benchModels(b)
	criterions := mlregistry.New[Loss](mlregistry.Kind("criterion"))
	optimizers := mlregistry.New[Opt](mlregistry.Kind("optimizer"), mlregistry.ExcludePositions(0))
	datasets := mlregistry.New[Data](mlregistry.Kind("dataset"), mlregistry.ExcludeParams("root"))
	newMSE := mlregistry.Register(criterions, func(c MSEConfig) *MSE { return &MSE{Reduction: c.Reduction} }, mlregistry.Name("MSELoss"))
	newSGD := mlregistry.Register(optimizers, func(params []float64, lr, momentum float64) *benchSGD {
		return &benchSGD{params: params, lr: lr, momentum: momentum}
	}, mlregistry.Name("SGD"), mlregistry.Params("params", "lr", "momentum"), mlregistry.Defaults(mlregistry.Kwargs{"momentum": 0.0}))
	newDigits := mlregistry.Register(datasets, func(root string, train bool) *benchDigits { return &benchDigits{root: root, train: train} },
		mlregistry.Name("Digits"), mlregistry.Params("root", "train"), mlregistry.Defaults(mlregistry.Kwargs{"train": true}))
	if err := mlregistry.Link(models, criterions, optimizers, datasets); err != nil {
		b.Fatal(err)
	}
	var doc pipelineDoc
	doc.Model, _ = mlregistry.MetadataOf(newPerceptron(784, 256, 10, 0.5, true))
	doc.Criterion, _ = mlregistry.MetadataOf(newMSE(MSEConfig{Reduction: "mean", Weight: 1}))
	doc.Optimizer, _ = mlregistry.MetadataOf(newSGD(nil, 1e-3, 0.9))
	doc.Dataset, _ = mlregistry.MetadataOf(newDigits("/data", true))
	params := mlregistry.Kwargs{"params": []float64{1, 2, 3}}
	root := mlregistry.Kwargs{"root": "/data"}
	b.ReportAllocs()
	for b.Loop() {
		data, err := json.Marshal(doc)
		if err != nil {
			b.Fatal(err)
		}
		var back pipelineDoc
		if err := json.Unmarshal(data, &back); err != nil {
			b.Fatal(err)
		}
		if _, err := models.Rebuild(back.Model, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := criterions.Rebuild(back.Criterion, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := optimizers.Rebuild(back.Optimizer, params); err != nil {
			b.Fatal(err)
		}
		if _, err := datasets.Rebuild(back.Dataset, root); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCodecRoundTrip5Direct is BenchmarkCodecRoundTrip5 calling the
// codec's methods directly, without encoding/json's second pass over the
// document (Marshal compacts a Marshaler's output, Unmarshal checks its
// input before handing it on).
func BenchmarkCodecRoundTrip5Direct(b *testing.B) {
	models, _ := benchModels(b)
	x, err := models.Call("Perceptron", []any{784, 256, 10}, mlregistry.Kwargs{"p": 0.5, "bias": true})
	if err != nil {
		b.Fatal(err)
	}
	md, _ := mlregistry.MetadataOf(x)
	b.ReportAllocs()
	for b.Loop() {
		data, err := md.MarshalJSON()
		if err != nil {
			b.Fatal(err)
		}
		var back mlregistry.Metadata
		if err := back.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
		if _, err := models.Rebuild(back, nil); err != nil {
			b.Fatal(err)
		}
	}
}
