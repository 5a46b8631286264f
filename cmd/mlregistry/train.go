package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/mlregistry/mlregistry"
	"github.com/mlregistry/mlregistry/artifacts"
	"github.com/mlregistry/mlregistry/ml"
	"github.com/mlregistry/mlregistry/service"
	"github.com/mlregistry/mlregistry/store"
	_ "github.com/mlregistry/mlregistry/store/sqlite" // the default --db
)

func init() {
	addCommand(command{
		name:    "train",
		summary: "train a pipeline (default: the README's Perceptron on MNIST) and save and record the run",
		run:     runTrain,
	})
}

// trainFlags are the train command's flags.
type trainFlags struct {
	fs                                              *flag.FlagSet
	pipeline                                        string
	model, criterion, optimizer, dataset            string
	modelArgs, criterionArgs, optimizerArgs, dsArgs string
	batchSize, steps, epochs                        int
	seed                                            int64
	runs, db, mnistRoot, mnistURL, progress         string
	artifacts                                       string
	download, list                                  bool
}

func newTrainFlags() *trainFlags {
	f := &trainFlags{fs: flag.NewFlagSet("train", flag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(io.Discard)
	fs.StringVar(&f.pipeline, "pipeline", "", "pipeline `file` (JSON); the flags below override it")
	fs.StringVar(&f.model, "model", "", "model `name` (default Perceptron)")
	fs.StringVar(&f.modelArgs, "model-args", "", "model arguments: a JSON `list` (positional) or object (by name)")
	fs.StringVar(&f.criterion, "criterion", "", "criterion `name` (default CrossEntropyLoss)")
	fs.StringVar(&f.criterionArgs, "criterion-args", "", "criterion arguments (`JSON`)")
	fs.StringVar(&f.optimizer, "optimizer", "", "optimizer `name` (default Adam)")
	fs.StringVar(&f.optimizerArgs, "optimizer-args", "", `optimizer arguments (`+"`JSON`"+`), e.g. '{"lr": 0.01}'`)
	fs.StringVar(&f.dataset, "dataset", "", "dataset `name` (default MNIST)")
	fs.StringVar(&f.dsArgs, "dataset-args", "", `dataset arguments (`+"`JSON`"+`), e.g. '{"train": true}'`)
	fs.IntVar(&f.batchSize, "batch-size", 0, "examples per step (default 64)")
	fs.IntVar(&f.steps, "steps", 0, "train this many steps (instead of epochs)")
	fs.IntVar(&f.epochs, "epochs", 0, "passes over the training split (default 1)")
	fs.Int64Var(&f.seed, "seed", 1, "random seed: weights, dropout, shuffling")
	fs.StringVar(&f.runs, "runs", "runs", "`dir`ectory for run directories; empty to save nothing")
	fs.StringVar(&f.artifacts, "artifacts", "", "also upload the run's files, under its ID, to the bucket at this `URL` (file://DIR, s3://BUCKET?endpoint=…&use_path_style=true) and record their URL and SHA-256; without --runs, no local run directory is kept")
	fs.StringVar(&f.db, "db", "", strings.Replace(dbUsage, "the store's", "record the run in the store at this", 1)+`; "none" records nothing`)
	fs.StringVar(&f.mnistRoot, "mnist-root", "", "`dir`ectory of the MNIST files (default: the GoMNIST module's data, or $"+ml.MNISTRootEnv+")")
	fs.BoolVar(&f.download, "download", false, "download missing MNIST files, checking their SHA-256")
	fs.StringVar(&f.mnistURL, "mnist-url", "", "base `URL` to download MNIST from (default "+ml.DefaultMNISTSource.BaseURL+")")
	fs.StringVar(&f.progress, "progress", "auto", "progress display: auto, bar, lines or off")
	fs.BoolVar(&f.list, "list", false, "list the registered components and their signatures, and exit")
	return f
}

// usage prints the command's help.
func (f *trainFlags) usage(w io.Writer) {
	fmt.Fprint(w, `Usage: mlregistry train [flags]

Trains a pipeline — model, criterion, optimizer, dataset, each built through
the registries of ml.Default — on GoMLX's pure-Go backend. It prints each
component's name, hash, arguments and signature, trains with a progress
display, prints the test accuracy, saves the run directory (named by the
model's hash: pipeline.json and the weights checkpoint) and records the run
in the store.

With no flags it trains the README's pipeline on real MNIST:
Perceptron(784, 256, 10, p=0.5, bias=true), CrossEntropyLoss(),
Adam(lr=0.001), MNIST(train=true); one epoch, batch 64, seed 1.

A pipeline file names each role's component and arguments:

  {"model":     {"name": "MLP", "kwargs": {"hidden_sizes": [128], "activation": {"name": "GELU"}}},
   "optimizer": {"name": "SGD", "kwargs": {"lr": 0.05, "momentum": 0.9}},
   "dataset":   {"name": "Digits"},
   "training":  {"batch_size": 32, "epochs": 20, "seed": 7}}

Roles left out keep the defaults. A model's input_size and output_size, when
not given, are the dataset's features and classes.

While it trains, the run's heartbeat is refreshed in the store every third of
$MLREGISTRY_LOST_AFTER (default 30s); readers report a run whose heartbeat
stopped as lost. SIGINT or SIGTERM stops training: the run is recorded as
interrupted with the metrics it reached, no run directory is left, and train
exits with 130 (SIGINT) or 143 (SIGTERM); a second signal ends it at once.

Flags:
`)
	f.fs.SetOutput(w)
	f.fs.PrintDefaults()
	f.fs.SetOutput(io.Discard)
}

func runTrain(args []string, stdout, stderr io.Writer) error {
	f := newTrainFlags()
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			f.usage(stdout)
			return errHelp
		}
		return fmt.Errorf("%w: %v%s (run 'mlregistry train --help')", errUsage, err, f.suggestFlag(err))
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q: train takes only flags (run 'mlregistry train --help')", errUsage, f.fs.Arg(0))
	}
	if f.list {
		listComponents(stdout)
		return nil
	}
	progress, err := parseProgress(f.progress)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if f.mnistURL != "" {
		ml.DefaultMNISTSource.BaseURL = f.mnistURL
	}
	dsRuntime := mlregistry.Kwargs{"download": f.download}
	if f.mnistRoot != "" {
		dsRuntime["root"] = f.mnistRoot
	}
	ml.MNISTDownloadHint = "run with --download to fetch them, or name their folder with --mnist-root DIR"
	p, err := f.buildPipeline(dsRuntime)
	if err != nil && f.download && isIOFailure(err) {
		return fmt.Errorf("--download: %w", err)
	}
	if err != nil {
		return inputOrIOErr(err)
	}
	if err := p.Check(); err != nil {
		return exitAs(errUsage, err)
	}
	doc, err := ml.NewDocument(p)
	if err != nil {
		return err
	}
	db, err := f.openStore()
	if err != nil {
		return err
	}
	printPipeline(stdout, doc, p)

	lost, err := lostAfter()
	if err != nil {
		return err
	}
	ctx, stop := interruptContext(context.Background())
	defer stop()
	if db != nil {
		defer db.Close()
	}
	tr := service.Training{Pipeline: p, Store: db, RunsDir: f.runs, LostAfter: lost, Out: stderr, Progress: progress}
	if f.artifacts != "" {
		if db == nil {
			return fmt.Errorf("%w: --artifacts needs a store to record the run in (not --db none)", errUsage)
		}
		b, err := openArtifacts(ctx, f.artifacts)
		if err != nil {
			return err
		}
		defer b.Close()
		tr.Artifacts = b
		if !f.set("runs") {
			tr.RunsDir = ""
		}
	}
	trained, err := service.Train(ctx, tr)
	res := trained.Result
	if err != nil {
		return trainStopped(stdout, res, store.Redact(storeURL(f.db)), err)
	}
	fmt.Fprintf(stdout, "result     %s %.2f%% on %d examples; train_loss_avg %.4f\n", accuracyName(p), 100*res.TestAccuracy, res.TestExamples, res.Loss)
	fmt.Fprintf(stdout, "           %d steps (%.2f epochs) in %s, %s/step\n", res.Steps, res.Epochs, res.Duration.Round(100*time.Millisecond), res.StepTime().Round(100*time.Microsecond))
	if res.Dir != "" {
		fmt.Fprintf(stdout, "saved      %s (%s, %s/)\n", res.Dir, ml.DocumentFile, ml.CheckpointDir)
	}
	if trained.Artifacts.URL != "" {
		fmt.Fprintf(stdout, "uploaded   %s (manifest sha256 %s)\n", artifacts.Redact(trained.Artifacts.URL), trained.Artifacts.SHA256)
	}
	if res.RunID != "" {
		fmt.Fprintf(stdout, "recorded   run %s in %s\n", res.RunID, store.Redact(storeURL(f.db)))
	}
	return nil
}

