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
// "<hash>-2", and so on.
const (
	// DocumentFile is the name of a run directory's Document.
	DocumentFile = "pipeline.json"
	// CheckpointDir is the name of a run directory's checkpoint folder.
	CheckpointDir = "checkpoint"
)

// newRunDir creates the directory of a new run of the model with the given
// hash under runs.
func newRunDir(runs, hash string) (string, error) {
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return "", fmt.Errorf("run directory: %w", err)
	}
	for n := 1; ; n++ {
		name := hash
		if n > 1 {
			name = fmt.Sprintf("%s-%d", hash, n)
		}
		dir := filepath.Join(runs, name)
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("run directory: %w", err)
		}
	}
}

// removeRunDir removes the directory of a run that failed.
func removeRunDir(dir string) { _ = os.RemoveAll(dir) }

// Save writes a run directory: doc as pipeline.json and the variables of
// params (the model's weights and the optimizer's state) as a checkpoint.
// The document is written last, through a temporary file, so a directory
// with a pipeline.json is complete.
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
