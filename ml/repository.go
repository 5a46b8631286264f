package ml

import "github.com/mlregistry/mlregistry"

// Repository groups the four typed registries of a training pipeline, as
// the Python library's README recommends:
//
//	class Repository:
//	    models = Registry[Module]()
//	    criterions = Registry[Module]()
//	    optimizers = Registry[Optimizer](excluded_positions=[0], exclude_parameters={'params'})
//	    datasets = Registry[Dataset](excluded_positions=[0], exclude_parameters={'root', 'download'})
//
// Each registry records its kind ("model", "criterion", "optimizer",
// "dataset") in the metadata of what it builds, so that a saved document can
// be routed back to the right registry.
type Repository struct {
	Models     *mlregistry.Registry[Model]
	Criterions *mlregistry.Registry[Criterion]
	Optimizers *mlregistry.Registry[Optimizer]
	Datasets   *mlregistry.Registry[Dataset]
}

// NewRepository returns a Repository of empty registries, configured as the
// seed configures them: an optimizer's params (position 0) and a dataset's
// root and download are runtime inputs, excluded from metadata and hash.
//
// The registries are linked (mlregistry.Link), so that a component nested in
// another one's metadata is rebuilt through the registry of its kind.
func NewRepository() *Repository {
	r := &Repository{
		Models:     mlregistry.New[Model](mlregistry.Kind("model")),
		Criterions: mlregistry.New[Criterion](mlregistry.Kind("criterion")),
		Optimizers: mlregistry.New[Optimizer](mlregistry.Kind("optimizer"),
			mlregistry.ExcludePositions(0), mlregistry.ExcludeParams("params")),
		Datasets: mlregistry.New[Dataset](mlregistry.Kind("dataset"),
			mlregistry.ExcludeParams("root", "download")),
	}
	if err := mlregistry.Link(r.Models, r.Criterions, r.Optimizers, r.Datasets); err != nil {
		panic(err) // four distinct kinds: cannot fail
	}
	return r
}

// Default is the Repository holding this package's components. The
// tracking constructors below (NewPerceptron, NewAdam, …) are the ones it
// registered: every value they return carries metadata.
var Default = NewRepository()