// set reports whether the flag named name was given.
func (f *trainFlags) set(name string) bool {
	found := false
	f.fs.Visit(func(fl *flag.Flag) { found = found || fl.Name == name })
	return found
}

// openStore opens the store --db names (read-write: train records the run),
// or returns nil for --db none. A URL of no known scheme, or a malformed
// one, is a usage error.
func (f *trainFlags) openStore() (store.Store, error) {
	if f.db == "none" {
		return nil, nil
	}
	u := storeURL(f.db)
	s, err := store.Open(context.Background(), u)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = exitAs(errUsage, err) // a folder that is not there, as for any file named
		}
		return nil, storeErr(fmt.Errorf("%w (--db none records nothing)", err))
	}
	return s, nil
}

// accuracyName names the accuracy a run reports: on the test split, or,
// for a dataset built with train=false, on the training split it held out.
func accuracyName(p *ml.Pipeline) string {
	if md, ok := mlregistry.MetadataOf(p.Dataset); ok && md.Arguments["train"] == false {
		return "held-out accuracy (on the training split: it trained on train=false's test split)"
	}
	return "test accuracy"
}

// buildPipeline builds the pipeline to train: from a saved pipeline
// document (rebuilt, hashes checked), or from a spec — the defaults, the
// pipeline file, then the flags.
func (f *trainFlags) buildPipeline(dsRuntime mlregistry.Kwargs) (*ml.Pipeline, error) {
	var data []byte
	if f.pipeline != "" {
		var err error
		if data, err = readInput(f.pipeline); err != nil {
			return nil, err
		}
	}
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if data == nil || !ml.IsDocument(data) {
		spec, err := f.spec(data, set)
		if err != nil {
			return nil, err
		}
		return ml.Default.Build(spec, dsRuntime)
	}
	// A run directory's pipeline.json: the same components, rebuilt.
	for _, role := range []string{"model", "criterion", "optimizer", "dataset"} {
		if set[role] || set[role+"-args"] {
			return nil, fmt.Errorf("%s is a saved pipeline document: its components cannot be changed with --%s or --%s-args (write a pipeline spec instead)", f.pipeline, role, role)
		}
	}
	doc, err := ml.ParseDocument(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.pipeline, err)
	}
	p, err := ml.Default.Rebuild(doc, dsRuntime)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.pipeline, err)
	}
	p.Training = f.training(p.Training, set)
	if err := f.checkTraining(p.Training, set); err != nil {
		return nil, err
	}
	return p, nil
}

