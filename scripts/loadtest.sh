#!/bin/sh
# Load test of a real "mlregistry serve" over loopback: trains the seed's
# pipeline (Perceptron(784, 256, 10) on MNIST) for a few steps into a fresh
# store, serves it, and drives each endpoint with internal/loadgen from 8
# clients for DURATION (default 10s), printing req/s, rows/s, p50 and p99:
#
#   POST /v2/models/RUN/infer, batch 1 and batch 64
#   GET  /v1/components/model/Perceptron
#   POST /v1/validate
#
# GOEXPERIMENT passes through to the builds: run it once as it is and once
# as GOEXPERIMENT=simd scripts/loadtest.sh. LOADGEN=wrk drives the same
# requests with Debian's wrk (apt-get install wrk) instead, on 2 threads:
# a client in C that leaves the server more of the 2 cores than Go's
# net/http client does. Nothing leaves loopback; the store, the run
# directory and the server are removed at the end.
set -eu
cd "$(dirname "$0")/.."
duration=${1:-10s}
clients=${CLIENTS:-8}
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "building (GOEXPERIMENT=${GOEXPERIMENT:-})"
go build -o "$tmp/mlregistry" ./cmd/mlregistry
go build -o "$tmp/loadgen" ./internal/loadgen
db="sqlite://$tmp/store.db"
"$tmp/mlregistry" train --steps 20 --db "$db" --runs "$tmp/runs" --progress off >"$tmp/train.log"
run=$(grep -o 'run-[0-9]*-[0-9]*-[0-9a-f]*' "$tmp/train.log" | head -n 1)
[ -n "$run" ] || { cat "$tmp/train.log"; echo "loadtest: no run recorded" >&2; exit 1; }

"$tmp/mlregistry" serve --addr 127.0.0.1:0 --db "$db" --runs "$tmp/runs" >"$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q '^listening on ' "$tmp/serve.log" && break
	sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$tmp/serve.log")
[ -n "$base" ] || { cat "$tmp/serve.log"; echo "loadtest: serve did not start" >&2; exit 1; }

# An infer request of ROWS rows of 784 features.
body() {
	awk -v rows="$1" 'BEGIN {
		printf "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [%d, 784], \"data\": [", rows
		for (i = 0; i < rows * 784; i++) printf "%s%g", (i ? "," : ""), (i % 255) / 255
		printf "]}]}"
	}'
}
body 1 >"$tmp/infer1.json"
body 64 >"$tmp/infer64.json"
echo '{"name": "Adam", "kwargs": {"lr": 0.01}}' >"$tmp/validate.json"

load() {
	printf '%-44s ' "$1"
	shift
	if [ "${LOADGEN:-}" = wrk ]; then
		wrkload "$@"
	else
		"$tmp/loadgen" -c "$clients" -d "$duration" "$@"
	fi
}

# wrkload -url URL [-body FILE] [-rows N]: the request as wrk sends it, a
# line like loadgen's; any status of 400 or above fails the script.
wrkload() {
	url= bodyfile= rows=1
	while [ $# -gt 0 ]; do
		case $1 in
		-url) url=$2 ;;
		-body) bodyfile=$2 ;;
		-rows) rows=$2 ;;
		esac
		shift 2
	done
	script=$tmp/request.lua
	if [ -n "$bodyfile" ]; then
		printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nlocal f = io.open("%s", "rb")\nwrk.body = f:read("*a")\nf:close()\n' "$bodyfile" >"$script"
	else
		: >"$script"
	fi
	cat >>"$script" <<-'LUA'
	done = function(summary, latency)
		io.write(string.format("WRK %d %.6f %.3f %.3f %d\n", summary.requests, summary.duration / 1e6,
			latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
	end
	LUA
	out=$(wrk -t 2 -c "$clients" -d "$duration" -s "$script" "$url") || { echo "$out"; exit 1; }
	echo "$out" | awk -v rows="$rows" '$1 == "WRK" {
		seen = 1
		if ($6 > 0) { print "wrk: " $6 " responses had a status of 400 or above" > "/dev/stderr"; exit 1 }
		printf "%.0f req/s  %.0f rows/s  p50 %.2f ms  p99 %.2f ms  (wrk, %d requests)\n", $2 / $3, $2 * rows / $3, $4, $5, $2
	}
	END { if (!seen) { print "wrk printed no summary:" > "/dev/stderr"; exit 1 } }' || { echo "$out" >&2; exit 1; }
}
echo "serving $run at $base; $clients clients, $duration each; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$tmp/loadgen" -c 1 -n 1 -url "$base/v2/models/$run/infer" -body "$tmp/infer1.json" >/dev/null # loads the model
load "POST /v2/models/{run}/infer, batch 1" -url "$base/v2/models/$run/infer" -body "$tmp/infer1.json" -rows 1
load "POST /v2/models/{run}/infer, batch 64" -url "$base/v2/models/$run/infer" -body "$tmp/infer64.json" -rows 64
load "GET /v1/components/model/Perceptron" -url "$base/v1/components/model/Perceptron"
load "POST /v1/validate" -url "$base/v1/validate" -body "$tmp/validate.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
