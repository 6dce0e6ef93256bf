#!/bin/sh
# lookup.sh - artist lookups against their references, in one run on this machine.
#
#   test/bench/lookup.sh [MEDLEY_BIN]
#
# Starts a private PostgreSQL, the fake MusicBrainz (test/fake), two medleys
# sharing the database (one with the in-memory layer, one without) and nginx,
# warms the cache, then interleaves wrk rounds of:
#   hot   GET /v1/artists/<mbid> served from memory     vs nginx serving the same bytes
#   db    the same lookup served from PostgreSQL        vs pgbench running its SELECT
# and prints requests/s, p99, the median ratios, and medley's peak RSS under load.
# Nothing leaves 127.0.0.1.
set -eu

. "$(dirname "$0")/common.sh"
bin=${1:-$top/build/medley}
rounds=${ROUNDS:-3}
duration=${DURATION:-5}
conns=${CONNS:-64}
mbid=5b11f4ce-a62d-471e-81fc-a69a8278c7da
hot_port=${HOT_PORT:-18180}
db_port=${DB_PORT:-18181}
nginx_port=${NGINX_BENCH_PORT:-18182}
fake_port=${FAKE_PORT:-18183}
pgport=${PG_BENCH_PORT:-55433}

pg_start "$pgport"

/usr/bin/python3 "$top/test/fake/fake_provider.py" --port "$fake_port" >"$work/fake.log" 2>&1 </dev/null &
pids="$pids $!"

start_medley() { # port memory_bytes; sets last_pid (no subshell: pids must stick)
	MEDLEY_DATABASE_URL=$url MEDLEY_SERVER_PORT=$1 MEDLEY_CACHE_MEMORY_BYTES=$2 MEDLEY_SERVER_THREADS=${THREADS:-4} MEDLEY_DATABASE_POOL_SIZE=${POOL:-4} \
	MEDLEY_LOG_LEVEL=warn MEDLEY_CONTACT=bench@example.org \
	MEDLEY_PROVIDERS_MUSICBRAINZ_BASE_URL=http://127.0.0.1:$fake_port/ws/2 \
		"$bin" serve >/dev/null 2>>"$work/medley.log" &
	last_pid=$!
	pids="$pids $last_pid"
}
start_medley "$hot_port" 67108864
hot_pid=$last_pid
start_medley "$db_port" 0
db_pid=$last_pid
wait_ready "$hot_port" "$hot_pid"
wait_ready "$db_port" "$db_pid"
# Warm: the first lookup fetches from the fake and stores; the second fills memory.
curl -sf "http://127.0.0.1:$hot_port/v1/artists/$mbid" >/dev/null
curl -sf "http://127.0.0.1:$hot_port/v1/artists/$mbid" > "$work/doc.json"
curl -sf "http://127.0.0.1:$db_port/v1/artists/$mbid" | grep -q '"status":"hit"'

mkdir -p "$work/www/v1/artists"
cp "$work/doc.json" "$work/www/v1/artists/$mbid"
nginx_serve "$nginx_port"

cat > "$work/select.sql" <<SQL
SELECT status, body, canonical_key, (extract(epoch FROM fetched_at) * 1000000)::bigint, (extract(epoch FROM expires_at) * 1000000)::bigint FROM provider_documents WHERE provider = 'musicbrainz' AND kind = 'artist' AND key = '$mbid';
SQL

wrk_run() { # url -> "rps p99"
	wrk -t2 -c"$conns" -d"${duration}s" --latency "$1" 2>/dev/null |
		awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p=$2} END {print rps, p}'
}
pgbench_run() { # -> tps, with as many clients as medley has pooled connections
	as_pg "$bindir/pgbench" -n -M prepared -c "${POOL:-4}" -j 2 -T "$duration" -f "$work/select.sql" \
		-h "$work/run" -p "$pgport" -U postgres postgres 2>/dev/null |
		awk '/^tps/ {print $3; exit}'
}

echo "payload: $(wc -c < "$work/doc.json") bytes; wrk -t2 -c$conns, ${duration}s rounds"
hot_ratios="" db_ratios=""
for r in $(seq 1 "$rounds"); do
	set -- $(wrk_run "http://127.0.0.1:$nginx_port/v1/artists/$mbid"); n_rps=$1 n_p99=$2
	set -- $(wrk_run "http://127.0.0.1:$hot_port/v1/artists/$mbid"); h_rps=$1 h_p99=$2
	set -- $(wrk_run "http://127.0.0.1:$db_port/v1/artists/$mbid"); d_rps=$1 d_p99=$2
	p_tps=$(pgbench_run)
	hr=$(awk -v a="$h_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}')
	dr=$(awk -v a="$d_rps" -v b="$p_tps" 'BEGIN {printf "%.2f", a / b}')
	hot_ratios="$hot_ratios $hr" db_ratios="$db_ratios $dr"
	printf 'round %d: nginx %7.0f/s p99 %-7s | hot %7.0f/s p99 %-7s ratio %s | db %7.0f/s p99 %-7s pgbench %7.0f tps ratio %s\n' \
		"$r" "$n_rps" "$n_p99" "$h_rps" "$h_p99" "$hr" "$d_rps" "$d_p99" "$p_tps" "$dr"
done
echo "hot lookup / nginx (median): $(median $hot_ratios)"
echo "db lookup / pgbench (median): $(median $db_ratios)"
echo "peak RSS: hot medley $(awk '/VmHWM/ {print $2 " kB"}' /proc/$hot_pid/status), db medley $(awk '/VmHWM/ {print $2 " kB"}' /proc/$db_pid/status)"