// training applies the training flags that were set to t.
func (f *trainFlags) training(t ml.Training, set map[string]bool) ml.Training {
	if set["batch-size"] {
		t.BatchSize = f.batchSize
	}
	if set["steps"] {
		t.Steps = f.steps
		if !set["epochs"] {
			t.Epochs = 0
		}
	}
	if set["epochs"] {
		t.Epochs = f.epochs
	}
	if set["seed"] {
		t.Seed = f.seed
	}
	return t
}

// spec assembles the pipeline spec: the defaults, the pipeline file (data,
// when not nil), then the flags that were set.
func (f *trainFlags) spec(data []byte, set map[string]bool) (ml.Spec, error) {
	spec := ml.DefaultSpec()
	if data != nil {
		var err error
		if spec, err = ml.ParseSpec(data); err != nil {
			return ml.Spec{}, fmt.Errorf("%s: %w", f.pipeline, err)
		}
	}
	var errs []error
	for _, r := range []struct {
		name, args, flag string
		cs               *ml.ComponentSpec
	}{
		{f.model, f.modelArgs, "model", &spec.Model},
		{f.criterion, f.criterionArgs, "criterion", &spec.Criterion},
		{f.optimizer, f.optimizerArgs, "optimizer", &spec.Optimizer},
		{f.dataset, f.dsArgs, "dataset", &spec.Dataset},
	} {
		if set[r.flag] {
			*r.cs = ml.ComponentSpec{Name: r.name}
		}
		if set[r.flag+"-args"] {
			r.cs.Args, r.cs.Kwargs = nil, nil
			if err := parseArgs(r.args, r.cs); err != nil {
				errs = append(errs, fmt.Errorf("--%s-args: %w", r.flag, err))
			}
		}
	}
	// The default model adapts to another dataset, given by a flag or a
	// pipeline file: Perceptron(features, 256, classes).
	spec = ml.FitDefaultModel(spec)
	spec.Training = f.training(spec.Training, set)
	errs = append(errs, f.checkTraining(spec.Training, set))
	return spec, errors.Join(errs...)
}

