#!/usr/bin/env bash
# .ci/postgres.sh — install (if needed) and start a throwaway PostgreSQL for the store tests.
#
# Source it from CI so the URL reaches `go test`:
#
#	. .ci/postgres.sh          # installs, starts, exports MLREGISTRY_TEST_POSTGRES_URL
#	go test ./...              # store/postgres runs the shared suite against it
#	mlregistry_postgres_stop   # optional: the server also stops when the sourcing shell exits
#
# Or run it, and eval what it prints:  eval "$(.ci/postgres.sh)"  (the server then keeps running;
# stop it with: su postgres -s /bin/sh -c "pg_ctl -D $MLREGISTRY_TEST_POSTGRES_DATA stop -m fast").
#
# The server runs as the postgres user, listens on 127.0.0.1 only, on a non-default port
# (MLREGISTRY_TEST_POSTGRES_PORT, default 55432), with trust authentication and fsync off:
# it is for tests and is thrown away. Exported:
#
#	MLREGISTRY_TEST_POSTGRES_URL   postgres://postgres@127.0.0.1:PORT/mlregistry_test?sslmode=disable
#	MLREGISTRY_TEST_POSTGRES_DATA  the data directory (deleted by mlregistry_postgres_stop)

_mlr_pg_main() {
	local port="${MLREGISTRY_TEST_POSTGRES_PORT:-55432}"
	local bindir
	bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
		echo "postgres.sh: installing PostgreSQL (apt-get install -y postgresql)" >&2
		if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2; }; then
			echo "postgres.sh: could not install postgresql with apt-get" >&2
			return 1
		fi
		bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	fi
	if [ -z "$bindir" ]; then
		echo "postgres.sh: no /usr/lib/postgresql/*/bin after installing postgresql" >&2
		return 1
	fi
	local data
	data=$(mktemp -d /tmp/mlregistry-pg.XXXXXX) || return 1
	chown postgres:postgres "$data" || return 1
	local as_pg="su postgres -s /bin/sh -c"
	if [ "$(id -un)" = postgres ]; then as_pg="sh -c"; fi
	if ! $as_pg "'$bindir/initdb' -D '$data/db' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >"$data/initdb.log" 2>&1; then
		echo "postgres.sh: initdb failed; log:" >&2
		cat "$data/initdb.log" >&2
		return 1
	fi
	if ! $as_pg "'$bindir/pg_ctl' -D '$data/db' -l '$data/server.log' -w -t 60 start -o \"-p $port -c listen_addresses=127.0.0.1 -k '$data' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\"" >&2; then
		echo "postgres.sh: pg_ctl start failed (port $port in use?); server log:" >&2
		cat "$data/server.log" >&2
		return 1
	fi
	if ! $as_pg "'$bindir/createdb' -h 127.0.0.1 -p $port -U postgres mlregistry_test" >&2; then
		echo "postgres.sh: createdb failed" >&2
		return 1
	fi
	MLREGISTRY_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/mlregistry_test?sslmode=disable"
	MLREGISTRY_TEST_POSTGRES_DATA="$data/db"
	_MLR_PG_BINDIR="$bindir"
	_MLR_PG_DIR="$data"
	export MLREGISTRY_TEST_POSTGRES_URL MLREGISTRY_TEST_POSTGRES_DATA
	echo "postgres.sh: PostgreSQL ready at $MLREGISTRY_TEST_POSTGRES_URL" >&2
}

# mlregistry_postgres_stop stops the throwaway server and deletes its files.
mlregistry_postgres_stop() {
	[ -n "${_MLR_PG_DIR:-}" ] || return 0
	su postgres -s /bin/sh -c "'$_MLR_PG_BINDIR/pg_ctl' -D '$_MLR_PG_DIR/db' -m fast -w stop" >/dev/null 2>&1 || true
	rm -rf "$_MLR_PG_DIR"
	unset _MLR_PG_DIR MLREGISTRY_TEST_POSTGRES_URL MLREGISTRY_TEST_POSTGRES_DATA
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
	# Sourced: start, and stop when the sourcing shell exits (keeping any EXIT trap it had).
	if _mlr_pg_main; then
		_mlr_pg_prev_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
		trap "mlregistry_postgres_stop; ${_mlr_pg_prev_trap}" EXIT
	else
		echo "postgres.sh: PostgreSQL not started; the PostgreSQL store tests will be skipped" >&2
		false
	fi
else
	# Executed: start, and print the exports for eval.
	set -u
	_mlr_pg_main || exit 1
	printf 'export MLREGISTRY_TEST_POSTGRES_URL=%q\nexport MLREGISTRY_TEST_POSTGRES_DATA=%q\n' \
		"$MLREGISTRY_TEST_POSTGRES_URL" "$MLREGISTRY_TEST_POSTGRES_DATA"
fi
