package ml

import "fmt"

// Dataset is a labelled classification dataset held in memory. Examples
// returns the split the dataset was built for (MNIST's train=true gives the
// 60,000 training images), which a model trains on; Test returns the
// held-out split that accuracy is measured on — the test split for a
// training split, and the training split for a test split, so that accuracy
// is never measured on the examples trained on.
type Dataset interface {
	Examples() *Examples
	Test() (*Examples, error)
}

// Examples is one split of a dataset: Len() rows of Features values each,
// scaled to [0, 1], and one class label in [0, Classes) per row.
type Examples struct {
	Features int       // values per example
	Classes  int       // number of classes
	X        []float32 // Len()·Features values, row after row
	Y        []int32   // one label per example
}

// Len returns the number of examples.
func (e *Examples) Len() int { return len(e.Y) }

// check reports inconsistent sizes or labels out of range.
func (e *Examples) check() error {
	switch {
	case e.Features <= 0 || e.Classes <= 0:
		return fmt.Errorf("examples: features (%d) and classes (%d) must be positive", e.Features, e.Classes)
	case len(e.X) != len(e.Y)*e.Features:
		return fmt.Errorf("examples: %d values for %d examples of %d features", len(e.X), len(e.Y), e.Features)
	}
	for i, y := range e.Y {
		if y < 0 || int(y) >= e.Classes {
			return fmt.Errorf("examples: label %d of example %d is outside [0, %d)", y, i, e.Classes)
		}
	}
	return nil
}