// checkTraining reports the training settings that are out of range: a
// flag that was set by its name (--batch-size 0), a value of the pipeline
// file by its JSON path (training.batch_size). In a file, 0 or absent means
// the default; a flag must be positive.
func (f *trainFlags) checkTraining(t ml.Training, set map[string]bool) error {
	var errs []error
	for _, v := range []struct {
		flag, field, what string
		value             int
	}{
		{"batch-size", "batch_size", "examples per step; default 64", t.BatchSize},
		{"steps", "steps", "steps to train, instead of epochs", t.Steps},
		{"epochs", "epochs", "passes over the training split; default 1", t.Epochs},
	} {
		switch {
		case set[v.flag] && v.value <= 0:
			errs = append(errs, fmt.Errorf("--%s %d: expected a positive number (%s)", v.flag, v.value, v.what))
		case !set[v.flag] && v.value < 0:
			errs = append(errs, fmt.Errorf("%s: training.%s: %d: expected a positive number, or 0 for the default (%s)", f.pipeline, v.field, v.value, v.what))
		}
	}
	return errors.Join(errs...)
}

// parseArgs reads a JSON list (positional arguments) or object (named
// arguments) into cs.
func parseArgs(s string, cs *ml.ComponentSpec) error {
	args, kwargs, err := ml.ParseArguments([]byte(s))
	if err != nil {
		return err
	}
	cs.Args, cs.Kwargs = args, kwargs
	return nil
}

// suggestFlag returns ` (did you mean --x?)` for an unknown flag close to
// a defined one.
func (f *trainFlags) suggestFlag(err error) string { return suggestFlagOf(f.fs, err) }

// suggestFlagOf returns ` (did you mean --x?)` for an unknown flag of fs
// close to a defined one, "" for another error.
func suggestFlagOf(fs *flag.FlagSet, err error) string {
	const prefix = "flag provided but not defined: -"
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return ""
	}
	name := strings.TrimPrefix(msg, prefix)
	var names []string
	fs.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
	best := mlregistry.Suggest(name, names)
	if len(best) == 0 {
		return ""
	}
	return fmt.Sprintf(" (did you mean --%s?)", best[0])
}

// parseProgress reads the --progress flag.
func parseProgress(s string) (ml.Progress, error) {
	switch s {
	case "auto":
		return ml.ProgressAuto, nil
	case "bar":
		return ml.ProgressBar, nil
	case "lines":
		return ml.ProgressLines, nil
	case "off":
		return ml.ProgressOff, nil
	}
	return 0, fmt.Errorf("--progress %q: want auto, bar, lines or off", s)
}

// printPipeline prints each role's component: name and arguments, hash,
// args, kwargs, signature; then the training settings.
func printPipeline(w io.Writer, doc *ml.Document, p *ml.Pipeline) {
	for _, r := range doc.Roles() {
		md := r.Metadata
		fmt.Fprintf(w, "%-10s %s\n", r.Name, service.FormatCall(*md))
		fmt.Fprintf(w, "           hash       %s\n", md.Hash)
		fmt.Fprintf(w, "           args       %s\n", service.FormatValue(md.Args))
		fmt.Fprintf(w, "           kwargs     %s\n", service.FormatValue(map[string]any(md.Kwargs)))
		fmt.Fprintf(w, "           signature  %s\n", md.Signature)
	}
	t := doc.Training
	ex := p.Dataset.Examples()
	length := fmt.Sprintf("%d epochs", t.Epochs)
	if t.Epochs == 1 {
		length = "1 epoch"
	}
	if t.Steps > 0 {
		length = fmt.Sprintf("%d steps", t.Steps)
	}
	fmt.Fprintf(w, "%-10s %d examples, batch %d, %s, seed %d\n\n", "training", ex.Len(), t.BatchSize, length, t.Seed)
}

// listComponents prints every registered component of ml.Default with its
// signature.
func listComponents(w io.Writer) {
	r := ml.Default
	for _, reg := range []struct {
		kind string
		keys []string
		sig  func(string) (mlregistry.Signature, bool)
	}{
		{r.Models.Kind(), r.Models.Keys(), r.Models.Signature},
		{r.Criterions.Kind(), r.Criterions.Keys(), r.Criterions.Signature},
		{r.Optimizers.Kind(), r.Optimizers.Keys(), r.Optimizers.Signature},
		{r.Datasets.Kind(), r.Datasets.Keys(), r.Datasets.Signature},
	} {
		for _, k := range reg.keys {
			sig, _ := reg.sig(k)
			fmt.Fprintf(w, "%-10s %-17s %s\n", reg.kind, k, sig)
		}
	}
}
