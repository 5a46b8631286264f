package service

import (
	"fmt"
)

// The Open Inference Protocol (KServe V2) as this service speaks it: one
// input tensor of rows of features, two outputs.
const (
	// Platform is the platform a model's metadata names.
	Platform = "mlregistry_gomlx"
	// ModelVersion is the only version of a model: a run trains one.
	ModelVersion = "1"
	// InputName is the name of a model's input tensor: FP32 [-1, features].
	InputName = "input"
	// OutputProbabilities is the class probabilities: FP32 [-1, classes].
	OutputProbabilities = "probabilities"
	// OutputLabel is the predicted class: INT64 [-1].
	OutputLabel = "label"
	// MaxInferRows is the most rows one infer request may hold.
	MaxInferRows = 1 << 14
)

// TensorMetadata describes a tensor of a model's metadata.
type TensorMetadata struct {
	Name     string  `json:"name"`
	Datatype string  `json:"datatype" example:"FP32"`
	Shape    []int64 `json:"shape" doc:"-1 is any size"`
}

// ModelMetadata is a model's metadata in the Open Inference Protocol.
type ModelMetadata struct {
	Name     string           `json:"name" doc:"the run's ID"`
	Versions []string         `json:"versions"`
	Platform string           `json:"platform"`
	Inputs   []TensorMetadata `json:"inputs"`
	Outputs  []TensorMetadata `json:"outputs"`
}

// Metadata returns m's metadata.
func (m *Model) Metadata() ModelMetadata {
	f, c := int64(m.Predictor.Features), int64(m.Predictor.Classes)
	return ModelMetadata{
		Name: m.RunID, Versions: []string{ModelVersion}, Platform: Platform,
		Inputs: []TensorMetadata{{Name: InputName, Datatype: "FP32", Shape: []int64{-1, f}}},
		Outputs: []TensorMetadata{
			{Name: OutputProbabilities, Datatype: "FP32", Shape: []int64{-1, c}},
			{Name: OutputLabel, Datatype: "INT64", Shape: []int64{-1}},
		},
	}
}

// InferInput is one input tensor of an infer request: its data row-major,
// flat or nested.
type InferInput struct {
	Name       string         `json:"name"`
	Shape      []int64        `json:"shape"`
	Datatype   string         `json:"datatype"`
	Parameters map[string]any `json:"parameters,omitempty"`
	Data       TensorData     `json:"data" doc:"row-major numbers, flat or nested"`
}

// RequestedOutput names an output an infer request wants.
type RequestedOutput struct {
	Name       string         `json:"name"`
	Parameters map[string]any `json:"parameters,omitempty"`
}

// InferRequest is an infer request of the Open Inference Protocol.
type InferRequest struct {
	ID         string            `json:"id,omitempty"`
	Parameters map[string]any    `json:"parameters,omitempty"`
	Inputs     []InferInput      `json:"inputs"`
	Outputs    []RequestedOutput `json:"outputs,omitempty" doc:"the outputs wanted; all when left out"`
}

// InferOutput is one output tensor of an infer response.
type InferOutput struct {
	Name     string  `json:"name"`
	Shape    []int64 `json:"shape"`
	Datatype string  `json:"datatype"`
	Data     any     `json:"data" doc:"row-major, flat"`
}

// InferResponse is an infer response of the Open Inference Protocol.
type InferResponse struct {
	ModelName    string        `json:"model_name"`
	ModelVersion string        `json:"model_version,omitempty"`
	ID           string        `json:"id" doc:"the request's id; \"\" when it gave none"`
	Outputs      []InferOutput `json:"outputs"`
}

// Infer runs req on m. A request of the wrong shape, datatype or element
// count is ErrInvalid, with the JSON path of what is wrong.
func (m *Model) Infer(req *InferRequest) (*InferResponse, error) {
	x, rows, err := m.input(req)
	if err != nil {
		return nil, as(ErrInvalid, err)
	}
	want := []string{OutputProbabilities, OutputLabel}
	if len(req.Outputs) > 0 {
		want = want[:0:0]
		for i, o := range req.Outputs {
			if o.Name != OutputProbabilities && o.Name != OutputLabel {
				return nil, as(ErrInvalid, fmt.Errorf("outputs[%d].name: %q: expected %q or %q", i, o.Name, OutputProbabilities, OutputLabel))
			}
			want = append(want, o.Name)
		}
	}
	probs, labels, err := m.Predictor.Predict(x, rows)
	if err != nil {
		return nil, err
	}
	resp := &InferResponse{ModelName: m.RunID, ModelVersion: ModelVersion, ID: req.ID, Outputs: make([]InferOutput, 0, 2)}
	for _, name := range want {
		switch name {
		case OutputProbabilities:
			resp.Outputs = append(resp.Outputs, InferOutput{Name: name, Datatype: "FP32", Shape: []int64{int64(rows), int64(m.Predictor.Classes)}, Data: probs})
		case OutputLabel:
			resp.Outputs = append(resp.Outputs, InferOutput{Name: name, Datatype: "INT64", Shape: []int64{int64(rows)}, Data: labels})
		}
	}
	return resp, nil
}

// input checks req's one input and returns its data and number of rows.
func (m *Model) input(req *InferRequest) ([]float32, int, error) {
	features := int64(m.Predictor.Features)
	if len(req.Inputs) != 1 {
		return nil, 0, fmt.Errorf("inputs: %d tensors: expected one, %q, FP32 [-1, %d]", len(req.Inputs), InputName, features)
	}
	in := req.Inputs[0]
	if in.Datatype != "FP32" {
		return nil, 0, fmt.Errorf("inputs[0].datatype: %q: expected \"FP32\"", in.Datatype)
	}
	if len(in.Shape) != 2 || in.Shape[1] != features || in.Shape[0] < 1 || in.Shape[0] > MaxInferRows {
		return nil, 0, fmt.Errorf("inputs[0].shape: %v: expected [rows, %d] with 1 to %d rows (the model's input is FP32 [-1, %d])", in.Shape, features, MaxInferRows, features)
	}
	rows := int(in.Shape[0])
	x := []float32(in.Data)
	if len(x) != rows*int(features) {
		return nil, 0, fmt.Errorf("inputs[0].data: %d elements: the shape %v holds %d", len(x), in.Shape, rows*int(features))
	}
	return x, rows, nil
}
