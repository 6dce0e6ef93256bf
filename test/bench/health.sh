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

. "$(dirname "$0")/common.sh"
bin=${1:-$top/build/medley}
rounds=${ROUNDS:-3}
duration=${DURATION:-5s}
conns=${CONNS:-"16 64 256"}
mport=${MEDLEY_BENCH_PORT:-18080}
nport=${NGINX_BENCH_PORT:-18081}

pg_start "${PG_BENCH_PORT:-55432}"

# medley: time from exec to /ready answering 200.
t0=$(date +%s%N)
MEDLEY_DATABASE_URL=$url MEDLEY_SERVER_PORT=$mport MEDLEY_LOG_LEVEL=warn \
	MEDLEY_CONTACT=bench@example.org "$bin" serve >/dev/null 2>"$work/medley.log" &
mpid=$!
pids="$pids $mpid"
wait_ready "$mport" "$mpid"
t1=$(date +%s%N)
echo "medley start-up to ready: $(( (t1 - t0) / 1000000 )) ms"
sleep 1
echo "medley RSS idle: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$mpid/status)"

# nginx serving the exact bytes of /health as a static file.
curl -s "http://127.0.0.1:$mport/health" > "$work/health.json"
mkdir -p "$work/www" && cp "$work/health.json" "$work/www/health"
nginx_serve "$nport"
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
	median=$(median $ratios)
	echo "c=$c median ratio medley/nginx: $median"
done
echo "medley RSS after load: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$mpid/status)"
echo "medley peak RSS: $(awk '/VmHWM/ {print $2 " kB"}' /proc/$mpid/status)"
