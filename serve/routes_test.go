package serve_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/store"
)

// row64 is one row of 64 features, as JSON numbers.
var row64 = strings.TrimSuffix(strings.Repeat("0.5,", 64), ",")

// infer is an infer request body of the given shape, datatype and data.
func infer(shape, datatype, data string) string {
	return `{"id": "r1", "inputs": [{"name": "input", "shape": ` + shape + `, "datatype": "` + datatype + `", "data": ` + data + `}]}`
}

func TestRoutes(t *testing.T) {
	f := newFixture(t, "")
	run := f.trained()
	other := f.trained()
	var model string
	for _, c := range run.Components {
		if c.Role == "model" {
			model = c.Hash
		}
	}
	vars := strings.NewReplacer("{run}", run.ID, "{other}", other.ID, "{model}", model)
	big := `{"inputs": [{"name": "input", "shape": [1, 64], "datatype": "FP32", "data": [` + strings.Repeat("0.25,", 300000) + `0]}]}`

	for _, c := range []struct {
		name, method, path, body string
		header                   []string
		status                   int
		contains                 []string // in the body
	}{
		{"live", "GET", "/v2/health/live", "", nil, 200, []string{`"live":true`}},
		{"ready", "GET", "/v2/health/ready", "", nil, 200, []string{`"ready":true`}},
		{"server metadata", "GET", "/v2", "", nil, 200, []string{`"name":"mlregistry"`, `"version":"test"`, `"extensions":[]`}},
		{"model metadata", "GET", "/v2/models/{run}", "", nil, 200, []string{`"name":"{run}"`, `"platform":"mlregistry_gomlx"`,
			`{"name":"input","datatype":"FP32","shape":[-1,64]}`, `{"name":"probabilities","datatype":"FP32","shape":[-1,10]}`, `{"name":"label","datatype":"INT64","shape":[-1]}`}},
		{"model metadata, version", "GET", "/v2/models/{run}/versions/1", "", nil, 200, []string{`"versions":["1"]`}},
		{"model metadata, unknown version", "GET", "/v2/models/{run}/versions/2", "", nil, 404, []string{`no version \"2\"`}},
		{"unknown model", "GET", "/v2/models/run-nope", "", nil, 404, []string{`model \"run-nope\": no run has this ID`}},
		{"model ready", "GET", "/v2/models/{run}/ready", "", nil, 200, []string{`"ready":true`}},
		{"model ready, version", "GET", "/v2/models/{run}/versions/1/ready", "", nil, 200, []string{`"ready":true`}},
		{"unknown model ready", "GET", "/v2/models/nope/ready", "", nil, 404, nil},
		{"infer flat", "POST", "/v2/models/{run}/infer", infer("[2, 64]", "FP32", "["+row64+","+row64+"]"), nil, 200,
			[]string{`"model_name":"{run}"`, `"id":"r1"`, `"name":"probabilities","shape":[2,10],"datatype":"FP32"`, `"name":"label","shape":[2],"datatype":"INT64"`}},
		{"infer nested", "POST", "/v2/models/{run}/versions/1/infer", infer("[2, 64]", "FP32", "[["+row64+"],["+row64+"]]"), nil, 200, []string{`"shape":[2,10]`}},
		{"infer one output", "POST", "/v2/models/{run}/infer", `{"inputs": [{"name": "input", "shape": [1, 64], "datatype": "FP32", "data": [` + row64 + `]}], "outputs": [{"name": "label"}]}`, nil, 200, []string{`"outputs":[{"name":"label"`}},
		{"infer unknown output", "POST", "/v2/models/{run}/infer", `{"inputs": [{"name": "input", "shape": [1, 64], "datatype": "FP32", "data": [` + row64 + `]}], "outputs": [{"name": "logits"}]}`, nil, 400, []string{`outputs[0].name: \"logits\"`}},
		{"infer wrong datatype", "POST", "/v2/models/{run}/infer", infer("[1, 64]", "INT32", "["+row64+"]"), nil, 400, []string{`inputs[0].datatype: \"INT32\": expected \"FP32\"`}},
		{"infer wrong shape", "POST", "/v2/models/{run}/infer", infer("[1, 63]", "FP32", "["+row64+"]"), nil, 400, []string{`inputs[0].shape: [1 63]`, `[-1, 64]`}},
		{"infer wrong element count", "POST", "/v2/models/{run}/infer", infer("[2, 64]", "FP32", "["+row64+"]"), nil, 400, []string{`inputs[0].data: 64 elements: the shape [2 64] holds 128`}},
		{"infer too many elements", "POST", "/v2/models/{run}/infer", infer("[1, 64]", "FP32", "["+row64+",1]"), nil, 400, []string{`inputs[0].data: 65 elements: the shape [1 64] holds 64`}},
		{"infer not numbers", "POST", "/v2/models/{run}/infer", infer("[1, 64]", "FP32", `["a"]`), nil, 400, []string{`inputs[].data[0]: a string: expected numbers`}},
		{"infer no inputs", "POST", "/v2/models/{run}/infer", `{"inputs": []}`, nil, 400, []string{`inputs: 0 tensors`}},
		{"infer unknown member", "POST", "/v2/models/{run}/infer", `{"inputs": [], "input": 1}`, nil, 400, []string{`unknown field \"input\"`}},
		{"infer not JSON", "POST", "/v2/models/{run}/infer", `{"inputs": [`, nil, 400, nil},
		{"infer unknown model", "POST", "/v2/models/run-nope/infer", infer("[1, 64]", "FP32", "["+row64+"]"), nil, 404, nil},
		{"infer body too large", "POST", "/v2/models/{run}/infer", big, nil, 413, []string{`at most 1 MiB`}},

		{"components", "GET", "/v1/components", "", nil, 200, []string{`"kinds":["model","criterion","optimizer","dataset"]`, `{"kind":"optimizer","name":"Adam"`}},
		{"components of a kind", "GET", "/v1/components?kind=dataset", "", nil, 200, []string{`"name":"Digits"`}},
		{"components of an unknown kind", "GET", "/v1/components?kind=models", "", nil, 400, []string{`kind \"models\"`, `did you mean \"model\"?`}},
		{"describe", "GET", "/v1/components/model/Perceptron", "", nil, 200, []string{`"signature":"{input_size: int, hidden_size: int, output_size: int, p: float64, bias: bool}"`, `"schema":{`, `"default":0.5`}},
		{"describe unknown", "GET", "/v1/components/model/Perceptrn", "", nil, 404, []string{`did you mean \"Perceptron\"?`}},
		{"describe unknown kind", "GET", "/v1/components/loss/MSELoss", "", nil, 400, []string{`kind \"loss\"`}},
		{"validate pipeline", "POST", "/v1/validate", `{"dataset": {"name": "Digits"}, "model": {"name": "Perceptron", "kwargs": {"hidden_size": 8}}}`, nil, 200,
			[]string{`"valid":true`, `"what":"pipeline"`, `"role":"model","kind":"model","name":"Perceptron"`}},
		{"validate pipeline with problems", "POST", "/v1/validate", `{"dataset": {"name": "Digits"}, "model": {"name": "Perceptron", "kwargs": {"hidden_size": "wide"}}, "criterion": {"name": "CrossEntropyLoss", "kwargs": {"label_smoothing": "lots"}}}`, nil, 200,
			[]string{`"valid":false`, `"path":"model.kwargs.hidden_size"`, `"path":"criterion.kwargs.label_smoothing"`}},
		{"validate component", "POST", "/v1/validate", `{"name": "Adam", "kwargs": {"lr": 0.01}}`, nil, 200, []string{`"valid":true`, `"what":"component"`, `"kind":"optimizer"`}},
		{"validate component with problems", "POST", "/v1/validate", `{"name": "MLP", "kwargs": {"activation": {"name": "Tahn"}}}`, nil, 200, []string{`"valid":false`, `did you mean \"Tanh\"?`}},
		{"validate tampered envelope", "POST", "/v1/validate", `{"format": "mlregistry/v1", "kind": "optimizer", "name": "Adam", "kwargs": {"lr": 0.5}, "hash": "37182e3ec4deb3da8fd0408447ff5e63"}`, nil, 200, []string{`"valid":false`, `"what":"envelope"`}},
		{"validate not an object", "POST", "/v1/validate", `[1, 2]`, nil, 400, []string{`expected a JSON object`}},
		{"hash component", "POST", "/v1/hash", `{"name": "Perceptron", "args": [784, 256, 10], "kwargs": {"p": 0.5, "bias": true}}`, nil, 200, []string{`"hash":"a5b23870c829a0112ce11c562ae20f85"`}},
		{"hash invalid", "POST", "/v1/hash", `{"name": "Adam", "kwargs": {"lr": "x"}}`, nil, 400, []string{`invalid component: kwargs.lr`, `"problems":[{"path":"kwargs.lr"`}},
		{"record", "GET", "/v1/records/{model}", "", nil, 200, []string{`"hash":"{model}"`, `"id":"{run}"`, `"id":"{other}"`}},
		{"record by prefix", "GET", "/v1/records/" + model[:8], "", nil, 200, []string{`"hash":"{model}"`}},
		{"record unknown", "GET", "/v1/records/00000000", "", nil, 404, nil},
		{"record bad hash", "GET", "/v1/records/abc", "", nil, 400, []string{`\"abc\" is not a hash or hash prefix: expected 4 to 32 hex digits`}},
		{"record unknown run", "GET", "/v1/records/run-nope", "", nil, 404, []string{`no component hash and no run ID starts with \"run-nope\"`}},
		{"record of a run", "GET", "/v1/records/{run}", "", nil, 200, []string{`"what":"run"`, `"role":"model"`, `"last_metrics"`}},
		{"rebuild", "GET", "/v1/records/{model}/rebuild", "", nil, 200, []string{`"what":"component"`, `"match":true`}},
		{"rebuild run", "GET", "/v1/records/{run}/rebuild", "", nil, 200, []string{`"what":"run"`, `"role":"optimizer"`}},
		{"rebuild unknown", "GET", "/v1/records/00000000/rebuild", "", nil, 404, nil},

		{"submit invalid", "POST", "/v1/runs", `{"dataset": {"name": "Digits"}, "training": {"batch_sise": 3}}`, nil, 400, []string{`did you mean \"batch_size\"?`}},
		{"submit unfit", "POST", "/v1/runs", `{"dataset": {"name": "Digits"}, "model": {"name": "Perceptron", "args": [784, 16, 10]}}`, nil, 400, []string{`model.arguments.input_size: Perceptron takes 784 features, but Digits has 64`, `"problems"`}},
		{"submit not an object", "POST", "/v1/runs", `"train"`, nil, 400, []string{`expected a JSON object`}},
		{"runs", "GET", "/v1/runs", "", nil, 200, []string{`"id":"{run}"`, `"id":"{other}"`}},
		{"runs page", "GET", "/v1/runs?limit=1", "", nil, 200, []string{`"next":"{other}"`}},
		{"runs after", "GET", "/v1/runs?after={other}", "", nil, 200, []string{`"id":"{run}"`}},
		{"runs by status", "GET", "/v1/runs?status=succeeded", "", nil, 200, []string{`"id":"{run}"`}},
		{"runs by bad status", "GET", "/v1/runs?status=done", "", nil, 400, []string{`status`}},
		{"runs by component", "GET", "/v1/runs?component={model}&role=model", "", nil, 200, []string{`"id":"{run}"`}},
		{"runs by role alone", "GET", "/v1/runs?role=model", "", nil, 400, []string{`role: only with component`}},
		{"runs bad limit", "GET", "/v1/runs?limit=20000", "", nil, 400, []string{`limit`}},
		{"run", "GET", "/v1/runs/{run}", "", nil, 200, []string{`"status":"succeeded"`, `"test_accuracy"`}},
		{"unknown run", "GET", "/v1/runs/run-nope", "", nil, 404, nil},
		{"metrics", "GET", "/v1/runs/{run}/metrics", "", nil, 200, []string{`"run_id":"{run}"`, `"name":"batch_loss"`}},
		{"metrics page", "GET", "/v1/runs/{run}/metrics?limit=2", "", nil, 200, []string{`"next":2`}},
		{"metrics after", "GET", "/v1/runs/{run}/metrics?after=19", "", nil, 200, []string{`"step":20`}},
		{"metrics unknown run", "GET", "/v1/runs/run-nope/metrics", "", nil, 404, nil},
		{"cancel finished", "POST", "/v1/runs/{run}/cancel", "", nil, 409, []string{`succeeded`}},
		{"cancel unknown", "POST", "/v1/runs/run-nope/cancel", "", nil, 404, nil},
		{"diff", "GET", "/v1/diff?a={run}&b={other}", "", nil, 200, []string{`"changes":[]`}},
		{"diff components", "GET", "/v1/diff?a={model}&b={model}", "", nil, 200, []string{`"changes":[]`}},
		{"diff missing b", "GET", "/v1/diff?a={run}", "", nil, 400, []string{`b`}},
		{"diff unknown", "GET", "/v1/diff?a={run}&b=run-nope", "", nil, 404, []string{`b: no component hash and no run ID starts with \"run-nope\"`}},
		{"events unknown run", "GET", "/v1/runs/run-nope/events", "", nil, 404, nil},
		{"events bad Last-Event-ID", "GET", "/v1/runs/{run}/events", "", []string{"Last-Event-ID", "x"}, 400, []string{`Last-Event-ID \"x\"`}},
		{"openapi", "GET", "/openapi.json", "", nil, 200, []string{`"openapi":"3.1.0"`, `"/v2/models/{name}/infer"`, `"/v1/runs/{id}/events"`}},
		{"no route", "GET", "/v3", "", nil, 404, []string{`no route GET /v3`}},
		{"cross-origin write", "POST", "/v1/validate", `{"name": "Adam"}`, []string{"Sec-Fetch-Site", "cross-site"}, 403, []string{`cross-origin POST refused`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, data := f.do(c.method, vars.Replace(c.path), c.body, c.header...)
			if status != c.status {
				t.Fatalf("%s %s: %d %.500s, want %d", c.method, c.path, status, data, c.status)
			}
			if status >= 400 {
				errorOf(t, data)
			}
			for _, want := range c.contains {
				if w := vars.Replace(want); !strings.Contains(string(data), w) {
					t.Errorf("%s %s: body %.800s\nwants %s", c.method, c.path, data, w)
				}
			}
		})
	}
}

