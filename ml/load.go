package ml

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/ml/model/checkpoint"
	"github.com/mlregistry/mlregistry"
)

// Run is a run directory loaded back: its document, and the pipeline
// rebuilt from it with the trained weights restored.
type Run struct {
	Dir      string
	Document *Document
	Pipeline *Pipeline
}

// ErrHashMismatch is reported (wrapped) when a component rebuilt from a
// document does not have the hash the document records.
var ErrHashMismatch = errors.New("rebuilt component has another hash")

// Load reads the run directory dir and rebuilds its pipeline through r's
// registries — nothing is built that r does not hold — from the metadata
// alone: each component is rebuilt with Registry.Rebuild and must come out
// with the hash its document records. The optimizer is given the rebuilt
// model's Parameters(); dataset holds runtime values for the dataset's
// excluded parameters ("root", "download"), nil for their defaults. The
// model's weights (and the optimizer's state) are then restored from the
// checkpoint, so that the pipeline evaluates as it did when saved, and can
// train on.
func (r *Repository) Load(dir string, dataset mlregistry.Kwargs) (*Run, error) {
	data, err := os.ReadFile(filepath.Join(dir, DocumentFile))
	if err != nil {
		return nil, fmt.Errorf("loading run: %w", err)
	}
	doc, err := ParseDocument(data)
	if err != nil {
		return nil, fmt.Errorf("loading run: %s: %w", filepath.Join(dir, DocumentFile), err)
	}
	p, err := r.Rebuild(doc, dataset)
	if err != nil {
		return nil, fmt.Errorf("loading run %s: %w", dir, err)
	}
	err = catch(func() error {
		_, err := checkpoint.Load(p.Model.Parameters()).Dir(filepath.Join(dir, CheckpointDir)).Immediate().Done()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("loading run %s: checkpoint: %w", dir, err)
	}
	return &Run{Dir: dir, Document: doc, Pipeline: p}, nil
}

// Rebuild rebuilds the pipeline a document describes through r's
// registries, checking every component's hash. The model comes with
// freshly initialized weights; see Load to restore trained ones.
func (r *Repository) Rebuild(doc *Document, dataset mlregistry.Kwargs) (*Pipeline, error) {
	p := &Pipeline{Training: doc.Training}
	var errs []error
	var err error
	if p.Dataset, err = rebuild(r.Datasets, &doc.Dataset, dataset); err != nil {
		errs = append(errs, mlregistry.WithPathPrefix("dataset", err))
	}
	if p.Model, err = rebuild(r.Models, &doc.Model, nil); err != nil {
		errs = append(errs, mlregistry.WithPathPrefix("model", err))
	}
	if p.Criterion, err = rebuild(r.Criterions, &doc.Criterion, nil); err != nil {
		errs = append(errs, mlregistry.WithPathPrefix("criterion", err))
	}
	if p.Model != nil {
		if p.Optimizer, err = rebuild(r.Optimizers, &doc.Optimizer, mlregistry.Kwargs{"params": p.Model.Parameters()}); err != nil {
			errs = append(errs, mlregistry.WithPathPrefix("optimizer", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return p, nil
}

// rebuild rebuilds one component and checks its hash. Of runtime, only
// the values of the component's own excluded parameters are passed on:
// Digits has no root to be given.
func rebuild[T any](reg *mlregistry.Registry[T], md *mlregistry.Metadata, runtime mlregistry.Kwargs) (T, error) {
	sig, _ := reg.Signature(md.Name)
	x, err := reg.Rebuild(*md, RuntimeFor(sig, runtime))
	if err != nil {
		return x, err
	}
	// Rebuild has checked the stated hash. An upgraded document of an older
	// version gets the current version's hash by design; any other
	// difference would be a bug, reported rather than trained on.
	if c, ok := reg.Get(md.Name); ok && c.Version() != md.Version {
		return x, nil
	}
	if h, _ := mlregistry.HashOf(x); h != md.Hash {
		var zero T
		return zero, fmt.Errorf("%s: %w: %s, the document records %s", md.Name, ErrHashMismatch, h, md.Hash)
	}
	return x, nil
}
