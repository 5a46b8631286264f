package ml

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/mlregistry/mlregistry"
)

// Criterion is a loss function: Loss adds to the graph the scalar loss of a
// batch of predictions (a model's outputs, shaped [batch, classes]) given
// its labels (class indices shaped [batch, 1], an integer dtype). Like
// Model.Forward it runs at graph-building time and panics on error.
type Criterion interface {
	Loss(labels, predictions []*graph.Node) *graph.Node
}

// CrossEntropyLoss is the softmax cross-entropy between logits and integer
// class labels, averaged over the batch — PyTorch's nn.CrossEntropyLoss.
type CrossEntropyLoss struct {
	mlregistry.Tracked

	// LabelSmoothing in [0, 1) mixes the one-hot target with the uniform
	// distribution, as PyTorch's label_smoothing does; 0 turns it off.
	LabelSmoothing float64
}

// newCrossEntropyLoss builds a CrossEntropyLoss: softmax cross-entropy
// of logits against integer class labels.
func newCrossEntropyLoss(
	labelSmoothing float64, // amount of smoothing of the targets, in [0, 1]
) (*CrossEntropyLoss, error) {
	if !(labelSmoothing >= 0 && labelSmoothing < 1) {
		return nil, fmt.Errorf("label_smoothing must be in [0, 1), got %v", labelSmoothing)
	}
	return &CrossEntropyLoss{LabelSmoothing: labelSmoothing}, nil
}

// Loss implements Criterion.
func (c *CrossEntropyLoss) Loss(labels, predictions []*graph.Node) *graph.Node {
	if c.LabelSmoothing == 0 {
		return loss.SparseCategoricalCrossEntropyLogits(labels, predictions)
	}
	logits := predictions[0]
	classes := logits.Shape().Dimensions[logits.Rank()-1]
	target := oneHot(labels[0], classes, logits)
	target = graph.AddScalar(graph.MulScalar(target, 1-c.LabelSmoothing), c.LabelSmoothing/float64(classes))
	return loss.CategoricalCrossEntropyLogits([]*graph.Node{target}, predictions)
}

// MSELoss is the mean squared error between predictions and the one-hot
// encoding of integer class labels (or the labels themselves, when they are
// floating point and shaped like the predictions) — PyTorch's nn.MSELoss.
type MSELoss struct {
	mlregistry.Tracked
}

// newMSELoss is the constructor registered as "MSELoss".
func newMSELoss() *MSELoss { return &MSELoss{} }

// Loss implements Criterion.
func (*MSELoss) Loss(labels, predictions []*graph.Node) *graph.Node {
	target := labels[0]
	if target.DType().IsInt() {
		p := predictions[0]
		target = oneHot(target, p.Shape().Dimensions[p.Rank()-1], p)
	}
	return loss.MeanSquaredError([]*graph.Node{target}, predictions)
}

// oneHot encodes integer labels shaped [batch, 1] as [batch, classes] in
// like's dtype.
func oneHot(labels *graph.Node, classes int, like *graph.Node) *graph.Node {
	flat := graph.Reshape(labels, labels.Shape().Dimensions[0])
	return graph.OneHot(flat, classes, like.DType())
}
