#!/bin/sh
# health.sh - /health throughput against nginx serving the same bytes, same run.
#
#   test/bench/health.sh [MEDLEY_BIN]
#
# Starts its own private PostgreSQL, medley and nginx on loopback, then runs
# wrk against each, interleaved for ROUNDS rounds at each connection count
# (the machine drifts: only ratios taken in the same run compare). Prints
# requests/s and p99 per round, the median ratio, medley's start-up time to
# ready and its RSS idle and after load. Nothing leaves 127.0.0.1.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$top/build/medley}
rounds=${ROUNDS:-3}
duration=${DURATION:-5s}
conns=${CONNS:-"16 64 256"}
work=$(mktemp -d /tmp/medley-bench.XXXXXX)
chmod 755 "$work"
mport=${MEDLEY_BENCH_PORT:-18080}
nport=${NGINX_BENCH_PORT:-18081}
pgport=${PG_BENCH_PORT:-55432}

bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Wait for /ready on port (process pid), at most 30 s; fail with medley's log.
wait_ready() {
	n=0
	until curl -sf "http://127.0.0.1:$1/ready" >/dev/null 2>&1; do
		n=$((n + 1))
		if [ $n -gt 6000 ] || ! kill -0 "$2" 2>/dev/null; then
			echo "bench: medley on port $1 never became ready:" >&2
			tail -5 "$work/medley.log" >&2
			exit 1
		fi
		sleep 0.005
	done
}

cleanup() {
	[ -n "${mpid:-}" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null
	[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
	as_pg "$bindir/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# PostgreSQL, unix socket only.
mkdir -p "$work/pg" "$work/run"
[ "$(id -u)" = 0 ] && chown postgres: "$work/pg" "$work/run"
as_pg "$bindir/initdb" -D "$work/pg" -U postgres --auth=trust --no-sync >/dev/null
as_pg "$bindir/pg_ctl" -D "$work/pg" -l "$work/run/pg.log" -w \
	-o "-c listen_addresses='' -c unix_socket_directories='$work/run' -p $pgport" start >/dev/null
url="postgresql:///postgres?host=$work/run&port=$pgport&user=postgres"

# medley: time from exec to /ready answering 200.
t0=$(date +%s%N)
MEDLEY_DATABASE_URL=$url MEDLEY_SERVER_PORT=$mport MEDLEY_LOG_LEVEL=warn \
	MEDLEY_CONTACT=bench@example.org "$bin" serve >/dev/null 2>"$work/medley.log" &
mpid=$!
wait_ready "$mport" "$mpid"
t1=$(date +%s%N)
echo "medley start-up to ready: $(( (t1 - t0) / 1000000 )) ms"
sleep 1
echo "medley RSS idle: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$mpid/status)"

# nginx serving the exact bytes of /health as a static file.
curl -s "http://127.0.0.1:$mport/health" > "$work/health.json"
mkdir -p "$work/www" && cp "$work/health.json" "$work/www/health"
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile off;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$nport;
		location / { root $work/www; default_type application/json; }
	}
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.3
echo "payload: $(wc -c < "$work/health.json") bytes"

measure() { # url conns -> "rps p99"
	wrk -t2 -c"$2" -d"$duration" --latency "$1" 2>/dev/null |
		awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p=$2} END {print rps, p}'
}

for c in $conns; do
	ratios=""
	for r in $(seq 1 "$rounds"); do
		set -- $(measure "http://127.0.0.1:$nport/health" "$c")
		n_rps=$1 n_p99=$2
		set -- $(measure "http://127.0.0.1:$mport/health" "$c")
		m_rps=$1 m_p99=$2
		ratio=$(awk -v a="$m_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}')
		ratios="$ratios $ratio"
		printf 'c=%-4s round %d: nginx %9.0f req/s p99 %-8s medley %9.0f req/s p99 %-8s ratio %s\n' \
			"$c" "$r" "$n_rps" "$n_p99" "$m_rps" "$m_p99" "$ratio"
	done
	median=$(echo $ratios | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	echo "c=$c median ratio medley/nginx: $median"
done
echo "medley RSS after load: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$mpid/status)"
echo "medley peak RSS: $(awk '/VmHWM/ {print $2 " kB"}' /proc/$mpid/status)"
