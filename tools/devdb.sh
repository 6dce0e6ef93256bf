#!/bin/sh
# devdb.sh - a private PostgreSQL cluster under var/ for `make run`.
#
#   tools/devdb.sh start   initdb once, start if not running, create the
#                          database; prints the connection URL on stdout
#   tools/devdb.sh stop    stop the cluster if it runs
#   tools/devdb.sh url     print the connection URL
#
# The cluster listens on a unix socket only (no TCP port to collide with),
# in var/pg/run. PostgreSQL refuses to run as root, so as root the cluster
# belongs to the 'postgres' user that Debian's server package creates.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
var="$top/var/pg"
data="$var/data"
run="$var/run"
port="${MEDLEY_DEVDB_PORT:-54329}"
db=medley

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "devdb: no PostgreSQL server found under /usr/lib/postgresql (run: make deps)" >&2
	exit 1
fi

if [ "$(id -u)" = 0 ]; then
	owner=postgres
	as() { runuser -u postgres -- "$@"; }
else
	owner=$(id -un)
	as() { "$@"; }
fi

url() {
	echo "postgresql:///$db?host=$run&port=$port&user=postgres"
}

running() {
	[ -f "$data/postmaster.pid" ] && as "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
	mkdir -p "$var"
	if [ "$owner" = postgres ]; then
		chown postgres: "$var"
		if ! as test -w "$var"; then
			echo "devdb: user postgres cannot write $var; a parent folder is closed to it" >&2
			echo "devdb: move the checkout (e.g. under /srv) or set MEDLEY_DATABASE_URL" >&2
			exit 1
		fi
	fi
	if [ ! -f "$data/PG_VERSION" ]; then
		echo "devdb: initdb $data" >&2
		as "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
	fi
	as mkdir -p "$run"
	if ! running; then
		echo "devdb: starting PostgreSQL on $run (port $port)" >&2
		as "$bindir/pg_ctl" -D "$data" -l "$var/postgresql.log" -w -t 60 \
			-o "-c listen_addresses='' -c unix_socket_directories='$run' -p $port" start >/dev/null
	fi
	if ! as "$bindir/psql" -h "$run" -p "$port" -U postgres -d postgres -Atqc \
		"select 1 from pg_database where datname = '$db'" | grep -q 1; then
		as "$bindir/createdb" -h "$run" -p "$port" -U postgres "$db"
	fi
	url
}

stop() {
	if running; then
		as "$bindir/pg_ctl" -D "$data" -w -m fast stop >/dev/null
		echo "devdb: stopped" >&2
	else
		echo "devdb: not running" >&2
	fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url) url ;;
*) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
