package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

// commandCase is one run of the CLI and what it must do.
type commandCase struct {
	name      string
	args      []string
	code      int
	stdout    []string          // substrings of stdout
	stderr    []string          // substrings of stderr
	notStdout []string          // substrings stdout must not hold
	noStdout  bool              // nothing at all on stdout
	env       map[string]string // environment for the run
	trains    bool              // trains with GoMLX (skipped where GoMLX cannot run)
}

// TestCommands runs every command, with good input and bad, against a
// fixture store and files, and checks the exit code (0 ok, 1 failure, 2
// usage or input error, 3 not found) and the message. No run may print a
// Go stack trace.
func TestCommands(t *testing.T) {
	fx := newFixture(t)
	db := "--db=" + fx.db
	dir := t.TempDir()
	write := func(name, content string) string { return writeFile(t, dir, name, content) }
	model := fx.file(t, "model.json", fx.model1)
	var md map[string]any
	if err := json.Unmarshal([]byte(readFile(t, model)), &md); err != nil {
		t.Fatal(err)
	}
	md["signature"].([]any)[1].(map[string]any)["type"] = "float64" // hidden_size: int → float64
	editedSig, _ := json.Marshal(md)
	retyped := write("retyped.json", string(editedSig))
	nested := write("mlp.json", `{"name": "MLP", "kind": "model", "args": [64, [32], 10, {"name": "LeakyReLU", "kwargs": {"negative_slope": 0.1}}]}`)
	mnistSpec := write("mnist.json", `{"name": "MNIST", "kwargs": {"train": false}}`)
	mnistPipeline := write("mnist-pipeline.json", `{"dataset": {"name": "MNIST"}}`)
	// The configuration of run-one, as a pipeline file writes it.
	runOneSpec := write("run-one.json", `{"model": {"name": "Perceptron", "args": [64, 32, 10], "kwargs": {"p": 0.5, "bias": true}},
		"dataset": {"name": "Digits"}, "training": {"batch_size": 64, "steps": 100}}`)
	badTraining := write("bad-training.json", `{"dataset": {"name": "Digits"}, "training": {"batch_size": -1}}`)
	badTrainingType := write("bad-training-type.json", `{"training": {"batch_size": "x"}}`)
	badArg := write("bad-arg.json", `{"model": {"name": "Perceptron", "args": [64, 2.5]}, "dataset": {"name": "Digits"}}`)
	badNested := write("bad-nested.json", `{"model": {"name": "MLP", "kwargs": {"activation": {"name": "LeakyReLU", "kwargs": {"negative_slope": "x"}}}}, "dataset": {"name": "Digits"}}`)
	digitsOnly := write("digits.json", `{"dataset": {"name": "Digits"}, "training": {"steps": 2}}`)
	big := write("big.json", `{"name": "Adam", "kwargs": {"lr": 0.1}, "pad": "`+strings.Repeat("x", 2<<20)+`"}`)
	emptyStore := write("empty.db", "")
	foreign := filepath.Join(dir, "foreign.db")
	execSQLite(t, foreign, `CREATE TABLE invoices (id INTEGER PRIMARY KEY)`)
	old := oldStore(t, filepath.Join(dir, "old.db"))
	emptyDir := t.TempDir()
	runs := t.TempDir()
	trainDB := filepath.Join(t.TempDir(), "train.db")
	envDB := filepath.Join(t.TempDir(), "env.db")
	digits := []string{"train", "--dataset", "Digits", "--runs", "", "--progress", "off"}
	with := func(base []string, more ...string) []string { return append(append([]string{}, base...), more...) }

	tests := []commandCase{
		// The command line itself.
		{name: "NoArguments", args: nil, code: 2, stderr: []string{"Usage: mlregistry <command>"}, noStdout: true},
		{name: "Help", args: []string{"help"}, code: 0, stdout: []string{"Commands:", "migrate", "Exit codes"}},
		{name: "HelpHelp", args: []string{"help", "help"}, code: 0, stdout: []string{"Commands:"}},
		{name: "HelpTooMany", args: []string{"help", "ls", "show"}, code: 2, stderr: []string{"expected one command"}},
		{name: "HelpLs", args: []string{"help", "ls"}, code: 0, stdout: []string{"Usage: mlregistry ls", "--status"}},
		{name: "HelpTrain", args: []string{"help", "train"}, code: 0, stdout: []string{"Usage: mlregistry train", "default: $MLREGISTRY_DB, else " + store.DefaultURL}},
		{name: "HelpUnknown", args: []string{"help", "trian"}, code: 2, stderr: []string{`unknown command "trian"`, `did you mean "train"`}},
		{name: "UnknownCommand", args: []string{"lst"}, code: 2, stderr: []string{`unknown command "lst"`, `did you mean "ls"`}},

		// train
		{name: "Train", args: with(digits, "--steps", "2", "--db", trainDB, "--runs", runs), code: 0, trains: true,
			stdout: []string{"test accuracy", "recorded   run", "saved      " + runs}},
		{name: "TrainEnvDB", args: with(digits, "--steps", "2"), code: 0, trains: true, env: map[string]string{dbEnv: envDB},
			stdout: []string{"recorded   run", "in " + envDB}},
		{name: "TrainHeldOut", args: with(digits, "--steps", "2", "--db", "none", "--dataset-args", `{"train": false}`), code: 0, trains: true,
			stdout: []string{"held-out accuracy", "on 1438 examples"}, notStdout: []string{"test accuracy"}},
		{name: "TrainBogusDB", args: with(digits, "--db", "bogus://x"), code: 2, noStdout: true, stderr: []string{`unknown store backend "bogus"`}},
		{name: "TrainBatchSize0", args: with(digits, "--db", "none", "--batch-size", "0"), code: 2, noStdout: true, stderr: []string{"--batch-size 0: expected a positive number"}},
		{name: "TrainEpochs0", args: with(digits, "--db", "none", "--epochs", "0"), code: 2, stderr: []string{"--epochs 0: expected a positive number"}},
		{name: "TrainFileValue", args: with(digits, "--db", "none", "--pipeline", badTraining), code: 2,
			stderr: []string{"training.batch_size: -1"}, notStdout: []string{"--batch-size"}},
		{name: "TrainFileType", args: with(digits, "--db", "none", "--pipeline", badTrainingType), code: 2,
			stderr: []string{"training.batch_size: expected a whole number"}, notStdout: []string{"Go struct field", "Training."}},
		{name: "TrainFileArgPath", args: with(digits, "--db", "none", "--pipeline", badArg), code: 2, stderr: []string{"model.args[1]: expected int"}},
		{name: "TrainFileNestedPath", args: with(digits, "--db", "none", "--pipeline", badNested), code: 2,
			stderr: []string{"model.kwargs.activation.kwargs.negative_slope: expected float64"}},
		{name: "TrainFileDefaultModelFits", args: with(digits, "--db", "none", "--pipeline", digitsOnly), code: 0, trains: true,
			stdout: []string{"Perceptron(input_size=64, hidden_size=256, output_size=10"}},
		{name: "TrainInputTooSmall", args: with(digits, "--db", "none", "--model-args", `{"input_size": 1, "hidden_size": 8}`), code: 2, noStdout: true,
			stderr: []string{"model.arguments.input_size", "takes 1 features", "Digits has 64"}},
		{name: "TrainTooBig", args: with(digits, "--db", "none", "--model-args", `{"hidden_size": 100000000000}`), code: 2, noStdout: true,
			stderr: []string{"model.arguments.hidden_size", "100000000000"}},
		{name: "TrainMissingMNIST", args: []string{"train", "--db", "none", "--runs", "", "--mnist-root", emptyDir}, code: 1,
			stderr: []string{"file does not exist", "run with --download"}, notStdout: []string{"download=true"}},
		{name: "TrainDownloadFails", args: []string{"train", "--db", "none", "--runs", "", "--mnist-root", emptyDir, "--download", "--mnist-url", "http://127.0.0.1:1/"}, code: 1,
			stderr: []string{"--download", "connection refused"}},
		{name: "TrainNoPipelineFile", args: with(digits, "--db", "none", "--pipeline", filepath.Join(dir, "nope.json")), code: 2, stderr: []string{"nope.json: no such file"}},

		// ls
		{name: "Ls", args: []string{"ls", db}, code: 0, stdout: []string{"HASH", "Perceptron", "Adam", "Digits", fx.model1}},
		{name: "LsByName", args: []string{"ls", db, "--name", "Perceptron"}, code: 0, stdout: []string{fx.model1, fx.model2}},
		{name: "LsByKindJSON", args: []string{"ls", db, "--kind", "optimizer", "--json"}, code: 0, stdout: []string{`"name": "Adam"`}},
		{name: "LsPaged", args: []string{"ls", db, "--limit", "2"}, code: 0, stderr: []string{"more: mlregistry ls", "--after"}},
		{name: "LsAfter", args: []string{"ls", db, "--limit", "1", "--after", fx.adam}, code: 0, stdout: []string{"CrossEntropyLoss"}},
		{name: "LsRuns", args: []string{"ls", "runs", db}, code: 0, stdout: []string{"run-one", "run-two", "succeeded", "test_accuracy=0.91"}},
		{name: "LsRunsOfComponent", args: []string{"ls", "runs", db, "--component", fx.model2[:8], "--json"}, code: 0,
			stdout: []string{`"hash": "` + fx.model2 + `"`, "run-two"}, notStdout: []string{"run-one"}},
		{name: "LsStatus", args: []string{"ls", "runs", db, "--status", "exploded"}, code: 2, stderr: []string{`--status "exploded": expected one of queued, running, succeeded`}},
		{name: "LsKind", args: []string{"ls", db, "--kind", "widget"}, code: 2, stderr: []string{`--kind "widget": expected one of model, criterion, optimizer, dataset`}},
		{name: "LsLimit0", args: []string{"ls", db, "--limit", "0"}, code: 2, stderr: []string{"--limit 0: expected 1 to 10000"}},
		{name: "LsRoleAlone", args: []string{"ls", "runs", db, "--role", "model"}, code: 2, stderr: []string{"--role filters the runs of a component: give --component"}},
		{name: "LsBadPrefix", args: []string{"ls", "runs", db, "--component", "zz"}, code: 2, stderr: []string{`"zz" is not a hash or hash prefix: expected 4 to 32 hex digits`}},
		{name: "LsRunsByKind", args: []string{"ls", "runs", db, "--kind", "model"}, code: 2, stderr: []string{"--name and --kind filter components"}},
		{name: "LsWhat", args: []string{"ls", db, "everything"}, code: 2, stderr: []string{"expected components or runs"}},
		{name: "LsBadCursor", args: []string{"ls", db, "--after", "nope"}, code: 2, stderr: []string{"cursor"}},
		{name: "LsBadDB", args: []string{"ls", "--db", "mysql://x"}, code: 2, stderr: []string{"unknown store backend"}},
		{name: "LsNoStore", args: []string{"ls", "--db", filepath.Join(dir, "none.db")}, code: 3, stderr: []string{"no store at", "none.db"}},
		{name: "LsEmptyFile", args: []string{"ls", "--db", emptyStore}, code: 2, stderr: []string{"not an mlregistry store"}},
		{name: "LsForeign", args: []string{"ls", "--db", foreign}, code: 2, stderr: []string{"not an mlregistry store"}},
		{name: "LsOldSchema", args: []string{"ls", "--db", old}, code: 1, stderr: []string{"has schema version 1, older than this program", "migrate it with: mlregistry migrate --db sqlite://"}},
		{name: "LsEnvDB", args: []string{"ls", "runs"}, code: 0, env: map[string]string{dbEnv: fx.db}, stdout: []string{"run-one"}},

		// show
		{name: "ShowComponent", args: []string{"show", db, fx.model1[:6]}, code: 0, stdout: []string{"Perceptron", "signature", "hidden_size", "32", "run-one"}},
		{name: "ShowComponentJSON", args: []string{"show", fx.adam, db, "--json"}, code: 0, stdout: []string{`"envelope"`, `"runs"`, "run-two", `"role": "optimizer"`}},
		{name: "ShowRun", args: []string{"show", db, "run-one"}, code: 0, stdout: []string{"succeeded", "optimizer", "Adam", "loss", "0.4"}},
		{name: "ShowRunJSON", args: []string{"show", db, "run-one", "--json"}, code: 0, stdout: []string{`"step": 100`, `"first_seen"`}},
		{name: "ShowNotFound", args: []string{"show", db, "abcdef"}, code: 3, stderr: []string{"no component hash and no run ID"}},
		{name: "ShowShortPrefix", args: []string{"show", db, "ab"}, code: 2, stderr: []string{`"ab" is not a hash or hash prefix: expected 4 to 32 hex digits`}},
		{name: "ShowNoArg", args: []string{"show", db}, code: 2, stderr: []string{"expected 1 argument"}},
		{name: "ShowBadFlag", args: []string{"show", "--nope", "x"}, code: 2, stderr: []string{"flag provided but not defined"}},

		// diff
		{name: "DiffRuns", args: []string{"diff", db, "run-one", "run-two"}, code: 0,
			stdout: []string{"components.model.arguments.hidden_size", "32", "16", "params.batch_size", "components.model.arguments.p"}},
		{name: "DiffSame", args: []string{"diff", db, "run-one", "run-one", "--exit-code"}, code: 0, stdout: []string{"no differences"}},
		{name: "DiffExitCode", args: []string{"diff", db, "--exit-code", fx.model1, fx.model2}, code: 1, stdout: []string{"arguments.hidden_size"}},
		{name: "DiffMixed", args: []string{"diff", db, "run-one", fx.model1}, code: 2, stderr: []string{"compare two runs (or pipeline files) or two components"}},
		{name: "DiffFiles", args: []string{"diff", db, model, fx.file(t, "b.json", fx.model2)}, code: 0, stdout: []string{"arguments.hidden_size", "arguments.p"}},
		{name: "DiffResolved", args: []string{"diff", db, "--json", "run-o", fx.model1[:6] + "x"}, code: 3},
		{name: "DiffJSON", args: []string{"diff", db, "--json", "run-o", "run-t"}, code: 0,
			stdout: []string{`"a": "run-one"`, `"b": "run-two"`, `"same": false`, `"path": "params.batch_size"`}},
		{name: "DiffRunAndPipelineFile", args: []string{"diff", db, "run-one", runOneSpec}, code: 0,
			stdout: []string{"params.seed"}, notStdout: []string{"components."}},
		{name: "DiffNoSuchFile", args: []string{"diff", db, "run-one", filepath.Join(dir, "nope.json")}, code: 2, stderr: []string{"nope.json: no such file"}},
		{name: "DiffDirectory", args: []string{"diff", db, "run-one", dir + "/"}, code: 2, stderr: []string{"is a directory"}},
		{name: "DiffTooBig", args: []string{"diff", db, big, model}, code: 2, stderr: []string{"big.json is 2097", "bytes (2.0 MiB): the limit is 1048576 bytes"}},

		// rebuild
		{name: "RebuildComponent", args: []string{"rebuild", db, fx.model1}, code: 0, stdout: []string{"Perceptron", "matches"}},
		{name: "RebuildOptimizer", args: []string{"rebuild", db, fx.adam}, code: 0, stdout: []string{"Adam", "matches"}, stderr: []string{"note: optimizer given the parameters of Perceptron"}},
		{name: "RebuildRun", args: []string{"rebuild", db, "run-one", "--json"}, code: 0, stdout: []string{`"role": "model"`, `"role": "dataset"`, `"match": true`}},
		{name: "RebuildFile", args: []string{"rebuild", model}, code: 0, stdout: []string{"Perceptron", fx.model1, "matches"}},
		{name: "RebuildNoSuchFile", args: []string{"rebuild", "nope.json"}, code: 2, stderr: []string{"nope.json: no such file"}},
		{name: "RebuildDirectory", args: []string{"rebuild", dir + "/"}, code: 2, stderr: []string{"is a directory"}},
		{name: "RebuildNotFound", args: []string{"rebuild", db, "0000000"}, code: 3},
		{name: "RebuildShortPrefix", args: []string{"rebuild", db, "abc"}, code: 2, stderr: []string{`"abc" is not a hash or hash prefix`}},
		{name: "RebuildRuntimeTypo", args: []string{"rebuild", db, "--runtime", `{"rooot": "/data"}`, "run-one"}, code: 2,
			stderr: []string{"runtime.rooot", "these components take none"}},

		// describe
		{name: "Describe", args: []string{"describe", "Perceptron"}, code: 0, stdout: []string{"hidden_size", "required", "JSON Schema", `"title": "Perceptron"`}},
		{name: "DescribeNestedDefault", args: []string{"describe", "MLP"}, code: 0, stdout: []string{"ml.Model  ReLU()"}},
		{name: "DescribeJSON", args: []string{"describe", "--json", "Adam"}, code: 0, stdout: []string{`"excluded": true`, `"schema"`}},
		{name: "DescribeTypo", args: []string{"describe", "Perceptorn"}, code: 3, stderr: []string{`did you mean "Perceptron"`}},
		{name: "DescribeAll", args: []string{"describe"}, code: 0, stdout: []string{"criterion", "CrossEntropyLoss"}},
		{name: "DescribeDatasets", args: []string{"describe", "--kind", "dataset"}, code: 0, stdout: []string{"Digits", "MNIST"}, notStdout: []string{"Perceptron", "Adam"}},
		{name: "DescribeBadKind", args: []string{"describe", "--kind", "foo"}, code: 2, stderr: []string{`--kind "foo": expected one of model, criterion, optimizer, dataset`}},

		// hash
		{name: "HashEnvelope", args: []string{"hash", model}, code: 0, stdout: []string{fx.model1, "matches"}},
		{name: "HashRecorded", args: []string{"hash", db, model}, code: 0, stdout: []string{"RECORDED", "true"}},
		{name: "HashNestedSpec", args: []string{"hash", "--json", nested}, code: 0, stdout: []string{`"name": "MLP"`, `"match": null`}},
		{name: "HashEditedSignature", args: []string{"hash", retyped}, code: 1, stderr: []string{"recorded signature is not the component's", `"hidden_size" recorded as float64, registered as int`}},
		{name: "HashRuntimeTypo", args: []string{"hash", "--runtime", `{"rooot": "/data"}`, mnistSpec}, code: 2, stderr: []string{"runtime.rooot", `did you mean "root"`}},
		{name: "HashTooBig", args: []string{"hash", big}, code: 2, stderr: []string{"the limit is 1048576 bytes"}},
		{name: "HashMissingData", args: []string{"hash", "--runtime", `{"root": "` + emptyDir + `"}`, mnistPipeline}, code: 1, stderr: []string{"file does not exist"}},
		{name: "HashNoSuchFile", args: []string{"hash", "nope.json"}, code: 2, stderr: []string{"nope.json: no such file"}},

		// migrate
		{name: "MigrateCurrent", args: []string{"migrate", db}, code: 0, stdout: []string{"current schema already"}},
		{name: "MigrateForeign", args: []string{"migrate", "--db", foreign}, code: 2, stderr: []string{"not an mlregistry store"}},
		{name: "MigrateMissing", args: []string{"migrate", "--db", filepath.Join(dir, "none.db")}, code: 3},
		{name: "MigrateOld", args: []string{"migrate", "--db", old}, code: 0, stdout: []string{"migrated"}},
		{name: "LsAfterMigrate", args: []string{"ls", "--db", old}, code: 0, stdout: []string{"Perceptron"}},
	}
	// Every command that uses a store says where its --db default comes
	// from, in one spelling.
	for _, name := range []string{"train", "ls", "show", "diff", "rebuild", "hash", "migrate"} {
		tests = append(tests, commandCase{name: "DBHelp_" + name, args: []string{"help", name}, code: 0,
			stdout: []string{"(default: $MLREGISTRY_DB, else " + store.DefaultURL + ")"}, notStdout: []string{"sqlite://mlregistry.db"}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t) })
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("a read command created none.db")
	}
}

