# common.sh - what the benchmark scripts share; sourced, not run.
#
# Provides: $top, $work (a private folder, removed on exit), as_pg, pg_start
# (sets $url), wait_ready, nginx_serve, median, and a cleanup trap that stops
# every process whose pid is in $pids, nginx and PostgreSQL.

top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/medley-bench.XXXXXX)
chmod 755 "$work"
pids=""
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
	as_pg "$bindir/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A private PostgreSQL on a unix socket in $work/run, port $1; sets $url.
pg_start() {
	mkdir -p "$work/pg" "$work/run"
	[ "$(id -u)" = 0 ] && chown postgres: "$work/pg" "$work/run"
	as_pg "$bindir/initdb" -D "$work/pg" -U postgres --auth=trust --no-sync >/dev/null
	as_pg "$bindir/pg_ctl" -D "$work/pg" -l "$work/run/pg.log" -w \
		-o "-c listen_addresses='' -c unix_socket_directories='$work/run' -p $1" \
		start >/dev/null
	url="postgresql:///postgres?host=$work/run&port=$1&user=postgres"
}

# Wait for /ready on port $1 (process $2), polling every 5 ms for at most 30 s.
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

# nginx (2 workers, sendfile off, no access log) serving $work/www on port $1.
nginx_serve() {
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
		listen 127.0.0.1:$1;
		location / { root $work/www; default_type application/json; }
	}
}
CONF
	nginx -c "$work/nginx.conf" -p "$work"
	sleep 0.3
}

median() { echo "$@" | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
