package ml

import (
	"bytes"
	"compress/gzip"
	_ "embed" // for digitsCSV
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/mlregistry/mlregistry"
)

// digitsCSV is scikit-learn's copy of the test set of the UCI "Optical
// Recognition of Handwritten Digits" dataset (E. Alpaydin and C. Kaynak,
// 1998; UCI Machine Learning Repository, CC BY 4.0), the file
// sklearn/datasets/data/digits.csv.gz of scikit-learn 1.2.1 (BSD-3-Clause,
// © the scikit-learn developers), 57 KB: 1,797 rows of 64 pixel counts in
// 0..16 (an 8×8 image) followed by the digit.
//
//go:embed testdata/digits.csv.gz
var digitsCSV []byte

// Digits is scikit-learn's 8×8 handwritten digits dataset (load_digits):
// 1,797 images of 64 features scaled to [0, 1], labels 0 to 9. It is small
// enough to ship inside the binary, so it trains in seconds, anywhere.
//
// It has no split of its own; this component makes a fixed one: every
// fifth example (index 4, 9, 14, …) is a test example — 359 test and
// 1,438 training examples.
type Digits struct {
	mlregistry.Tracked

	Train bool // true for the training split, false for the test split

	examples *Examples
}

// digitsSplits parses the embedded file once: the training and test splits.
var digitsSplits = sync.OnceValues(func() ([2]*Examples, error) {
	all, err := parseDigits(bytes.NewReader(digitsCSV))
	if err != nil {
		return [2]*Examples{}, err
	}
	var split [2]*Examples // 0: train, 1: test
	for i := range split {
		split[i] = &Examples{Features: all.Features, Classes: all.Classes}
	}
	for i := range all.Len() {
		s := split[0]
		if i%5 == 4 {
			s = split[1]
		}
		s.X = append(s.X, all.X[i*all.Features:(i+1)*all.Features]...)
		s.Y = append(s.Y, all.Y[i])
	}
	return split, nil
})

// newDigits builds the Digits dataset: small handwritten digits shipped
// with the package, for quick runs.
func newDigits(
	train bool, // the training split if true, else the test split
) (*Digits, error) {
	split, err := digitsSplits()
	if err != nil {
		return nil, err
	}
	ex := split[1]
	if train {
		ex = split[0]
	}
	return &Digits{Train: train, examples: ex}, nil
}

// Examples implements Dataset.
func (d *Digits) Examples() *Examples { return d.examples }

// Test implements Dataset: the split the model did not train on — the
// test split, or the training split for Digits(train=false).
func (d *Digits) Test() (*Examples, error) {
	split, err := digitsSplits()
	if err != nil {
		return nil, err
	}
	if !d.Train {
		return split[0], nil
	}
	return split[1], nil
}

// parseDigits reads the gzipped CSV: 64 values in 0..16, then the label.
func parseDigits(r io.Reader) (*Examples, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("digits: %w", err)
	}
	cr := csv.NewReader(zr)
	cr.FieldsPerRecord = 65
	cr.ReuseRecord = true
	ex := &Examples{Features: 64, Classes: 10}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("digits: %w", err)
		}
		for i, field := range rec {
			v, err := strconv.Atoi(field)
			if err != nil || v < 0 || (i < 64 && v > 16) {
				return nil, fmt.Errorf("digits: line %d, column %d: bad value %q", line, i+1, field)
			}
			if i < 64 {
				ex.X = append(ex.X, float32(v)/16)
			} else {
				ex.Y = append(ex.Y, int32(v))
			}
		}
	}
	if err := ex.check(); err != nil {
		return nil, fmt.Errorf("digits: %w", err)
	}
	return ex, nil
}
