package serve_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

func TestDeleteRun(t *testing.T) {
	f := newFixture(t, "s3cret")
	run := f.trained()
	if _, err := os.Stat(run.ArtifactDir); err != nil {
		t.Fatalf("the trained run's directory: %v", err)
	}
	status, data := f.do("POST", "/v1/runs", `{"dataset": {"name": "Digits"}, "training": {"steps": 1000000}}`)
	var long store.Run
	if status != http.StatusAccepted || json.Unmarshal(data, &long) != nil {
		t.Fatalf("POST /v1/runs: %d %s", status, data)
	}
	defer f.do("POST", "/v1/runs/"+long.ID+"/cancel", "")

	for _, c := range []struct {
		name, path, auth string // auth "-": send no token
		status           int
		want             string
	}{
		{"without the token", run.ID, "-", 401, "unauthorized"},
		{"a prefix", run.ID[:len(run.ID)-2], "", 400, "give the full ID"},
		{"unknown", "run-20990101-000000-00000000", "", 404, "not found"},
		{"an active run", long.ID, "", 409, "cancel it first"},
		{"a finished run", run.ID, "", 204, ""},
		{"again", run.ID, "", 404, "not found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.auth == "-" { // no Authorization header
				f.token = ""
				defer func() { f.token = "s3cret" }()
			}
			status, data := f.do("DELETE", "/v1/runs/"+c.path, "")
			if status != c.status {
				t.Fatalf("DELETE: %d %s, want %d", status, data, c.status)
			}
			if c.want != "" && !strings.Contains(errorOf(t, data), c.want) {
				t.Errorf("DELETE: %s, want %q", data, c.want)
			}
		})
	}
	if _, err := os.Stat(run.ArtifactDir); !os.IsNotExist(err) {
		t.Errorf("the deleted run's directory: %v, want it gone", err)
	}
	if status, _ := f.do("GET", "/v1/runs/"+run.ID, ""); status != 404 {
		t.Errorf("GET the deleted run: %d, want 404", status)
	}
}

func TestListRunsFilters(t *testing.T) {
	f := newFixture(t, "")
	run := f.trained()
	for _, c := range []struct {
		query string
		want  int // runs listed; -1: a 400
	}{
		{"name=Perceptron", 1},
		{"name=MLP", 0},
		{"name=Adam&role=optimizer", 1},
		{"name=Adam&role=model", 0},
		{"kind=dataset", 1},
		{"kind=datasett", -1},
		{"metric=test_accuracy&min=0&max=1", 1},
		{"metric=test_accuracy&min=1.5", 0},
		{"metric=test_accuracy&min=high", -1},
		{"min=0.5", -1},
		{"sort=test_accuracy", 1},
		{"sort=test_accuracy&order=asc", 1},
		{"sort=no_such_metric", 0},
		{"order=asc", -1},
	} {
		status, data := f.do("GET", "/v1/runs?"+c.query, "")
		if c.want < 0 {
			if status != 400 {
				t.Errorf("%s: %d %s, want 400", c.query, status, data)
			}
			continue
		}
		var list struct{ Runs []store.Run }
		if status != 200 || json.Unmarshal(data, &list) != nil || len(list.Runs) != c.want {
			t.Errorf("%s: %d %s, want %d runs", c.query, status, data, c.want)
		}
		if len(list.Runs) == 1 && list.Runs[0].ID != run.ID {
			t.Errorf("%s: listed %s, want %s", c.query, list.Runs[0].ID, run.ID)
		}
	}
}