// check runs the case and reports where it does not do what it must.
func (tt commandCase) check(t *testing.T) {
	t.Helper()
	if tt.trains {
		trainsGoMLX(t)
	}
	t.Setenv(dbEnv, "")
	for k, v := range tt.env {
		t.Setenv(k, v)
	}
	code, stdout, stderr := runCLI(t, tt.args...)
	cmdline := "mlregistry " + strings.Join(tt.args, " ")
	if code != tt.code {
		t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", cmdline, code, tt.code, stdout, stderr)
	}
	for _, want := range tt.stdout {
		if !strings.Contains(stdout, want) {
			t.Errorf("%s: stdout lacks %q:\n%s", cmdline, want, stdout)
		}
	}
	for _, want := range tt.stderr {
		if !strings.Contains(stderr, want) {
			t.Errorf("%s: stderr lacks %q:\n%s", cmdline, want, stderr)
		}
	}
	for _, not := range tt.notStdout {
		if strings.Contains(stdout, not) || strings.Contains(stderr, not) {
			t.Errorf("%s: the output holds %q:\nstdout:\n%s\nstderr:\n%s", cmdline, not, stdout, stderr)
		}
	}
	if tt.noStdout && stdout != "" {
		t.Errorf("%s: printed to stdout before failing:\n%s", cmdline, stdout)
	}
	if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
		t.Errorf("%s: a stack trace:\n%s", cmdline, stderr)
	}
}

// readFile returns the content of path.
func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// execSQLite runs statements on the SQLite file path, creating it.
func execSQLite(t *testing.T, path string, statements ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range statements {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// oldStore writes a store as mlregistry's schema version 1 left it — one
// component, no runs tables — at path, and returns its URL.
func oldStore(t *testing.T, path string) string {
	t.Helper()
	execSQLite(t, path,
		`CREATE TABLE mlregistry_schema (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied BIGINT NOT NULL)`,
		`CREATE TABLE components (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL,
			envelope TEXT NOT NULL, first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL)`,
		`CREATE INDEX components_by_name ON components (name, seq)`,
		`INSERT INTO mlregistry_schema VALUES (1, 'components, keyed by hash', 0)`,
		`INSERT INTO components (hash, name, kind, envelope, first_seen, last_seen) VALUES
			('0123456789abcdef0123456789abcdef', 'Perceptron', 'model', '{"format":"mlregistry/v1","name":"Perceptron"}', 1, 2)`,
	)
	return "sqlite://" + path
}
