package ml

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// A run directory holds a trained pipeline:
//
//	<runs>/<model hash>/pipeline.json   the Document: each role's metadata envelope, settings, result
//	<runs>/<model hash>/checkpoint/     the weights: GoMLX's checkpoint of the model's variable store
//
// It is named by the model's hash; a second run of the same model gets
// "<hash>-2", and so on. A Trainer writes it under a temporary name in the
// same folder, ".<name>.partial", and renames it into place when it is
// complete, so a run directory is complete or absent: a run that fails or
// is interrupted leaves nothing, and a killed one only its hidden
// ".<name>.partial", which may be deleted (the name stays taken until it
// is).
const (
	// DocumentFile is the name of a run directory's Document.
	DocumentFile = "pipeline.json"
	// CheckpointDir is the name of a run directory's checkpoint folder.
	CheckpointDir = "checkpoint"
)

// partialSuffix ends the temporary name of a run directory being written.
const partialSuffix = ".partial"

// runDir is the directory of a run being trained: the name it will have
// (Final) and the one it is written under meanwhile (Partial).
type runDir struct {
	Final, Partial string
}

// newRunDir reserves the directory of a new run of the model with the
// given hash under runs: the first of <hash>, <hash>-2, … for which neither
// the directory nor its partial one exists. It creates the partial one
// (an atomic reservation, which concurrent trainers respect); the final
// one appears at commit.
func newRunDir(runs, hash string) (runDir, error) {
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return runDir{}, fmt.Errorf("run directory: %w", err)
	}
	for n := 1; ; n++ {
		name := hash
		if n > 1 {
			name = fmt.Sprintf("%s-%d", hash, n)
		}
		d := runDir{Final: filepath.Join(runs, name), Partial: filepath.Join(runs, "."+name+partialSuffix)}
		if _, err := os.Lstat(d.Final); err == nil {
			continue
		} else if !errors.Is(err, os.ErrNotExist) {
			return runDir{}, fmt.Errorf("run directory: %w", err)
		}
		err := os.Mkdir(d.Partial, 0o755)
		if err == nil {
			return d, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return runDir{}, fmt.Errorf("run directory: %w", err)
		}
	}
}

// commit renames the complete partial directory into place.
func (d runDir) commit() error {
	if err := os.Rename(d.Partial, d.Final); err != nil {
		return fmt.Errorf("saving run: %w", err)
	}
	return nil
}

// remove removes the partial directory of a run that did not complete.
func (d runDir) remove() { _ = os.RemoveAll(d.Partial) }

// Save writes a run directory: doc as pipeline.json and the variables of
// params (the model's weights and the optimizer's state) as a checkpoint.
// The document is written last, through a temporary file, so a directory
// with a pipeline.json is complete. (A Trainer saves into a directory of a
// temporary name and renames it into place, so that the whole directory is
// complete or absent.)
func Save(dir string, doc *Document, params *model.Store) error {
	data, err := doc.MarshalIndent()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("saving run: %w", err)
	}
	err = catch(func() error {
		h, err := checkpoint.Build(params).Dir(filepath.Join(dir, CheckpointDir)).Done()
		if err != nil {
			return err
		}
		return h.Save()
	})
	if err != nil {
		return fmt.Errorf("saving run: checkpoint: %w", err)
	}
	tmp := filepath.Join(dir, "."+DocumentFile+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("saving run: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, DocumentFile)); err != nil {
		return fmt.Errorf("saving run: %w", err)
	}
	return nil
}