func TestSubmitAndCancel(t *testing.T) {
	f := newFixture(t, "")
	status, data := f.do("POST", "/v1/runs", `{"dataset": {"name": "Digits"}, "training": {"steps": 1000000}}`)
	if status != http.StatusAccepted {
		t.Fatalf("POST /v1/runs: %d %s", status, data)
	}
	var run store.Run
	if err := json.Unmarshal(data, &run); err != nil || run.Status != store.StatusQueued {
		t.Fatalf("submitted: %s (%v): want a queued run", data, err)
	}
	status, data = f.do("POST", "/v1/runs/"+run.ID+"/cancel", "")
	if status != http.StatusOK || !strings.Contains(string(data), `"status":"canceled"`) {
		t.Fatalf("cancel: %d %s, want 200 and canceled", status, data)
	}
	status, data = f.do("GET", "/v2/models/"+run.ID, "")
	if status != http.StatusConflict || !strings.Contains(errorOf(t, data), "the run is canceled") {
		t.Errorf("model of a canceled run: %d %s, want 409", status, data)
	}
}

func TestToken(t *testing.T) {
	f := newFixture(t, "s3cret")
	for _, c := range []struct {
		name, method, path, auth string
		status                   int
	}{
		{"submit without token", "POST", "/v1/runs", "", 401},
		{"submit with a wrong token", "POST", "/v1/runs", "Bearer s3cre7", 401},
		{"submit with basic auth", "POST", "/v1/runs", "Basic czNjcmV0", 401},
		{"cancel without token", "POST", "/v1/runs/run-x/cancel", "", 401},
		{"read without token", "GET", "/v1/runs", "", 200},
		{"validate without token", "POST", "/v1/validate", "", 200},
		{"submit with the token", "POST", "/v1/runs", "Bearer s3cret", 202},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, f.srv.URL+c.path, strings.NewReader(`{"dataset": {"name": "Digits"}, "training": {"steps": 1}}`))
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("%d, want %d", resp.StatusCode, c.status)
			}
			if c.status == 401 {
				var e map[string]string
				_ = json.NewDecoder(resp.Body).Decode(&e)
				if !strings.HasPrefix(e["error"], "unauthorized: ") || resp.Header.Get("WWW-Authenticate") == "" {
					t.Errorf("401 body %v, WWW-Authenticate %q", e, resp.Header.Get("WWW-Authenticate"))
				}
			}
		})
	}
}
