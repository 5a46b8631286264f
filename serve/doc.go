// Package serve is mlregistry's HTTP API over package service: the
// catalogue of components (/v1/components, /v1/validate, /v1/hash,
// /v1/records), training runs (/v1/runs, their metrics and server-sent
// events, /v1/diff), and predictions from succeeded runs over the Open
// Inference Protocol's REST API (KServe V2, /v2). The OpenAPI 3.1
// description of all of it, generated from the Go types by huma, is at
// /openapi.json.
//
// Every error is a JSON object {"error": "…"} whose message says what was
// wrong, where (a JSON path into the request) and the likely fix; a request
// with several problems lists them all, in "problems" too. Importing this
// package makes huma's errors take that shape (it sets huma.NewError).
package serve
