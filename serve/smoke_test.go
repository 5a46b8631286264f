package serve_test

import "testing"

func TestSmoke(t *testing.T) {
	f := newFixture(t, "")
	run := f.trained()
	for _, p := range []string{"/v2", "/v2/models/" + run.ID, "/v1/components?kind=model", "/v1/components/optimizer/Adam", "/v1/runs", "/nope", "/v2/models/nope"} {
		s, b := f.do("GET", p, "")
		t.Logf("GET %s: %d %.300s", p, s, b)
	}
	s, b := f.do("POST", "/v2/models/"+run.ID+"/infer", `{"inputs":[{"name":"input","shape":[1,64],"datatype":"FP32","data":[`+zeros(64)+`]}]}`)
	t.Logf("infer: %d %.400s", s, b)
	s, b = f.do("POST", "/v2/models/"+run.ID+"/infer", `{"inputs":[{"name":"input","shape":[1,63],"datatype":"FP32","data":[1]}], "bogus": 1}`)
	t.Logf("infer bad: %d %.400s", s, b)
	s, b = f.do("POST", "/v1/validate", `{"model": {"name": "Perceptrn"}, "optimizer": {"name": "Adam", "kwargs": {"lr": "x"}}}`)
	t.Logf("validate: %d %.600s", s, b)
	s, b = f.do("GET", "/openapi.json", "")
	t.Logf("openapi: %d %d bytes", s, len(b))
}

func zeros(n int) string {
	s := "0"
	for i := 1; i < n; i++ {
		s += ",0"
	}
	return s
}
