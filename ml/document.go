package ml

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mlregistry/mlregistry"
)

// DocumentFormat identifies the pipeline document format and its version.
const DocumentFormat = "mlregistry.pipeline/v1"

// Document is a pipeline's metadata document: each role's metadata
// envelope, the training settings, and — once trained — the result. It is
// what a run directory's pipeline.json holds, and all that is needed, with
// the registries, to rebuild the pipeline (see Load).
type Document struct {
	Format    string              `json:"format"`
	Model     mlregistry.Metadata `json:"model"`
	Criterion mlregistry.Metadata `json:"criterion"`
	Optimizer mlregistry.Metadata `json:"optimizer"`
	Dataset   mlregistry.Metadata `json:"dataset"`
	Training  Training            `json:"training"`
	Result    *Result             `json:"result,omitempty"`
}

// Roles lists the document's components in order, by role: "model",
// "criterion", "optimizer", "dataset".
func (d *Document) Roles() []Role {
	return []Role{
		{"model", &d.Model},
		{"criterion", &d.Criterion},
		{"optimizer", &d.Optimizer},
		{"dataset", &d.Dataset},
	}
}

// Role is one component of a pipeline document and the role it plays.
type Role struct {
	Name     string
	Metadata *mlregistry.Metadata
}

// ErrUntracked is reported (wrapped) when a pipeline's component carries
// no metadata: it was not built through a registry, so it can be neither
// saved nor recorded.
var ErrUntracked = errors.New("component not built through a registry")

// NewDocument returns the document of p: the metadata of its components
// and its training settings (defaults filled in).
func NewDocument(p *Pipeline) (*Document, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	d := &Document{Format: DocumentFormat, Training: p.Training.withDefaults()}
	var errs []error
	for _, r := range []struct {
		role string
		x    any
		md   *mlregistry.Metadata
	}{
		{"model", p.Model, &d.Model},
		{"criterion", p.Criterion, &d.Criterion},
		{"optimizer", p.Optimizer, &d.Optimizer},
		{"dataset", p.Dataset, &d.Dataset},
	} {
		md, ok := mlregistry.MetadataOf(r.x)
		if !ok {
			errs = append(errs, fmt.Errorf("%s %T: %w (use the ml.New… constructors or a Repository's registries)", r.role, r.x, ErrUntracked))
			continue
		}
		*r.md = md
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

// MarshalIndent returns the document as indented JSON.
func (d *Document) MarshalIndent() ([]byte, error) {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("pipeline document: %w", err)
	}
	return append(data, '\n'), nil
}

// IsDocument reports whether data is a pipeline document (a run
// directory's pipeline.json) rather than a Spec: a JSON object whose
// "format" is DocumentFormat.
func IsDocument(data []byte) bool {
	var head struct {
		Format string `json:"format"`
	}
	return json.Unmarshal(data, &head) == nil && head.Format == DocumentFormat
}

// ParseDocument decodes a pipeline document.
func ParseDocument(data []byte) (*Document, error) {
	doc := &Document{}
	if err := json.Unmarshal(data, doc); err != nil {
		return nil, fmt.Errorf("pipeline document: %w", err)
	}
	if doc.Format != DocumentFormat {
		return nil, fmt.Errorf("pipeline document: format %q, want %q", doc.Format, DocumentFormat)
	}
	return doc, nil
}
