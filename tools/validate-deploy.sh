#!/bin/sh
# validate-deploy.sh - offline checks of the deployment files, cheap enough for
# every `make check` (make deploy-check). No containers, no cluster, no network
# except npm's registry the first time (to install the linters under build/node).
#
#   tools/validate-deploy.sh            (from the top of the checkout; needs build/medley)
#
# One line per check: PASS, FAIL or SKIP (a tool that is genuinely unavailable;
# a SKIP is never counted as a pass). Ends with "deploy: N passed, N failed" and
# exits 1 when anything failed.
set -u

cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
bin=${MEDLEY_BIN:-$top/build/medley}
node_dir=$top/build/node
py=/usr/bin/python3
schema=${COMPOSE_SCHEMA:-$top/../shared/schemas/compose-spec.json}
out=$(mktemp -d "${TMPDIR:-/tmp}/medley-deploy.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); printf 'PASS  %s\n' "$1"; }
ko() {
	fail=$((fail + 1)); printf 'FAIL  %s\n' "$1"
	[ -s "$out/log" ] && sed 's/^/      /' "$out/log"
}
sk() { skip=$((skip + 1)); printf 'SKIP  %s: %s\n' "$1" "$2"; }
have() { command -v "$1" >/dev/null 2>&1; }
# run NAME CMD...: PASS when CMD exits 0, else FAIL with its output.
run() {
	name=$1; shift
	if "$@" >"$out/log" 2>&1; then ok "$name"; else ko "$name"; fi
}
# quiet NAME CMD...: PASS only when CMD exits 0 and prints nothing.
quiet() {
	name=$1; shift
	if "$@" >"$out/log" 2>&1 && [ ! -s "$out/log" ]; then ok "$name"; else ko "$name"; fi
}

# --- compose ------------------------------------------------------------------
compose_files="compose.yaml etc/traefik/compose.labels.yaml"
if have docker-compose; then
	run "compose: docker-compose config -q (compose.yaml, .env.example)" \
		docker-compose --env-file .env.example -f compose.yaml config -q
	run "compose: docker-compose config -q (with etc/traefik/compose.labels.yaml)" \
		docker-compose --env-file .env.example -f compose.yaml -f etc/traefik/compose.labels.yaml config -q
else
	sk "compose: docker-compose config" "docker-compose not installed (tools/deps.sh deploy)"
fi
if [ ! -f "$schema" ]; then
	sk "compose: JSON schema" "no schema at $schema"
elif ! "$py" -c 'import jsonschema, yaml' 2>/dev/null; then
	sk "compose: JSON schema" "$py lacks jsonschema/yaml (tools/deps.sh deploy)"
else
	# shellcheck disable=SC2086
	run "compose: JSON schema (compose-spec.json)" "$py" tools/validate/compose_schema.py "$schema" $compose_files
fi

# --- YAML style -----------------------------------------------------------------
if have yamllint; then
	run "yaml: yamllint" yamllint -s -c tools/validate/yamllint.yaml \
		compose.yaml etc/traefik etc/k8s tools/validate/yamllint.yaml
else
	sk "yaml: yamllint" "yamllint not installed (tools/deps.sh deploy)"
fi

# --- npm linters (installed once under build/node) ------------------------------
npm_pkgs="kubernetes-models@4 @kubernetes/client-node@2 js-yaml@4 dockerfile-utils@0 dockerfilelint@1"
node_ok=no
if ! have node || ! have npm; then
	sk "npm linters" "node/npm not installed"
else
	stamp=$node_dir/.medley-installed
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$npm_pkgs" ]; then
		node_ok=yes
	else
		mkdir -p "$node_dir"
		# shellcheck disable=SC2086
		if npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error \
			$npm_pkgs >"$out/log" 2>&1; then
			echo "$npm_pkgs" >"$stamp"; node_ok=yes
		else
			sed 's/^/      /' "$out/log" | tail -n 5
			sk "npm linters" "npm install into build/node failed (registry unreachable?)"
		fi
	fi
fi

# --- Containerfile -------------------------------------------------------------
if [ "$node_ok" = yes ]; then
	run "containerfile: dockerfile-utils + dockerfilelint" node tools/validate/dockerfile.mjs "$node_dir" Containerfile
else
	sk "containerfile: dockerfile-utils + dockerfilelint" "npm linters unavailable"
fi
# The gate the linters cannot see: what the Containerfile copies must exist.
missing=""
for p in Makefile include src sql tools/embed-sql.sh etc/medley.yaml .dockerignore; do
	[ -e "$p" ] || missing="$missing $p"
done
if [ -z "$missing" ] && grep -q '^USER 10001' Containerfile && grep -q '^STOPSIGNAL SIGTERM' Containerfile \
	&& ! grep -Eq '^FROM .*@sha256' Containerfile; then
	ok "containerfile: build inputs exist, USER 10001, STOPSIGNAL, no digest pin"
else
	echo "missing:$missing" >"$out/log"; ko "containerfile: build inputs exist, USER 10001, STOPSIGNAL, no digest pin"
fi

# --- shell scripts ---------------------------------------------------------------
if have shellcheck; then
	run "scripts: shellcheck" shellcheck -s sh tools/validate-deploy.sh tools/container-test.sh tools/validate/pgstandin/entrypoint.sh
else
	sk "scripts: shellcheck" "shellcheck not installed"
fi

# --- systemd unit -----------------------------------------------------------------
if ! have systemd-analyze || [ ! -d /usr/lib/systemd/system ]; then
	sk "systemd" "systemd-analyze not available"
elif [ ! -x "$bin" ]; then
	: >"$out/log"; echo "no binary at $bin (run make)" >"$out/log"; ko "systemd: verify (needs the binary)"
else
	root=$out/root
	mkdir -p "$root/usr/lib/systemd" "$root/usr/local/bin" "$root/usr/local/etc/medley" \
		"$root/etc/systemd/system" "$root/etc/medley"
	cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
	cp "$bin" "$root/usr/local/bin/medley"
	cp etc/medley.yaml "$root/usr/local/etc/medley/medley.yaml"
	cp etc/systemd/medley.service "$root/etc/systemd/system/medley.service"
	cp etc/systemd/medley.env.example "$root/etc/medley/medley.env"
	quiet "systemd: systemd-analyze verify (no output allowed)" \
		systemd-analyze verify --root="$root" medley.service
	# --threshold counts tenths: 20 is an exposure of 2.0.
	if systemd-analyze security --offline=true --root="$root" --threshold=20 medley.service >"$out/sec" 2>&1; then
		ok "systemd: security exposure $(sed -n 's/.*Overall exposure level for medley.service: \([0-9.]*\).*/\1/p' "$out/sec") <= 2.0"
	else
		grep -E 'Overall|^✗' "$out/sec" >"$out/log" || cp "$out/sec" "$out/log"
		ko "systemd: security exposure <= 2.0"
	fi
	if grep -q '^ExecStart=/usr/local/bin/medley -c /usr/local/etc/medley/medley.yaml serve$' etc/systemd/medley.service; then
		ok "systemd: ExecStart matches make install (PREFIX=/usr/local)"
	else
		: >"$out/log"; ko "systemd: ExecStart matches make install (PREFIX=/usr/local)"
	fi
fi

# --- nginx ---------------------------------------------------------------------------
if have nginx; then
	mkdir -p "$out/nginx/logs"
	printf 'pid %s/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n  include %s/etc/nginx/medley.conf;\n}\n' \
		"$out/nginx" "$top" >"$out/nginx/nginx.conf"
	run "nginx: nginx -t with etc/nginx/medley.conf" nginx -t -q -p "$out/nginx" -c "$out/nginx/nginx.conf"
else
	sk "nginx: nginx -t" "nginx not installed"
fi
sk "caddy/traefik: config check" "caddy and traefik are not packaged here; Traefik YAML is yamllinted only"

# --- Kubernetes --------------------------------------------------------------------
if [ "$node_ok" = yes ]; then
	run "k8s: kubernetes-models schema + client-node unknown fields + cross-checks" \
		node tools/validate/k8s.mjs "$node_dir" etc/k8s
else
	sk "k8s: manifests" "npm linters unavailable"
fi

# --- MEDLEY_* variables ------------------------------------------------------------
if [ ! -x "$bin" ]; then
	echo "no binary at $bin (run make)" >"$out/log"; ko "env: MEDLEY_* names are ones medley reads"
elif ! "$py" -c 'import yaml' 2>/dev/null; then
	sk "env: MEDLEY_* names" "$py lacks yaml"
else
	# An empty file and an empty environment: every key at its default, printed.
	if env -i "$bin" -c /dev/null check-config >"$out/cfg" 2>"$out/log"; then
		# shellcheck disable=SC2016
		run "env: MEDLEY_* names are ones medley reads" sh -c '"$0" tools/validate/envvars.py "$@" <"$1"' \
			"$py" "$out/cfg" compose.yaml .env.example Containerfile etc/systemd/medley.service \
			etc/systemd/medley.env.example etc/k8s/*.yaml etc/traefik/*.yaml docs/deployment.md
	else
		ko "env: MEDLEY_* names (check-config failed)"
	fi
fi

# --- the binary as the image runs it, without containers ---------------------------
if ! have setpriv || [ "$(id -u)" != 0 ]; then
	sk "runtime: as uid 10001" "needs root and setpriv"
elif [ ! -x "$bin" ]; then
	echo "no binary at $bin (run make)" >"$out/log"; ko "runtime: as uid 10001"
else
	# The image's layout: /usr/local/bin/medley, WORKDIR /srv/medley with etc/medley.yaml,
	# everything root-owned and read-only to uid 10001 (as with a read-only root).
	img=$out/img
	mkdir -p "$img/srv/medley/etc"
	cp "$bin" "$img/medley"
	cp etc/medley.yaml "$img/srv/medley/etc/medley.yaml"
	chmod -R a+rX,go-w "$out"
	as_image() {
		(cd "$img/srv/medley" && exec setpriv --reuid=10001 --regid=10001 --clear-groups --no-new-privs \
			env -i PATH=/usr/bin:/bin MEDLEY_SERVER_LISTEN=0.0.0.0 MEDLEY_CONTACT=ops@example.org \
			MEDLEY_DATABASE_URL_FILE="$img/db_url" "$@")
	}
	echo 'postgresql://medley:pw-must-not-show@127.0.0.1:1/medley' >"$img/db_url"
	chmod 0444 "$img/db_url"
	if as_image "$img/medley" check-config >"$out/log" 2>&1 && grep -q 'medley:\*\*\*@' "$out/log" \
		&& ! grep -q pw-must-not-show "$out/log"; then
		ok "runtime: check-config as uid 10001 from the image layout (password redacted)"
	else
		ko "runtime: check-config as uid 10001 from the image layout"
	fi
	port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	# Not through as_image: $! must be medley itself (the subshell execs into it).
	(cd "$img/srv/medley" && exec setpriv --reuid=10001 --regid=10001 --clear-groups --no-new-privs \
		env -i PATH=/usr/bin:/bin MEDLEY_SERVER_LISTEN=0.0.0.0 MEDLEY_CONTACT=ops@example.org \
		MEDLEY_DATABASE_URL_FILE="$img/db_url" MEDLEY_SERVER_PORT="$port" MEDLEY_SERVER_DRAIN_S=1 \
		MEDLEY_SERVER_SHUTDOWN_GRACE_S=1 MEDLEY_DATABASE_CONNECT_TIMEOUT_MS=1000 \
		"$img/medley" serve) >"$out/serve.log" 2>&1 &
	pid=$!
	code=000 i=0
	while [ $i -lt 50 ]; do
		code=$("$py" - "$port" <<'PY' 2>/dev/null
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen("http://127.0.0.1:%s/health" % sys.argv[1], timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
PY
)
		[ "$code" = 200 ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2; i=$((i + 1))
	done
	kill -TERM "$pid" 2>/dev/null
	# drain 1 s + grace 1 s + margin
	i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
	wait "$pid"; rc=$?
	tail -n 8 "$out/serve.log" >"$out/log"
	if [ "$code" = 200 ] && [ "$rc" = 0 ]; then
		ok "runtime: serve as uid 10001 without a database: /health 200, SIGTERM exit 0"
	else
		echo "/health answered $code; exit status after SIGTERM $rc" >>"$out/log"
		ko "runtime: serve as uid 10001 without a database: /health 200, SIGTERM exit 0"
	fi
fi

[ "$skip" -gt 0 ] && echo "deploy: $skip skipped (not counted as passed)"
echo "deploy: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
